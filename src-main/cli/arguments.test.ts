// The CLI checks every argument before it reads a single book, and answers a wrong command or
// setting with exit 2: run as a user runs it, the built `shelfmap` in a child process.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, SHELFMAP_BIN, useBuiltCli } from './built-cli';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';

const cli = useBuiltCli('shelfmap-cli-args-');
const shelfmap = cli.run;

describe('shelfmap arguments', () => {
  it.each<[string, string[], RegExp]>([
    ['k of 0', ['--k', '0'], /Setting "k" must be a whole number from 1 to 500, not 0/],
    ['an unknown backend', ['--backend', 'gpu'], /Setting "backend" must be one of auto, tensorflow, webgpu, wasm, cpu/],
    ['an --out in a folder that does not exist', ['--out', 'no/such/folder/labels.csv'], /--out no\/such\/folder\/labels\.csv: cannot write there: the folder .* does not exist/],
    ['an --out that is a folder', ['--out', '.'], /cannot write there: .* is a folder/],
    ['epochs as a word', ['--epochs', 'ten'], /--epochs takes a whole number/],
    ['an unknown flag', ['--kk', '3'], /Unknown option '--kk'/],
    ['a preset that does not exist', ['--preset', 'huge'], /"autoencoder\.preset" must be one of default, dec/],
    ['an embedding that does not exist', ['--embedding', 'pca'], /Setting "embedding" must be one of autoencoder, lsa/],
    ['refinement without a network', ['--embedding', 'lsa', '--refine', 'on'], /with "embedding": "lsa" there is no network/],
    ['a word other than auto', ['--k', 'some'], /--k takes a whole number or auto, not "some"/],
    ['a range without --k auto', ['--k', '5', '--k-max', '9'], /--k-min and --k-max set the range "--k auto" tries; give them with --k auto/],
    ['a range from 1', ['--k', 'auto', '--k-min', '1'], /Setting "kRange\.min" must be a whole number from 2 to 500, not 1/],
    ['a range upside down', ['--k', 'auto', '--k-min', '9', '--k-max', '4'], /Setting "kRange" must have min no larger than max, not 9\.\.4/],
    ['a range that is not a number', ['--k', 'auto', '--k-max', 'lots'], /--k-max takes a whole number, not "lots"/],
  ])('refuses %s with exit 2 before any book is read', (_, flags, message) => {
    const db = join(cli.dir, `never-${Math.random().toString(36).slice(2)}.sqlite`);
    const run = shelfmap('cluster', FIXTURE_BOOKS_DIR, ...flags, '--db', db);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    // nothing was read: the library was not even opened
    expect(existsSync(db)).toBe(false);
  });

  it.each<[string, string, RegExp]>([
    ['a string', '"k=3"', /must hold a JSON object of settings, not the text "k=3"/],
    ['a list', '[1, 2]', /must hold a JSON object of settings, not a list/],
    ['null', 'null', /must hold a JSON object of settings, not null/],
    ['broken JSON', '{ "k": ', /--settings .*JSON/],
    ['a section of the wrong type', '{ "features": "none" }', /Setting "features" must be an object, not the text "none"/],
    ['a misspelt key', '{ "autoencoder": { "epoch": 3 } }', /Unknown setting "autoencoder\.epoch"\. Did you mean "autoencoder\.epochs"\?/],
  ])('refuses a settings file that is %s with exit 2', (_, content, message) => {
    const file = join(cli.dir, 'settings.json');
    writeFileSync(file, content);
    const db = join(cli.dir, 'never.sqlite');
    const run = shelfmap('cluster', FIXTURE_BOOKS_DIR, '--settings', file, '--epochs', '3', '--db', db);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    expect(existsSync(db)).toBe(false);
  });

  it('gives help for every command and its version', () => {
    const version = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version;
    expect(shelfmap('--version').stdout).toBe(`shelfmap ${version}\n`);
    for (const command of ['cluster', 'add', 'books', 'remove', 'runs', 'export', 'evaluate', 'serve']) {
      const help = shelfmap(command, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: shelfmap ${command}`));
      expect(help.stdout).toMatch(/--db FILE/);
    }
    const all = shelfmap('--help');
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/shelfmap export <run>/);
    expect(shelfmap().status).toBe(2);
    expect(shelfmap('frobnicate').stderr).toMatch(/Unknown command "frobnicate"\. Commands: cluster, add/);
  });

  it('takes the library from SHELFMAP_DB when --db is not given', () => {
    const db = join(cli.dir, 'from-env.sqlite');
    const run = spawnSync(process.execPath, [SHELFMAP_BIN, 'runs'], { encoding: 'utf8', cwd: cli.dir, env: { ...process.env, SHELFMAP_DB: db } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/No runs yet/);
    expect(existsSync(db)).toBe(true);
  });

  it('says plainly when a folder is missing or is a file', () => {
    const missing = shelfmap('add', join(cli.dir, 'gone'), '--db', join(cli.dir, 'lib.sqlite'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/The folder .*gone does not exist/);
    mkdirSync(join(cli.dir, 'f'), { recursive: true });
    writeFileSync(join(cli.dir, 'f', 'a.txt'), 'x');
    const file = shelfmap('add', join(cli.dir, 'f', 'a.txt'), '--db', join(cli.dir, 'lib.sqlite'));
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/is a file; give the folder/);
  });
});
