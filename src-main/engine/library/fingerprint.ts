// What makes two files one book: their text, not their bytes. The fingerprint is taken over the
// book's body as readBook leaves it (decoded, BOM dropped, LF line ends, Gutenberg header and
// licence cut), with trailing spaces on each line dropped and Unicode composed (NFC), so the
// same book in UTF-8, UTF-16 or Latin-1, with CRLF or LF line ends, is one book.
import { createHash } from 'node:crypto';
import type { RejectedFile } from '../../../src-shared/domain';

/**
 * Text of only these code points is NFC as it stands: none has a canonical decomposition or
 * composes with what comes before it (tabs, line ends, Latin from the space to U+02FF, the
 * dashes and quotes U+2010-U+2027).
 * Most books are; composing them anyway was a third of fingerprinting.
 */
const MAYBE_NOT_NFC = /[^\t\n\r -\u02ff\u2010-\u2027]/;

/**
 * What the import's word scan (words.ts scanWords) already found out about a body: whether any
 * line ends in a space or tab, and whether it holds a code unit outside those above. Given,
 * the two searches over the whole body are skipped (they were half of fingerprinting).
 */
export interface FingerprintHints {
  spacedLineEnds: boolean;
  maybeNotNfc: boolean;
}

export function normaliseForFingerprint(body: string, hints?: FingerprintHints): string {
  // the same as /[ \t]+$/gm, in half the time on the corpus (a multiline $ is tried everywhere);
  // the regex is tried at every space, so a body with no line ending in one skips it
  const spaced = hints ? hints.spacedLineEnds : body.includes(' \n') || body.includes('\t\n');
  const lines = spaced ? body.replace(/[ \t]+\n/g, '\n') : body;
  // spaces and tabs at the very end (a regex anchored at $ is tried at every space of the book)
  let end = lines.length;
  while (end > 0 && (lines.charCodeAt(end - 1) === 32 || lines.charCodeAt(end - 1) === 9)) end--;
  const trimmed = end === lines.length ? lines : lines.slice(0, end);
  // dropping spaces and tabs changes nothing of what the hint says about the rest
  const maybeNotNfc = hints ? hints.maybeNotNfc : MAYBE_NOT_NFC.test(trimmed);
  return maybeNotNfc ? trimmed.normalize('NFC') : trimmed;
}

/** SHA-256 of the normalised body, hex (`hints`: see FingerprintHints). */
export function bookFingerprint(body: string, hints?: FingerprintHints): string {
  return createHash('sha256').update(normaliseForFingerprint(body, hints), 'utf8').digest('hex');
}

/** How a file whose text is already in the library is left out, naming both paths. */
export function duplicateOf(path: string, bookPath: string): RejectedFile {
  return {
    path,
    reason: 'duplicate',
    message: `${path} has the same text as ${bookPath}, already in the library; it was left out.`,
    duplicateOf: bookPath,
  };
}
