// Named groups of books picked on a map, and cluster colours carried from run to run, through
// engine.call on the fixture books with a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import type { Engine } from './engine';
import { openLibraryEngine, type LibraryEngine } from './library-engine';
import { Store } from './store/store';
import { MIGRATIONS } from './store/migrations';

const QUICK = { k: 3, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 30 }, kmeansRestarts: 5 };

let dir: string;
let file: string;
let store: Store;
let library: LibraryEngine;
let engine: Engine;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-groups-'));
  file = join(dir, 'library.sqlite');
  library = openLibraryEngine(file);
  ({ store, engine } = library);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (settings: object): Promise<number> => library.finishedRun({ settings });

describe('named groups', () => {
  it('saves, lists, refuses bad groups with their reasons, and deletes, leaving the run as it was', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const runId = await run(QUICK);
    const { points } = await engine.call('getRun', { runId });
    const picked = points.slice(0, 3).map((p) => p.bookId);

    const group = await engine.call('saveGroup', { runId, name: '  Sea and stars ', bookIds: [...picked, picked[0]] });
    expect(group).toMatchObject({ runId, name: 'Sea and stars', bookIds: picked });
    const other = await engine.call('saveGroup', { runId, name: 'a first one', bookIds: [picked[1]] });
    expect((await engine.call('listGroups', { runId })).map((g) => g.name)).toEqual(['a first one', 'Sea and stars']);

    // the same name in any case, books of no map, no books, bad names, a run that is not there
    await expect(engine.call('saveGroup', { runId, name: 'SEA AND STARS', bookIds: picked })).rejects.toThrow(/has a group named "SEA AND STARS" already/);
    await expect(engine.call('saveGroup', { runId, name: 'Strangers', bookIds: [picked[0], 99_999] })).rejects.toThrow(`Run ${runId} has no book 99999`);
    await expect(engine.call('saveGroup', { runId, name: 'Empty', bookIds: [] })).rejects.toThrow(/at least one book/);
    await expect(engine.call('saveGroup', { runId, name: '   ', bookIds: picked })).rejects.toThrow(/must not be empty/);
    await expect(engine.call('saveGroup', { runId, name: 'two\nlines', bookIds: picked })).rejects.toThrow(/control characters/);
    await expect(engine.call('saveGroup', { runId, name: 'x'.repeat(81), bookIds: picked })).rejects.toThrow(/longer than 80/);
    await expect(engine.call('saveGroup', { runId, name: 'Bad id', bookIds: ['1'] })).rejects.toThrow(/"bookIds\[0\]" must be a whole number/);
    await expect(engine.call('saveGroup', { runId, name: 'Extra', bookIds: picked, colour: 1 })).rejects.toThrow(/Unknown field "colour"/);
    await expect(engine.call('saveGroup', { runId: runId + 9, name: 'Nowhere', bookIds: picked })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(engine.call('listGroups', { runId: runId + 9 })).rejects.toMatchObject({ kind: 'not-found' });
    expect(await engine.call('listGroups', { runId })).toHaveLength(2);

    expect(await engine.call('deleteGroup', { groupId: other.id })).toEqual({ groupId: other.id });
    await expect(engine.call('deleteGroup', { groupId: other.id })).rejects.toThrow(`There is no group ${other.id}.`);
    expect((await engine.call('listGroups', { runId })).map((g) => g.id)).toEqual([group.id]);
    // the run's map is untouched
    expect((await engine.call('getRun', { runId })).points).toEqual(points);
  });
});

describe('cluster colours', () => {
  it('a later run gives each cluster the colour of its match in the earlier run, whatever its number', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const first = await engine.call('getRun', { runId: await run(QUICK) });
    expect(first.clusters.map((c) => c.colour)).toEqual(first.clusters.map((c) => c.id));
    const second = await engine.call('getRun', { runId: await run({ ...QUICK, seed: 8 }) });
    const genreBooks = (points: typeof first.points, cluster: number) => points.filter((p) => p.cluster === cluster).map((p) => p.bookId);
    for (const cluster of second.clusters) {
      // the earlier cluster sharing the most books with this one (the fixtures' genres are clear-cut)
      const mine = new Set(genreBooks(second.points, cluster.id));
      const match = [...first.clusters].sort(
        (a, b) => genreBooks(first.points, b.id).filter((id) => mine.has(id)).length - genreBooks(first.points, a.id).filter((id) => mine.has(id)).length,
      )[0];
      expect(cluster.colour).toBe(match.colour);
    }
    expect(new Set(second.clusters.map((c) => c.colour)).size).toBe(second.clusters.length);
  });

  it('a library from before colours were kept opens with every cluster coloured by its number', () => {
    store.close();
    const db = new Database(file);
    db.prepare("INSERT INTO runs (status, settings, started_at) VALUES ('done', '{}', 'then')").run();
    db.prepare("INSERT INTO run_clusters (run_id, cluster, label, terms, size) VALUES (1, 4, 'old', '[]', 0)").run();
    db.close();
    store = new Store(file);
    expect(store.runClusters(1)[0].colour).toBe(4);
    expect(MIGRATIONS.find((m) => /run_groups/.test(m))).toMatch(/colour/);
  });
});
