// How `shelfmap evaluate` prints a report: the scores on one line, then clusters against labels.
import type { EvaluationReport } from '../../src-shared/domain';

/** The scores, then clusters against labels as a table, for a terminal or a file. */
export function formatEvaluation(report: EvaluationReport): string {
  const { scores, confusion } = report;
  const lines = [
    `Run ${report.runId} against ${report.source}: ${report.matched} ${report.matched === 1 ? 'book' : 'books'} scored` +
      (report.unmatchedCount > 0 ? `, ${report.unmatchedCount} without a label` : '') +
      '.',
    `NMI ${scores.nmi.toFixed(4)}  ARI ${scores.ari.toFixed(4)}  V-measure ${scores.vMeasure.toFixed(4)}  homogeneity ${scores.homogeneity.toFixed(4)}  completeness ${scores.completeness.toFixed(4)}`,
    '',
  ];
  const header = ['cluster', 'books', ...confusion.labels];
  const rows = confusion.clusters.map((cluster, i) => [String(cluster), String(confusion.counts[i].reduce((a, b) => a + b, 0)), ...confusion.counts[i].map(String)]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  lines.push(line(header), ...rows.map(line));
  if (report.unmatched.length > 0) {
    lines.push('', `Without a label${report.unmatchedCount > report.unmatched.length ? ` (first ${report.unmatched.length})` : ''}:`, ...report.unmatched.map((p) => `  ${p}`));
  }
  return lines.join('\n') + '\n';
}

