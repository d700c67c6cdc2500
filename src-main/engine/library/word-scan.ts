// The wasm side of words.ts scanWords: word-scan.wat's loop over a body's UTF-16 code units,
// the same WordScan as the JS loop in about a quarter of the time (bench/word-scan.ts: 1.1-1.25
// against 4.9-5.8 ns per code unit on books-1k). One instance per thread, made on first use.
import { WORD_SCAN_WASM_BASE64 } from './word-scan-wasm';

const PAGE = 0x10000;
/** words.ts bmpTable: one class byte per BMP code unit, at address 0. */
const TABLE_BYTES = 0x10000;
/** Word starts handed back per call; a body with more takes more calls. */
export const STARTS_PER_CALL = 1 << 18;
const STARTS_AT = TABLE_BYTES;
const TEXT_AT = STARTS_AT + 4 * STARTS_PER_CALL;
/** Code units of text the memory has room for at first (most books fit, so it seldom grows). */
export const INITIAL_TEXT_UNITS = 1 << 21;
/** A memory grown past this for one long body is let go after it, not kept for the thread's life. */
const KEPT_MEMORY_BYTES = 32 << 20;

/** The part of the WebAssembly JS API used here (the Node tsconfig has no DOM lib to declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

/** word-scan.wat's exports (its globals read through .value). */
interface WordScanExports {
  scan(text: number, length: number, starts: number, cap: number): number;
  reset(): void;
  at: { value: number };
  words: { value: number };
  not_nfc_safe_seen: { value: number };
  spaced_line_ends: { value: number };
}

/** What the wasm scan found: words.ts turns it into a WordScan. */
export interface RawWordScan {
  words: number;
  starts: Int32Array;
  /** Whether a code unit outside fingerprint.ts's NFC-safe ones was seen (FingerprintHints.maybeNotNfc). */
  notNfcSafeSeen: boolean;
  spacedLineEnds: boolean;
}

/** Scans one text; null when wasm memory cannot grow to hold it. */
export type WasmWordScanner = (text: string) => RawWordScan | null;

let compiled: object | null = null;

function joinStarts(parts: Int32Array[]): Int32Array {
  const joined = new Int32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/**
 * A scanner over `table` (copied into its memory once), classing astral code points with
 * `astralClass`; null where WebAssembly is missing or refuses the module. The memory holds
 * the text as little-endian UTF-16 whatever the host (Buffer's utf16le), but the starts are read
 * through an Int32Array, which is host order: big-endian hosts get null and use the JS scan.
 */
export function createWasmWordScanner(table: Uint8Array, astralClass: (codePoint: number) => number, bigEndian: boolean): WasmWordScanner | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (bigEndian || api === undefined) return null;
  try {
    compiled ??= new api.Module(Buffer.from(WORD_SCAN_WASM_BASE64, 'base64'));
  } catch {
    return null;
  }
  const module = compiled;
  let memory: WasmMemory | null = null;
  let exports: WordScanExports | null = null;
  const instantiate = (textUnits: number): WordScanExports => {
    memory = new api.Memory({ initial: Math.ceil((TEXT_AT + 2 * textUnits) / PAGE) });
    const instance = new api.Instance(module, { words: { memory, astral_class: astralClass } });
    new Uint8Array(memory.buffer, 0, TABLE_BYTES).set(table);
    return instance.exports as unknown as WordScanExports;
  };
  return (text) => {
    const length = text.length;
    const wasm = (exports ??= instantiate(INITIAL_TEXT_UNITS));
    const mem = memory as WasmMemory;
    const needed = TEXT_AT + 2 * length;
    if (needed > mem.buffer.byteLength) {
      try {
        mem.grow(Math.ceil((needed - mem.buffer.byteLength) / PAGE));
      } catch {
        // no room for this text in wasm memory: words.ts scans it in JS
        return null;
      }
    }
    Buffer.from(mem.buffer, TEXT_AT, 2 * length).write(text, 'utf16le');
    wasm.reset();
    // one call for nearly every book; the starts of a longer one are gathered call by call
    const parts: Int32Array[] = [];
    do {
      const count = wasm.scan(TEXT_AT, length, STARTS_AT, STARTS_PER_CALL);
      parts.push(new Int32Array(mem.buffer, STARTS_AT, count).slice());
    } while (wasm.at.value < length);
    const starts = parts.length === 1 ? parts[0] : joinStarts(parts);
    const scan: RawWordScan = {
      words: wasm.words.value,
      starts,
      notNfcSafeSeen: wasm.not_nfc_safe_seen.value !== 0,
      spacedLineEnds: wasm.spaced_line_ends.value !== 0,
    };
    if (mem.buffer.byteLength > KEPT_MEMORY_BYTES) {
      exports = null;
      memory = null;
    }
    return scan;
  };
}
