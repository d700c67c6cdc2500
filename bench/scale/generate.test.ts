// The scale generator at small N on the real corpus: the same seed gives the same bytes, the
// manifest lists exactly the files written, every book reads back through the app's own reader
// (decoder, Gutenberg splitter, metadata) as the manifest says, and the bad files are rejected
// for the reasons the manifest gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseCsv } from '../../src-shared/csv';
import { decodeText } from '../../src-main/engine/library/decode';
import { readBook } from '../../src-main/engine/library/read-book';
import { bookFingerprint } from '../../src-main/engine/library/fingerprint';
import { corpusFolder, hasCorpus, loadScaleCorpus, type ScaleCorpus } from './corpus';
import { FIRST_EBOOK_ID, MANIFEST_COLUMNS, badFilesPerKind, generateScaleBooks, stitchDistinctBody } from './generate';
import { createRandom } from '../../src-main/engine/random';
import type { GenreMaterial } from './corpus';
import { encodeText, representable } from './encode';

const CORPUS = corpusFolder(resolve(__dirname, '..', '..'));
const present = hasCorpus(CORPUS);
if (!present) console.warn(`Skipping the scale generator's corpus tests: no corpus at ${CORPUS}.`);

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function digest(root: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(root)) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

describe('encodings', () => {
  it('writes Windows-1252 quotes as their bytes and Latin-1 without them, both read back by the app', () => {
    const text = 'He said \u201cna\u00efve\u201d \u2014 it\u2019s 5\u20ac.\n';
    const cp1252 = representable(text, 'windows-1252');
    expect(cp1252).toBe(text);
    const bytes = encodeText(cp1252, 'windows-1252');
    expect([...bytes.subarray(8, 9)]).toEqual([0x93]);
    expect(decodeText(bytes)).toEqual({ text, encoding: 'windows-1252' });
    const latin1 = representable(text, 'iso-8859-1');
    expect(latin1).toBe('He said "na\u00efve" -- it\'s 5?.\n');
    expect(decodeText(encodeText(latin1, 'iso-8859-1')).text).toBe(latin1);
    for (const encoding of ['utf-16le', 'utf-16be', 'utf-8-bom', 'utf-8-crlf'] as const) {
      expect(decodeText(encodeText(text, encoding))).toEqual({ text, encoding: encoding.startsWith('utf-16') ? encoding : 'utf-8' });
    }
  });
});

