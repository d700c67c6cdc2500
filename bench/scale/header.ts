// A corpus book's real header and licence, given a new title, author and eBook number: the
// "Title:" and "Author:" fields, the start and end markers, the opening "Project Gutenberg's X,
// by Y" sentence and every "#1234" of the old number. Donors whose rewritten header Shelfmap
// would not read back exactly (see readsBack) are not used.
import type { DonorBook } from './corpus';
import { readMetadata, stripGutenberg } from '../../src-main/engine/library/gutenberg';

export interface NewIdentity {
  title: string;
  author: string;
  ebookId: number;
}

/** Which encoding the "Character set encoding:" line should name. */
export type DeclaredCharset = 'UTF-8' | 'ISO-8859-1' | 'Windows-1252' | 'UTF-16';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces a "Key: value" field and its indented continuation lines with one line. */
function replaceField(lines: string[], key: string, value: string): string[] {
  const prefix = new RegExp(`^(\\s*${key}\\s*:\\s*)`, 'i');
  const at = lines.findIndex((line) => prefix.test(line));
  if (at < 0) return lines;
  let end = at + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end])) end++;
  const lead = (prefix.exec(lines[at]) as RegExpExecArray)[1];
  return [...lines.slice(0, at), `${lead}${value}`, ...lines.slice(end)];
}

const MARKER = /^([\s*]*)(START|END) OF (THE |THIS )?PROJECT GUTENBERG (E-?BOOK|E-?TEXT)/i;

/** "*** START OF THE PROJECT GUTENBERG EBOOK X ***" lines, a title wrapped onto later lines included. */
function replaceMarkers(lines: string[], title: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (!m) {
      out.push(lines[i]);
      continue;
    }
    if (!/\*\s*$/.test(lines[i])) {
      // the old title wrapped: skip its lines up to the one that closes the marker
      for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
        const line = lines[j].trim();
        if (line === '') break;
        if (line.endsWith('*')) {
          i = j;
          break;
        }
      }
    }
    out.push(`*** ${m[2].toUpperCase()} OF ${(m[3] ?? 'THE ').toUpperCase()}PROJECT GUTENBERG EBOOK ${title.toUpperCase()} ***`);
  }
  return out;
}

/** The opening sentence, "The Project Gutenberg EBook of X, by Y", when the header opens with one. */
function replaceOpening(lines: string[], id: NewIdentity): string[] {
  const at = lines.findIndex((line) => line.trim() !== '');
  if (at < 0 || !/project gutenberg/i.test(lines[at])) return lines;
  let end = at + 1;
  // the sentence may wrap; it ends at a blank line or where "This eBook is for the use..." starts
  while (end < lines.length && lines[end].trim() !== '' && !/^\s*this (e-?book|e-?text)\b/i.test(lines[end])) end++;
  return [...lines.slice(0, at), `The Project Gutenberg EBook of ${id.title}, by ${id.author}`, ...lines.slice(end)];
}

function replaceCharset(lines: string[], charset: DeclaredCharset): string[] {
  return lines.map((line) => line.replace(/^(\s*Character set encoding:\s*).*$/i, `$1${charset}`));
}

/** Every mention of the donor's number ("#1342", "EBook-No. 1342", "/1342/") as the new one. */
function replaceNumber(text: string, from: number | null, to: number): string {
  if (from === null) return text;
  return text.replace(new RegExp(`(#\\s*|No\\.?\\s*|/)${from}\\b`, 'gi'), `$1${to}`);
}

/** Mentions of the donor's title and author (any case) in what is left, as the new ones. */
function replaceNames(text: string, donor: DonorBook, id: NewIdentity): string {
  let out = text;
  for (const [from, to] of [
    [donor.title, id.title],
    [donor.author, id.author],
  ]) {
    if (from.length < 4) continue;
    out = out.replace(new RegExp(escapeRegExp(from), 'gi'), (match) => (match === match.toUpperCase() ? to.toUpperCase() : to));
  }
  return out;
}

export interface RewrittenFrame {
  preamble: string;
  footer: string;
}

/** The donor's preamble and footer with the new identity in place of its own. */
export function rewriteFrame(donor: DonorBook, id: NewIdentity, charset: DeclaredCharset): RewrittenFrame {
  let head = donor.preamble.split('\n');
  head = replaceOpening(head, id);
  head = replaceField(head, 'Title', id.title);
  head = replaceField(head, 'Author', id.author);
  head = replaceCharset(head, charset);
  head = replaceMarkers(head, id.title);
  const foot = replaceMarkers(donor.footer.split('\n'), id.title);
  const fix = (text: string) => replaceNumber(replaceNames(text, donor, id), donor.ebookId, id.ebookId);
  return { preamble: fix(head.join('\n')), footer: fix(foot.join('\n')) };
}

/** True when Shelfmap reads the rewritten donor back as `id`, with `body` as its body. */
export function readsBack(frame: RewrittenFrame, id: NewIdentity, body: string): boolean {
  const parts = stripGutenberg(frame.preamble + body + frame.footer);
  if (parts.body !== body) return false;
  const meta = readMetadata(parts.header, 'probe.txt');
  return meta.title === id.title && meta.author === id.author && meta.ebookId === id.ebookId;
}
