// Cuts a Project Gutenberg file into its header and the book itself, leaving out the licence,
// and reads the title, author and language from the header. Works on LF text (see decode.ts).

export interface GutenbergParts {
  /** Everything before the start marker ("" when there is none). */
  header: string;
  /**
   * The book: between the start and end markers, without the producers' credits that Project
   * Gutenberg puts right after the start marker. A file without a start marker has no header,
   * so nothing is cut from its top: "Produced by ..." there is the book's own text.
   */
  body: string;
  /** True when a start or an end marker was found. */
  hadMarkers: boolean;
}

export interface BookMetadata {
  title: string;
  author: string;
  language: string;
  /** The Project Gutenberg eBook number the header gives ("[EBook #1342]"), or null. */
  ebookId: number | null;
}

// "*** START OF THIS PROJECT GUTENBERG EBOOK X ***", "***START OF THE PROJECT GUTENBERG EBOOK,
// X ***", with any number of asterisks, any case, and sometimes the title wrapped onto the next line.
const START_MARKER = /^[\s*]*START OF (?:THE |THIS )?PROJECT GUTENBERG/i;
// Files from before 2003 end their header with the small print: "*END*THE SMALL PRINT! ...".
const OLD_HEADER_END = /^[\s*]*END\W*THE SMALL PRINT/i;

// Any of these, after the start, begins the footer.
const END_MARKERS: readonly RegExp[] = [
  // "*** END OF THIS PROJECT GUTENBERG EBOOK X ***" and the plain line that often comes just
  // before it, "End of the Project Gutenberg EBook of X, by Y" / "End of Project Gutenberg's X".
  /^[\s*]*END OF (?:THE |THIS )?PROJECT GUTENBERG/i,
  // Footer small print of 2001-2003 files: "***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN EBOOKS**START***".
  /^[\s*]*START\W*THE SMALL PRINT/i,
  // "*** START: FULL LICENSE ***" (the licence that follows the end marker in newer files).
  /^[\s*]*START: FULL LICEN[CS]E/i,
];

// Leading paragraphs that credit the people who made the e-text rather than being the book.
const CREDITS =
  /^\s*(?:produced by|e-?text (?:was )?prepared by|transcribed (?:from|by)|this (?:e-?text|e-?book) was (?:produced|prepared|created|transcribed)|scanned (?:and proofed )?by|note: project gutenberg also has)/i;
const MAX_CREDIT_PARAGRAPHS = 3;

// What each marker must contain, unanchored: a line can match a marker only where one of these
// starts on it, so the text is searched for these and only their lines are tried, instead of
// splitting a whole book into lines (a tenth of adding a book, issue 10's profile).
const START_KEY = /START OF (?:THE |THIS )?PROJECT GUTENBERG/gi;
const OLD_HEADER_END_KEY = /END\W*THE SMALL PRINT/gi;
// (for the end markers, the rarest word each holds: one word searched for is quicker than the three markers' alternation)
const END_KEY = /GUTENBERG|SMALL PRINT|FULL LICEN/gi;

/** Where the line holding `at` starts. */
function lineStartAt(text: string, at: number): number {
  return at <= 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
}

