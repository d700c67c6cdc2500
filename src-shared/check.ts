// The checks every incoming value goes through, shared by the settings resolver and the
// per-method argument resolvers: each failure names the field and what it accepts.
import { ShelfmapError } from './errors';

export function invalid(message: string): never {
  throw new ShelfmapError('invalid-argument', message);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, in words, for messages ("a list", "null", "the text \"12\""). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The known name closest to `name`, when it is close enough to be a slip of the keyboard. */
export function nearestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/**
 * An object whose keys are all known. `where` names it in messages ("settings.features",
 * "the argument of addFolder"); `prefix` is put before each key ("features.").
 */
export function knownFields(value: unknown, where: string, known: readonly string[], prefix = ''): Record<string, unknown> {
  if (!isPlainObject(value)) invalid(`${where} must be an object, not ${describeValue(value)}.`);
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    const hint = near ? ` Did you mean "${prefix}${near}"?` : '';
    invalid(`Unknown ${where === 'settings' || prefix ? 'setting' : 'field'} "${prefix}${key}".${hint} Known: ${known.map((k) => prefix + k).join(', ')}.`);
  }
  return value;
}

/** How messages name a field: 'Setting "k"', '"folder"'. Callers pass that subject as `field`. */
export const settingName = (name: string): string => `Setting "${name}"`;
export const fieldName = (name: string): string => `"${name}"`;

export function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(`${field} must be a whole number from ${min} to ${max}, not ${describeValue(value)}.`);
  }
  return value;
}

export function numberIn(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(`${field} must be a number from ${min} to ${max}, not ${describeValue(value)}.`);
  }
  return value;
}

export function trueOrFalse(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') invalid(`${field} must be true or false, not ${describeValue(value)}.`);
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    const near = typeof value === 'string' ? nearestName(value, choices) : null;
    invalid(`${field} must be one of ${choices.join(', ')}, not ${describeValue(value)}.${near ? ` Did you mean "${near}"?` : ''}`);
  }
  return value as T;
}

export function nonEmptyText(value: unknown, field: string, maxLength = 4096): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(`${field} must be a non-empty text, not ${describeValue(value)}.`);
  if (value.length > maxLength) invalid(`${field} is longer than ${maxLength} characters.`);
  if (value.includes('\0')) invalid(`${field} must not hold a NUL character.`);
  return value;
}

/** An absolute path, or one starting with "~" (the engine expands it to the home folder). */
export function absolutePath(value: unknown, field: string): string {
  const text = nonEmptyText(value, field).trim();
  const absolute = text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\');
  const home = text === '~' || text.startsWith('~/') || text.startsWith('~\\');
  if (!absolute && !home) {
    invalid(
      `${field} must be a full path such as /home/you/books or ~/books, not ${JSON.stringify(text)}: ` +
        'Shelfmap cannot tell which folder a relative path starts from.',
    );
  }
  return text;
}
