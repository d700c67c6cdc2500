// The built `shelfmap` command, run as a user runs it (npm test builds before the unit tests).
import { describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, CSV_COLUMNS } from '../../src-shared/csv';
import { useBuiltCli } from './built-cli';
import { FIXTURE_BOOKS_DIR, makeMixedFolder } from '../../fixtures/fixture-paths';

const cli = useBuiltCli('shelfmap-cli-');
const shelfmap = cli.run;

describe('shelfmap cluster', () => {
  it('writes one CSV row per good book and names every file it left out', () => {
    const folder = makeMixedFolder();
    try {
      const out = join(cli.dir, 'labels.csv');
      const run = shelfmap('cluster', folder, '--k', '3', '--seed', '3', '--epochs', '10', '--db', join(cli.dir, 'a.sqlite'), '--out', out);
      expect(run.status, run.stderr).toBe(0);
      const rows = parseCsv(readFileSync(out, 'utf8'));
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(13);
      expect(new Set(rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('cluster')]))).toEqual(new Set(['0', '1', '2']));
      expect(run.stderr).toMatch(/left out \(empty\): empty\.txt is empty/);
      expect(run.stderr).toMatch(/left out \(binary\): binary\.txt looks like a binary file/);
      expect(run.stderr).toMatch(/backend (wasm|webgpu|tensorflow|cpu)/);
      expect(run.stderr).toMatch(/Wrote 12 rows/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('prints CSV on stdout without --out, and reads settings from a file', () => {
    const settings = join(cli.dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ k: 2, autoencoder: { epochs: 5 }, features: { stem: false } }));
    const run = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--settings', settings, '--db', join(cli.dir, 'b.sqlite'));
    expect(run.status, run.stderr).toBe(0);
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(13);
    expect(new Set(rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('cluster')]))).toEqual(new Set(['0', '1']));
  });

  it('clusters without a network with --embedding lsa, and says no backend was loaded', () => {
    const out = join(cli.dir, 'lsa.csv');
    const run = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', '3', '--embedding', 'lsa', '--db', join(cli.dir, 'lsa.sqlite'), '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Run 1: 12 books, no network \("embedding": "lsa"\), nothing to train;/);
    expect(run.stderr).not.toMatch(/backend (wasm|webgpu|tensorflow|cpu)/);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows).toHaveLength(13);
    // the fixture's three genres, one cluster each
    const byGenre = new Map<string, Set<string>>();
    for (const row of rows.slice(1)) {
      const genre = row[CSV_COLUMNS.indexOf('path')].split('/').at(-2)!;
      byGenre.set(genre, (byGenre.get(genre) ?? new Set()).add(row[CSV_COLUMNS.indexOf('cluster')]));
    }
    expect([...byGenre.values()].map((c) => c.size)).toEqual([1, 1, 1]);
    expect(new Set([...byGenre.values()].map((c) => [...c].join())).size).toBe(3);
    const sidecar = JSON.parse(readFileSync(join(cli.dir, 'lsa.json'), 'utf8'));
    expect(sidecar).toMatchObject({ backend: '', settings: { embedding: 'lsa', lsaComponents: 20 } });
  });

  it('scores a run against subfolders and against a labels table', () => {
    const db = join(cli.dir, 'b.sqlite');
    const byFolder = shelfmap('evaluate', '1', '--labels', 'subfolders', '--db', db);
    expect(byFolder.status, byFolder.stderr).toBe(0);
    expect(byFolder.stdout).toMatch(/^Run 1 against subfolders: 12 books scored\.\nNMI \d\.\d{4} {2}ARI -?\d\.\d{4} {2}V-measure \d\.\d{4} {2}homogeneity \d\.\d{4} {2}completeness \d\.\d{4}\n\ncluster {2}books {2}astronomy {2}cookery {2}sea-voyages\n/);
    const nmi = /NMI (\d\.\d{4})/.exec(byFolder.stdout)![1];
    const table = join(cli.dir, 'genres.csv');
    writeFileSync(
      table,
      ['slug,shelf', ...['the-starry-heavens', 'comets-and-eclipses', 'a-guide-to-the-planets', 'lanterns-of-the-night-sky'].map((s) => `${s},astronomy`), 'harbour-lights,sea-voyages'].join('\n'),
    );
    const byTable = shelfmap('evaluate', '1', '--labels', table, '--id-column', 'slug', '--label-column', 'shelf', '--db', db);
    expect(byTable.status, byTable.stderr).toBe(0);
    expect(byTable.stdout).toMatch(/against genres\.csv \(id "slug", label "shelf"\): 5 books scored, 7 without a label\./);
    expect(nmi).toMatch(/^\d\.\d{4}$/);
    const wrong = shelfmap('evaluate', '1', '--labels', table, '--db', db);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/Say which column holds the id/);
    expect(shelfmap('evaluate', '1', '--db', db).status).toBe(2);
  });

  it('says plainly when the folder does not exist, and keeps the library', () => {
    const run = shelfmap('cluster', join(cli.dir, 'no-such-folder'), '--db', join(cli.dir, 'a.sqlite'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no-such-folder/);
  });

  it('rejects a wrong command or setting with usage help, naming the setting (exit 2)', () => {
    expect(shelfmap('frobnicate').status).toBe(2);
    const badK = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', 'many', '--db', join(cli.dir, 'c.sqlite'));
    expect(badK.status).toBe(2);
    expect(badK.stderr).toMatch(/--k takes a whole number/);
    const zero = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', '0', '--db', join(cli.dir, 'c.sqlite'));
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/Setting "k"/);
  });
});

describe('shelfmap add', () => {
  it('reads a folder of more books than one thread reads alone on the import\'s reader threads, from the built bundle', () => {
    // two copies of the fixture books in other words (each a book of its own): 24 files, past POOL_MIN_FILES
    const folder = join(cli.dir, 'pooled');
    cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
    for (const genre of readdirSync(folder)) {
      for (const name of readdirSync(join(folder, genre))) {
        const text = readFileSync(join(folder, genre, name), 'latin1');
        writeFileSync(join(folder, genre, `again-${name}`), text.replace(/\bthe\b/g, 'a'), 'latin1');
      }
    }
    const db = join(cli.dir, 'pooled.sqlite');
    const run = shelfmap('add', folder, '--db', db);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/24 \.txt files: 24 added/);
    // the progress says how many bytes of how many were read
    expect(run.stderr).toMatch(/read .*\d+ KB of \d+ KB/);
    const again = shelfmap('add', folder, '--db', db);
    expect(again.stdout + again.stderr).toMatch(/0 added, 0 updated, 24 unchanged/);
  });
});
