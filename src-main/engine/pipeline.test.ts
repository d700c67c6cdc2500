// The default pipeline repeats: the same seed on the same books gives the same CSV, byte for
// byte, through the engine with real SQLite files.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '../../src-shared/contract';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { Engine } from './engine';
import { Store } from './store/store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh library of the fixture books, one run with these settings, and its CSV. */
async function csvOfFreshRun(settings: object): Promise<{ csv: string; store: Store; runId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-repeat-'));
  dirs.push(dir);
  const store = new Store(join(dir, 'library.sqlite'));
  const finished: ApiEvents['runFinished'][] = [];
  const engine = new Engine(store, (name, payload) => {
    if (name === 'runFinished') finished.push(payload as ApiEvents['runFinished']);
  });
  await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
  const { runId } = await engine.call('startRun', { settings });
  await engine.idle();
  expect(finished.find((f) => f.runId === runId)).toEqual({ runId, status: 'done', error: null });
  const { csv } = await engine.call('exportCsv', { runId });
  return { csv, store, runId };
}

describe('the default pipeline', () => {
  it.each(['cpu', 'wasm'] as const)('gives byte-identical CSV for the same seed on %s, in separate libraries', async (backend) => {
    const settings = { k: 3, seed: 11, backend };
    const first = await csvOfFreshRun(settings);
    const second = await csvOfFreshRun(settings);
    expect(Buffer.from(second.csv).equals(Buffer.from(first.csv))).toBe(true);
    expect(first.csv.split('\n').filter(Boolean)).toHaveLength(13); // header + 12 books
    // the run keeps what it learned: the LSA view in front of the network, as JSON
    const model = first.store.runModel(first.runId)!;
    expect(model.topology).toMatchObject({ front: { kind: 'lsa', components: 30 }, inputWidth: 30 });
    first.store.close();
    second.store.close();
  }, 60_000);

  it('gives a different CSV for another seed', async () => {
    const a = await csvOfFreshRun({ k: 3, seed: 11, backend: 'wasm' });
    const b = await csvOfFreshRun({ k: 3, seed: 12, backend: 'wasm' });
    // same clusters on such distinct fixture genres, but the map differs
    expect(b.csv).not.toBe(a.csv);
    a.store.close();
    b.store.close();
  }, 60_000);
});
