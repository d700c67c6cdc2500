// `shelfmap export` and `cluster --out`: the labels CSV with its labels.json sidecar beside it,
// or the JSON alone; a wrong run, format or --out is refused plainly. The built CLI, real files.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_COLUMNS, parseCsv } from '../../src-shared/csv';
import type { RunLabelsSidecar } from '../../src-shared/domain';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { PROJECT_ROOT, useBuiltCli } from './built-cli';
import { sidecarPath } from './output';

const cli = useBuiltCli('shelfmap-cli-export-');
const shelfmap = cli.run;

describe('shelfmap export', () => {
  it('names the sidecar after the CSV', () => {
    expect(sidecarPath('/out/labels.csv')).toBe('/out/labels.json');
    expect(sidecarPath('/out/LABELS.CSV')).toBe('/out/LABELS.json');
    expect(sidecarPath('/out/labels')).toBe('/out/labels.json');
  });

  it('writes labels.json beside labels.csv from cluster and export, or the JSON alone with --format json', () => {
    const db = join(cli.dir, 'lib.sqlite');
    const out = join(cli.dir, 'labels.csv');
    const run = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', '3', '--seed', '4', '--epochs', '8', '--backend', 'cpu', '--db', db, '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Wrote the sidecar .* to .*labels\.json/);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const ebookIds = rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('ebook_id')]);
    expect(ebookIds.every((id) => /^9\d{4}$/.test(id))).toBe(true);

    const sidecar = JSON.parse(readFileSync(join(cli.dir, 'labels.json'), 'utf8')) as RunLabelsSidecar;
    const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(sidecar).toMatchObject({ format: 'shelfmap-labels', shelfmapVersion: version, runId: 1, seed: 4, backend: 'cpu', books: { count: 12 } });
    expect(sidecar.settings).toMatchObject({ k: 3, seed: 4, backend: 'cpu', autoencoder: { epochs: 8 } });
    expect(sidecar.books.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(sidecar.timings).length).toBeGreaterThan(0);
    expect(sidecar.clusters).toHaveLength(3);
    expect(sidecar.clusters.reduce((n, c) => n + c.size, 0)).toBe(12);
    for (const c of sidecar.clusters) {
      expect(c.terms.length).toBeGreaterThan(0);
      expect(c.representatives.length).toBeGreaterThan(0);
      for (const r of c.representatives) {
        const row = rows.find((cells) => cells[0] === r.path)!;
        expect([row[CSV_COLUMNS.indexOf('ebook_id')], row[CSV_COLUMNS.indexOf('title')], row[CSV_COLUMNS.indexOf('cluster')]]).toEqual([String(r.ebook_id), r.title, String(c.id)]);
      }
    }

    // export of the same run: the same two files, byte for byte
    const again = join(cli.dir, 'again.csv');
    const exported = shelfmap('export', '1', '--out', again, '--db', db);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    expect(readFileSync(join(cli.dir, 'again.json'), 'utf8')).toBe(readFileSync(join(cli.dir, 'labels.json'), 'utf8'));
    // --format json: the sidecar alone, to stdout or to --out
    const json = shelfmap('export', '1', '--format', 'json', '--db', db);
    expect(json.status, json.stderr).toBe(0);
    expect(json.stdout).toBe(readFileSync(join(cli.dir, 'labels.json'), 'utf8'));
    const only = join(cli.dir, 'only.json');
    expect(shelfmap('export', '1', '--format', 'json', '--out', only, '--db', db).status).toBe(0);
    expect(readFileSync(only, 'utf8')).toBe(json.stdout);
    // CSV to stdout writes no file
    const before = readdirSync(cli.dir).sort();
    expect(shelfmap('export', '1', '--db', db).stdout).toBe(readFileSync(out, 'utf8'));
    expect(readdirSync(cli.dir).sort()).toEqual(before);
  });

  it('refuses an unknown or foreign run, a wrong format and an --out the sidecar would overwrite, and writes nothing', () => {
    const db = join(cli.dir, 'lib.sqlite');
    const other = join(cli.dir, 'other.sqlite');
    expect(shelfmap('runs', '--db', other).status).toBe(0);
    // run 1 is in lib.sqlite (see above), not in this other library
    for (const format of ['csv', 'json']) {
      const foreign = shelfmap('export', '1', '--format', format, '--out', join(cli.dir, `foreign.${format}`), '--db', other);
      expect(foreign.status).toBe(1);
      expect(foreign.stderr).toMatch(/There is no run 1\./);
      expect(existsSync(join(cli.dir, `foreign.${format}`))).toBe(false);
      expect(existsSync(join(cli.dir, 'foreign.json'))).toBe(false);
    }
    const unknown = shelfmap('export', '42', '--format', 'json', '--db', db);
    expect([unknown.status, unknown.stdout]).toEqual([1, '']);
    expect(unknown.stderr).toMatch(/There is no run 42\./);

    const format = shelfmap('export', '1', '--format', 'xml', '--db', db);
    expect(format.status).toBe(2);
    expect(format.stderr).toMatch(/--format takes csv or json, not "xml"/);
    const clash = shelfmap('export', '1', '--out', join(cli.dir, 'labels.json'), '--db', db);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/sidecar would be written over it; give the CSV a \.csv name, or ask for --format json/);
    writeFileSync(join(cli.dir, 'keep.json'), 'mine');
    const gone = shelfmap('export', '1', '--out', join(cli.dir, 'no', 'such', 'labels.csv'), '--db', db);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toMatch(/cannot write there: the folder .* does not exist/);
    expect(readFileSync(join(cli.dir, 'keep.json'), 'utf8')).toBe('mine');
    expect(shelfmap('export', '--help').stdout).toMatch(/--format F +csv \(default: the CSV, and the sidecar beside --out\) or json/);
  });
});
