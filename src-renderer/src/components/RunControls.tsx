// The few settings a librarian chooses for a run; everything else keeps its default.
import { useState, type FormEvent } from 'react';
import type { BackendChoice, KSweep } from '../../../src-shared/domain';
import { DEFAULT_SETTINGS, resolveSettings, type EmbeddingMethod, type RunSettings, type SettingsInput } from '../../../src-shared/settings';
import { plural } from '../format';
import { KSweepChart } from './KSweepChart';

interface RunControlsProps {
  /** Where the fields start: the settings of the map on show, or the defaults. */
  initial: RunSettings;
  /** How the map on show chose its k, when its k was "auto". */
  sweep?: KSweep | null;
  bookCount: number | null;
  active: boolean;
  cancelRequested: boolean;
  disabled: boolean;
  onStart(settings: SettingsInput): void;
  onCancel(): void;
}

const BACKENDS: Array<{ value: BackendChoice; label: string }> = [
  { value: 'auto', label: 'Automatic' },
  { value: 'tensorflow', label: 'TensorFlow (native)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WebAssembly' },
  { value: 'cpu', label: 'Plain JavaScript' },
];

/** A typed number as a number; anything else stays text, for the resolver to refuse by name. */
function typedNumber(text: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
}

/** The form's names for the settings it shows, so the shared resolver's messages read as the form does. */
const FIELD_LABELS: Record<string, string> = {
  k: 'Clusters (k)',
  seed: 'Seed',
  'autoencoder.epochs': 'Training epochs',
  kRange: 'Try k from … to',
  'kRange.min': 'Try k from',
  'kRange.max': 'Try k to',
};

const isAuto = (text: string) => text.trim().toLowerCase() === 'auto';

function formMessage(message: string): string {
  return message.replace(/^Setting "([^"]+)"/, (whole, name: string) => (FIELD_LABELS[name] ? `"${FIELD_LABELS[name]}"` : whole));
}

