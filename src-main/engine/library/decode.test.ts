import { describe, expect, it } from 'vitest';
import { BINARY_SNIFF_BYTES, declaredEncoding, decodeText, looksBinary, normaliseLineEnds, utf16ByteOrder } from './decode';

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('decodeText', () => {
  it('reads plain ASCII as UTF-8', () => {
    expect(decodeText(ascii('Call me Ishmael.'))).toEqual({ text: 'Call me Ishmael.', encoding: 'utf-8' });
  });

  it('reads valid UTF-8 with accents as UTF-8', () => {
    const result = decodeText(new Uint8Array(Buffer.from('José Martí — café', 'utf8')));
    expect(result).toEqual({ text: 'José Martí — café', encoding: 'utf-8' });
  });

  it('drops a UTF-8 byte order mark', () => {
    const result = decodeText(bytes(0xef, 0xbb, 0xbf, 0x48, 0x69));
    expect(result).toEqual({ text: 'Hi', encoding: 'utf-8' });
    expect(result.text.charCodeAt(0)).toBe(0x48);
  });

  it('keeps a file with a BOM as UTF-8 even when one byte is bad', () => {
    // "é" in UTF-8, then a stray 0xE9: one replacement character, not mojibake for the "é".
    const result = decodeText(bytes(0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0x20, 0xe9));
    expect(result).toEqual({ text: 'é \ufffd', encoding: 'utf-8' });
  });

  it('reads Latin-1 bytes (0xE9 is é) as Windows-1252', () => {
    // "José" in Latin-1 is not valid UTF-8: 0xE9 starts a three-byte sequence.
    expect(decodeText(ascii('Jos\xe9 Mart\xed'))).toEqual({ text: 'José Martí', encoding: 'windows-1252' });
  });

  it('reads Windows-1252 curly quotes (0x93, 0x94), dashes and the euro sign', () => {
    const result = decodeText(bytes(0x93, 0x48, 0x69, 0x94, 0x20, 0x97, 0x20, 0x80, 0x35));
    expect(result).toEqual({ text: '\u201cHi\u201d \u2014 \u20ac5', encoding: 'windows-1252' });
  });

  it('maps 0xA0-0xFF to the same code points, as Latin-1 does', () => {
    const high = Array.from({ length: 0x60 }, (_, i) => 0xa0 + i);
    const { text } = decodeText(bytes(...high));
    expect([...text].map((c) => c.charCodeAt(0))).toEqual(high);
  });

  it('turns CRLF and lone CR into LF', () => {
    expect(decodeText(ascii('one\r\ntwo\rthree\nfour\r\n')).text).toBe('one\ntwo\nthree\nfour\n');
    expect(decodeText(ascii('caf\xe9\r\nbar')).text).toBe('café\nbar');
  });
});

describe('normaliseLineEnds', () => {
  it('leaves LF text alone and does not merge LF CR into one break', () => {
    expect(normaliseLineEnds('a\nb')).toBe('a\nb');
    expect(normaliseLineEnds('a\n\rb')).toBe('a\n\nb');
  });
});

describe('looksBinary', () => {
  it('says text is text, including tabs, form feeds and Latin-1 letters', () => {
    expect(looksBinary(ascii('Chapter I.\n\n\tIt was a dark night.\f\r\nCaf\xe9 au lait.\n'))).toBe(false);
  });

  it('says an empty file is not binary (it is rejected as empty instead)', () => {
    expect(looksBinary(new Uint8Array(0))).toBe(false);
  });

  it('flags a single NUL byte', () => {
    expect(looksBinary(ascii('Almost all text\x00 but not quite'))).toBe(true);
  });

  it('flags a high share of control bytes even without NULs', () => {
    const data = new Uint8Array(1000).fill(0x41);
    for (let i = 0; i < 100; i++) data[i * 10] = 0x01 + (i % 8);
    expect(looksBinary(data)).toBe(true);
  });

  it('tolerates a few stray control bytes in a long text', () => {
    const data = new Uint8Array(1000).fill(0x41);
    data[10] = 0x01;
    data[500] = 0x02;
    expect(looksBinary(data)).toBe(false);
  });

  it('only looks at the first 8 KB', () => {
    const data = new Uint8Array(BINARY_SNIFF_BYTES + 10).fill(0x61);
    data[BINARY_SNIFF_BYTES + 5] = 0;
    expect(looksBinary(data)).toBe(false);
    data[BINARY_SNIFF_BYTES - 1] = 0;
    expect(looksBinary(data)).toBe(true);
  });
});

