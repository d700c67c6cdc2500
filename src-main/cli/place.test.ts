// `shelfmap place`, the built command in a real child process.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, CSV_COLUMNS } from '../../src-shared/csv';
import { useBuiltCli } from './built-cli';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';

const cli = useBuiltCli('shelfmap-place-');
const shelfmap = cli.run;

describe('shelfmap place', () => {
  it('places a new folder on a run, prints where the books went and writes the CSV with placed marked', () => {
    const db = join(cli.dir, 'library.sqlite');
    const made = shelfmap('cluster', join(FIXTURE_BOOKS_DIR, 'astronomy'), '--k', '2', '--seed', '3', '--epochs', '10', '--backend', 'cpu', '--db', db, '--out', join(cli.dir, 'run.csv'));
    expect(made.status, made.stderr).toBe(0);

    const out = join(cli.dir, 'placed.csv');
    const placed = shelfmap('place', '1', join(FIXTURE_BOOKS_DIR, 'cookery'), '--out', out, '--db', db);
    expect(placed.status, placed.stderr).toBe(0);
    expect(placed.stderr).toMatch(/Placed 4 books on run 1 \(backend cpu, [\d.]+ s; its clusters unchanged\):/);
    expect(placed.stderr).toMatch(/ {2}cluster [01] \(.+\): \d/);
    expect(placed.stderr).toMatch(/Wrote the labels of run 1 \(placed books marked\)/);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(9);
    const placedAt = CSV_COLUMNS.indexOf('placed');
    expect(rows.slice(1).filter((r) => r[placedAt] === '1').every((r) => r[0].includes('/cookery/'))).toBe(true);
    expect(rows.slice(1).filter((r) => r[placedAt] === '0').every((r) => r[0].includes('/astronomy/'))).toBe(true);
    expect(rows.slice(1).filter((r) => r[placedAt] === '1')).toHaveLength(4);
    // the run's own rows are as the run wrote them, but for the new column
    const before = parseCsv(readFileSync(join(cli.dir, 'run.csv'), 'utf8')).slice(1);
    expect(rows.slice(1).filter((r) => r[placedAt] === '0').map((r) => r.join(',')).sort()).toEqual(before.map((r) => r.join(',')).sort());

    // export carries the placed column too; stdout without --out
    const exported = shelfmap('export', '1', '--db', db);
    expect(exported.status, exported.stderr).toBe(0);
    expect(parseCsv(exported.stdout)).toEqual(rows);

    // the same folder again: nothing new to place
    const again = shelfmap('place', '1', join(FIXTURE_BOOKS_DIR, 'cookery'), '--db', db);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/No new books in .*cookery: its 4 books are all in run 1 already/);
  });

  it('places on a run made without a network, and says so', () => {
    const db = join(cli.dir, 'lsa.sqlite');
    const made = shelfmap('cluster', join(FIXTURE_BOOKS_DIR, 'astronomy'), '--k', '2', '--embedding', 'lsa', '--db', db);
    expect(made.status, made.stderr).toBe(0);
    const placed = shelfmap('place', '1', join(FIXTURE_BOOKS_DIR, 'cookery'), '--db', db);
    expect(placed.status, placed.stderr).toBe(0);
    expect(placed.stderr).toMatch(/Placed 4 books on run 1 \(no network, [\d.]+ s; its clusters unchanged\):/);
  });

  it('checks its arguments before reading anything (exit 2), and names a missing run or folder (exit 1)', () => {
    const db = join(cli.dir, 'library.sqlite');
    const help = shelfmap('place', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: shelfmap place <run> <folder> \[--out FILE\]/);
    const noFolder = shelfmap('place', '1', '--db', db);
    expect(noFolder.status).toBe(2);
    expect(noFolder.stderr).toMatch(/place takes <run> <folder>/);
    const badRun = shelfmap('place', 'latest', FIXTURE_BOOKS_DIR, '--db', db);
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toMatch(/<run> is a run number/);
    const badOut = shelfmap('place', '1', FIXTURE_BOOKS_DIR, '--out', join(cli.dir, 'no', 'such', 'dir', 'x.csv'), '--db', db);
    expect(badOut.status).toBe(2);
    expect(badOut.stderr).toMatch(/--out .*cannot write there/);
    const missingFolder = shelfmap('place', '1', join(cli.dir, 'no-such-folder'), '--db', db);
    expect(missingFolder.status).toBe(1);
    expect(missingFolder.stderr).toMatch(/no-such-folder does not exist/);
    const missingRun = shelfmap('place', '99', join(FIXTURE_BOOKS_DIR, 'sea-voyages'), '--db', db);
    expect(missingRun.status).toBe(1);
    expect(missingRun.stderr).toMatch(/There is no run 99\./);
    // nothing of those read a book: the library holds the 8 books of the first test
    const books = shelfmap('books', '--db', db);
    expect(books.stderr).toMatch(/^8 books\.$/m);
  });
});
