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

function findStart(lines: string[]): number {
  const marker = lines.findIndex((line) => START_MARKER.test(line));
  if (marker >= 0) return marker;
  // Only trust the old small-print ending when it sits in the first half: in 2002-era files the
  // same words close the licence at the very end of the file.
  const old = lines.findIndex((line) => OLD_HEADER_END.test(line));
  return old >= 0 && old < lines.length / 2 ? old : -1;
}

/** The last line of a start marker whose title wrapped ("*** START OF ... EBOOK\nTHE TITLE ***"). */
function startMarkerLastLine(lines: string[], marker: number): number {
  if (/\*\s*$/.test(lines[marker])) return marker;
  for (let i = marker + 1; i < Math.min(lines.length, marker + 4); i++) {
    const line = lines[i].trim();
    if (line === '') break;
    if (line.endsWith('*')) return i;
  }
  return marker;
}

function findEnd(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    if (END_MARKERS.some((marker) => marker.test(lines[i]))) return i;
  }
  return -1;
}

/**
 * Drops up to MAX_CREDIT_PARAGRAPHS paragraphs right after the start marker that credit the
 * e-text's producers: they belong to Gutenberg's front matter, not to the book. Only the leading
 * ones: the same words later on are the book's.
 */
function withoutLeadingCredits(lines: string[]): string[] {
  let at = 0;
  for (let dropped = 0; dropped < MAX_CREDIT_PARAGRAPHS; dropped++) {
    while (at < lines.length && lines[at].trim() === '') at++;
    if (at >= lines.length || !CREDITS.test(lines[at])) break;
    while (at < lines.length && lines[at].trim() !== '') at++;
  }
  return at === 0 ? lines : lines.slice(at);
}

export function stripGutenberg(text: string): GutenbergParts {
  const lines = text.split('\n');
  const start = findStart(lines);
  const bodyStart = start >= 0 ? startMarkerLastLine(lines, start) + 1 : 0;
  const end = findEnd(lines, bodyStart);
  const bodyLines = lines.slice(bodyStart, end >= 0 ? end : lines.length);
  return {
    header: start >= 0 ? lines.slice(0, start).join('\n') : '',
    body: (start >= 0 ? withoutLeadingCredits(bodyLines) : bodyLines).join('\n').trim(),
    hadMarkers: start >= 0 || end >= 0,
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
