// How the library keeps what it holds of each book small (issue 10, part 2): a book's sample
// windows (what cluster naming and a recount with other tokenizer settings read) and its
// cached term counts, deflated. Packing runs in the import's worker threads, unpacking where
// the engine reads them.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { SamplePlan } from '../../../src-shared/settings';

/** First byte of packed term counts: never the first byte of an unpacked blob (formats 1 and 0x4c, features/tokenize.ts). */
export const PACKED_TERMS = 0xfd;
/** Level 1: on 150 generated books' counts 4% larger than level 4 in 60% of its time (bench notes in docs/benchmarks.md, issue 10 again); with no sample text kept the counts are nearly all of a library file. */
const LEVEL = 1;

/** Term counts as features/tokenize.ts encodes them, deflated behind PACKED_TERMS. */
export function packTerms(blob: Uint8Array): Buffer {
  if (blob.length > 0 && blob[0] === PACKED_TERMS) return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const packed = deflateRawSync(blob, { level: LEVEL });
  const out = Buffer.allocUnsafe(packed.length + 1);
  out[0] = PACKED_TERMS;
  packed.copy(out, 1);
  return out;
}

/** Term counts as stored: packed ones inflated, those written before packing as they are. */
export function unpackTerms(stored: Buffer): Buffer {
  return stored.length > 0 && stored[0] === PACKED_TERMS ? inflateRawSync(stored.subarray(1)) : stored;
}

/** Names a sample plan as book_samples.plan keeps it ("10x1000"). */
export function planKey(plan: SamplePlan): string {
  return `${plan.samples}x${plan.words}`;
}

/** A book's sample windows (features/sample.ts sampleWindows), deflated. */
export function packWindows(windows: readonly string[]): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(windows), 'utf8'), { level: LEVEL });
}

export function unpackWindows(packed: Buffer): string[] {
  const windows: unknown = JSON.parse(inflateRawSync(packed).toString('utf8'));
  if (!Array.isArray(windows) || !windows.every((w) => typeof w === 'string')) throw new Error('Stored samples are corrupt.');
  return windows as string[];
}
