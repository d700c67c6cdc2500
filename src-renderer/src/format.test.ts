import { describe, expect, it } from 'vitest';
import type { ImportReport, RunSummary } from '../../src-shared/domain';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { fileName, formatDuration, importSummaryText, kText, libraryCountText, plural, runInfoText } from './format';
import { CLUSTER_PALETTE, clusterColor } from './palette';

describe('format', () => {
  it('writes durations at a sensible precision', () => {
    expect(formatDuration(42)).toBe('42 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it("says in the header that books are being added, not that the library is empty", () => {
    expect(libraryCountText(null, false)).toBe('Opening the library…');
    expect(libraryCountText(0, false)).toBe('0 books in the library');
    expect(libraryCountText(0, true)).toBe('Adding books to the library…');
    expect(libraryCountText(1_005, true)).toBe('1,005 books in the library · adding more…');
    expect(libraryCountText(1, false)).toBe('1 book in the library');
  });

  it('writes counts with the singular for exactly one', () => {
    expect(plural(1, 'book')).toBe('1 book');
    expect(plural(0, 'book')).toBe('0 books');
    expect(plural(2, 'file')).toBe('2 files');
    expect(plural(12_345, 'book')).toBe('12,345 books');
    expect(plural(1, 'match', 'matches')).toBe('1 match');
    expect(plural(3, 'match', 'matches')).toBe('3 matches');
  });

  it('summarises an import as added, unchanged and left out', () => {
    const report: ImportReport = {
      folder: '/books',
      found: 14,
      added: 12,
      unchanged: 0,
      updated: 0,
      moved: 0,
      missing: 0,
      rejected: [
        { path: '/books/empty.txt', reason: 'empty', message: 'The file is empty.' },
        { path: '/books/x.txt', reason: 'binary', message: 'Not text.' },
      ],
      libraryBooks: 12,
    };
    expect(importSummaryText(report)).toBe('12 added, 0 unchanged, 2 left out');
    expect(importSummaryText({ ...report, updated: 1 })).toBe('12 added, 1 updated, 0 unchanged, 2 left out');
    expect(importSummaryText({ ...report, moved: 3, missing: 1 })).toBe('12 added, 3 moved, 0 unchanged, 1 missing, 2 left out');
  });

  it('lists the backend, then stage times in run order', () => {
    const run: RunSummary = {
      id: 1,
      status: 'done',
      settings: DEFAULT_SETTINGS,
      backend: 'wasm',
      backendDetail: 'WebAssembly, SIMD, single-threaded',
      timings: { save: 20, embed: 3400, features: 1200, refine: 0 },
      startedAt: '2025-01-01T00:00:00Z',
      finishedAt: '2025-01-01T00:00:05Z',
      bookCount: 12,
      error: null,
    };
    expect(runInfoText(run)).toBe('wasm · features 1.2 s · embed 3.4 s · save 20 ms');
  });

  it('says a run without a network loaded no backend', () => {
    const run: RunSummary = {
      id: 2,
      status: 'done',
      settings: { ...DEFAULT_SETTINGS, embedding: 'lsa' },
      backend: '',
      backendDetail: 'no network ("embedding": "lsa"), nothing to train',
      timings: { features: 200, embed: 90 },
      startedAt: '2025-01-01T00:00:00Z',
      finishedAt: '2025-01-01T00:00:01Z',
      bookCount: 12,
      error: null,
    };
    expect(runInfoText(run)).toBe('no network (LSA) · features 0.2 s · embed 90 ms');
    expect(runInfoText({ ...run, settings: DEFAULT_SETTINGS })).toBe('backend unknown · features 0.2 s · embed 90 ms');
  });

  it('takes the file name from either kind of path', () => {
    expect(fileName('/a/b/c.txt')).toBe('c.txt');
    expect(fileName('C:\\books\\d.txt')).toBe('d.txt');
  });

  it('gives at least 12 distinct cluster colours, and colours beyond the palette', () => {
    expect(new Set(CLUSTER_PALETTE).size).toBeGreaterThanOrEqual(12);
    expect(clusterColor(0)).toBe(CLUSTER_PALETTE[0]);
    expect(clusterColor(16)).toMatch(/^hsl\(\d+, 52%, 52%\)$/);
    expect(clusterColor(16)).not.toBe(clusterColor(17));
  });
});

describe('kText', () => {
  it('writes a fixed k as it is, and an auto run as auto → the k its sweep proposed', () => {
    expect(kText({ settings: { ...DEFAULT_SETTINGS, k: 7 } })).toBe('7');
    expect(kText({ settings: { ...DEFAULT_SETTINGS, k: 'auto' }, kSweep: null })).toBe('auto');
    const sweep = { asked: { min: 2, max: 30 }, min: 2, max: 30, scores: [], proposed: 12, elbow: 11, rule: '', reason: '', ms: 1 };
    expect(kText({ settings: { ...DEFAULT_SETTINGS, k: 'auto' }, kSweep: sweep })).toBe('auto → 12');
  });
});