describe('UTF-16 and declared encodings', () => {
  const text = 'Call me Ishmael. Caf\u00e9, na\u00efve \u2014 \u201cquoted\u201d.\r\nNext line.';
  const utf16be = (s: string) => {
    const le = Buffer.from(s, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return le;
  };
  const expected = 'Call me Ishmael. Caf\u00e9, na\u00efve \u2014 \u201cquoted\u201d.\nNext line.';

  it('reads UTF-16 LE and BE, with a BOM and without one, and drops the BOM', () => {
    const le = Buffer.from(text, 'utf16le');
    const be = utf16be(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))).toEqual({ text: expected, encoding: 'utf-16le' });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text: expected, encoding: 'utf-16be' });
    expect(decodeText(le)).toEqual({ text: expected, encoding: 'utf-16le' });
    expect(decodeText(be)).toEqual({ text: expected, encoding: 'utf-16be' });
  });

  it('tells UTF-16 without a BOM by its NUL pattern, not ASCII text or binary data', () => {
    expect(utf16ByteOrder(Buffer.from('plain words', 'utf16le'))).toBe('utf-16le');
    expect(utf16ByteOrder(utf16be('plain words'))).toBe('utf-16be');
    // Cyrillic has no NUL bytes in its letters, only in the spaces and punctuation between them
    expect(utf16ByteOrder(Buffer.from('Война и мир. Том первый, часть первая.', 'utf16le'))).toBe('utf-16le');
    expect(utf16ByteOrder(ascii('plain words'))).toBeNull();
    // zeros on both sides: binary, not text
    expect(utf16ByteOrder(bytes(0, 0, 0, 0, 0x41, 0, 0, 0))).toBeNull();
  });

  it('does not take UTF-16 text for binary, but still flags binary data that looks like it', () => {
    expect(looksBinary(Buffer.from(text, 'utf16le'))).toBe(false);
    expect(looksBinary(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]))).toBe(false);
    // little-endian 16-bit numbers: NUL high bytes, but control codes as characters
    const numbers = Buffer.alloc(400);
    for (let i = 0; i < 200; i++) numbers.writeUInt16LE(1 + (i % 20), i * 2);
    expect(looksBinary(numbers)).toBe(true);
  });

  it('reads what the Gutenberg header declares when the bytes are not UTF-8', () => {
    const book = (charset: string, body: number[]) =>
      Buffer.concat([ascii(`Title: X\r\nCharacter set encoding: ${charset}\r\n\r\n`), bytes(...body)]);
    expect(decodeText(book('ISO-8859-1', [0x63, 0x61, 0x66, 0xe9]))).toMatchObject({ text: expect.stringMatching(/café$/), encoding: 'iso-8859-1' });
    expect(decodeText(book('ISO Latin-1', [0xe9]))).toMatchObject({ encoding: 'iso-8859-1' });
    expect(decodeText(book('Latin1', [0xe9]))).toMatchObject({ encoding: 'iso-8859-1' });
    // ISO-8859-15: 0xA4 is the euro sign, 0xBD "œ"
    expect(decodeText(book('ISO-8859-15', [0xa4, 0x35, 0x20, 0x62, 0xbd, 0x75, 0x66]))).toMatchObject({
      text: expect.stringMatching(/€5 bœuf$/),
      encoding: 'iso-8859-15',
    });
    expect(decodeText(book('Windows-1252', [0x93, 0x48, 0x94]))).toMatchObject({ text: expect.stringMatching(/\u201cH\u201d$/), encoding: 'windows-1252' });
    // declared UTF-8 with one bad byte: UTF-8 still, the bad byte replaced
    expect(decodeText(book('UTF-8', [0xc3, 0xa9, 0x20, 0xe9]))).toMatchObject({ text: expect.stringMatching(/é \ufffd$/), encoding: 'utf-8' });
    // "ASCII" is wrong for a file with 8-bit bytes, and an encoding Shelfmap does not read says nothing
    expect(decodeText(book('ASCII', [0xe9]))).toMatchObject({ text: expect.stringMatching(/é$/), encoding: 'windows-1252' });
    expect(decodeText(book('KOI8-R', [0xe9]))).toMatchObject({ encoding: 'windows-1252' });
    expect(declaredEncoding(ascii('no header at all'))).toBeNull();
  });
});