/** Where the line starting at `from` ends (its '\n', or the end of the text). */
function lineEndFrom(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/**
 * The start of the first line at or after offset `from` (a line start) that one of `markers`
 * matches, found through `key` (what each of them contains), or -1.
 */
function firstLineMatching(text: string, from: number, key: RegExp, markers: readonly RegExp[]): number {
  key.lastIndex = from;
  let tried = -1;
  for (let found = key.exec(text); found; found = key.exec(text)) {
    const start = lineStartAt(text, found.index);
    if (start !== tried) {
      tried = start;
      const line = text.slice(start, lineEndFrom(text, start));
      if (markers.some((marker) => marker.test(line))) return start;
    }
    // the next candidate may start inside this one (\W* can run over a line end)
    key.lastIndex = found.index + 1;
  }
  return -1;
}

/** Lines before offset `at` (a line start). */
function linesBefore(text: string, at: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The start offset of the start marker's line, or -1. */
function findStart(text: string): number {
  const marker = firstLineMatching(text, 0, START_KEY, [START_MARKER]);
  if (marker >= 0) return marker;
  // Only trust the old small-print ending when it sits in the first half: in 2002-era files the
  // same words close the licence at the very end of the file.
  const old = firstLineMatching(text, 0, OLD_HEADER_END_KEY, [OLD_HEADER_END]);
  if (old < 0) return -1;
  return linesBefore(text, old) < (linesBefore(text, text.length) + 1) / 2 ? old : -1;
}

/** Where the line after the start marker starts, the marker's title wrapped or not ("*** START OF ... EBOOK\nTHE TITLE ***"); -1 when the marker is the last line. */
function afterStartMarker(text: string, marker: number): number {
  const markerEnd = lineEndFrom(text, marker);
  const next = (end: number) => (end < text.length ? end + 1 : -1);
  if (/\*\s*$/.test(text.slice(marker, markerEnd))) return next(markerEnd);
  let at = next(markerEnd);
  for (let i = 0; i < 3 && at >= 0; i++) {
    const end = lineEndFrom(text, at);
    const line = text.slice(at, end).trim();
    if (line === '') break;
    if (line.endsWith('*')) return next(end);
    at = next(end);
  }
  return next(markerEnd);
}

/**
 * Drops up to MAX_CREDIT_PARAGRAPHS paragraphs right after the start marker that credit the
 * e-text's producers: they belong to Gutenberg's front matter, not to the book. Only the leading
 * ones: the same words later on are the book's. `from` and `to` bound the body's lines (`to` is
 * the end of its last line); returns where the body starts after them.
 */
function withoutLeadingCredits(text: string, from: number, to: number): number {
  let at = from;
  const lineEnd = (start: number) => Math.min(lineEndFrom(text, start), to);
  const blank = (start: number) => text.slice(start, lineEnd(start)).trim() === '';
  for (let dropped = 0; dropped < MAX_CREDIT_PARAGRAPHS; dropped++) {
    while (at <= to && blank(at)) at = lineEnd(at) + 1;
    if (at > to || !CREDITS.test(text.slice(at, lineEnd(at)))) break;
    while (at <= to && !blank(at)) at = lineEnd(at) + 1;
  }
  return at;
}

export function stripGutenberg(text: string): GutenbergParts {
  const { bodyOffset: _, ...parts } = stripGutenbergAt(text);
  return parts;
}

/** stripGutenberg, and where in `text` the body starts. */
export function stripGutenbergAt(text: string): GutenbergParts & { bodyOffset: number } {
  const start = findStart(text);
  // the body's lines run from bodyStart to bodyEnd (the end of its last line); none when bodyStart > bodyEnd
  const bodyStart = start >= 0 ? afterStartMarker(text, start) : 0;
  if (bodyStart < 0) {
    // the start marker is the last line: no body, and no end marker after it
    return { header: start > 0 ? text.slice(0, start - 1) : '', body: '', hadMarkers: true, bodyOffset: text.length };
  }
  const end = firstLineMatching(text, bodyStart, END_KEY, END_MARKERS);
  const bodyEnd = end >= 0 ? end - 1 : text.length;
  const from = start >= 0 ? withoutLeadingCredits(text, bodyStart, bodyEnd) : bodyStart;
  const lines = from > bodyEnd ? '' : text.slice(from, bodyEnd);
  const trimmedStart = lines.trimStart();
  return {
    header: start > 0 ? text.slice(0, start - 1) : '',
    body: trimmedStart.trimEnd(),
    hadMarkers: start >= 0 || end >= 0,
    bodyOffset: from + lines.length - trimmedStart.length,
  };
}

/**
 * A "Key: value" field of the header with its indented continuation lines. A continuation that
 * starts at the value's column is a new part (a subtitle, a second author); one indented deeper,
 * or starting in lower case, is the previous line wrapped.
 */
function headerField(lines: string[], key: string): string[] {
  const prefix = new RegExp(`^\\s*${key}\\s*:\\s*`, 'i');
  const at = lines.findIndex((line) => prefix.test(line));
  if (at < 0) return [];
  const valueColumn = (prefix.exec(lines[at]) as RegExpExecArray)[0].length;
  const parts = [lines[at].slice(valueColumn).trim()];
  for (let i = at + 1; i < lines.length && /^\s+\S/.test(lines[i]); i++) {
    const indent = (/^\s*/.exec(lines[i]) as RegExpExecArray)[0].length;
    const text = lines[i].trim();
    if (indent > valueColumn || /^[a-z]/.test(text)) parts[parts.length - 1] += ` ${text}`;
    else parts.push(text);
  }
  return parts.map(tidy).filter((part) => part !== '');
}

/** "Title" / "Subtitle: more subtitle" — a subtitle follows a colon unless the title ends in punctuation. */
function joinTitle(parts: string[]): string {
  return parts.reduce((title, part, i) => {
    if (i === 0) return part;
    return i === 1 && !/[.,:;!?-]$/.test(title) ? `${title}: ${part}` : `${title} ${part}`;
  }, '');
}

/** "A", "A and B", "A, B and C". */
function joinAuthors(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function tidy(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

// "The Project Gutenberg EBook of X, by Y", "Project Gutenberg's X, by Y",
// "The Project Gutenberg eBook, X, by Y", "Project Gutenberg Etext of X by Y".
const TITLE_LINE =
  /^\s*(?:the )?project gutenberg(?:['’]s|\s+e-?(?:book|text)(?:\s+of|,)?)\s+(.+?)\s*$/i;

/** Title and author from the header's opening sentence, which may wrap over a few lines. */
function fromTitleLine(lines: string[]): { title: string; author: string } {
  const at = lines.findIndex((line) => line.trim() !== '');
  if (at < 0) return { title: '', author: '' };
  const sentence: string[] = [];
  for (let i = at; i < lines.length && lines[i].trim() !== ''; i++) sentence.push(lines[i]);
  const match = TITLE_LINE.exec(tidy(sentence.join(' ')));
  if (!match) return { title: '', author: '' };
  // The sentence runs on into "This eBook is for the use of anyone..." in some files.
  const text = match[1].replace(/\s*\bThis (?:e-?book|e-?text)\b.*$/i, '');
  // The last ", by" splits "Three Plays by Brieux, by Eugène Brieux" correctly.
  const by = /^(.*),\s+by\s+(.+)$/i.exec(text) ?? /^(.*?)\s+by\s+(.+)$/i.exec(text);
  const strip = (s: string) => s.replace(/[\s,.;]+$/, '').trim();
  if (!by) return { title: strip(text), author: '' };
  // "Charles Dickens, Illustrated by Marcus Stone", "Richard F. Burton (#19 in our series by ...)".
  const author = by[2].replace(/\s*(?:,\s*(?:edited|illustrated|translated)\b.*|,?\s*et al\b.*|\(#\d+ in our series.*)$/i, '');
  return { title: strip(by[1]), author: strip(author) };
}

/** "moby_dick-1851.txt" -> "moby dick 1851". */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return tidy(base.replace(/\.[^.]*$/, '').replace(/[_-]+/g, ' '));
}

// "[EBook #1342]", "[eBook #84]", "[Etext #3]", "[Etext# 12]", "EBook-No. 7" (older and German
// files), "Ebook No. 5": a Gutenberg word right before the number. Bracketed forms on the
// Release/Posting Date line come first: a header's prose can name other eBooks ("see also EBook
// #100") but the bracket on the date line is the file's own.
const EBOOK_NUMBER = /\be-?(?:book|text)\s*(?:#|-?\s*no\.?|number)\s*(\d{1,7})\b/i;
const BRACKETED_NUMBER = /\[\s*e-?(?:book|text)\s*(?:#|-?\s*no\.?|number)\s*(\d{1,7})\s*\]/i;

/**
 * The Gutenberg eBook number the header gives, or null when it gives none. The header is what
 * comes before the "*** START OF THE PROJECT GUTENBERG EBOOK ..." marker (see stripGutenberg);
 * a file without one has no header and so no number.
 */
export function readEbookId(header: string): number | null {
  const lines = header.split('\n');
  const dated = lines.find((line) => /\b(?:release|posting|original)\b[^:]*:/i.test(line) && BRACKETED_NUMBER.test(line));
  const match = BRACKETED_NUMBER.exec(dated ?? '') ?? BRACKETED_NUMBER.exec(header) ?? EBOOK_NUMBER.exec(header);
  if (!match) return null;
  const id = Number(match[1]);
  return id > 0 ? id : null;
}

/**
 * Title, author and language from the header's "Title:", "Author:" and "Language:" lines, else
 * from its opening "The Project Gutenberg EBook of X, by Y" sentence, else the file name for the
 * title and "" for what stays unknown.
 */
export function readMetadata(header: string, fileName: string): BookMetadata {
  const lines = header.split('\n');
  const fallback = fromTitleLine(lines);
  return {
    title: joinTitle(headerField(lines, 'Title')) || fallback.title || titleFromFileName(fileName),
    author: joinAuthors(headerField(lines, 'Author')) || fallback.author,
    language: headerField(lines, 'Language').join(' '),
    ebookId: readEbookId(header),
  };
}
