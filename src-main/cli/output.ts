// What the CLI writes: text for a terminal with control characters taken out (a file name or a
// title can hold an escape sequence that would rewrite the screen), and files written whole or
// not at all (a full disk must never leave a truncated labels.csv in place of the last one).
import { randomBytes } from 'node:crypto';
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// C0 controls but tab and line feed, DEL, and C1 controls (ESC [ … sequences start with either).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The text with terminal control characters removed; tabs and line breaks stay. */
export function forTerminal(text: string): string {
  return text.replace(CONTROL, '');
}

/** Writes to stderr with control characters taken out of whatever came from files and books. */
export function say(text: string, out: NodeJS.WritableStream = process.stderr): void {
  out.write(forTerminal(text));
}

/** Why `file` cannot be written, checked before any book is read; null when it can. */
export function unwritableReason(file: string): string | null {
  const folder = dirname(file);
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is not a folder`;
  } catch {
    return `the folder ${folder} does not exist`;
  }
  try {
    if (statSync(file).isDirectory()) return `${file} is a folder`;
    accessSync(file, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `${file} is not writable`;
    if (code !== 'ENOENT') return (error as Error).message;
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `the folder ${folder} is not writable`;
  }
  return null;
}

/** labels.csv's sidecar: labels.json beside it (a name without .csv gets .json added). */
export function sidecarPath(csvFile: string): string {
  return /\.csv$/i.test(csvFile) ? csvFile.replace(/\.csv$/i, '.json') : `${csvFile}.json`;
}

/**
 * Writes `content` to a temporary file beside `file` and renames it into place, so readers see
 * either the old file or the whole new one. A failure (a full disk, say) leaves the old file.
 */
export function writeFileAtomic(file: string, content: string, write: typeof writeFileSync = writeFileSync): void {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    write(temporary, content, { flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
