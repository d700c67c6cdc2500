// Generates N Gutenberg-style books from the corpus, seeded: each takes a genre, a real header
// and licence from a corpus book of that genre (with a new title, author and eBook number above
// 100000), and a body stitched from runs of real paragraphs of that genre's books, sized like a
// corpus book picked at random (times 0.6-1.4). The books lie in nested folders, in mixed
// encodings (see encode.ts), with a few bad files whose expected rejection the manifest gives.
// Everything is written into "<out>.partial-<pid>" and renamed to <out> once complete.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statfsSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { csvField } from '../../src-shared/csv';
import { createRandom } from '../../src-main/engine/random';
import type { DonorBook, GenreMaterial, ScaleCorpus } from './corpus';
import { declaredCharset, encodeText, pickEncoding, representable, type ScaleEncoding } from './encode';
import { readsBack, rewriteFrame, type NewIdentity } from './header';

/** The first generated book's eBook number; bad files follow the books. */
export const FIRST_EBOOK_ID = 100001;

export const MANIFEST_COLUMNS = ['path', 'ebook_id', 'genre', 'encoding', 'expected', 'duplicate_of'] as const;

/** 'ok' for a book Shelfmap should add, else the reject reason it should give. */
export type Expected = 'ok' | 'empty' | 'binary' | 'html' | 'too-short' | 'duplicate';

export interface ManifestRow {
  /** Relative to the generated folder, with "/". */
  path: string;
  ebookId: number | null;
  genre: string;
  encoding: ScaleEncoding | 'binary' | '';
  expected: Expected;
  /** For a duplicate: the path of the book it copies. */
  duplicateOf: string;
  /** Title and author as written in the header ('' for files without one). */
  title: string;
  author: string;
}

export interface GenerateOptions {
  books: number;
  seed: number;
  /** The folder to create; it must not exist yet. */
  out: string;
  corpus: ScaleCorpus;
  /** Called every 100 books and at the end. */
  onProgress?: (done: number, total: number, bytes: number) => void;
}

export interface GenerateResult {
  folder: string;
  rows: ManifestRow[];
  /** Bytes written, bad files included. */
  bytes: number;
}

/** How many of each kind of bad file: one per 1000 books, at least one. */
export function badFilesPerKind(books: number): number {
  return Math.max(1, Math.round(books / 1000));
}

const FIRST_NAMES = [
  'Agnes', 'Arthur', 'Beatrice', 'Cecil', 'Clara', 'Cyril', 'Dorothea', 'Edmund', 'Eleanor', 'Émile', 'Florence', 'Gareth',
  'Hélène', 'Horace', 'Ida', 'Jasper', 'Jules', 'Lavinia', 'Lionel', 'Mabel', 'Matilda', 'Nigel', 'Octavia', 'Percival',
  'Rosalind', 'Rupert', 'Søren', 'Theodora', 'Ulrich', 'Violet', 'Walter', 'Zoë',
];
const SURNAMES = [
  'Ashdown', 'Blackwood', 'Brontë', 'Carraway', 'Dalloway', 'Ellery', 'Fairfax', 'Grantham', 'Hale', 'Ingram', 'Jessop',
  'Kettering', 'Lockhart', 'Marlowe', 'Müller', 'Northcott', 'Oakley', 'Penhallow', 'Quill', 'Ravenscroft', 'Sedley',
  'Thorne', 'Underhill', 'Vance', 'Whitlock', 'Yardley',
];
const TITLE_FORMS: ReadonlyArray<(a: string, b: string) => string> = [
  (a, b) => `The ${a} of ${b}`,
  (a, b) => `${a} and ${b}`,
  (a, b) => `The ${a} at ${b}`,
  (a, b) => `${a}, or the ${b}`,
  (a) => `The ${a}`,
  (a, b) => `A ${a} in ${b}`,
];