describe('stitchDistinctBody', () => {
  // one donor of 40 short paragraphs and bodies of a few paragraphs: repeats are common
  const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} of the only donor, long enough to count.`);
  const material: GenreMaterial = {
    genre: 'test',
    books: [{ file: 'donor.txt', genre: 'test', bytes: 4000, preamble: '', footer: '', title: 'Donor', author: 'Nobody', ebookId: null, paragraphs }],
  };
  const bodies = (distinct: boolean) => {
    const random = createRandom(7);
    const seen = new Set<string>();
    return Array.from({ length: 25 }, () => (distinct ? stitchDistinctBody(material, 100, random, seen) : stitchDistinctBody(material, 100, random, new Set())));
  };

  it('stitches no body an earlier book has, where the plain stitching repeats some', () => {
    expect(new Set(bodies(false)).size).toBeLessThan(25);
    expect(new Set(bodies(true)).size).toBe(25);
  });
});

describe.skipIf(!present)('generateScaleBooks on the corpus', () => {
  let corpus: ScaleCorpus;
  let dir: string;
  const BOOKS = 40;

  beforeAll(() => {
    corpus = loadScaleCorpus(CORPUS);
    dir = mkdtempSync(join(tmpdir(), 'shelfmap-scale-gen-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a folder that exists', async () => {
    await expect(generateScaleBooks({ books: 2, seed: 1, out: dir, corpus })).rejects.toThrow(/already exists/);
  });

  it('gives the same files for the same seed and others for another seed', async () => {
    const a = await generateScaleBooks({ books: 12, seed: 7, out: join(dir, 'a'), corpus });
    const b = await generateScaleBooks({ books: 12, seed: 7, out: join(dir, 'b'), corpus });
    const c = await generateScaleBooks({ books: 12, seed: 8, out: join(dir, 'c'), corpus });
    expect(digest(a.folder)).toBe(digest(b.folder));
    expect(digest(a.folder)).not.toBe(digest(c.folder));
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('writes the files its manifest lists, read by the app as the manifest says', async () => {
    const result = await generateScaleBooks({ books: BOOKS, seed: 1, out: join(dir, 'books'), corpus });
    const text = readFileSync(join(result.folder, 'manifest.csv'), 'utf8');
    const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
    expect(header).toEqual([...MANIFEST_COLUMNS]);
    const col = (name: (typeof MANIFEST_COLUMNS)[number]) => header.indexOf(name);
    expect(rows.map((r) => r[col('path')]).sort()).toEqual(listFiles(result.folder).filter((f) => f !== 'manifest.csv'));
    expect(rows.length).toBe(BOOKS + 5 * badFilesPerKind(BOOKS));

    const byPath = new Map(result.rows.map((r) => [r.path, r]));
    const genres = new Set(corpus.genres.map((g) => g.genre));
    const encodings = new Set<string>();
    const fingerprints = new Map<string, string>();
    const ids = new Set<number>();
    for (const row of rows) {
      const path = row[col('path')];
      const expected = row[col('expected')];
      const read = await readBook(join(result.folder, path));
      const written = byPath.get(path)!;
      if (expected === 'ok' || expected === 'duplicate') {
        expect(read.ok, `${path}: ${read.ok ? '' : read.rejected.message}`).toBe(true);
        if (!read.ok) continue;
        expect(genres.has(row[col('genre')])).toBe(true);
        expect(read.book.ebookId).toBe(Number(row[col('ebook_id')]));
        expect(read.book.ebookId).toBeGreaterThanOrEqual(FIRST_EBOOK_ID);
        expect(ids.has(read.book.ebookId!)).toBe(false);
        ids.add(read.book.ebookId!);
        expect(read.book.title).toBe(written.title);
        expect(read.book.author).toBe(written.author);
        expect(read.book.words).toBeGreaterThan(1000);
        encodings.add(row[col('encoding')]);
        if (expected === 'ok') fingerprints.set(path, read.book.fingerprint);
        else expect(fingerprints.get(row[col('duplicate_of')])).toBe(read.book.fingerprint);
      } else {
        expect(read.ok, path).toBe(false);
        if (!read.ok) expect(read.rejected.reason).toBe(expected);
      }
    }
    // no two books share a text: only the duplicates do
    expect(new Set(fingerprints.values()).size).toBe(fingerprints.size);
    expect(encodings.has('utf-8')).toBe(true);
    expect(encodings.size).toBeGreaterThan(3);
    // nested folders
    expect(rows.some((r) => r[col('path')].split('/').length >= 3)).toBe(true);
    expect(statSync(join(result.folder, 'manifest.csv')).size).toBeGreaterThan(0);
  });

  it('decodes every encoding back to the text it wrote', async () => {
    const result = await generateScaleBooks({ books: 60, seed: 3, out: join(dir, 'enc'), corpus });
    const seen = new Set<string>();
    for (const row of result.rows.filter((r) => r.expected === 'ok')) {
      const bytes = readFileSync(join(result.folder, row.path));
      const { text } = decodeText(bytes);
      // the encoding chosen is the one the bytes carry
      if (row.encoding === 'utf-16le') expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
      if (row.encoding === 'utf-16be') expect([...bytes.subarray(0, 2)]).toEqual([0xfe, 0xff]);
      if (row.encoding === 'utf-8-crlf') expect(bytes.includes('\r\n')).toBe(true);
      if (row.encoding === 'utf-8') expect(bytes.includes('\r')).toBe(false);
      // re-encoding the decoded text gives the file's bytes back: nothing was lost or misread
      expect(encodeText(text, row.encoding as Parameters<typeof encodeText>[1]).equals(bytes), row.path).toBe(true);
      expect(bookFingerprint(text).length).toBeGreaterThan(0);
      seen.add(row.encoding);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });
});
