import { describe, expect, it } from 'vitest';
import type { Book } from '../../src-shared/domain';
import { openLibraryBook } from './open-book';

const book = (id: number, path: string, status: Book['status'] = 'present'): Book => ({
  id, path, status, title: `Book ${id}`, author: '', language: '', ebookId: null, bytes: 1, sha256: '', fingerprint: '', encoding: 'utf-8', words: 1, addedAt: '',
});

function deps(answer = '') {
  const opened: string[] = [];
  return {
    opened,
    listBooks: async () => [book(1, '/books/one.txt'), book(2, '/books/two.txt', 'missing')],
    openPath: async (path: string) => {
      opened.push(path);
      return answer;
    },
  };
}

describe('openLibraryBook', () => {
  it('opens the file of a book of the library, found by its id', async () => {
    const d = deps();
    expect(await openLibraryBook(1, d)).toBeNull();
    expect(d.opened).toEqual(['/books/one.txt']);
  });

  it('opens nothing for an unknown id, a missing file, or anything but a book id, and says why', async () => {
    const d = deps();
    expect(await openLibraryBook(9, d)).toBe('There is no book 9 in the library.');
    expect(await openLibraryBook(2, d)).toBe('The file of "Book 2" was gone at the last scan of its folder: /books/two.txt');
    expect(await openLibraryBook('/etc/passwd', d)).toMatch(/"bookId" must be a whole number from 1/);
    expect(await openLibraryBook({ path: '/etc/passwd' }, d)).toMatch(/"bookId" must be a whole number/);
    expect(d.opened).toEqual([]);
  });

  it('passes on what the system said when it could not open the file', async () => {
    expect(await openLibraryBook(1, deps('No application is registered'))).toBe('The system could not open /books/one.txt: No application is registered');
  });
});
