// fitTransformTfidfInPasses straight from the cached count blobs (tokenize.ts encodeCounts /
// encodeCountsList), without decoding them into Maps of strings. Profiled on 2,000 books of the
// 10,000-book library (10 sample rows each), the string way spent 30% of the features stage in
// decodeCounts (a toString, a split and a Map.set per term), 16% in the tally's Map.get and 12%
// in the second pass's Map.get: each of 50 million term counts became a string three times over.
// Here a term is looked up by its UTF-8 bytes in one open-addressing table built in the first
// pass; only the distinct terms are ever made strings. The vocabulary, idf and every weight are
// the ones fitTransformTfidfInPasses gives the decoded documents (tested).
import { ShelfmapError } from '../../../src-shared/errors';
import { fitFromTally, resolveOptions, weighInto, CsrBuilder, type CsrRows, type FittedTfidf, type TfidfOptions } from './tfidf';

/** encodeCounts' first byte, and encodeCountsList's (tokenize.ts). */
const COUNTS_FORMAT = 1;
const COUNTS_LIST_FORMAT = 0x4c;
const NEWLINE = 0x0a;

/**
 * Every distinct term met, keyed by its UTF-8 bytes: numbered in the order met, with the number
 * of documents holding it and its total count (TermTally's numbers, without a string per term).
 */
class ByteTermTable {
  private bytes = new Uint8Array(1 << 20);
  private used = 0;
  private starts = new Int32Array(1 << 16);
  private lengths = new Int32Array(1 << 16);
  private hashes = new Int32Array(1 << 16);
  /** Open addressing: term number + 1, 0 for an empty slot. */
  private slots = new Int32Array(1 << 17);
  size = 0;
  docFreq = new Int32Array(1 << 16);
  totalCount = new Float64Array(1 << 16);

  /** The number of the term in buf[start..end), -1 if never added. */
  find(buf: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.equals(id, buf, start, end)) return id;
    }
  }

  /** Counts `count` occurrences of the term in buf[start..end) in one more document. */
  add(buf: Uint8Array, start: number, end: number, hash: number, count: number): void {
    let id = this.find(buf, start, end, hash);
    if (id < 0) id = this.insert(buf, start, end, hash);
    this.docFreq[id]++;
    this.totalCount[id] += count;
  }

  /** Every term as a string, by number. */
  terms(): string[] {
    const decoder = new TextDecoder();
    return Array.from({ length: this.size }, (_, id) => decoder.decode(this.bytes.subarray(this.starts[id], this.starts[id] + this.lengths[id])));
  }

  private equals(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.lengths[id] !== length) return false;
    const at = this.starts[id];
    for (let i = 0; i < length; i++) if (this.bytes[at + i] !== buf[start + i]) return false;
    return true;
  }

  private insert(buf: Uint8Array, start: number, end: number, hash: number): number {
    const id = this.size++;
    if (id === this.starts.length) this.growTerms();
    const length = end - start;
    if (this.used + length > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < this.used + length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(buf.subarray(start, end), this.used);
    this.starts[id] = this.used;
    this.lengths[id] = length;
    this.hashes[id] = hash;
    this.used += length;
    // at most half full, so a probe ends soon
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.size; id++) this.place(id);
  }

  private growTerms(): void {
    const size = this.starts.length * 2;
    const grow = <T extends Int32Array | Float64Array>(from: T, make: (n: number) => T): T => {
      const grown = make(size);
      grown.set(from);
      return grown;
    };
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.lengths = grow(this.lengths, (n) => new Int32Array(n));
    this.hashes = grow(this.hashes, (n) => new Int32Array(n));
    this.docFreq = grow(this.docFreq, (n) => new Int32Array(n));
    this.totalCount = grow(this.totalCount, (n) => new Float64Array(n));
  }
}

/** Reads one varint at reader.at and moves past it (tokenize.ts readVarintAt). */
function readVarint(buf: Uint8Array, reader: { at: number }, end: number, truncated: string): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (reader.at >= end) throw new Error(truncated);
    const byte = buf[reader.at++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}

/** What readDocument does with each term: tally it (first pass) or keep its column (second). */
const TALLY = 0;
const KEEP = 1;

/**
 * Reads the encodeCounts document in buf[from..to), refusing what decodeCounts refuses: in
 * TALLY mode adds each term with a count above 0 to `table`; in KEEP mode writes the columns
 * (by `columnOfId`) and counts of those in the vocabulary to `out`, giving how many. One loop
 * for both, not a callback per term: the term counts are 50 million at 10,000 books.
 */
