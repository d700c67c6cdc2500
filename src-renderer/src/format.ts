// Small text helpers for what the UI shows: durations, counts, stage names, run info.
import type { ImportReport, RunSummary, StageName } from '../../src-shared/domain';
import { STAGES_RUN } from '../../src-shared/domain';
import { plural } from '../../src-shared/plural';

export const STAGE_LABELS: Record<StageName, string> = {
  scan: 'Finding files',
  read: 'Reading books',
  features: 'Word features',
  embed: 'Embeddings',
  cluster: 'Clusters',
  refine: 'Refining',
  layout: 'Layout',
  save: 'Saving',
  place: 'Placing books',
};

/** The header's line: how many books the library holds, and that more are being added (the count catches up when the add ends). */
export function libraryCountText(bookCount: number | null, importing: boolean): string {
  if (bookCount === null) return 'Opening the library…';
  if (!importing) return `${plural(bookCount, 'book')} in the library`;
  return bookCount === 0 ? 'Adding books to the library…' : `${plural(bookCount, 'book')} in the library · adding more…`;
}

export function formatDuration(ms: number): string {
  if (ms < 100) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export { plural } from '../../src-shared/plural';

/** "12 added, 0 unchanged, 2 left out" (updated, moved and missing only when there are some). */
export function importSummaryText(report: ImportReport): string {
  const parts = [`${report.added} added`];
  if (report.updated > 0) parts.push(`${report.updated} updated`);
  if (report.moved > 0) parts.push(`${report.moved} moved`);
  parts.push(`${report.unchanged} unchanged`);
  if (report.missing > 0) parts.push(`${report.missing} missing`);
  parts.push(`${report.rejected.length} left out`);
  return parts.join(', ');
}

/** ["wasm", "features 1.2 s", "embed 3.4 s", …]: the backend, then stages in the order they run. */
export function runInfoParts(run: RunSummary): string[] {
  // a run without a network ("embedding": "lsa") loads no backend at all
  const parts: string[] = [run.backend || (run.settings.embedding === 'lsa' ? 'no network (LSA)' : 'backend unknown')];
  for (const stage of STAGES_RUN) {
    const ms = run.timings[stage];
    // refinement is optional: a run that skipped it does not list it
    if (stage === 'refine' && !run.settings.refine?.enabled) continue;
    if (ms !== undefined) parts.push(`${stage} ${formatDuration(ms)}`);
  }
  return parts;
}

/** "wasm · features 1.2 s · embed 3.4 s · …" */
export function runInfoText(run: RunSummary): string {
  return runInfoParts(run).join(' · ');
}

export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function formatLoss(loss: number): string {
  return loss >= 0.01 ? loss.toFixed(4) : loss.toExponential(2);
}

export { kText } from '../../src-shared/settings';
