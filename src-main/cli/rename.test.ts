// `shelfmap rename`, run as a user runs it (needs "npm run build" first).
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { useBuiltCli } from './built-cli';

const cli = useBuiltCli('shelfmap-rename-');
const shelfmap = cli.run;

describe('shelfmap rename', () => {
  it('checks its arguments before the library is opened', () => {
    const db = join(cli.dir, 'never.sqlite');
    const cases: [string[], RegExp][] = [
      [['rename', 'x', '0', 'Name'], /<run> is a run number/],
      [['rename', '1', 'first', 'Name'], /<cluster> is a cluster number .*not "first"/],
      [['rename', '1', '0'], /rename takes <run> <cluster> <name>/],
      [['rename', '1', '0', '   '], /<name> is empty: give a name, or --clear/],
      [['rename', '1', '0', 'x'.repeat(81)], /"name" is longer than 80 characters/],
      [['rename', '1', '0', 'bell\u0007'], /must not hold control characters/],
      [['rename', '1', '0', 'Name', '--clear'], /rename takes <run> <cluster>:/],
    ];
    for (const [args, message] of cases) {
      const run = shelfmap(...args, '--db', db);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync(db)).toBe(false);
    expect(shelfmap('rename', '--help').stdout).toMatch(/^Usage: shelfmap rename <run> <cluster> <name> \| --clear/);
  });

  it('renames a cluster, exports the name, says so for a run or cluster that is not there, and clears it', () => {
    const db = join(cli.dir, 'library.sqlite');
    expect(shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', '3', '--epochs', '5', '--db', db, '--out', join(cli.dir, 'a.csv')).status).toBe(0);
    const renamed = shelfmap('rename', '1', '0', '  Sea, ships & "sails"  ', '--db', db);
    expect(renamed.status, renamed.stderr).toBe(0);
    expect(renamed.stdout).toMatch(/^Run 1, cluster 0 is now named "Sea, ships & "sails"" \(automatic name: .+\)\.\n$/);
    const rows = parseCsv(shelfmap('export', '1', '--db', db).stdout);
    const [header, ...body] = rows;
    const labels = new Set(body.filter((r) => r[header.indexOf('cluster')] === '0').map((r) => r[header.indexOf('cluster_label')]));
    expect([...labels]).toEqual(['Sea, ships & "sails"']);

    const noRun = shelfmap('rename', '9', '0', 'Name', '--db', db);
    expect(noRun.status).toBe(1);
    expect(noRun.stderr).toMatch(/There is no run 9\./);
    const noCluster = shelfmap('rename', '1', '7', 'Name', '--db', db);
    expect(noCluster.stderr).toMatch(/Run 1 has no cluster 7: its clusters are 0 to 2\./);

    const cleared = shelfmap('rename', '1', '0', '--clear', '--db', db);
    expect(cleared.status, cleared.stderr).toBe(0);
    expect(cleared.stdout).toMatch(/^Run 1, cluster 0 has its automatic name again: /);
  });
});
