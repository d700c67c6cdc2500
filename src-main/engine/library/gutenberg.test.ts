import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-shared/csv';
import { decodeText, looksBinary } from './decode';
import { readEbookId, readMetadata, stripGutenberg, titleFromFileName } from './gutenberg';

const LICENCE = /Project Gutenberg-tm|PROJECT GUTENBERG LICENSE|SMALL PRINT/i;

const HEADER = `The Project Gutenberg EBook of Moby Dick; or The Whale, by Herman Melville

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.  You may copy it, give it away or
re-use it under the terms of the Project Gutenberg License included
with this eBook or online at www.gutenberg.org


Title: Moby Dick; or The Whale

Author: Herman Melville

Release Date: December 25, 2008 [EBook #2701]

Language: English
`;

const BOOK = 'Call me Ishmael. Some years ago, never mind how long precisely.';

const FOOTER = `*** END OF THIS PROJECT GUTENBERG EBOOK MOBY DICK; OR THE WHALE ***

***** This file should be named 2701.txt or 2701.zip *****

*** START: FULL LICENSE ***

THE FULL PROJECT GUTENBERG LICENSE
To protect the Project Gutenberg-tm mission of promoting the free
distribution of electronic works.`;

describe('stripGutenberg', () => {
  it('keeps only the text between the start and end markers', () => {
    const text = `${HEADER}\n*** START OF THIS PROJECT GUTENBERG EBOOK MOBY DICK; OR THE WHALE ***\n\n\n${BOOK}\n\n\n${FOOTER}\n`;
    const parts = stripGutenberg(text);
    expect(parts.body).toBe(BOOK);
    expect(parts.hadMarkers).toBe(true);
    expect(parts.header).toContain('Title: Moby Dick; or The Whale');
    expect(parts.header).not.toContain('START OF');
  });

  it('handles "***START OF THE ..." without spaces, in any case', () => {
    const text = `${HEADER}\n***start of the project gutenberg ebook moby dick***\n${BOOK}\n***End Of The Project Gutenberg EBook Moby Dick***\nlicence`;
    expect(stripGutenberg(text).body).toBe(BOOK);
  });

  it('skips a start marker whose title wraps onto the next line', () => {
    const text = `${HEADER}\n*** START OF THIS PROJECT GUTENBERG EBOOK\nTHE STRANGE CASE OF DR. JEKYLL AND MR. HYDE ***\n\n${BOOK}\n${FOOTER}`;
    expect(stripGutenberg(text).body).toBe(BOOK);
  });

  it('cuts at an "End of the Project Gutenberg EBook of" line before the end marker', () => {
    const text = `${HEADER}\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n${BOOK}\n\nEnd of the Project Gutenberg EBook of Moby Dick, by\nHerman Melville\n\n${FOOTER}`;
    expect(stripGutenberg(text).body).toBe(BOOK);
  });

  it('cuts at a 2002-style small print footer when there is no end marker', () => {
    const text = `${HEADER}\n*** START OF THE PROJECT GUTENBERG EBOOK, X ***\n${BOOK}\n\n***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN EBOOKS**START***\nWhy is this "Small Print!" statement here?\n*END THE SMALL PRINT! FOR PUBLIC DOMAIN EBOOKS*Ver.02/11/02*END*\n`;
    const parts = stripGutenberg(text);
    expect(parts.body).toBe(BOOK);
    expect(parts.body).not.toMatch(LICENCE);
  });

  it('starts an old file after its "*END*THE SMALL PRINT!" header', () => {
    const smallPrint = Array.from({ length: 5 }, (_, i) => `small print line ${i}`).join('\n');
    const book = Array.from({ length: 20 }, (_, i) => `${BOOK} (${i})`).join('\n');
    const text = `Project Gutenberg Etext of Moby Dick, by Herman Melville\n\n${smallPrint}\n*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n${book}\n\nEnd of Project Gutenberg Etext of Moby Dick\n`;
    const parts = stripGutenberg(text);
    expect(parts.body).toBe(book);
    expect(parts.hadMarkers).toBe(true);
    expect(readMetadata(parts.header, 'mobydick.txt')).toEqual({ title: 'Moby Dick', author: 'Herman Melville', language: '', ebookId: null });
  });

  it('does not take a small-print ending near the end of a file for the start of the book', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i} of a file without markers`);
    const text = [...lines, '*END THE SMALL PRINT! FOR PUBLIC DOMAIN EBOOKS*Ver.02/11/02*END*'].join('\n');
    expect(stripGutenberg(text).body.startsWith('line 0 of')).toBe(true);
  });

  it('drops the producers\' credits at the top of the body', () => {
    const text = `${HEADER}\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n\n\n\nProduced by David Widger and the Online\nDistributed Proofreading Team\n\n\n\n\n${BOOK}\n${FOOTER}`;
    expect(stripGutenberg(text).body).toBe(BOOK);
  });

  it('keeps a producers\' line that is part of the book: later in the body, or atop a file without a header', () => {
    const play = 'THE CAST\n\nProduced by the Abbey Theatre, Dublin, in 1904, with the following cast.';
    const text = `${HEADER}\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n\nProduced by David Widger\n\n${BOOK}\n\n${play}\n${FOOTER}`;
    expect(stripGutenberg(text).body).toBe(`${BOOK}\n\n${play}`);
    const own = `Produced by the Abbey Theatre in 1904, this play opens on a farm.\n\n${BOOK}`;
    expect(stripGutenberg(own)).toEqual({ header: '', body: own, hadMarkers: false });
  });

  it('keeps a whole file without markers as the body', () => {
    const text = `\n  My own novel\n\n${BOOK}\n`;
    expect(stripGutenberg(text)).toEqual({ header: '', body: `My own novel\n\n${BOOK}`, hadMarkers: false });
  });
});

describe('readMetadata', () => {
  it('reads the Title:, Author: and Language: lines', () => {
    expect(readMetadata(HEADER, '2701.txt')).toEqual({
      title: 'Moby Dick; or The Whale',
      author: 'Herman Melville',
      language: 'English',
      ebookId: 2701,
    });
  });

  it('joins a subtitle on the next indented line after a colon', () => {
    const header = 'Title: Billie Bradley and Her Inheritance\n       The Queer Homestead at Cherry Corners\n\nAuthor: Janet D. Wheeler\n';
    expect(readMetadata(header, 'x.txt').title).toBe('Billie Bradley and Her Inheritance: The Queer Homestead at Cherry Corners');
  });

  it('joins a wrapped title line (deeper indent, lower case, or after punctuation) with a space', () => {
    const wrapped = 'Title: An Enquiry into the Obligations of Christians to Use Means for the\n          Conversion of the Heathens\n';
    expect(readMetadata(wrapped, 'x.txt').title).toBe('An Enquiry into the Obligations of Christians to Use Means for the Conversion of the Heathens');
    const lower = 'Title: White Jacket\n       or, the World on a Man-of-War\n';
    expect(readMetadata(lower, 'x.txt').title).toBe('White Jacket or, the World on a Man-of-War');
    const dotted = 'Title: The Botanic Garden. Part II.\n       Containing The Loves of the Plants.\n';
    expect(readMetadata(dotted, 'x.txt').title).toBe('The Botanic Garden. Part II. Containing The Loves of the Plants.');
  });

  it('lists several authors from continuation lines', () => {
    expect(readMetadata('Author: Joseph Conrad\n        Ford M. Hueffer\n', 'x.txt').author).toBe('Joseph Conrad and Ford M. Hueffer');
    expect(readMetadata('Author: John Gay\n        Alexander Pope\n        John Arbuthnot\n', 'x.txt').author).toBe(
      'John Gay, Alexander Pope and John Arbuthnot',
    );
  });

  it('falls back to the opening "The Project Gutenberg EBook of X, by Y" sentence', () => {
    const header = 'The Project Gutenberg EBook of The Hampstead Mystery, by John R. Watson, et al\n\nThis eBook is for the use of anyone\n';
    expect(readMetadata(header, '10082.txt')).toEqual({ title: 'The Hampstead Mystery', author: 'John R. Watson', language: '', ebookId: null });
  });

  it('understands the other opening sentences, wrapped or not', () => {
    expect(readMetadata("Project Gutenberg's The Inheritors, by Joseph Conrad\n", 'x.txt')).toMatchObject({
      title: 'The Inheritors',
      author: 'Joseph Conrad',
    });
    expect(readMetadata('The Project Gutenberg eBook, Three Plays by Brieux, by Eugène\nBrieux, Edited by Someone\n', 'x.txt')).toMatchObject({
      title: 'Three Plays by Brieux',
      author: 'Eugène Brieux',
    });
    expect(readMetadata('The Project Gutenberg EBook of Poems\n\nThis eBook is for the use of anyone\n', 'x.txt')).toMatchObject({
      title: 'Poems',
      author: '',
    });
  });

  it('falls back to the file name for the title and "" for the rest', () => {
    expect(readMetadata('', '/books/moby_dick-or-the__whale.TXT')).toEqual({ title: 'moby dick or the whale', author: '', language: '', ebookId: null });
    expect(titleFromFileName('C:\\books\\war_and_peace.txt')).toBe('war and peace');
  });
});

describe('readEbookId', () => {
  it('reads the number from the forms Gutenberg headers use', () => {
    expect(readEbookId('Release Date: June, 1998 [EBook #1342]\n')).toBe(1342);
    expect(readEbookId('Release Date: March 8, 2008  [eBook #84]\nLast updated: 2020\n')).toBe(84);
    expect(readEbookId('Release Date: September, 1996  [Etext #667]\n')).toBe(667);
    expect(readEbookId('Release Date: July, 1993 [Etext# 12]\n')).toBe(12);
    expect(readEbookId('Posting Date: November 1, 2008 [EBook #11]\nRelease Date: March, 1994\n')).toBe(11);
    expect(readEbookId('Release date: June 1, 1998 [eBook #1342]\nMost recently updated: October 29, 2024\n')).toBe(1342);
    expect(readEbookId('Project Gutenberg EBook-No. 7\n')).toBe(7);
    expect(readEbookId('This is EBook #45 of the series\n')).toBe(45);
  });

  it('takes the date line\'s number over one named in the prose, and gives null without one', () => {
    expect(readEbookId('See also our EBook #100, the first volume.\n\nRelease Date: May, 2004 [EBook #5678]\n')).toBe(5678);
    expect(readEbookId('Richard F. Burton (#19 in our series by Burton)\nRelease Date: May, 2004\n')).toBeNull();
    expect(readEbookId('')).toBeNull();
    expect(readEbookId('Release Date: May, 2004 [EBook #0]\n')).toBeNull();
  });
});

// The real corpus lives beside the project (never inside it): <root>/../shared/corpus/gutenberg.
const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus/gutenberg');
const hasCorpus = fs.existsSync(path.join(CORPUS, 'manifest.csv'));
if (!hasCorpus) console.log(`Skipping the Gutenberg corpus tests: no corpus at ${CORPUS}`);

const normalise = (s: string) =>
  s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const sortedWords = (s: string) => normalise(s).split(' ').sort().join(' ');

describe.skipIf(!hasCorpus)('the real Gutenberg corpus', () => {
  it('cuts every header and licence, keeps most of each book, and finds the titles', () => {
    const rows = parseCsv(fs.readFileSync(path.join(CORPUS, 'manifest.csv'), 'utf8')).filter((r) => r.length > 1);
    const [head, ...records] = rows;
    const col = (name: string) => head.indexOf(name);
    expect(records).toHaveLength(197);

    const failures: string[] = [];
    let titlesFound = 0;
    let titlesMatch = 0;
    let authorsMatch = 0;
    let smallestShare = 1;
    let nonUtf8 = 0;
    for (const record of records) {
      const file = record[col('file')];
      const bytes = fs.readFileSync(path.join(CORPUS, file));
      if (looksBinary(bytes)) failures.push(`${file}: taken for binary`);
      const { text, encoding } = decodeText(bytes);
      const expectedEncoding = record[col('encoding')] === 'utf-8' ? 'utf-8' : 'windows-1252';
      if (encoding !== expectedEncoding) failures.push(`${file}: decoded as ${encoding}, manifest says ${record[col('encoding')]}`);
      if (encoding !== 'utf-8') nonUtf8++;

      const { header, body, hadMarkers } = stripGutenberg(text);
      const licence = LICENCE.exec(body);
      if (licence) failures.push(`${file}: licence text in the body: "${body.slice(licence.index, licence.index + 60)}"`);
      if (!hadMarkers) failures.push(`${file}: no markers found`);
      const share = body.length / text.length;
      smallestShare = Math.min(smallestShare, share);
      if (share < 0.45) failures.push(`${file}: body is only ${(share * 100).toFixed(1)}% of the file`);

      const meta = readMetadata(header, file);
      // every corpus file is named by its number, and its header says the same number
      if (meta.ebookId !== Number(record[col('id')])) failures.push(`${file}: ebook id ${meta.ebookId}, manifest says ${record[col('id')]}`);
      if (meta.title !== '' && meta.title !== titleFromFileName(file)) titlesFound++;
      const title = normalise(meta.title);
      const expectedTitle = normalise(record[col('title')]);
      if (title === expectedTitle || title.startsWith(expectedTitle) || expectedTitle.startsWith(title)) titlesMatch++;
      // The manifest has "Last, First"; headers have "First Last": compare the words in any order.
      if (sortedWords(meta.author) === sortedWords(record[col('author')])) authorsMatch++;
    }
    console.log(
      `Corpus: ${records.length} books, titles found ${titlesFound}, titles matching the manifest ${titlesMatch}, ` +
        `authors matching (any word order) ${authorsMatch}, non-UTF-8 files ${nonUtf8}, smallest body share ${(smallestShare * 100).toFixed(1)}%`,
    );
    expect(failures).toEqual([]);
    expect(nonUtf8).toBe(5);
    expect(titlesFound).toBeGreaterThanOrEqual(190);
    // Measured 169 titles and 127 authors; the rest differ in wording (subtitles, "Vol. I" / "Volume 1",
    // co-authors, pen names), not because the header was misread.
    expect(titlesMatch).toBeGreaterThanOrEqual(165);
    expect(authorsMatch).toBeGreaterThanOrEqual(120);
  });
});
