import { describe, expect, it } from 'vitest';
import { displayPath, filePathFromBytes, joinFilePath, showPath } from './file-path';

describe('file paths that are not valid UTF-8', () => {
  it('shows valid UTF-8 as it is, and each stray byte as \\xNN', () => {
    expect(displayPath(Buffer.from('/books/café.txt'))).toBe('/books/café.txt');
    expect(displayPath(Buffer.from([0x2f, 0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74]))).toBe('/caf\\xE9.t');
    // a good two-byte "é" next to a lone lead byte and a lone continuation byte
    expect(displayPath(Buffer.from([0xc3, 0xa9, 0xc3, 0x80, 0x80, 0xff]))).toBe('éÀ\\x80\\xFF');
    // an overlong "/" and a UTF-16 surrogate encoded in UTF-8 are not valid UTF-8 either
    expect(displayPath(Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]))).toBe('\\xC0\\xAF\\xED\\xA0\\x80');
  });

  it('keeps a UTF-8 path as a string and any other as its bytes', () => {
    expect(filePathFromBytes(Buffer.from('/a/b.txt'))).toEqual({ path: '/a/b.txt', fsPath: '/a/b.txt' });
    const raw = Buffer.from([0x2f, 0xe9, 0x2e, 0x74, 0x78, 0x74]);
    expect(filePathFromBytes(raw)).toEqual({ path: '/\\xE9.txt', fsPath: raw });
  });

  it('joins a name read as bytes onto a folder, as a string while it can', () => {
    expect(joinFilePath('/books', Buffer.from('café.txt'))).toBe('/books/café.txt');
    const joined = joinFilePath('/books', Buffer.from([0xe9, 0x2e, 0x74, 0x78, 0x74]));
    expect(Buffer.isBuffer(joined) && showPath(joined)).toBe('/books/\\xE9.txt');
    const deeper = joinFilePath(joined, Buffer.from('x.txt'));
    expect(showPath(deeper)).toBe('/books/\\xE9.txt/x.txt');
  });
});