function readDocument(buf: Uint8Array, from: number, to: number, table: ByteTermTable, mode: number, columnOfId: Int32Array, out: RowScratch): number {
  if (to <= from || buf[from] !== COUNTS_FORMAT) throw new Error(`Term counts are not in format ${COUNTS_FORMAT} (first byte ${buf[from]}).`);
  const reader = { at: from + 1 };
  const termCount = readVarint(buf, reader, to, 'Term counts are truncated.');
  const blockLength = readVarint(buf, reader, to, 'Term counts are truncated.');
  const blockStart = reader.at;
  const blockEnd = blockStart + blockLength;
  if (blockEnd > to) throw new Error('Term counts are truncated.');
  let at = blockEnd; // the counts, one varint per term after the block
  let start = blockStart;
  let seen = 0;
  let used = 0;
  while (seen < termCount) {
    let hash = 0x811c9dc5 | 0;
    let end = start;
    while (end < blockEnd && buf[end] !== NEWLINE) hash = Math.imul(hash ^ buf[end++], 0x01000193);
    if (end === blockEnd && seen !== termCount - 1) break; // fewer terms than said
    // the count's varint, inline
    let count = 0;
    let scale = 1;
    for (;;) {
      if (at >= to) throw new Error('Term counts are truncated.');
      const byte = buf[at++];
      count += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    if (count > 0) {
      // a zero count is an absent term, as in a sparse count matrix
      if (mode === TALLY) table.add(buf, start, end, hash, count);
      else {
        const id = table.find(buf, start, end, hash);
        const col = id < 0 ? -1 : columnOfId[id];
        if (col >= 0) {
          if (used === out.columns.length) out.grow();
          out.columns[used] = col;
          out.counts[used] = count;
          used++;
        }
      }
    }
    seen++;
    start = end + 1;
  }
  if (seen !== termCount || (termCount > 0 && start !== blockEnd + 1)) throw new Error('Term counts are corrupt: term list does not match its length.');
  if (at !== to) throw new Error('Term counts are corrupt: trailing bytes.');
  return used;
}

/** One row's kept columns and counts, before weighing. */
class RowScratch {
  columns = new Int32Array(1024);
  counts = new Float64Array(1024);

  grow(): void {
    const columns = new Int32Array(this.columns.length * 2);
    columns.set(this.columns);
    this.columns = columns;
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
  }
}

/** Calls `document` with the byte range of each document of a blob (one encodeCounts, or an encodeCountsList); gives their number. */
function forEachDocument(blob: Uint8Array, document: (from: number, to: number) => void): number {
  if (blob.length === 0 || blob[0] !== COUNTS_LIST_FORMAT) {
    document(0, blob.length);
    return 1;
  }
  const reader = { at: 1 };
  const count = readVarint(blob, reader, blob.length, 'Term count list is truncated.');
  for (let d = 0; d < count; d++) {
    const length = readVarint(blob, reader, blob.length, 'Term count list is truncated.');
    if (reader.at + length > blob.length) throw new Error('Term count list is truncated.');
    document(reader.at, reader.at + length);
    reader.at += length;
  }
  if (reader.at !== blob.length) throw new Error('Term count list is corrupt: trailing bytes.');
  return count;
}

/**
 * One pass over the books' count blobs: calls `visit` with each blob (encodeCounts or
 * encodeCountsList bytes) in the same order every time; `visit` gives the number of documents
 * the blob held. A blob may be dropped as soon as `visit` returns.
 */
export type BlobPasses = (visit: (blob: Uint8Array) => number) => Promise<void> | void;

/**
 * fitTransformTfidfInPasses over cached count blobs: the same vocabulary, idf and CSR rows as
 * over the documents decodeCounts / decodeCountsList makes of them, one row per document.
 */
export async function fitTransformTfidfFromBlobs(
  passes: BlobPasses,
  options: TfidfOptions | ((documents: number) => TfidfOptions),
): Promise<{ model: FittedTfidf; csr: CsrRows; documents: number }> {
  if (typeof options !== 'function') resolveOptions(options); // refuse bad options before reading
  const table = new ByteTermTable();
  let documents = 0;
  const scratch = new RowScratch();
  const none = new Int32Array(0);
  await passes((blob) =>
    forEachDocument(blob, (from, to) => {
      documents++;
      readDocument(blob, from, to, table, TALLY, none, scratch);
    }),
  );
  const { model, resolved, selected } = fitFromTally({ terms: table.terms(), docFreq: table.docFreq, totalCount: table.totalCount }, documents, options);
  const { vocabulary, idf } = model;
  const columnOfId = new Int32Array(table.size).fill(-1);
  for (let col = 0; col < selected.length; col++) columnOfId[selected[col]] = col;

  const weights = new Float64Array(vocabulary.length);
  const builder = new CsrBuilder();
  let seen = 0;
  await passes((blob) =>
    forEachDocument(blob, (from, to) => {
      seen++;
      const used = readDocument(blob, from, to, table, KEEP, columnOfId, scratch);
      const { indices, scale } = weighInto(scratch.columns, scratch.counts, used, idf, resolved, weights);
      builder.push(indices, weights, used, scale);
    }),
  );
  if (seen !== documents) {
    throw new ShelfmapError('internal', `The second pass over the documents saw ${seen} of them, the first ${documents}.`);
  }
  return { model, csr: builder.finish(), documents };
}
