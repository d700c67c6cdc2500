// The material the scale generator stitches books from: each corpus book's header (everything
// before its body, start marker and producers' credits included), its licence (everything after
// the body), its file size, and its body's paragraphs, grouped by the manifest's genre. Every
// file is read through the app's own decoder and Gutenberg splitter, so the pieces are what
// Shelfmap itself sees.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsv } from '../../src-shared/csv';
import { decodeText } from '../../src-main/engine/library/decode';
import { readMetadata, stripGutenberg } from '../../src-main/engine/library/gutenberg';

export interface DonorBook {
  /** The corpus file, relative to the corpus folder. */
  file: string;
  genre: string;
  /** The file's size in bytes. */
  bytes: number;
  /** Text before the body (LF line ends). */
  preamble: string;
  /** Text after the body: the end marker and the licence. */
  footer: string;
  /** Title and author as Shelfmap reads them from the header, and the eBook number. */
  title: string;
  author: string;
  ebookId: number | null;
  paragraphs: string[];
}

export interface GenreMaterial {
  genre: string;
  books: DonorBook[];
}

export interface ScaleCorpus {
  folder: string;
  genres: GenreMaterial[];
  /** Median file size of the corpus, bytes. */
  medianBytes: number;
}

// A paragraph that would end the body early, or be cut as producers' credits, if it came first.
const NOT_BODY = /project gutenberg|small print|full licen[cs]e|^\s*(?:produced by|e-?text|transcribed|scanned)/im;

/** Paragraphs of a body: runs of lines between blank lines, blank-only ones dropped. */
export function paragraphsOf(body: string): string[] {
  return body
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\n+|\s+$/g, ''))
    .filter((p) => p.trim() !== '' && !NOT_BODY.test(p));
}

/** The corpus folder beside the project (../shared/corpus/gutenberg), or `folder`. */
export function corpusFolder(projectRoot: string, folder?: string): string {
  return folder ?? resolve(projectRoot, '..', 'shared', 'corpus', 'gutenberg');
}

export function hasCorpus(folder: string): boolean {
  return existsSync(join(folder, 'manifest.csv'));
}

/** Reads every book the corpus manifest lists (197 files, about 65 MB: a few seconds). */
export function loadScaleCorpus(folder: string): ScaleCorpus {
  const [header, ...rows] = parseCsv(readFileSync(join(folder, 'manifest.csv'), 'utf8'));
  const fileAt = header.indexOf('file');
  const genreAt = header.indexOf('genre');
  if (fileAt < 0 || genreAt < 0) throw new Error(`${join(folder, 'manifest.csv')} has no "file" or "genre" column.`);
  const byGenre = new Map<string, DonorBook[]>();
  const sizes: number[] = [];
  for (const row of rows) {
    if (row.length !== header.length) continue;
    const file = row[fileAt];
    const genre = row[genreAt];
    const bytes = readFileSync(join(folder, file));
    const { text } = decodeText(bytes);
    const parts = stripGutenberg(text);
    const at = parts.body === '' ? -1 : text.indexOf(parts.body);
    if (at < 0) continue;
    const meta = readMetadata(parts.header, file);
    const book: DonorBook = {
      file,
      genre,
      bytes: bytes.length,
      preamble: text.slice(0, at),
      footer: text.slice(at + parts.body.length),
      title: meta.title,
      author: meta.author,
      ebookId: meta.ebookId,
      paragraphs: paragraphsOf(parts.body),
    };
    sizes.push(book.bytes);
    const list = byGenre.get(genre) ?? [];
    list.push(book);
    byGenre.set(genre, list);
  }
  sizes.sort((a, b) => a - b);
  const genres = [...byGenre.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([genre, books]) => ({ genre, books }));
  return { folder, genres, medianBytes: sizes.length === 0 ? 0 : sizes[sizes.length >> 1] };
}
