// The feature views through the whole pipeline, as a user sets them: checked, counted from the
// samples the library keeps, cached under their own key beside the default counts, and run.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '../../../src-shared/contract';
import { resolveSettings } from '../../../src-shared/settings';
import { FIXTURE_BOOKS_DIR } from '../../../fixtures/fixture-paths';
import { Engine } from '../engine';
import { Store } from '../store/store';
import { booksInScope, libraryFeatures } from '../pipeline';
import { IMPORT_TERMS_KEY } from '../import-work';
import { documentKey } from './sample';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function library(): Promise<{ store: Store; engine: Engine; finished: ApiEvents['runFinished'][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-views-'));
  dirs.push(dir);
  const store = new Store(join(dir, 'library.sqlite'));
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
  return { store, engine, finished };
}

describe('feature views in a run', () => {
  it('runs on words joined to character n-grams without names, and keeps their counts beside the default ones', async () => {
    const { store, engine, finished } = await library();
    try {
      const settings = { k: 3, seed: 5, backend: 'cpu', features: { views: ['words', 'charNgrams'], charNgrams: { min: 3, max: 4 }, dropNames: true } };
      const { runId } = await engine.call('startRun', { settings });
      await engine.idle();
      expect(finished.find((f) => f.runId === runId)).toEqual({ runId, status: 'done', error: null });
      const { run, points } = await engine.call('getRun', { runId });
      expect(run.settings.features).toMatchObject(settings.features);
      expect(points).toHaveLength(12);
      const key = documentKey(run.settings.features);
      expect(key).not.toBe(IMPORT_TERMS_KEY);
      const book = booksInScope(store)[0];
      expect(store.cachedTerms(book.id, IMPORT_TERMS_KEY)).toBeDefined();
      expect(store.cachedTerms(book.id, key)).toBeDefined();
    } finally {
      store.close();
    }
  });

  it('weighs each view\'s own terms, and refuses a bad view before any book is read', async () => {
    const { store, engine } = await library();
    try {
      const books = booksInScope(store);
      const functionWords = await libraryFeatures(store, books, resolveSettings({ features: { views: ['functionWords'], maxDf: { fraction: 1 } } }).features);
      expect(functionWords.vocabulary.length).toBeGreaterThan(20);
      expect(functionWords.vocabulary.every((t) => t.startsWith('f:'))).toBe(true);
      expect(functionWords.vocabulary).toContain('f:the');
      const words = await libraryFeatures(store, books, resolveSettings({}).features);
      const said: string[] = [];
      const withoutNames = await libraryFeatures(store, books, resolveSettings({ features: { dropNames: true } }).features, undefined, (_done, _total, message) => said.push(message));
      // the samples are the default ones: the files are read again for the word settings, and it says so
      expect(said).toContain(`Re-reading ${books.length} books from disk for these word settings`);
      expect(withoutNames.vocabulary.length).toBeLessThanOrEqual(words.vocabulary.length);
      expect(words.vocabulary.filter((t) => !withoutNames.vocabulary.includes(t)).length).toBeGreaterThan(0);
      await expect(engine.call('startRun', { settings: { features: { views: ['word'] } } })).rejects.toThrow(/features\.views\[0\].*Did you mean "words"/);
    } finally {
      store.close();
    }
  });
});
