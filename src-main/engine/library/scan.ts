// Finds the .txt files under a folder. A folder that vanishes or cannot be read part-way through
// is reported and skipped, so one bad subfolder does not lose the rest of the library.
import fs from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import type { RejectedFile } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';

export interface ScanResult {
  /** Absolute paths of the .txt files found, sorted. */
  files: string[];
  /** Subfolders and links that could not be followed. */
  problems: RejectedFile[];
}

export interface ScanOptions {
  signal?: AbortSignal;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

function isGone(error: unknown): boolean {
  return errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';
}

function describeError(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function isTextFileName(name: string): boolean {
  return name.toLowerCase().endsWith('.txt');
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShelfmapError('cancelled', 'The folder scan was cancelled.');
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function checkFolder(folder: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await fs.stat(folder);
  } catch (error) {
    const why = isGone(error) ? 'does not exist' : `cannot be opened (${describeError(error)})`;
    throw new ShelfmapError('folder-missing', `The folder ${folder} ${why}.`);
  }
  if (!stats.isDirectory()) {
    throw new ShelfmapError('folder-missing', `${folder} is a file, not a folder.`);
  }
}

/**
 * Recursively lists the .txt files (any case of the extension) under `folder`. Hidden folders
 * (".git", ".Trash") are skipped; links are followed, but a folder is never entered twice, so
 * link loops end. Throws ShelfmapError 'folder-missing' when `folder` is not a readable folder,
 * and 'cancelled' when the signal aborts.
 */
export async function scanFolder(folder: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const { signal } = opts;
  const root = path.resolve(folder);
  throwIfCancelled(signal);
  await checkFolder(root);

  const files: string[] = [];
  const problems: RejectedFile[] = [];
  const visited = new Set<string>();
  // Real folders are walked before linked ones, so a link back into the tree is skipped as
  // already seen and each file keeps its real path; only links to elsewhere add files.
  const pending = [root];
  const pendingLinks: string[] = [];

  const problem = (where: string, error: unknown, what: string): void => {
    const gone = isGone(error);
    problems.push({
      path: where,
      reason: gone ? 'vanished' : 'unreadable',
      message: gone
        ? `${what} ${where} disappeared during the scan.`
        : `${what} ${where} could not be read (${describeError(error)}).`,
    });
  };

  while (pending.length > 0 || pendingLinks.length > 0) {
    throwIfCancelled(signal);
    const dir = (pending.pop() ?? pendingLinks.shift()) as string;
    let entries: Dirent[];
    try {
      // Checking the real path before reading keeps a link back up the tree from looping.
      const real = await fs.realpath(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => byCodeUnits(a.name, b.name));
    } catch (error) {
      if (dir === root) throw new ShelfmapError('folder-missing', `The folder ${root} cannot be read (${describeError(error)}).`);
      problem(dir, error, 'The folder');
      continue;
    }

    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink() || (!isDir && !isFile)) {
        // A link, or a file system that does not report entry types: ask about the target.
        try {
          const target = await fs.stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          if (!isTextFileName(entry.name)) continue;
          if (entry.isSymbolicLink() && isGone(error)) {
            problems.push({ path: full, reason: 'unreadable', message: `${entry.name} is a link to a file that does not exist.` });
          } else {
            problem(full, error, 'The file');
          }
          continue;
        }
      }
      if (isDir) {
        if (!entry.name.startsWith('.')) (entry.isSymbolicLink() ? pendingLinks : pending).push(full);
      } else if (isFile && isTextFileName(entry.name)) {
        files.push(full);
      }
    }
  }

  files.sort(byCodeUnits);
  problems.sort((a, b) => byCodeUnits(a.path, b.path));
  return { files, problems };
}
