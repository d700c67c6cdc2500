// The book panel through engine.call on the fixture books with a real SQLite file: a book's
// details (terms of its own, an excerpt, its similar books), its whole text, and the errors for
// a missing run or book, a book not in the run, and runs without embeddings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BookPoint } from '../../src-shared/domain';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import type { Engine } from './engine';
import { openLibraryEngine } from './library-engine';
import type { Store } from './store/store';

const QUICK = { k: 3, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 30 }, kmeansRestarts: 5 };

let dir: string;
let store: Store;
let engine: Engine;
let runId: number;
let points: BookPoint[];

const genre = (path: string) => path.split('/').at(-2)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-books-'));
  const library = openLibraryEngine(join(dir, 'library.sqlite'));
  ({ store, engine } = library);
  await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
  runId = await library.finishedRun({ settings: QUICK });
  points = (await engine.call('getRun', { runId })).points;
}, 240_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bookDetails', () => {
  it('gives an astronomy book its own terms, an excerpt, and similar books that are mostly astronomy books', async () => {
    const book = points.find((p) => p.path.endsWith('astronomy/the-starry-heavens.txt'))!;
    const details = await engine.call('bookDetails', { runId, bookId: book.bookId });
    expect(details.book).toMatchObject({ id: book.bookId, title: 'The Starry Heavens', author: 'Ruth Pemberton', language: 'English', ebookId: 90024 });
    expect(details.book.words).toBeGreaterThan(0);
    expect(details.cluster).toBe(book.cluster);
    expect(details.clusterLabel).toBe((await engine.call('getRun', { runId })).clusters.find((c) => c.id === book.cluster)!.label);
    expect(details.placed).toBe(false);

    // terms: best first, none of dialogue or numbers, and of the sky rather than of the kitchen or the sea
    const terms = details.distinctiveTerms.map((t) => t.term);
    expect(terms.length).toBeGreaterThan(3);
    const scores = details.distinctiveTerms.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const term of terms) expect(term).not.toMatch(/['\u2019]|^\d+$|^(said|chapter)$/);
    const body = readFileSync(join(FIXTURE_BOOKS_DIR, 'astronomy/the-starry-heavens.txt'), 'latin1');
    for (const term of terms.slice(0, 5)) expect(body.toLowerCase()).toContain(term);

    // the excerpt starts with the first prose paragraph, after the title page and the chapter heading
    expect(details.excerpt[0]).toMatch(/^After that the voice kept a starry star\. The faint voice calculated the moon/);
    expect(details.excerpt.join(' ')).not.toMatch(/Produced by|CHAPTER I/);

    // similar books: nearest first, never the book itself, mostly astronomy
    expect(details.similarNote).toBeNull();
    expect(details.similar).toHaveLength(10);
    expect(details.similar.map((s) => s.bookId)).not.toContain(book.bookId);
    const distances = details.similar.map((s) => s.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const nearest3 = details.similar.slice(0, 3).map((s) => genre(points.find((p) => p.bookId === s.bookId)!.path));
    expect(nearest3.filter((g) => g === 'astronomy').length).toBeGreaterThanOrEqual(2);
    const first = details.similar[0];
    expect(first).toMatchObject({ title: points.find((p) => p.bookId === first.bookId)!.title, cluster: points.find((p) => p.bookId === first.bookId)!.cluster });
  });

  it('refuses a missing run, a book not in the run, a removed book and bad arguments, with clear messages', async () => {
    const some = points[0];
    await expect(engine.call('bookDetails', { runId: runId + 9, bookId: some.bookId })).rejects.toMatchObject({ kind: 'not-found', message: `There is no run ${runId + 9}.` });
    await expect(engine.call('bookDetails', { runId, bookId: 9999 })).rejects.toMatchObject({ kind: 'not-found', message: `There is no book 9999 in run ${runId}.` });
    await expect(engine.call('bookDetails', { runId, bookId: 'x' } as never)).rejects.toMatchObject({ kind: 'invalid-argument' });

    // a book added after the run
    const later = join(dir, 'later');
    mkdirSync(later);
    const lines = readFileSync(join(FIXTURE_BOOKS_DIR, 'cookery/the-good-larder.txt'), 'latin1').replaceAll('The Good Larder', 'The Better Larder').split('\n');
    // a paragraph in the middle of the body makes it another text
    lines.splice(Math.floor(lines.length / 2), 0, '', 'A new chapter on preserves, added for the second edition.', '');
    writeFileSync(join(later, 'the-better-larder.txt'), lines.join('\n'), 'latin1');
    const added = await engine.call('addFolder', { folder: later });
    expect(added.added).toBe(1);
    const newBook = (await engine.call('listBooks', {})).find((b) => b.title === 'The Better Larder')!;
    await expect(engine.call('bookDetails', { runId, bookId: newBook.id })).rejects.toMatchObject({
      kind: 'not-found',
      message: `"The Better Larder" (book ${newBook.id}) is not in run ${runId}.`,
    });
    // its text is in the library all the same
    expect((await engine.call('bookText', { bookId: newBook.id })).text).toContain('second edition');

    // a book removed from the library after the run
    await engine.call('removeBook', { bookId: newBook.id });
    const gone = points.find((p) => p.path.endsWith('cookery/soups-of-the-season.txt'))!;
    await engine.call('removeBook', { bookId: gone.bookId });
    await expect(engine.call('bookDetails', { runId, bookId: gone.bookId })).rejects.toThrow(
      `"${gone.title}" (book ${gone.bookId}) is no longer in the library: it was removed after run ${runId} was made, which keeps its place on the map.`,
    );
    await expect(engine.call('bookText', { bookId: gone.bookId })).rejects.toMatchObject({ kind: 'not-found', message: `There is no book ${gone.bookId} in the library.` });
    // the run keeps it on its map, so it stays among the other books' similar books
    const other = points.find((p) => p.path.endsWith('cookery/the-good-larder.txt'))!;
    const details = await engine.call('bookDetails', { runId, bookId: other.bookId });
    expect(details.similar.map((s) => s.bookId)).toContain(gone.bookId);
    expect(details.distinctiveTerms.length).toBeGreaterThan(3);
  });

  it('gives the whole stored text, without the Gutenberg header', async () => {
    const book = points.find((p) => p.path.endsWith('sea-voyages/harbour-lights.txt'))!;
    const text = await engine.call('bookText', { bookId: book.bookId });
    expect(text).toMatchObject({ bookId: book.bookId, title: book.title, capped: false });
    expect(text.totalChars).toBe(text.text.length);
    expect(text.text).not.toContain('*** START OF');
    expect(text.text.length).toBeGreaterThan(1000);
  });

  it('says why there are no similar books for a run made before embeddings were kept, or a book placed later', async () => {
    const book = points.find((p) => p.path.endsWith('astronomy/comets-and-eclipses.txt'))!;
    // as a book placed after the run is kept: marked placed, with no embedding
    store.db.prepare('UPDATE run_books SET placed = 1 WHERE run_id = ? AND book_id = ?').run(runId, book.bookId);
    store.db.prepare('DELETE FROM run_book_embeddings WHERE run_id = ? AND book_id = ?').run(runId, book.bookId);
    const placed = await engine.call('bookDetails', { runId, bookId: book.bookId });
    expect(placed.placed).toBe(true);
    expect(placed.similar).toEqual([]);
    expect(placed.similarNote).toMatch(/placed on the run after it was made/);
    expect(placed.distinctiveTerms.length).toBeGreaterThan(0);

    // as a run from before embeddings were kept has it
    store.db.prepare('DELETE FROM run_book_embeddings WHERE run_id = ?').run(runId);
    store.db.prepare('DELETE FROM run_placement WHERE run_id = ?').run(runId);
    const old = await engine.call('bookDetails', { runId, bookId: points[1].bookId });
    expect(old.similar).toEqual([]);
    expect(old.similarNote).toBe(`Run ${runId} was made before Shelfmap kept each book's embedding: make a new map to see similar books.`);
  });

  it('reads the excerpt and the text from the book\'s file again, and says so when the file has changed or is gone', async () => {
    const book = points.find((p) => p.path.endsWith('sea-voyages/harbour-lights.txt'))!;
    // the library's book pointed at a copy of its file, which this test then changes
    const copy = join(dir, 'harbour-lights-copy.txt');
    writeFileSync(copy, readFileSync(join(FIXTURE_BOOKS_DIR, 'sea-voyages/harbour-lights.txt')));
    store.db.prepare('UPDATE books SET path = ? WHERE id = ?').run(copy, book.bookId);
    try {
      const whole = await engine.call('bookDetails', { runId, bookId: book.bookId });
      expect(whole.excerpt.length).toBeGreaterThan(0);
      expect(whole.excerptNote).toBeUndefined();

      // a paragraph in the middle of the body (after the licence it would not change the text)
      const lines = readFileSync(copy, 'latin1').split('\n');
      lines.splice(Math.floor(lines.length / 2), 0, '', 'A chapter added since.', '');
      writeFileSync(copy, lines.join('\n'), 'latin1');
      const changed = `"${book.title}" (${copy}) has changed on disk since it was added: add its folder again.`;
      const details = await engine.call('bookDetails', { runId, bookId: book.bookId });
      expect(details).toMatchObject({ excerpt: [], excerptNote: changed });
      // what the library keeps of the book still sets it apart
      expect(details.distinctiveTerms).toEqual(whole.distinctiveTerms);
      await expect(engine.call('bookText', { bookId: book.bookId })).rejects.toMatchObject({ kind: 'not-found', message: changed });

      rmSync(copy);
      await expect(engine.call('bookText', { bookId: book.bookId })).rejects.toThrow(`"${book.title}" is no longer at ${copy}`);
    } finally {
      store.db.prepare('UPDATE books SET path = ? WHERE id = ?').run(book.path, book.bookId);
    }
  });
});
