// Table tests of the per-method argument resolvers: the one gate every door's call passes.
import { describe, expect, it } from 'vitest';
import { API_METHODS } from './contract';
import { ARGUMENT_RESOLVERS, resolveArgument } from './arguments';
import { DEFAULT_SETTINGS } from './settings';
import { nearestName } from './check';

function refusal(method: keyof typeof ARGUMENT_RESOLVERS, raw: unknown): string {
  try {
    resolveArgument(method, raw);
  } catch (error) {
    expect((error as { kind?: string }).kind).toBe('invalid-argument');
    return (error as Error).message;
  }
  throw new Error(`${method} accepted ${JSON.stringify(raw)}`);
}

describe('resolveArgument', () => {
  it('has a resolver for every method of the contract', () => {
    expect(Object.keys(ARGUMENT_RESOLVERS).sort()).toEqual([...API_METHODS].sort());
  });

  it('resolves good arguments into what the engine works with', () => {
    expect(resolveArgument('addFolder', { folder: '  /books/gutenberg ' })).toEqual({ folder: '/books/gutenberg' });
    expect(resolveArgument('addFolder', { folder: '~/books' })).toEqual({ folder: '~/books' });
    expect(resolveArgument('addFolder', { folder: 'C:\\Users\\ann\\books' })).toEqual({ folder: 'C:\\Users\\ann\\books' });
    expect(resolveArgument('startRun', {})).toEqual({ settings: DEFAULT_SETTINGS });
    expect(resolveArgument('startRun', undefined)).toEqual({ settings: DEFAULT_SETTINGS });
    expect(resolveArgument('startRun', { settings: { k: 3 }, folder: '/b' })).toEqual({ settings: { ...DEFAULT_SETTINGS, k: 3 }, folder: '/b' });
    expect(resolveArgument('getRun', { runId: 4 })).toEqual({ runId: 4 });
    expect(resolveArgument('listBooks', {})).toEqual({});
    expect(resolveArgument('listBooks', undefined)).toEqual({});
    expect(resolveArgument('bookDetails', { runId: 2, bookId: 5 })).toEqual({ runId: 2, bookId: 5 });
    expect(resolveArgument('bookText', { bookId: 5 })).toEqual({ bookId: 5 });
    expect(resolveArgument('exportFeatures', { runId: 2, out: ' /tmp/f.parquet ' })).toEqual({ runId: 2, out: '/tmp/f.parquet', format: 'parquet' });
    expect(resolveArgument('importLabels', { file: '~/labels.csv', name: ' spark k=40 ' })).toEqual({ file: '~/labels.csv', name: 'spark k=40' });
    expect(resolveArgument('importLabels', { file: '/l.parquet' })).toEqual({ file: '/l.parquet' });
    expect(resolveArgument('renameCluster', { runId: 2, cluster: 0, name: '  Sea stories ' })).toEqual({ runId: 2, cluster: 0, name: 'Sea stories' });
    expect(resolveArgument('renameCluster', { runId: 2, cluster: 3, name: ' \t ' })).toEqual({ runId: 2, cluster: 3, name: null });
    expect(resolveArgument('renameCluster', { runId: 2, cluster: 3, name: 'é'.repeat(80) })).toEqual({ runId: 2, cluster: 3, name: 'é'.repeat(80) });
  });

  it.each<[keyof typeof ARGUMENT_RESOLVERS, unknown, RegExp]>([
    ['addFolder', {}, /"folder" must be a non-empty text, not undefined/],
    ['exportFeatures', { runId: 1 }, /"out" must be a non-empty text, not undefined/],
    ['exportFeatures', { runId: 0, out: '/f.parquet' }, /runId/],
    ['exportFeatures', { runId: 1, out: 'f.parquet' }, /full path/],
    ['exportFeatures', { runId: 1, out: '/f.parquet', format: 'csv' }, /format/],
    ['importLabels', {}, /"file" must be a non-empty text, not undefined/],
    ['importLabels', { file: 'labels.csv' }, /full path/],
    ['importLabels', { file: '/l.csv', name: '  ' }, /"name" must be a non-empty text/],
    ['importLabels', { file: '/l.csv', cluster: 'x' }, /cluster/],
    ['addFolder', { folder: 3 }, /"folder" must be a non-empty text, not 3/],
    ['addFolder', { folder: '   ' }, /"folder" must be a non-empty text/],
    ['addFolder', { folder: 'books/gutenberg' }, /"folder" must be a full path such as \/home\/you\/books or ~\/books, not "books\/gutenberg": Shelfmap cannot tell which folder a relative path starts from/],
    ['addFolder', { folder: '/a\0b' }, /NUL/],
    ['addFolder', { flder: '/books' }, /Unknown field "flder"\. Did you mean "folder"\?/],
    ['addFolder', null, /The argument of addFolder must be an object, not null/],
    ['addFolder', 'books', /must be an object, not the text "books"/],
    ['startRun', { settings: null }, /settings must be an object, not null/],
    ['startRun', { settings: { k: 0 } }, /Setting "k" must be a whole number from 1 to 500, not 0/],
    ['startRun', { setings: {} }, /Unknown field "setings"\. Did you mean "settings"\?/],
    ['startRun', { folder: 'relative' }, /full path/],
    ['getRun', {}, /"runId" must be a whole number from 1/],
    ['getRun', { runId: '3' }, /"runId" must be a whole number from 1 to \d+, not the text "3"/],
    ['getRun', { runId: 0 }, /"runId" must be a whole number/],
    ['cancelRun', { runId: 2.5 }, /"runId" must be a whole number/],
    ['exportCsv', { run: 1 }, /Unknown field "run"\. Did you mean "runId"\?/],
    ['listBooks', { folder: '/x' }, /Unknown field "folder"/],
    ['listRuns', [], /must be an object, not a list/],
    ['renameCluster', { runId: 1, cluster: 0 }, /"name" must be a text \(empty for the automatic name\), not undefined/],
    ['renameCluster', { runId: 1, cluster: 0, name: 7 }, /"name" must be a text/],
    ['renameCluster', { runId: 1, cluster: 0, name: 'x'.repeat(81) }, /"name" is longer than 80 characters \(it has 81\)/],
    ['renameCluster', { runId: 1, cluster: 0, name: 'a\u0007b' }, /must not hold control characters/],
    ['renameCluster', { runId: 1, cluster: 0, name: 'two\nlines' }, /must not hold control characters/],
    ['renameCluster', { runId: 1, cluster: 1.5, name: 'x' }, /"cluster" must be a whole number from 0/],
    ['renameCluster', { runId: 1, cluster: 0, name: 'x', label: 'y' }, /Unknown field "label"/],
    ['bookDetails', { bookId: 3 }, /"runId" must be a whole number from 1/],
    ['bookDetails', { runId: 1, bookId: '3' }, /"bookId" must be a whole number from 1 to \d+, not the text "3"/],
    ['bookDetails', { runId: 1, book: 3 }, /Unknown field "book"\. Did you mean "bookId"\?/],
    ['bookText', {}, /"bookId" must be a whole number from 1/],
    ['bookText', { bookId: 0 }, /"bookId" must be a whole number from 1/],
    ['bookText', { bookId: 2, runId: 1 }, /Unknown field "runId"/],
  ])('%s refuses %j', (method, raw, expected) => {
    expect(refusal(method, raw)).toMatch(expected);
  });
});

describe('nearestName', () => {
  it('suggests close names only', () => {
    expect(nearestName('epoch', ['epochs', 'batchSize'])).toBe('epochs');
    expect(nearestName('BatchSize', ['epochs', 'batchSize'])).toBe('batchSize');
    expect(nearestName('colour', ['k', 'seed', 'backend'])).toBeNull();
  });
});
