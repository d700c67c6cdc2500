// The library stage: find .txt files, read them into books, reject what is not a book.
export { scanFolder } from './scan';
export type { ScanOptions, ScanResult } from './scan';
export { decodeText, looksBinary, normaliseLineEnds, utf16ByteOrder, declaredEncoding, BINARY_CONTROL_SHARE, BINARY_SNIFF_BYTES } from './decode';
export type { DecodedText } from './decode';
export { stripGutenberg, readMetadata, titleFromFileName } from './gutenberg';
export type { BookMetadata, GutenbergParts } from './gutenberg';
export { readBook, readBookSync, readScannedBook, looksLikeHtml, countWords, formatBytes, DEFAULT_MAX_BYTES, DEFAULT_MIN_WORDS } from './read-book';
export type { ParsedBook, ReadBookOptions, ReadBookResult } from './read-book';
export { bookFingerprint, duplicateOf, normaliseForFingerprint } from './fingerprint';
export { displayPath, filePathFromBytes, joinFilePath, showPath } from './file-path';
export type { FilePath } from './file-path';
