// "Score against labels…": scores the run on show against labels the user already has, a CSV
// table (its columns chosen from its header) or each book's folder name, and shows NMI, ARI,
// V-measure, homogeneity, completeness and the table of clusters against labels.
import { useId, useState, type ChangeEvent } from 'react';
import type { ShelfmapClient } from '../../../src-shared/contract';
import { LABELS_ID_COLUMNS, LABELS_LABEL_COLUMNS, type ClusterInfo, type EvaluationReport, type LabelsSource } from '../../../src-shared/domain';
import { plural } from '../format';
import { pickColumn, readLabelsFile } from '../labels-table';
import { clusterSwatch } from '../map/colouring';
import { errorMessage } from '../state/events';

/** The engine takes tables up to this size (src-shared/arguments.ts). */

interface ChosenTable {
  name: string;
  csv: string;
  columns: string[];
}

const SCORES: { key: keyof EvaluationReport['scores']; name: string; hint: string }[] = [
  { key: 'nmi', name: 'NMI', hint: 'Normalised mutual information: 1 when clusters and labels match exactly, 0 when unrelated' },
  { key: 'ari', name: 'ARI', hint: 'Adjusted Rand index: 1 for the same grouping, about 0 for chance' },
  { key: 'vMeasure', name: 'V-measure', hint: 'The harmonic mean of homogeneity and completeness' },
  { key: 'homogeneity', name: 'Homogeneity', hint: 'Each cluster holds books of one label' },
  { key: 'completeness', name: 'Completeness', hint: 'The books of each label are in one cluster' },
];

interface ScorePanelProps {
  client: ShelfmapClient;
  runId: number;
  clusters: ClusterInfo[];
  onClose(): void;
}

