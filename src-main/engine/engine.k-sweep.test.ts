// k = "auto" through the engine, on the project's fixture books (3 genres of 4 books), with a
// real SQLite file in a temp folder: the sweep finds the 3 groups, is kept with the run and shown
// by getRun and listRuns, and a cancel between k values ends the run "cancelled".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEventName, ApiEvents, ProgressEvent } from '../../src-shared/contract';
import { FIXTURE_BOOKS_DIR, FIXTURE_GENRES } from '../../fixtures/fixture-paths';
import { normalizedMutualInfo } from './evaluate';
import { Engine } from './engine';
import { Store } from './store/store';
import Database from 'better-sqlite3';

const QUICK = { seed: 7, backend: 'cpu' as const, autoencoder: { epochs: 30 }, kmeansRestarts: 5 };

let dir: string;
let store: Store;
let events: { name: ApiEventName; payload: unknown }[];
let engine: Engine;
let onEvent: (name: ApiEventName, payload: unknown) => void = () => {};

async function finishedRun(runId: number): Promise<ApiEvents['runFinished']> {
  await engine.idle();
  return events.find((e) => e.name === 'runFinished' && (e.payload as ApiEvents['runFinished']).runId === runId)!.payload as ApiEvents['runFinished'];
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfmap-ksweep-'));
  events = [];
  onEvent = () => {};
  store = new Store(join(dir, 'library.sqlite'));
  engine = new Engine(store, (name, payload) => {
    events.push({ name, payload });
    onEvent(name, payload);
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('k = "auto"', () => {
  it('finds the 3 genres of the fixture books, keeps the sweep with the run and clusters every book with it', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const { runId } = await engine.call('startRun', { settings: { ...QUICK, k: 'auto' } });
    expect(await finishedRun(runId)).toEqual({ runId, status: 'done', error: null });

    const { run, points, clusters } = await engine.call('getRun', { runId });
    expect(run.settings.k).toBe('auto');
    const sweep = run.kSweep!;
    // 12 books: the default 2..30 is clamped to 2..11
    expect(sweep).toMatchObject({ asked: { min: 2, max: 30 }, min: 2, max: 11, proposed: 3 });
    expect(sweep.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(sweep.reason).toMatch(/silhouette \d\.\d{3} × stability \d\.\d{3}/);
    expect(sweep.rule).toMatch(/inertia curve bends/);
    expect(clusters).toHaveLength(3);
    expect(points).toHaveLength(12);
    expect(points.every((p) => Number.isInteger(p.cluster) && p.cluster >= 0 && p.cluster < 3)).toBe(true);
    // the three groups are the genres
    const genres = points.map((p) => FIXTURE_GENRES.find((g) => p.path.includes(`/${g}/`))!);
    expect(normalizedMutualInfo(genres, points.map((p) => p.cluster))).toBe(1);

    const listed = (await engine.call('listRuns', {})).find((r) => r.id === runId)!;
    expect(listed.kSweep).toEqual(sweep);
    const progress = events.filter((e) => e.name === 'progress').map((e) => (e.payload as ProgressEvent).message);
    expect(progress).toContain('Choosing k: k = 2 of 2..11');
    expect(progress).toContain('Choosing k: k = 11 of 2..11');
    expect(progress).toContain('Proposed k = 3');
  });

  it('keeps no sweep for a run with a fixed k, and reads a run recorded before kRange with the default range', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    const { runId } = await engine.call('startRun', { settings: { ...QUICK, k: 3, autoencoder: { epochs: 3 } } });
    await finishedRun(runId);
    expect((await engine.call('getRun', { runId })).run.kSweep).toBeNull();

    store.close();
    const db = new Database(join(dir, 'library.sqlite'));
    const { settings } = db.prepare('SELECT settings FROM runs WHERE id = ?').get(runId) as { settings: string };
    const { kRange, ...before } = JSON.parse(settings) as Record<string, unknown>;
    expect(kRange).toEqual({ min: 2, max: 30 });
    db.prepare('UPDATE runs SET settings = ? WHERE id = ?').run(JSON.stringify(before), runId);
    db.close();
    store = new Store(join(dir, 'library.sqlite'));
    expect(store.getRun(runId)).toMatchObject({ settings: { k: 3, kRange: { min: 2, max: 30 } }, kSweep: null });
  });

  it('refuses fewer than 3 books before a run is recorded, and keeps the library', async () => {
    const two = join(dir, 'two');
    cpSync(join(FIXTURE_BOOKS_DIR, 'cookery'), two, { recursive: true });
    rmSync(join(two, 'the-good-larder.txt'));
    rmSync(join(two, 'soups-of-the-season.txt'));
    await engine.call('addFolder', { folder: two });
    await expect(engine.call('startRun', { settings: { ...QUICK, k: 'auto' } })).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringMatching(/k = "auto" needs at least 3 books .*has 2\); set k to a number instead/),
    });
    expect(await engine.call('listRuns', {})).toEqual([]);
    expect(await engine.call('listBooks', {})).toHaveLength(2);
  });

  it('stops between k values when the run is cancelled, and records no sweep', async () => {
    await engine.call('addFolder', { folder: FIXTURE_BOOKS_DIR });
    let runId = 0;
    onEvent = (name, payload) => {
      if (name === 'progress' && (payload as ProgressEvent).message === 'Choosing k: k = 4 of 2..11') void engine.call('cancelRun', { runId });
    };
    ({ runId } = await engine.call('startRun', { settings: { ...QUICK, k: 'auto', autoencoder: { epochs: 3 } } }));
    expect(await finishedRun(runId)).toMatchObject({ runId, status: 'cancelled' });
    const tried = events.filter((e) => e.name === 'progress' && /^Choosing k/.test((e.payload as ProgressEvent).message));
    expect(tried.length).toBeLessThan(10);
    const { run, points } = await engine.call('getRun', { runId });
    expect(run).toMatchObject({ status: 'cancelled', kSweep: null });
    expect(points).toEqual([]);
  });
});
