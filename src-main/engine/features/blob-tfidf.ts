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
export class ByteTermTable {
  private bytes: Uint8Array;
  private used = 0;
  private starts: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  /**
   * Open addressing, two numbers a slot: the term's number + 1 (0 for an empty slot) and its
   * hash, side by side, so a probe reads one place before it compares any bytes.
   */
  private slots: Int32Array;
  size = 0;
  docFreq: Int32Array;
  totalCount: Float64Array;

  /** `terms`: room for this many before growing (a power of two); the kept vocabulary's table is small, so it stays in cache. */
  constructor(terms = 1 << 16) {
    this.bytes = new Uint8Array(terms * 16);
    this.starts = new Int32Array(terms);
    this.lengths = new Int32Array(terms);
    this.hashes = new Int32Array(terms);
    this.slots = new Int32Array(terms * 4);
    this.docFreq = new Int32Array(terms);
    this.totalCount = new Float64Array(terms);
  }

  /**
   * Adds another table's tallies (a thread's share of the books): document frequencies and totals
   * add up exactly, whatever the order. Gives each of the other's terms' number here.
   */
  merge(other: TallyParts): Int32Array {
    const { bytes, starts, lengths, hashes, docFreq, totalCount } = other;
    const numbers = new Int32Array(other.size);
    for (let id = 0; id < other.size; id++) {
      const start = starts[id];
      const end = start + lengths[id];
      let own = this.find(bytes, start, end, hashes[id]);
      if (own < 0) own = this.insert(bytes, start, end, hashes[id]);
      this.docFreq[own] += docFreq[id];
      this.totalCount[own] += totalCount[id];
      numbers[id] = own;
    }
    return numbers;
  }

  /** The table's contents as plain arrays, trimmed, to send to another thread (see merge). */
  parts(): TallyParts {
    return {
      size: this.size,
      bytes: this.bytes.slice(0, this.used),
      starts: this.starts.slice(0, this.size),
      lengths: this.lengths.slice(0, this.size),
      hashes: this.hashes.slice(0, this.size),
      docFreq: this.docFreq.slice(0, this.size),
      totalCount: this.totalCount.slice(0, this.size),
    };
  }

  /** These terms only (by number), numbered 0.. in the order given: the kept vocabulary, each term numbered by its column. */
  subset(ids: ArrayLike<number>): TallyParts {
    const table = new ByteTermTable(capacityFor(ids.length));
    for (let col = 0; col < ids.length; col++) {
      const id = ids[col];
      const start = this.starts[id];
      table.insert(this.bytes, start, start + this.lengths[id], this.hashes[id]);
    }
    return table.parts();
  }

  /** A table of the terms in `parts`, numbered as there (counts left at 0). */
  static of(parts: TallyParts): ByteTermTable {
    const table = new ByteTermTable(capacityFor(parts.size));
    for (let id = 0; id < parts.size; id++) table.insert(parts.bytes, parts.starts[id], parts.starts[id] + parts.lengths[id], parts.hashes[id]);
    return table;
  }

