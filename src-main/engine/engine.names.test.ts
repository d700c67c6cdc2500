// Renaming clusters and carrying names to later runs, through engine.call on the fixture books
// with a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import type { Engine } from './engine';
import { openLibraryEngine, type LibraryEngine } from './library-engine';
import type { Store } from './store/store';

const QUICK = { k: 3, seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 30 }, kmeansRestarts: 5 };

let dir: string;
let library: LibraryEngine;
let store: Store;
let engine: Engine;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-names-'));
  library = openLibraryEngine(join(dir, 'library.sqlite'));
  ({ store, engine } = library);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (settings: object): Promise<number> => library.finishedRun({ settings });

/** The genre folder most of a cluster's books are in. */
function genreOf(points: { path: string; cluster: number }[], cluster: number): string {
  const genres = points.filter((p) => p.cluster === cluster).map((p) => p.path.split('/').at(-2)!);
  return genres.sort((a, b) => genres.filter((g) => g === b).length - genres.filter((g) => g === a).length)[0];
}

describe('cluster names', () => {
  it('renames a cluster, shows and exports the name, goes back to the automatic one, and refuses bad names', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const runId = await run(QUICK);
    const before = await engine.call('getRun', { runId });
    const first = before.clusters[0];
    expect(first.customLabel).toBeNull();
    expect(first.automaticLabel).toBe(first.label);
    expect(first.carried).toBeNull();
    // names hold no contraction, dialogue or number
    for (const c of before.clusters) expect(c.terms.join(' ')).not.toMatch(/['\u2019]|\b\d+\b/);

    const renamed = await engine.call('renameCluster', { runId, cluster: first.id, name: '  Sea stories  ' });
    expect(renamed).toMatchObject({ id: first.id, label: 'Sea stories', customLabel: 'Sea stories', automaticLabel: first.label, carried: null });
    const after = await engine.call('getRun', { runId });
    expect(after.clusters.find((c) => c.id === first.id)?.label).toBe('Sea stories');
    const rows = parseCsv((await engine.call('exportCsv', { runId })).csv);
    const labelColumn = rows[0].indexOf('cluster_label');
    const clusterColumn = rows[0].indexOf('cluster');
    const exported = rows.slice(1).filter((r) => Number(r[clusterColumn]) === first.id);
    expect(exported.length).toBe(first.size);
    expect(exported.every((r) => r[labelColumn] === 'Sea stories')).toBe(true);

    // bad names and places: clear messages, nothing changed
    await expect(engine.call('renameCluster', { runId, cluster: first.id, name: 'x'.repeat(81) })).rejects.toThrow(/longer than 80/);
    await expect(engine.call('renameCluster', { runId, cluster: first.id, name: 'two\nlines' })).rejects.toThrow(/control characters/);
    await expect(engine.call('renameCluster', { runId, cluster: 9, name: 'Nine' })).rejects.toThrow(`Run ${runId} has no cluster 9: its clusters are 0 to 2.`);
    await expect(engine.call('renameCluster', { runId: runId + 5, cluster: 0, name: 'Nope' })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(engine.call('renameCluster', { runId, cluster: -1, name: 'Minus' })).rejects.toMatchObject({ kind: 'invalid-argument' });
    expect((await engine.call('getRun', { runId })).clusters.find((c) => c.id === first.id)?.label).toBe('Sea stories');

    const cleared = await engine.call('renameCluster', { runId, cluster: first.id, name: '   ' });
    expect(cleared).toMatchObject({ label: first.label, customLabel: null });
  });

  it('carries a name to the matching cluster of a later run over the same books', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const firstRun = await run(QUICK);
    const { points: firstPoints, clusters } = await engine.call('getRun', { runId: firstRun });
    const cookery = clusters.find((c) => genreOf(firstPoints, c.id) === 'cookery')!;
    await engine.call('renameCluster', { runId: firstRun, cluster: cookery.id, name: 'Kitchen books' });

    // another seed: the same groups may come back under other numbers
    const secondRun = await run({ ...QUICK, seed: 11 });
    const { points, clusters: later } = await engine.call('getRun', { runId: secondRun });
    const named = later.filter((c) => c.customLabel !== null);
    expect(named).toHaveLength(1);
    expect(named[0].label).toBe('Kitchen books');
    expect(genreOf(points, named[0].id)).toBe('cookery');
    const cookeryBooks = new Set(firstPoints.filter((p) => p.cluster === cookery.id).map((p) => p.bookId));
    const shared = points.filter((p) => p.cluster === named[0].id && cookeryBooks.has(p.bookId)).length;
    expect(named[0].carried).toEqual({ fromRun: firstRun, fromCluster: cookery.id, shared, of: cookery.size });
    expect(shared).toBeGreaterThan(cookery.size / 2);

    // and on again from the carried name; renaming by hand makes it the cluster's own
    const thirdRun = await run({ ...QUICK, seed: 3 });
    const third = (await engine.call('getRun', { runId: thirdRun })).clusters.find((c) => c.customLabel !== null)!;
    expect(third).toMatchObject({ label: 'Kitchen books', carried: { fromRun: secondRun } });
    const own = await engine.call('renameCluster', { runId: thirdRun, cluster: third.id, name: 'Recipes' });
    expect(own.carried).toBeNull();
  });
});