interface GenreTools {
  material: GenreMaterial;
  /** Donors whose rewritten header reads back exactly. */
  donors: DonorBook[];
  /** Capitalised ASCII words of the genre's text, for titles. */
  titleWords: string[];
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

function prepareGenre(material: GenreMaterial): GenreTools {
  const probe: NewIdentity = { title: 'The Probe of Shelfmap', author: 'Ann Probe', ebookId: 999999 };
  const donors = material.books.filter((book) => {
    if (book.paragraphs.length < 20) return false;
    const body = book.paragraphs.slice(0, 3).join('\n\n').trim();
    return readsBack(rewriteFrame(book, probe, 'UTF-8'), probe, body);
  });
  const words = new Set<string>();
  for (const book of material.books) {
    for (const p of book.paragraphs.slice(0, 400)) for (const w of p.match(/\b[A-Z][a-z]{4,10}\b/g) ?? []) words.add(w);
  }
  return { material, donors, titleWords: [...words].sort() };
}

/** A genre's paragraphs stitched into a body of at least `chars` characters: runs of 3-30 consecutive paragraphs of random books. */
function stitchBody(material: GenreMaterial, chars: number, random: () => number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const book = pick(material.books, random);
    if (book.paragraphs.length === 0) continue;
    const start = Math.floor(random() * book.paragraphs.length);
    const run = 3 + Math.floor(random() * 28);
    for (let i = start; i < Math.min(book.paragraphs.length, start + run) && length < chars; i++) {
      parts.push(book.paragraphs[i]);
      length += book.paragraphs[i].length + 2;
    }
  }
  return parts.join('\n\n').trim();
}

/** Tries stitchBody takes to find a body no earlier book has, before it keeps one that repeats. */
const DISTINCT_BODY_TRIES = 20;

/**
 * stitchBody, again while the body is one an earlier book already has (`seen`: their SHA-1s):
 * two short books can be stitched from the same run of paragraphs, and the import then rightly
 * takes the second for a duplicate (it happened once in 70,000 books). Draws from `random` only
 * when a body repeats, so folders without a repeat come out as before.
 */
