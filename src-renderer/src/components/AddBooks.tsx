// Adding a folder of books. The desktop app picks folders with the OS dialog or a drop (the
// main process only accepts folders that came from one of those); a browser cannot see the
// server's disk, so there the path on the server is typed.
import { useId, useState, type DragEvent, type FormEvent } from 'react';
import { errorMessage } from '../state/events';

interface AddBooksProps {
  desktop: ShelfmapDesktopApi | null;
  busy: boolean;
  onAdd(folder: string): Promise<void>;
}

export function AddBooks({ desktop, busy, onAdd }: AddBooksProps) {
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">Add books</h2>
      <p className="hint">Shelfmap reads every .txt file in a folder and its subfolders.</p>
      {desktop ? (
        <>
          <ChooseFolderButton desktop={desktop} busy={busy} onAdd={onAdd} />
          <DropZone desktop={desktop} busy={busy} onAdd={onAdd} />
        </>
      ) : (
        <>
          <FolderPathForm busy={busy} onAdd={onAdd} label="Folder on the computer running Shelfmap" />
          <DropZone desktop={null} busy={busy} onAdd={onAdd} />
        </>
      )}
    </section>
  );
}

function ChooseFolderButton({ desktop, busy, onAdd }: AddBooksProps & { desktop: ShelfmapDesktopApi }) {
  const [problem, setProblem] = useState<string | null>(null);

  async function choose() {
    setProblem(null);
    let folder: string | null;
    try {
      folder = await desktop.pickFolder();
    } catch (failure) {
      setProblem(`The folder dialog did not open: ${errorMessage(failure)}`);
      return;
    }
    if (folder) await onAdd(folder);
  }

  return (
    <>
      <button type="button" className="button primary wide" data-testid="choose-folder" disabled={busy} onClick={choose}>
        Choose folder…
      </button>
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

interface FolderPathFormProps {
  busy: boolean;
  onAdd(folder: string): Promise<void>;
  label: string;
  /** What the button says and the test ids of the field and the button (Add folder by default). */
  action?: { label: string; inputTestId: string; buttonTestId: string; placeholder: string };
}

const ADD_FOLDER = { label: 'Add folder', inputTestId: 'folder-path', buttonTestId: 'add-folder', placeholder: '/home/you/Books' };

/** A folder typed as a path on the computer running Shelfmap (a browser cannot see its disk). */
export function FolderPathForm({ busy, onAdd, label, action = ADD_FOLDER }: FolderPathFormProps) {
  const [folder, setFolder] = useState('');
  const inputId = useId();
  const trimmed = folder.trim();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (trimmed) void onAdd(trimmed);
  }

  return (
    <form className="path-form" onSubmit={submit}>
      <label className="field-label" htmlFor={inputId}>
        {label}
      </label>
      <div className="path-row">
        <input
          id={inputId}
          type="text"
          data-testid={action.inputTestId}
          placeholder={action.placeholder}
          spellCheck={false}
          autoComplete="off"
          value={folder}
          onChange={(event) => setFolder(event.target.value)}
        />
        <button type="submit" className="button primary" data-testid={action.buttonTestId} disabled={busy || !trimmed}>
          {action.label}
        </button>
      </div>
    </form>
  );
}

function DropZone({ desktop, busy, onAdd }: AddBooksProps) {
  const [over, setOver] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  function handleDragOver(event: DragEvent) {
    event.preventDefault();
    event.dataTransfer.dropEffect = desktop && !busy ? 'copy' : 'none';
    setOver(true);
  }

  async function handleDrop(event: DragEvent) {
    // Never let the page navigate to the dropped file.
    event.preventDefault();
    setOver(false);
    if (!desktop) {
      setProblem('Dropping folders needs the desktop app. Type the folder’s path above instead.');
      return;
    }
    if (busy) return;
    const files = [...event.dataTransfer.files];
    const paths = files.map((file) => desktop.pathForFile(file)).filter((path) => path !== '');
    if (paths.length === 0) {
      setProblem('That drop held no folder Shelfmap can read.');
      return;
    }
    setProblem(null);
    for (const path of paths) await onAdd(path);
  }

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}${desktop ? '' : ' unavailable'}`}
      data-testid="drop-zone"
      onDragOver={handleDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={handleDrop}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" className="drop-icon">
        <path d="M3 7.5A1.5 1.5 0 0 1 4.5 6h4l2 2h9A1.5 1.5 0 0 1 21 9.5v8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      </svg>
      {desktop ? <span>or drop a folder here</span> : <span>Drag and drop works in the desktop app; here, type the path.</span>}
      {problem && <span className="drop-problem">{problem}</span>}
    </div>
  );
}