  /** The number of the term in buf[start..end), -1 if never added. */
  find(buf: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot];
      if (entry === 0) return -1;
      if (slots[2 * slot + 1] !== hash) continue;
      const id = entry - 1;
      if (this.lengths[id] !== length) continue;
      const bytes = this.bytes;
      let at = this.starts[id];
      let i = start;
      while (i < end && bytes[at] === buf[i]) {
        at++;
        i++;
      }
      if (i === end) return id;
    }
  }

  /** Counts `count` occurrences of the term in buf[start..end) in one more document; gives the term's number. */
  add(buf: Uint8Array, start: number, end: number, hash: number, count: number): number {
    let id = this.find(buf, start, end, hash);
    if (id < 0) id = this.insert(buf, start, end, hash);
    this.docFreq[id]++;
    this.totalCount[id] += count;
    return id;
  }

  /** Every term as a string, by number. */
  terms(): string[] {
    const decoder = new TextDecoder();
    return Array.from({ length: this.size }, (_, id) => decoder.decode(this.bytes.subarray(this.starts[id], this.starts[id] + this.lengths[id])));
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
    if (this.size * 2 > this.slots.length >> 1) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = (this.slots.length >> 1) - 1;
    let slot = this.hashes[id] & mask;
    while (this.slots[2 * slot] !== 0) slot = (slot + 1) & mask;
    this.slots[2 * slot] = id + 1;
    this.slots[2 * slot + 1] = this.hashes[id];
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

/** A table's terms and tallies as plain arrays (ByteTermTable.parts), what a thread sends back. */
export interface TallyParts {
  size: number;
  /** Every term's UTF-8 bytes, one after another. */
  bytes: Uint8Array;
  starts: Int32Array;
  lengths: Int32Array;
  hashes: Int32Array;
  docFreq: Int32Array;
  totalCount: Float64Array;
}

/** The smallest power of two of at least `terms` and 16. */
function capacityFor(terms: number): number {
  let size = 16;
  while (size < terms) size *= 2;
  return size;
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
function readDocument(
  buf: Uint8Array,
  from: number,
  to: number,
  table: ByteTermTable,
  mode: number,
  columnOfId: Int32Array,
  out: RowScratch,
  record: TermRecord | null,
): number {
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
      if (mode === TALLY) {
        const id = table.add(buf, start, end, hash, count);
        if (record) record.push(id, count);
      } else {
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
export class RowScratch {
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
 * A blob's documents tallied into `table` (a first pass); gives their number. With `record`,
 * each document's terms (their numbers in `table`) and counts are also kept there, in the
 * order readDocument reads them, so a second pass can weigh them without reading the blob again.
 */
export function tallyBlob(blob: Uint8Array, table: ByteTermTable, scratch: RowScratch, record: TermRecord | null = null): number {
  return forEachDocument(blob, (from, to) => {
    readDocument(blob, from, to, table, TALLY, NO_COLUMNS, scratch, record);
    record?.endDocument();
  });
}

/** A count at or past this is kept apart (TermRecord.large): the rest take one byte each. */
const LARGE_COUNT = 255;

/** A resizable ArrayBuffer (ES2024; Node 20 has them), which ES2023's types do not know. */
interface ResizableBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}

/**
 * Documents as read by a first pass, each a list of (term number, count) for the terms with a
 * count above 0, in the blob's order: what readDocument's KEEP mode would find in them, less the
 * vocabulary lookup. Counts below LARGE_COUNT take a byte; larger ones, rare, are kept whole, in
 * order, in `large`. Five bytes a term: the 10,000-book library's 34 million take 170 MB.
 *
 * Each batch's record (take) is copied into one slab of `slabBytes`, from its top down, and the
 * second pass, which weighs them in the same order, shrinks the slab past each one it is done
 * with (release): the pages go back to the system then and there, so the rows being made take
 * their place. Copies allocated one by one came from the thread's malloc arena, which kept the
 * memory after they were let go: the 10,000-book cluster command peaked ~170 MB higher for the
 * rest of its run. The slab's untouched pages take no memory.
 */
export class TermRecord {
  ids = new Int32Array(1 << 16);
  counts = new Uint8Array(1 << 16);
  large: number[] = [];
  /** Where each document's terms end. */
  documentEnds: number[] = [];
  used = 0;
  private slab: ResizableBuffer | null = null;
  /** The slab's bytes from here up are taken. */
  private top = 0;

  constructor(private readonly slabBytes: number) {}

  push(id: number, count: number): void {
    if (this.used === this.ids.length) this.reserve(this.used + 1);
    this.ids[this.used] = id;
    if (count >= LARGE_COUNT) {
      this.counts[this.used] = LARGE_COUNT;
      this.large.push(count);
    } else this.counts[this.used] = count;
    this.used++;
  }

  private reserve(terms: number): void {
    let size = this.ids.length;
    while (size < terms) size *= 2;
    if (size === this.ids.length) return;
    const ids = new Int32Array(size);
    ids.set(this.ids.subarray(0, this.used));
    this.ids = ids;
    const counts = new Uint8Array(size);
    counts.set(this.counts.subarray(0, this.used));
    this.counts = counts;
  }

  endDocument(): void {
    this.documentEnds.push(this.used);
  }

  /** What was recorded, copied into the slab, and a fresh start; null (the record dropped) when the slab has no room for it. */
  take(): RecordedTerms | null {
    const used = this.used;
    const bytes = used * 5 + ((4 - ((used * 5) & 3)) & 3); // ids, then counts, then padding to 4
    if (!this.slab && this.slabBytes > 0) {
      this.slab = makeResizable(this.slabBytes);
      this.top = this.slabBytes;
    }
    if (!this.slab || bytes > this.top) {
      this.clear();
      return null;
    }
    this.top -= bytes;
    new Int32Array(this.slab, this.top, used).set(this.ids.subarray(0, used));
    new Uint8Array(this.slab, this.top + used * 4, used).set(this.counts.subarray(0, used));
    const taken = { at: this.top, bytes, terms: used, large: Float64Array.from(this.large), documentEnds: Int32Array.from(this.documentEnds) };
    this.clear();
    return taken;
  }

  /**
   * A taken record back as plain arrays (this record's own, good until its next use), and the
   * slab shrunk past it when it is the slab's last (taken first, released first: the order the
   * passes use them in).
   */
  release(recorded: RecordedTerms): { ids: Int32Array; counts: Uint8Array; large: Float64Array; documentEnds: Int32Array } {
    const { at, terms } = recorded;
    this.clear();
    this.reserve(terms);
    this.ids.set(new Int32Array(this.slab!, at, terms));
    this.counts.set(new Uint8Array(this.slab!, at + terms * 4, terms));
    // below the last record taken the slab was never written: with it, it all goes
    if (at + recorded.bytes === this.slab!.byteLength) this.slab!.resize(at === this.top ? 0 : at);
    return { ids: this.ids.subarray(0, terms), counts: this.counts.subarray(0, terms), large: recorded.large, documentEnds: recorded.documentEnds };
  }

  clear(): void {
    this.used = 0;
    this.large = [];
    this.documentEnds = [];
  }

  /** The slab's length: what its records may still hold (tests look). */
  get slabLength(): number {
    return this.slab?.byteLength ?? 0;
  }
}

/** A resizable buffer of `bytes` at its full length (its pages taken only as they are written). */
function makeResizable(bytes: number): ResizableBuffer {
  const make = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ResizableBuffer;
  return new make(bytes, { maxByteLength: bytes });
}

/** A record as TermRecord.take leaves it: its terms' numbers and counts in the slab, at `at`. */
export interface RecordedTerms {
  at: number;
  bytes: number;
  terms: number;
  large: Float64Array;
  documentEnds: Int32Array;
}

/**
 * Recorded documents (TermRecord) weighed into rows of `builder`, as weighBlob weighs the blobs
 * they were read from: `columnOfId` gives each recorded term's column (-1: not in the vocabulary).
 * The same columns and counts in the same order reach weighInto, so the rows are the same bits.
 */
export function weighRecorded(recorded: ReturnType<TermRecord['release']>, columnOfId: Int32Array, w: Weighing, scratch: RowScratch, builder: CsrBuilder): number {
  const { ids, counts, large, documentEnds } = recorded;
  let at = 0;
  let nextLarge = 0;
  for (let d = 0; d < documentEnds.length; d++) {
    const end = documentEnds[d];
    let used = 0;
    for (; at < end; at++) {
      let count = counts[at];
      if (count === LARGE_COUNT) count = large[nextLarge++];
      const col = columnOfId[ids[at]];
      if (col < 0) continue;
      if (used === scratch.columns.length) scratch.grow();
      scratch.columns[used] = col;
      scratch.counts[used] = count;
      used++;
    }
    const { indices, scale } = weighInto(scratch.columns, scratch.counts, used, w.idf, w.resolved, w.weights);
    builder.push(indices, w.weights, used, scale);
  }
  return documentEnds.length;
}

/**
 * What a second pass needs to weigh a document: the kept terms (numbered by column) and their
 * idf, as fitFromTally fitted them.
 */
export interface Weighing {
  vocabulary: ByteTermTable;
  /** Column c's own number in `vocabulary` is c. */
  identity: Int32Array;
  idf: Float64Array;
  resolved: Required<TfidfOptions>;
  /** Scratch of the vocabulary's size. */
  weights: Float64Array;
}

export function weighing(vocabulary: TallyParts, idf: Float64Array, resolved: Required<TfidfOptions>): Weighing {
  return { vocabulary: ByteTermTable.of(vocabulary), identity: Int32Array.from({ length: vocabulary.size }, (_, i) => i), idf, resolved, weights: new Float64Array(vocabulary.size) };
}

/** A blob's documents weighed into rows of `builder` (a second pass); gives their number. */
export function weighBlob(blob: Uint8Array, w: Weighing, scratch: RowScratch, builder: CsrBuilder): number {
  return forEachDocument(blob, (from, to) => {
    const used = readDocument(blob, from, to, w.vocabulary, KEEP, w.identity, scratch, null);
    const { indices, scale } = weighInto(scratch.columns, scratch.counts, used, w.idf, w.resolved, w.weights);
    builder.push(indices, w.weights, used, scale);
  });
}

const NO_COLUMNS = new Int32Array(0);

/**
 * One pass over the books' count blobs: calls `visit` with each blob (encodeCounts or
 * encodeCountsList bytes) in the same order every time; `visit` gives the number of documents
 * the blob held. A blob may be dropped as soon as `visit` returns.
 */
export type BlobPasses = (visit: (blob: Uint8Array) => number) => Promise<void> | void;

/**
 * The model fitted from a first pass's tally, and how a second pass weighs documents by it.
 * The second pass looks terms up in a table of the kept vocabulary only (its own bytes, taken
 * from `table`), which stays in cache where the table of every distinct term does not.
 */
export function fitWeighing(
  table: ByteTermTable,
  documents: number,
  options: TfidfOptions | ((documents: number) => TfidfOptions),
): { model: FittedTfidf; vocabularyParts: TallyParts; resolved: Required<TfidfOptions>; selected: Int32Array } {
  const { model, resolved, selected } = fitFromTally({ terms: table.terms(), docFreq: table.docFreq, totalCount: table.totalCount }, documents, options);
  return { model, vocabularyParts: table.subset(selected), resolved, selected };
}

/**
 * fitTransformTfidfInPasses over cached count blobs: the same vocabulary, idf and CSR rows as
 * over the documents decodeCounts / decodeCountsList makes of them, one row per document.
 * This thread alone; features/parallel.ts shares the same work among threads.
 */
export async function fitTransformTfidfFromBlobs(
  passes: BlobPasses,
  options: TfidfOptions | ((documents: number) => TfidfOptions),
): Promise<{ model: FittedTfidf; csr: CsrRows; documents: number }> {
  if (typeof options !== 'function') resolveOptions(options); // refuse bad options before reading
  const table = new ByteTermTable();
  let documents = 0;
  const scratch = new RowScratch();
  await passes((blob) => {
    const held = tallyBlob(blob, table, scratch);
    documents += held;
    return held;
  });
  const { model, vocabularyParts, resolved } = fitWeighing(table, documents, options);
  const w = weighing(vocabularyParts, model.idf, resolved);
  const builder = new CsrBuilder();
  let seen = 0;
  await passes((blob) => {
    const held = weighBlob(blob, w, scratch, builder);
    seen += held;
    return held;
  });
  if (seen !== documents) {
    throw new ShelfmapError('internal', `The second pass over the documents saw ${seen} of them, the first ${documents}.`);
  }
  return { model, csr: builder.finish(), documents };
}
