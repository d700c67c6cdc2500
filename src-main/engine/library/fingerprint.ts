// What makes two files one book: their text, not their bytes. The fingerprint is taken over the
// book's body as readBook leaves it (decoded, BOM dropped, LF line ends, Gutenberg header and
// licence cut), with trailing spaces on each line dropped and Unicode composed (NFC), so the
// same book in UTF-8, UTF-16 or Latin-1, with CRLF or LF line ends, is one book.
import { createHash } from 'node:crypto';
import type { RejectedFile } from '../../../src-shared/domain';

export function normaliseForFingerprint(body: string): string {
  // the same as /[ \t]+$/gm, in half the time on the corpus (a multiline $ is tried everywhere)
  return body.replace(/[ \t]+\n/g, '\n').replace(/[ \t]+$/, '').normalize('NFC');
}

/** SHA-256 of the normalised body, hex. */
export function bookFingerprint(body: string): string {
  return createHash('sha256').update(normaliseForFingerprint(body), 'utf8').digest('hex');
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
