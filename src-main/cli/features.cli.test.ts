// `shelfmap export-features` and `shelfmap import-labels`, the built command in real child
// processes: a run's features out as Parquet, a labels table (made from it, as a Spark job would)
// back in as a new run, and the refusals that change nothing.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../src-shared/csv';
import { useBuiltCli } from './built-cli';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';

const cli = useBuiltCli('shelfmap-features-cli-');
const shelfmap = cli.run;

describe('shelfmap export-features and import-labels', () => {
  it('exports a run as Parquet and makes a new run from a labels CSV', () => {
    const db = join(cli.dir, 'library.sqlite');
    const made = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--k', '3', '--seed', '3', '--epochs', '10', '--backend', 'cpu', '--db', db, '--out', join(cli.dir, 'run.csv'));
    expect(made.status, made.stderr).toBe(0);

    const out = join(cli.dir, 'features.parquet');
    const exported = shelfmap('export-features', '1', '--out', out, '--db', db);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/Wrote 12 books of run 1 to .*features\.parquet \([\d.]+ MB: TF-IDF over [\d,]+ terms, embeddings of \d+\), and the vocabulary to .*features\.vocabulary\.parquet/);
    expect(existsSync(join(cli.dir, 'features.vocabulary.parquet'))).toBe(true);

    // labels by path, as a job that read the books itself would give them: two made-up clusters
    const rows = parseCsv(shelfmap('export', '1', '--db', db).stdout).slice(1).filter((r) => r.length > 1);
    const labels = join(cli.dir, 'labels.csv');
    writeFileSync(labels, `path,prediction\n${rows.map((r, i) => `"${r[0]}",${i < 6 ? 0 : 1}`).join('\n')}\n`);
    const imported = shelfmap('import-labels', labels, '--name', 'two halves', '--db', db);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/Run 2: 12 books in 2 clusters from .*labels\.csv \(books by "path", clusters by "prediction"\); map: a layout of run 1's embeddings\./);
    expect(imported.stderr).toMatch(/ {2}cluster 0 \(6, "0" in the table\): \S/);
    const listed = shelfmap('runs', '--db', db);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/labels imported from two halves/);
    const run2 = parseCsv(shelfmap('export', '2', '--db', db).stdout).slice(1).filter((r) => r.length > 1);
    expect(run2).toHaveLength(12);
  });

  it('checks its arguments first (exit 2), and a bad labels table changes nothing', () => {
    const db = join(cli.dir, 'library.sqlite');
    const help = shelfmap('export-features', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: shelfmap export-features <run> --out FILE\.parquet/);
    expect(shelfmap('import-labels', '--help').stdout).toMatch(/Usage: shelfmap import-labels <file> \[--name NAME\]/);

    const noOut = shelfmap('export-features', '1', '--db', db);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/needs --out FILE\.parquet/);
    const csvName = shelfmap('export-features', '1', '--out', join(cli.dir, 'f.csv'), '--db', db);
    expect(csvName.status).toBe(2);
    expect(csvName.stderr).toMatch(/give the file a \.parquet name/);
    const format = shelfmap('export-features', '1', '--out', join(cli.dir, 'f.parquet'), '--format', 'csv', '--db', db);
    expect(format.status).toBe(2);
    expect(format.stderr).toMatch(/--format takes parquet, not "csv"/);
    const noRun = shelfmap('export-features', '9', '--out', join(cli.dir, 'f.parquet'), '--db', db);
    expect(noRun.status).toBe(1);
    expect(noRun.stderr).toMatch(/There is no run 9/);
    expect(existsSync(join(cli.dir, 'f.parquet'))).toBe(false);

    const before = shelfmap('runs', '--db', db).stdout;
    const bad = join(cli.dir, 'bad.csv');
    writeFileSync(bad, 'ebook_id,cluster\n424242,1\n90023,\n');
    const refused = shelfmap('import-labels', bad, '--db', db);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/Nothing was imported from .*bad\.csv: 1 row names no book of the library \(line 2: ebook_id "424242"\); 1 row has no usable cluster \(line 3/);
    const missing = shelfmap('import-labels', join(cli.dir, 'absent.csv'), '--db', db);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(shelfmap('runs', '--db', db).stdout).toBe(before);
  });
});