export function ScorePanel({ client, runId, clusters, onClose }: ScorePanelProps) {
  const ids = useId();
  const [kind, setKind] = useState<'table' | 'subfolders'>('table');
  const [table, setTable] = useState<ChosenTable | null>(null);
  const [idColumn, setIdColumn] = useState('');
  const [labelColumn, setLabelColumn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<EvaluationReport | null>(null);

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setError(null);
    setReport(null);
    setTable(null);
    if (!file) return;
    const read = await readLabelsFile(file);
    if ('error' in read) {
      setError(read.error);
      return;
    }
    setTable(read);
    setIdColumn(pickColumn(read.columns, LABELS_ID_COLUMNS, read.columns[0]));
    setLabelColumn(pickColumn(read.columns, LABELS_LABEL_COLUMNS, read.columns[read.columns.length - 1]));
  }

  async function score() {
    let labels: LabelsSource;
    if (kind === 'subfolders') labels = { kind: 'subfolders' };
    else if (!table) {
      setError('Choose a labels table (a CSV file) first.');
      return;
    } else labels = { kind: 'table', csv: table.csv, name: table.name, idColumn, labelColumn };
    setBusy(true);
    setError(null);
    try {
      setReport(await client.call('evaluateRun', { runId, labels }));
    } catch (failure) {
      setReport(null);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  const canScore = !busy && (kind === 'subfolders' || table !== null);
  return (
    <section className="score-panel" data-testid="score-panel" aria-labelledby={`${ids}-title`}>
      <div className="card-heading">
        <h3 id={`${ids}-title`}>Score against labels</h3>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close scores">
          ×
        </button>
      </div>
      <div className="score-form">
        <fieldset className="score-source">
          <legend className="visually-hidden">Where the labels come from</legend>
          <label>
            <input type="radio" name={`${ids}-kind`} checked={kind === 'table'} onChange={() => setKind('table')} data-testid="score-kind-table" /> A labels
            table (CSV)
          </label>
          <label>
            <input type="radio" name={`${ids}-kind`} checked={kind === 'subfolders'} onChange={() => setKind('subfolders')} data-testid="score-kind-subfolders" />{' '}
            Parent folder names
          </label>
        </fieldset>
        {kind === 'table' ? (
          <div className="score-table-fields">
            <label className="field">
              <span className="field-label">Labels file</span>
              <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" onChange={(e) => void chooseFile(e)} data-testid="score-file" />
            </label>
            {table && (
              <>
                <label className="field">
                  <span className="field-label">Book id column</span>
                  <select value={idColumn} onChange={(e) => setIdColumn(e.target.value)} data-testid="score-id-column">
                    {table.columns.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span className="field-label">Label column</span>
                  <select value={labelColumn} onChange={(e) => setLabelColumn(e.target.value)} data-testid="score-label-column">
                    {table.columns.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </label>
              </>
            )}
            <p className="hint">Books are matched by Gutenberg number, else by file name without extension, else by path.</p>
          </div>
        ) : (
          <p className="hint">Each book&apos;s label is the name of the folder it is in (fixtures/books/astronomy/… → astronomy).</p>
        )}
        <div className="actions">
          <button type="button" className="button primary" onClick={() => void score()} disabled={!canScore} data-testid="score-run">
            {busy ? 'Scoring…' : 'Score'}
          </button>
        </div>
      </div>
      {error && (
        <p className="inline-error" role="alert" data-testid="score-error">
          {error}
        </p>
      )}
      {report && <ScoreReport report={report} clusters={clusters} />}
    </section>
  );
}

function ScoreReport({ report, clusters }: { report: EvaluationReport; clusters: ClusterInfo[] }) {
  const names = new Map(clusters.map((c) => [c.id, c.label]));
  const swatches = new Map(clusters.map((c) => [c.id, clusterSwatch(c)]));
  const { confusion } = report;
  return (
    <div className="score-report" data-testid="score-report">
      <p className="muted" data-testid="score-matched">
        Against {report.source}: {plural(report.matched, 'book')} scored
        {report.unmatchedCount > 0 ? `, ${report.unmatchedCount} without a label` : ', every book matched'}.
      </p>
      <dl className="scores">
        {SCORES.map((s) => (
          <div key={s.key} className="score" title={s.hint}>
            <dt>{s.name}</dt>
            <dd data-testid={`score-${s.key}`}>{report.scores[s.key].toFixed(3)}</dd>
          </div>
        ))}
      </dl>
      <div className="confusion-scroll" tabIndex={0} aria-label="Clusters against labels">
        <table className="confusion" data-testid="confusion-table">
          <caption className="visually-hidden">Books in each cluster (rows) by label (columns)</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              {confusion.labels.map((label) => (
                <th scope="col" key={label} title={label}>
                  {label}
                </th>
              ))}
              <th scope="col">Books</th>
            </tr>
          </thead>
          <tbody>
            {confusion.clusters.map((cluster, i) => {
              const row = confusion.counts[i];
              const most = Math.max(...row);
              return (
                <tr key={cluster}>
                  <th scope="row" title={names.get(cluster)}>
                    <span className="swatch small" style={{ backgroundColor: swatches.get(cluster) ?? clusterSwatch({ id: cluster }) }} aria-hidden="true" />
                    {cluster} · {names.get(cluster) ?? `Cluster ${cluster}`}
                  </th>
                  {row.map((count, j) => (
                    <td key={confusion.labels[j]} className={count === 0 ? 'zero' : count === most ? 'most' : undefined}>
                      {count}
                    </td>
                  ))}
                  <td className="total">{row.reduce((a, b) => a + b, 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {report.unmatched.length > 0 && (
        <details className="unmatched">
          <summary>
            {plural(report.unmatchedCount, 'book')} without a label
          </summary>
          <ul>
            {report.unmatched.map((path) => (
              <li key={path} className="path">
                {path}
              </li>
            ))}
          </ul>
          {report.unmatchedCount > report.unmatched.length && <p className="hint">…and {report.unmatchedCount - report.unmatched.length} more.</p>}
        </details>
      )}
    </div>
  );
}