export function stitchDistinctBody(material: GenreMaterial, chars: number, random: () => number, seen: Set<string>): string {
  let body = stitchBody(material, chars, random);
  for (let tries = 1; tries < DISTINCT_BODY_TRIES && seen.has(sha1(body)); tries++) body = stitchBody(material, chars, random);
  seen.add(sha1(body));
  return body;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

class UniqueNames {
  private readonly titles = new Set<string>();
  private readonly authors = new Set<string>();

  title(words: string[], id: number, random: () => number): string {
    for (let attempt = 0; attempt < 40; attempt++) {
      const title = pick(TITLE_FORMS, random)(pick(words, random), pick(words, random));
      if (!this.titles.has(title)) {
        this.titles.add(title);
        return title;
      }
    }
    const title = `${pick(TITLE_FORMS, random)(pick(words, random), pick(words, random))}, Volume ${id}`;
    this.titles.add(title);
    return title;
  }

  author(id: number, random: () => number): string {
    for (let attempt = 0; attempt < 40; attempt++) {
      const initial = String.fromCharCode(65 + Math.floor(random() * 26));
      const author = `${pick(FIRST_NAMES, random)} ${initial}. ${pick(SURNAMES, random)}`;
      if (!this.authors.has(author)) {
        this.authors.add(author);
        return author;
      }
    }
    const author = `${pick(FIRST_NAMES, random)} ${pick(SURNAMES, random)} ${id}`;
    this.authors.add(author);
    return author;
  }
}

/** Nested folders: a tenth of the books at the top, the rest one or two levels down. */
function bookFolder(books: number, random: () => number): string {
  const r = random();
  const shelves = Math.max(1, Math.ceil(books / 250));
  const shelf = `shelf-${String(Math.floor(random() * shelves) + 1).padStart(3, '0')}`;
  if (r < 0.1) return '';
  if (r < 0.4) return shelf;
  return `${shelf}/box-${String(Math.floor(random() * 12) + 1).padStart(2, '0')}`;
}

/** Writes with at most `limit` files in flight. */
class Writer {
  private readonly pending = new Set<Promise<void>>();
  private readonly folders = new Set<string>();
  bytes = 0;

  constructor(
    private readonly root: string,
    private readonly limit = 8,
  ) {}

  async write(relative: string, bytes: Uint8Array): Promise<void> {
    const file = join(this.root, relative);
    const folder = dirname(file);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    this.bytes += bytes.length;
    const job: Promise<void> = writeFile(file, bytes).then(() => {
      this.pending.delete(job);
    });
    this.pending.add(job);
    if (this.pending.size >= this.limit) await Promise.race(this.pending);
  }

  async flush(): Promise<void> {
    await Promise.all(this.pending);
  }
}

export function manifestCsv(rows: readonly ManifestRow[]): string {
  const lines = rows.map((r) =>
    [r.path, r.ebookId === null ? '' : String(r.ebookId), r.genre, r.encoding, r.expected, r.duplicateOf].map(csvField).join(','),
  );
  return [MANIFEST_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

/** Frees space needed for `books` generated books, roughly (bad files are small). */
export function bytesNeeded(books: number, corpus: ScaleCorpus): number {
  return Math.ceil(books * corpus.medianBytes * 1.3);
}

export async function generateScaleBooks(options: GenerateOptions): Promise<GenerateResult> {
  const { books, seed, corpus } = options;
  const out = resolve(options.out);
  if (existsSync(out)) throw new Error(`${out} already exists: give a new folder, or remove it first.`);
  mkdirSync(dirname(out), { recursive: true });
  const free = statfsSync(dirname(out));
  const needed = bytesNeeded(books, corpus);
  if (free.bavail * free.bsize < needed) {
    throw new Error(`${dirname(out)} has ${(free.bavail * free.bsize / 1e9).toFixed(1)} GB free; ${books} books need about ${(needed / 1e9).toFixed(1)} GB.`);
  }
  const tools = corpus.genres.map(prepareGenre).filter((g) => g.donors.length > 0);
  if (tools.length === 0) throw new Error(`No corpus book in ${corpus.folder} has a header the generator can reuse.`);

  const partial = `${out}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const writer = new Writer(partial);
  const random = createRandom(seed);
  const names = new UniqueNames();
  const rows: ManifestRow[] = [];
  const perKind = badFilesPerKind(books);
  // the books the duplicates copy, chosen up front so their bodies can be kept
  const badRandom = createRandom(seed ^ 0x5bd1e995);
  const copied = new Set<number>();
  while (copied.size < Math.min(perKind, books)) copied.add(Math.floor(badRandom() * books));
  const keptBodies = new Map<number, { body: string; row: ManifestRow; tools: GenreTools }>();
  const bodies = new Set<string>();

  try {
    for (let i = 0; i < books; i++) {
      const genre = pick(tools, random);
      const ebookId = FIRST_EBOOK_ID + i;
      const identity: NewIdentity = { title: names.title(genre.titleWords, ebookId, random), author: names.author(ebookId, random), ebookId };
      const encoding = pickEncoding(random);
      const donor = pick(genre.donors, random);
      const frame = rewriteFrame(donor, identity, declaredCharset(encoding));
      const target = pick(genre.material.books, random).bytes * (0.6 + 0.8 * random());
      const body = stitchDistinctBody(genre.material, Math.max(20_000, target - frame.preamble.length - frame.footer.length), random, bodies);
      const folder = bookFolder(books, random);
      const name = random() < 0.1 ? `${slug(identity.title)}-${ebookId}.txt` : `pg${ebookId}.txt`;
      const path = folder === '' ? name : `${folder}/${name}`;
      const text = representable(frame.preamble + body + frame.footer, encoding);
      await writer.write(path, encodeText(text, encoding));
      const row: ManifestRow = { path, genre: genre.material.genre, encoding, expected: 'ok', duplicateOf: '', ...identity };
      rows.push(row);
      // the copy must hold the text as the original's file holds it
      if (copied.has(i)) keptBodies.set(i, { body: representable(body, encoding), row, tools: genre });
      if ((i + 1) % 100 === 0) options.onProgress?.(i + 1, books, writer.bytes);
    }
    await writeBadFiles(writer, rows, keptBodies, perKind, books, tools, names, badRandom);
    await writer.flush();
    rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    await writeFile(join(partial, 'manifest.csv'), manifestCsv(rows));
    renameSync(partial, out);
  } catch (error) {
    await writer.flush().catch(() => undefined);
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  options.onProgress?.(books, books, writer.bytes);
  return { folder: out, rows, bytes: writer.bytes };
}

/** Empty files, binary files, HTML pages, too-short texts and duplicates, `perKind` of each. */
async function writeBadFiles(
  writer: Writer,
  rows: ManifestRow[],
  kept: Map<number, { body: string; row: ManifestRow; tools: GenreTools }>,
  perKind: number,
  books: number,
  tools: GenreTools[],
  names: UniqueNames,
  random: () => number,
): Promise<void> {
  let nextId = FIRST_EBOOK_ID + books;
  const bad = (path: string, expected: Expected, extra: Partial<ManifestRow> = {}): ManifestRow => ({
    path,
    ebookId: null,
    genre: '',
    encoding: '',
    expected,
    duplicateOf: '',
    title: '',
    author: '',
    ...extra,
  });
  for (let k = 1; k <= perKind; k++) {
    await writer.write(`incoming/empty-${k}.txt`, new Uint8Array(0));
    rows.push(bad(`incoming/empty-${k}.txt`, 'empty'));

    // a zip archive renamed .txt: its header, then noise with NUL bytes
    const binary = new Uint8Array(8192 + Math.floor(random() * 57344));
    for (let b = 0; b < binary.length; b++) binary[b] = Math.floor(random() * 256);
    binary.set([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00], 0);
    await writer.write(`incoming/scan-${k}.txt`, binary);
    rows.push(bad(`incoming/scan-${k}.txt`, 'binary', { encoding: 'binary' }));

    const htmlGenre = pick(tools, random);
    const htmlTitle = names.title(htmlGenre.titleWords, nextId, random);
    const html =
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${htmlTitle}</title>\n</head>\n<body>\n<h1>${htmlTitle}</h1>\n` +
      stitchBody(htmlGenre.material, 20_000, random)
        .split('\n\n')
        .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
        .join('\n') +
      '\n</body>\n</html>\n';
    await writer.write(`incoming/page-${k}.txt`, Buffer.from(html, 'utf8'));
    rows.push(bad(`incoming/page-${k}.txt`, 'html', { genre: htmlGenre.material.genre, encoding: 'utf-8' }));

    const shortGenre = pick(tools, random);
    const shortId: NewIdentity = { title: names.title(shortGenre.titleWords, nextId, random), author: names.author(nextId, random), ebookId: nextId++ };
    const shortFrame = rewriteFrame(pick(shortGenre.donors, random), shortId, 'UTF-8');
    const shortBody = 'A note left on the shelf: this volume is missing its pages, which are being restored.';
    await writer.write(`incoming/pg${shortId.ebookId}.txt`, Buffer.from(shortFrame.preamble + shortBody + shortFrame.footer, 'utf8'));
    rows.push(bad(`incoming/pg${shortId.ebookId}.txt`, 'too-short', { genre: shortGenre.material.genre, encoding: 'utf-8', ...shortId }));
  }
  // a second copy of a book under another header, number and encoding: same text, so a duplicate;
  // its folder sorts after every other, so the copy (not the original) is the one left out
  for (const { body, row, tools: genre } of [...kept.values()].sort((a, b) => (a.row.path < b.row.path ? -1 : 1))) {
    const identity: NewIdentity = { title: names.title(genre.titleWords, nextId, random), author: names.author(nextId, random), ebookId: nextId++ };
    const encoding: ScaleEncoding = row.encoding === 'utf-8' ? 'utf-8-crlf' : 'utf-8';
    const frame = rewriteFrame(pick(genre.donors, random), identity, declaredCharset(encoding));
    const path = `zz-copies/pg${identity.ebookId}.txt`;
    await writer.write(path, encodeText(representable(frame.preamble + body + frame.footer, encoding), encoding));
    rows.push(bad(path, 'duplicate', { genre: row.genre, encoding, duplicateOf: row.path, ...identity }));
  }
}
