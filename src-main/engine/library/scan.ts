// Finds the .txt files under a folder. A folder that vanishes or cannot be read part-way through
// is reported and skipped, so one bad subfolder does not lose the rest of the library. Names are
// read as bytes, so a file whose name is not valid UTF-8 is found and read like any other.
import fs from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import type { RejectedFile } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';
import { joinFilePath, showPath, type FilePath } from './file-path';

export interface ScanResult {
  /** The .txt files found, sorted by path; `path` is absolute. */
  files: FilePath[];
  /** Subfolders and links that could not be followed, and links that lead out of the folder. */
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

function isTextFileName(name: Buffer): boolean {
  return name.subarray(-4).toString('latin1').toLowerCase() === '.txt';
}

function isHidden(name: Buffer): boolean {
  return name[0] === 0x2e; // "."
}

/** A byte path as a Set key (latin1 maps each byte to one code unit, so it is exact). */
function key(bytes: Buffer): string {
  return bytes.toString('latin1');
}

async function realPath(where: string | Buffer): Promise<Buffer> {
  return fs.realpath(where, { encoding: 'buffer' });
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
 * Recursively lists the .txt files (any case of the extension) under `folder`. Hidden files and
 * folders (".git", ".Trash", ".~lock.txt") are skipped. Links are followed only while their real
 * path stays inside the folder's real path, and a folder is never entered twice, so link loops
 * end and a link to /usr/share/doc or /proc/self adds nothing (it is reported as left out). A
 * link to a file found anyway under its real path is not listed twice. Throws ShelfmapError
 * 'folder-missing' when `folder` is not a readable folder, and 'cancelled' when the signal aborts.
 */
export async function scanFolder(folder: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const { signal } = opts;
  const root = path.resolve(folder);
  throwIfCancelled(signal);
  await checkFolder(root);
  const realRoot = await realPath(root);
  const realRootPrefix = Buffer.concat([realRoot, Buffer.from(path.sep)]);
  const isInside = (real: Buffer) => real.equals(realRoot) || real.subarray(0, realRootPrefix.length).equals(realRootPrefix);

  const files: FilePath[] = [];
  const problems: RejectedFile[] = [];
  const visitedFolders = new Set<string>();
  const seenFiles = new Set<string>();
  // Real folders are walked before linked ones, and linked files are taken last, so a link back
  // into the tree is skipped as already seen and each file keeps its real path.
  const pending: (string | Buffer)[] = [root];
  const pendingLinks: (string | Buffer)[] = [];
  const linkedFiles: { where: string | Buffer; real: Buffer }[] = [];

  const problem = (where: string | Buffer, error: unknown, what: string): void => {
    const gone = isGone(error);
    const shown = showPath(where);
    problems.push({
      path: shown,
      reason: gone ? 'vanished' : 'unreadable',
      message: gone
        ? `${what} ${shown} disappeared during the scan.`
        : `${what} ${shown} could not be read (${describeError(error)}).`,
    });
  };

  while (pending.length > 0 || pendingLinks.length > 0) {
    throwIfCancelled(signal);
    const dir = (pending.pop() ?? pendingLinks.shift()) as string | Buffer;
    let entries: Dirent<Buffer>[];
    let realDir: Buffer;
    try {
      // Checking the real path before reading keeps a link back up the tree from looping.
      realDir = await realPath(dir);
      if (visitedFolders.has(key(realDir))) continue;
      visitedFolders.add(key(realDir));
      entries = (await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' })).sort((a, b) => Buffer.compare(a.name, b.name));
    } catch (error) {
      if (dir === root) throw new ShelfmapError('folder-missing', `The folder ${root} cannot be read (${describeError(error)}).`);
      problem(dir, error, 'The folder');
      continue;
    }

    for (const entry of entries) {
      if (isHidden(entry.name)) continue;
      const full = joinFilePath(dir, entry.name);
      const shownName = showPath(entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let isLink = entry.isSymbolicLink();
      if (!isDir && !isFile && !isLink) {
        // A file system that does not report entry types, or a socket, pipe or device: ask,
        // without following a link (that is the link branch's to judge).
        try {
          const own = await fs.lstat(full);
          isDir = own.isDirectory();
          isFile = own.isFile();
          isLink = own.isSymbolicLink();
        } catch (error) {
          if (isTextFileName(entry.name)) problem(full, error, 'The file');
          continue;
        }
      }
      if (isLink) {
        let real: Buffer;
        let target: Stats;
        try {
          real = await realPath(full);
          target = await fs.stat(full);
        } catch (error) {
          if (!isTextFileName(entry.name)) continue;
          if (isGone(error)) {
            problems.push({ path: showPath(full), reason: 'unreadable', message: `${shownName} is a link to a file that does not exist.` });
          } else {
            problem(full, error, 'The file');
          }
          continue;
        }
        const isBookLink = target.isFile() && isTextFileName(entry.name);
        if (!target.isDirectory() && !isBookLink) continue;
        if (!isInside(real)) {
          problems.push({
            path: showPath(full),
            reason: 'outside-folder',
            message: `${shownName} is a link to ${showPath(real)}, outside ${root}; links are followed only within the folder.`,
          });
        } else if (target.isDirectory()) {
          pendingLinks.push(full);
        } else {
          linkedFiles.push({ where: full, real });
        }
        continue;
      }
      if (isDir) {
        pending.push(full);
      } else if (isFile && isTextFileName(entry.name)) {
        files.push({ path: showPath(full), fsPath: full });
        seenFiles.add(key(Buffer.concat([realDir, Buffer.from(path.sep), entry.name])));
      }
    }
  }

  for (const { where, real } of linkedFiles) {
    if (seenFiles.has(key(real))) continue;
    seenFiles.add(key(real));
    files.push({ path: showPath(where), fsPath: where });
  }

  files.sort((a, b) => byCodeUnits(a.path, b.path));
  problems.sort((a, b) => byCodeUnits(a.path, b.path));
  return { files, problems };
}
