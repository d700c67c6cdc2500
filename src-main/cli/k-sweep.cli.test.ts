// `shelfmap cluster --k auto` as a user runs it (the built CLI in a child process): it prints
// the proposed k, why, and every k's scores, and `shelfmap runs` shows "auto → 3" (its flags'
// refusals are in arguments.test.ts with every other flag's).
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_COLUMNS, parseCsv } from '../../src-shared/csv';
import { useBuiltCli } from './built-cli';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';

const cli = useBuiltCli('shelfmap-cli-ksweep-');
const shelfmap = cli.run;

describe('shelfmap cluster --k auto', () => {
  it('prints the proposed k, why, and a table of every k; runs shows auto → k', () => {
    const db = join(cli.dir, 'auto.sqlite');
    const out = join(cli.dir, 'auto.csv');
    const run = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', 'auto', '--k-max', '8', '--seed', '7', '--db', db, '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/k = auto over 2\.\.8, \d+\.\d s: proposed k = 3 because the inertia curve bends at k = \d+, and silhouette/);
    expect(run.stderr).toMatch(/Rule: the k with the highest silhouette × stability within 2 of where the inertia curve bends/);
    expect(run.stderr).toMatch(/k +silhouette +stability +sil×stab +inertia\n/);
    expect(run.stderr).toMatch(/\n {2}3 \*[ <]*\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\d/);
    for (const k of [2, 4, 5, 6, 7, 8]) expect(run.stderr).toMatch(new RegExp(`\\n {2}${k}[ <]*\\s+-?\\d\\.\\d{3}`));
    const rows = parseCsv(readFileSync(out, 'utf8')).slice(1);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r[CSV_COLUMNS.indexOf('cluster')]))).toEqual(new Set(['0', '1', '2']));

    const runs = shelfmap('runs', '--db', db);
    expect(runs.status, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/\n1 +\S+ \S+ +auto → 3 +12 +/);
  });

  it('says what to do on a folder of 2 books, and keeps them in the library', () => {
    const folder = join(cli.dir, 'two');
    cpSync(join(FIXTURE_BOOKS_DIR, 'cookery'), folder, { recursive: true });
    rmSync(join(folder, 'the-good-larder.txt'));
    rmSync(join(folder, 'soups-of-the-season.txt'));
    const db = join(cli.dir, 'two.sqlite');
    const run = shelfmap('cluster', folder, '--k', 'auto', '--db', db);
    expect(run.stderr).toMatch(/k = "auto" needs at least 3 books to compare groupings by \(the library has 2\); set k to a number instead/);
    expect(run.status).toBe(2);
    const books = shelfmap('books', '--db', db);
    expect(books.stderr).toMatch(/^2 books\.$/m);
  });
});