export function RunControls({ initial, sweep, bookCount, active, cancelRequested, disabled, onStart, onCancel }: RunControlsProps) {
  const [k, setK] = useState(String(initial.k));
  // the number k goes back to when "choose k" is unticked
  const [fixedK, setFixedK] = useState(String(initial.k === 'auto' ? (sweep?.proposed ?? DEFAULT_SETTINGS.k) : initial.k));
  const range = initial.kRange ?? DEFAULT_SETTINGS.kRange;
  const [kMin, setKMin] = useState(String(range.min));
  const [kMax, setKMax] = useState(String(range.max));
  const auto = isAuto(k);
  const [seed, setSeed] = useState(String(initial.seed));
  const [backend, setBackend] = useState<BackendChoice>(initial.backend);
  const [epochs, setEpochs] = useState(String(initial.autoencoder.epochs));
  const [embedding, setEmbedding] = useState<EmbeddingMethod>(initial.embedding ?? DEFAULT_SETTINGS.embedding);
  // the network's shape, epochs and refinement mean nothing without one
  const noNetwork = embedding === 'lsa';
  const [preset, setPreset] = useState<'default' | 'dec'>('default');
  const [refine, setRefine] = useState(initial.refine.enabled);
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const settings: SettingsInput = {
      k: auto ? 'auto' : typedNumber(k),
      ...(auto ? { kRange: { min: typedNumber(kMin), max: typedNumber(kMax) } } : {}),
      seed: typedNumber(seed),
      backend,
      embedding,
      autoencoder: { preset, epochs: typedNumber(epochs) },
      // refinement trains the network further: there is none to refine without one
      refine: { enabled: refine && !noNetwork },
    } as SettingsInput;
    // the same resolver the engine's dispatcher uses: one set of rules and messages
    let resolved: RunSettings;
    try {
      resolved = resolveSettings(settings);
    } catch (failure) {
      return setProblem(formMessage((failure as Error).message));
    }
    if (bookCount !== null && resolved.k !== 'auto' && resolved.k > bookCount) {
      return setProblem(`There ${bookCount === 1 ? 'is' : 'are'} only ${plural(bookCount, 'book')}, so at most ${plural(bookCount, 'cluster')}.`);
    }
    if (bookCount !== null && resolved.k === 'auto' && bookCount < 3) {
      return setProblem(`Choosing k needs at least 3 books to compare groupings by; there ${bookCount === 1 ? 'is 1' : `are ${bookCount}`}. Set a number instead.`);
    }
    setProblem(null);
    onStart(settings);
  }

  const noBooks = bookCount === 0;
  return (
    <form className="run-controls" onSubmit={submit} noValidate>
      <div className="field-row">
        <label className="field">
          <span className="field-label">Clusters (k)</span>
          <input
            type="text"
            inputMode="numeric"
            data-testid="k-input"
            aria-describedby="k-help"
            value={k}
            onChange={(e) => {
              setK(e.target.value);
              if (!isAuto(e.target.value)) setFixedK(e.target.value);
            }}
            disabled={active}
          />
        </label>
        <label className="field">
          <span className="field-label">Seed</span>
          <input type="number" inputMode="numeric" min={0} data-testid="seed-input" value={seed} onChange={(e) => setSeed(e.target.value)} disabled={active} />
        </label>
      </div>
      <label className="check">
        <input
          type="checkbox"
          data-testid="k-auto"
          checked={auto}
          onChange={(e) => setK(e.target.checked ? 'auto' : fixedK)}
          disabled={active}
        />
        <span id="k-help">Choose k for me: try each k and propose one (or type "auto")</span>
      </label>
      {auto && (
        <div className="field-row">
          <label className="field">
            <span className="field-label">Try k from</span>
            <input type="number" inputMode="numeric" min={2} max={500} data-testid="k-min-input" value={kMin} onChange={(e) => setKMin(e.target.value)} disabled={active} />
          </label>
          <label className="field">
            <span className="field-label">to</span>
            <input type="number" inputMode="numeric" min={2} max={500} data-testid="k-max-input" value={kMax} onChange={(e) => setKMax(e.target.value)} disabled={active} />
          </label>
        </div>
      )}
      {auto && bookCount !== null && bookCount >= 3 && Number(kMax) > bookCount - 1 && (
        <p className="hint" data-testid="k-range-hint">
          With {plural(bookCount, 'book')}, k up to {bookCount - 1} is tried.
        </p>
      )}
      {sweep && <KSweepChart sweep={sweep} />}
      <label className="field">
        <span className="field-label">Computation backend</span>
        <select data-testid="backend-select" value={backend} onChange={(e) => setBackend(e.target.value as BackendChoice)} disabled={active}>
          {BACKENDS.map((b) => (
            <option key={b.value} value={b.value}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
      <details className="advanced">
        <summary>Embedding settings</summary>
        <label className="field">
          <span className="field-label">Embedding</span>
          <select data-testid="embedding-select" value={embedding} onChange={(e) => setEmbedding(e.target.value as EmbeddingMethod)} disabled={active}>
            <option value="autoencoder">Autoencoder (a neural network)</option>
            <option value="lsa">LSA only, no network (faster)</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Autoencoder</span>
          <select data-testid="preset-select" value={preset} onChange={(e) => setPreset(e.target.value as 'default' | 'dec')} disabled={active || noNetwork}>
            <option value="default">Shelfmap default</option>
            <option value="dec">DEC paper (500-500-2000-10)</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Training epochs</span>
          <input type="number" inputMode="numeric" min={1} max={5000} data-testid="epochs-input" value={epochs} onChange={(e) => setEpochs(e.target.value)} disabled={active || noNetwork} />
        </label>
        <label className="check">
          <input type="checkbox" data-testid="refine-check" checked={refine && !noNetwork} onChange={(e) => setRefine(e.target.checked)} disabled={active || noNetwork} />
          <span>Refine clusters after K-means (DEC)</span>
        </label>
      </details>
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
      {noBooks && <p className="hint">Add a folder of books first.</p>}
      <div className="actions">
        {active && (
          <button type="button" className="button" data-testid="cancel-run" onClick={onCancel} disabled={cancelRequested}>
            {cancelRequested ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
        <button type="submit" className="button primary" data-testid="make-map" disabled={disabled || active || noBooks}>
          {active ? 'Making map…' : 'Make map'}
        </button>
      </div>
    </form>
  );
}
