// What a run exports for researchers: the labels CSV (src-shared/csv.ts) and its labels.json
// sidecar, which says how the run was made (version, settings, seed, backend, timings), which
// books it used (a fingerprint of their texts), and each cluster's terms and typical books.
import { createHash } from 'node:crypto';
import { version as packageVersion } from '../../package.json';
import type { RunLabelsSidecar, RunResult } from '../../src-shared/domain';

export const SHELFMAP_VERSION: string = packageVersion;

/**
 * SHA-256 over the books' text fingerprints, sorted and one per line; null when one is not
 * known (a book removed from the library before fingerprints were kept with runs).
 */
export function booksFingerprint(fingerprints: readonly (string | null)[]): string | null {
  if (fingerprints.some((f) => f === null || f === '')) return null;
  return createHash('sha256')
    .update([...(fingerprints as string[])].sort().join('\n'))
    .digest('hex');
}

/** The sidecar for a finished run; the same run gives the same object, key for key. */
export function runLabelsSidecar(result: RunResult, fingerprints: readonly (string | null)[]): RunLabelsSidecar {
  const { run, points, clusters } = result;
  const byId = new Map(points.map((p) => [p.bookId, p]));
  return {
    format: 'shelfmap-labels',
    formatVersion: 1,
    shelfmapVersion: SHELFMAP_VERSION,
    runId: run.id,
    settings: run.settings,
    seed: run.settings.seed,
    backend: run.backend,
    backendDetail: run.backendDetail,
    timings: run.timings,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    kSweep: run.kSweep ?? null,
    books: { count: points.filter((p) => !p.placed).length, placed: points.filter((p) => p.placed).length, fingerprint: booksFingerprint(fingerprints) },
    clusters: clusters.map((c) => ({
      id: c.id,
      label: c.label,
      automaticLabel: c.automaticLabel ?? c.label,
      terms: c.terms,
      size: c.size,
      representatives: c.representatives.flatMap((id) => {
        const p = byId.get(id);
        return p ? [{ path: p.path, ebook_id: p.ebookId ?? null, title: p.title }] : [];
      }),
    })),
  };
}

/** The sidecar as a file: two-space JSON with a closing line break. */
export function runLabelsJson(result: RunResult, fingerprints: readonly (string | null)[]): string {
  return `${JSON.stringify(runLabelsSidecar(result, fingerprints), null, 2)}\n`;
}
