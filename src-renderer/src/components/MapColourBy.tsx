// "Colour by": cluster, author, language, a column of a labels table (matched to the books as
// "Score against labels" matches them), or placed books against the run's own.
import { useId, useState, type ChangeEvent } from 'react';
import { LABELS_ID_COLUMNS, LABELS_LABEL_COLUMNS } from '../../../src-shared/domain';
import { labelsFromTable, type LabelledBook } from '../../../src-shared/labels-match';
import { pickColumn, readLabelsFile } from '../labels-table';
import type { ColourBy } from '../map/colouring';

/** The window reads labels tables up to this size, as Score against labels does. */

export interface LabelsColouring {
  /** "manifest.csv · genre" */
  source: string;
  labels: Map<number, string>;
  matched: number;
  unmatched: number;
}

interface Table {
  name: string;
  csv: string;
  columns: string[];
  idColumn: string;
  labelColumn: string;
}

interface MapColourByProps {
  by: ColourBy;
  books: readonly LabelledBook[];
  placedCount: number;
  onChange(by: ColourBy, labels: LabelsColouring | null): void;
}

const CHOICES: { value: ColourBy; name: string }[] = [
  { value: 'cluster', name: 'Cluster' },
  { value: 'author', name: 'Author' },
  { value: 'language', name: 'Language' },
  { value: 'labels', name: 'A labels file column…' },
  { value: 'placed', name: 'Placed books' },
];

export function MapColourBy({ by, books, placedCount, onChange }: MapColourByProps) {
  const ids = useId();
  const [table, setTable] = useState<Table | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);

  function apply(next: Table) {
    setTable(next);
    try {
      const { labels, unmatched } = labelsFromTable(books, next.csv, {
        idColumn: next.idColumn,
        labelColumn: next.labelColumn,
        idDefaults: LABELS_ID_COLUMNS,
        labelDefaults: LABELS_LABEL_COLUMNS,
      });
      if (labels.size === 0) {
        setError(`No book on the map has a label in ${next.name} (its "${next.idColumn}" column was matched against Gutenberg numbers, file names without extension and paths).`);
        setSummary(null);
        onChange('labels', null);
        return;
      }
      setError(null);
      setSummary(`${next.name}: ${labels.size} of ${books.length} books matched${unmatched.length > 0 ? `; ${unmatched.length} without a label` : ''}.`);
      onChange('labels', { source: `${next.name} · ${next.labelColumn}`, labels, matched: labels.size, unmatched: unmatched.length });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setSummary(null);
      onChange('labels', null);
    }
  }

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setError(null);
    if (!file) return;
    const read = await readLabelsFile(file);
    if ('error' in read) {
      // the table chosen before (if any) keeps colouring the map
      setError(read.error);
      return;
    }
    apply({
      ...read,
      idColumn: pickColumn(read.columns, LABELS_ID_COLUMNS, read.columns[0]),
      labelColumn: pickColumn(read.columns, LABELS_LABEL_COLUMNS, read.columns[read.columns.length - 1]),
    });
  }

  return (
    <div className="map-colour-by">
      <label className="inline-field">
        <span>Colour by</span>
        <select
          value={by}
          data-testid="colour-by"
          onChange={(e) => {
            const next = e.target.value as ColourBy;
            setError(null);
            if (next === 'labels') {
              if (table) apply(table);
              else onChange('labels', null);
            } else onChange(next, null);
          }}
        >
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.value === 'placed' ? `${c.name} (${placedCount})` : c.name}
            </option>
          ))}
        </select>
      </label>
      {by === 'labels' && (
        <div className="colour-labels" role="group" aria-label="Labels file to colour by">
          <label className="inline-field">
            <span>Labels file</span>
            <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" onChange={(e) => void chooseFile(e)} data-testid="colour-labels-file" />
          </label>
          {table && (
            <>
              <label className="inline-field">
                <span>Book id column</span>
                <select value={table.idColumn} onChange={(e) => apply({ ...table, idColumn: e.target.value })} data-testid="colour-id-column" id={`${ids}-id`}>
                  {table.columns.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label className="inline-field">
                <span>Label column</span>
                <select value={table.labelColumn} onChange={(e) => apply({ ...table, labelColumn: e.target.value })} data-testid="colour-label-column">
                  {table.columns.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
            </>
          )}
          {summary && (
            <span className="hint" data-testid="colour-labels-summary">
              {summary}
            </span>
          )}
          {!table && !error && <span className="hint">Choose a CSV table with a book id column (Gutenberg number, file name or path) and a label column.</span>}
        </div>
      )}
      {error && (
        <p className="inline-error" role="alert" data-testid="colour-error">
          {error}
        </p>
      )}
    </div>
  );
}
