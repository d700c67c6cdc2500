// "312 MB of 3.9 GB · 41 MB/s · about 1 min left": how far adding books has come by bytes, the
// same words in the window and the CLI (issue 10). Decimal units, as file managers show sizes.
import type { ProgressEvent } from './contract';

/** "812 B", "3.4 KB", "312 MB", "3.9 GB": three significant figures at most, one decimal under 10. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const shown = unit === 0 || value >= 9.95 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[unit]}`;
}

/** "about 20 s left", "about 1 min left", "about 2 h left"; under a second, "almost done". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s left`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${Math.round(seconds / 3600)} h left`;
}

/** The bytes line of a progress event that carries bytes (adding books), or null for one that does not. */
export function byteProgressText(event: Pick<ProgressEvent, 'bytesDone' | 'bytesTotal' | 'bytesPerSecond' | 'secondsLeft'>): string | null {
  if (event.bytesTotal === undefined || event.bytesDone === undefined || event.bytesTotal <= 0) return null;
  const parts = [`${formatSize(event.bytesDone)} of ${formatSize(event.bytesTotal)}`];
  if (event.bytesPerSecond !== undefined && event.bytesPerSecond > 0) {
    parts.push(`${formatSize(event.bytesPerSecond)}/s`);
    if (event.secondsLeft !== undefined && event.bytesDone < event.bytesTotal) parts.push(formatTimeLeft(event.secondsLeft));
  }
  return parts.join(' · ');
}
