// The folders added to the library: how many books each holds and how many are missing, when it
// was last read; read one again, or remove it (its books leave the library, past maps keep theirs).
import { useState } from 'react';
import type { LibraryFolder } from '../../../src-shared/domain';
import { plural } from '../format';

interface LibraryFoldersProps {
  folders: LibraryFolder[];
  busy: boolean;
  removal: { ok: boolean; message: string } | null;
  onRescan(folder: string): void;
  onRemove(folder: string): void;
}

export function LibraryFolders({ folders, busy, removal, onRescan, onRemove }: LibraryFoldersProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (folders.length === 0 && !removal) return null;
  return (
    <section className="card" aria-labelledby="folders-title">
      <h2 id="folders-title">Folders in the library</h2>
      {folders.length > 0 && (
        <ul className="folder-list" data-testid="folder-list">
          {folders.map((folder) => (
            <li key={folder.path} className="folder-item" data-testid="folder-item" data-path={folder.path} data-missing={folder.missing}>
              <div className="folder-head">
                <span className="folder-name" title={folder.path}>
                  {folder.path}
                </span>
              </div>
              <p className="folder-meta">
                {plural(folder.books, 'book')}
                {folder.missing > 0 && ` · ${folder.missing} missing`}
                {!folder.exists && ' · the folder is not there now'}
                {folder.lastScannedAt && ` · read ${new Date(folder.lastScannedAt).toLocaleString()}`}
              </p>
              {confirming === folder.path ? (
                <div className="folder-actions" role="group" aria-label={`Remove ${folder.path}?`}>
                  <span className="folder-meta">Remove it and its {plural(folder.books + folder.missing, 'book')}?</span>
                  <button
                    type="button"
                    className="button small"
                    data-testid="confirm-remove-folder"
                    onClick={() => {
                      setConfirming(null);
                      onRemove(folder.path);
                    }}
                  >
                    Remove
                  </button>
                  <button type="button" className="button small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </div>
              ) : (
                <div className="folder-actions">
                  <button type="button" className="button small" data-testid="rescan-folder" disabled={busy || !folder.exists} onClick={() => onRescan(folder.path)}>
                    Read again
                  </button>
                  <button type="button" className="button small" data-testid="remove-folder" disabled={busy} onClick={() => setConfirming(folder.path)}>
                    Remove…
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {removal && (
        <p className={removal.ok ? 'hint' : 'inline-error'} role={removal.ok ? 'status' : 'alert'} data-testid="removal-message">
          {removal.message}
        </p>
      )}
    </section>
  );
}
