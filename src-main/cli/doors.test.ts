// Several doors on one library, as users meet them: two commands at once, a second process
// opening the library during a run, a killed run, files that are not Shelfmap libraries, and
// exports that must never hurt. Real child processes of the built `shelfmap`, real SQLite files.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_COLUMNS, parseCsv } from '../../src-shared/csv';
import { FIXTURE_BOOKS_DIR } from '../../fixtures/fixture-paths';
import { MIGRATIONS, SCHEMA_VERSION } from '../engine/store/migrations';
import { useBuiltCli } from './built-cli';
import { SHELFMAP_APPLICATION_ID } from '../engine/store/library-file';

const cli = useBuiltCli('shelfmap-doors-');
const shelfmap = cli.run;
const start = cli.start;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function runStatuses(db: string): { id: number; status: string; error: string | null }[] {
  const conn = new Database(db, { readonly: true });
  try {
    // the file can exist a moment before its tables do
    if (!conn.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'runs'").get()) return [];
    return conn.prepare('SELECT id, status, error FROM runs ORDER BY id').all() as { id: number; status: string; error: string | null }[];
  } finally {
    conn.close();
  }
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A copy of the fixture books whose texts differ from the originals (another set of books). */
function otherBooks(name: string): string {
  const folder = join(cli.dir, name);
  cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
  for (const genre of readdirSync(folder)) {
    for (const file of readdirSync(join(folder, genre))) {
      const path = join(folder, genre, file);
      const lines = readFileSync(path, 'latin1').split('\n');
      // a paragraph in the middle of the body makes it another text
      lines.splice(Math.floor(lines.length / 2), 0, '', `A second edition, with notes by the editor of ${name}.`, '');
      writeFileSync(path, lines.join('\n'), 'latin1');
    }
  }
  return folder;
}

describe('two doors on one library', () => {
  it('lets two processes add different folders at the same moment, and both finish', async () => {
    const db = join(cli.dir, 'shared.sqlite');
    const a = start('add', FIXTURE_BOOKS_DIR, '--db', db);
    const b = start('add', otherBooks('second-edition'), '--db', db);
    const [endA, endB] = await Promise.all([a.done, b.done]);
    expect(endA.code, endA.stderr).toBe(0);
    expect(endB.code, endB.stderr).toBe(0);
    expect(endA.stderr + endB.stderr).not.toMatch(/locked|busy/i);
    const conn = new Database(db, { readonly: true });
    expect(conn.prepare('SELECT COUNT(*) AS n FROM books').get()).toEqual({ n: 24 });
    conn.close();
  });

  it('leaves a live run alone when a second process opens the library, and marks a killed one interrupted', async () => {
    const db = join(cli.dir, 'run.sqlite');
    const long = start('cluster', FIXTURE_BOOKS_DIR, '--k', '3', '--epochs', '5000', '--backend', 'cpu', '--db', db, '--out', join(cli.dir, 'never.csv'));
    await until(() => existsSync(db) && runStatuses(db).some((r) => r.status === 'running'), 'the run to start');
    // a second door opens the same library while the run goes
    const second = shelfmap('runs', '--db', db);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/running/);
    expect(runStatuses(db)).toEqual([{ id: 1, status: 'running', error: null }]);

    long.child.kill('SIGKILL');
    await long.done;
    const after = shelfmap('runs', '--db', db);
    expect(after.stdout).toMatch(/failed/);
    expect(runStatuses(db)[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Interrupted/) });
  });
});

describe('a library that stays true', () => {
  it('clusters a moved folder again, drops a deleted file from the next export, lists and removes', () => {
    const db = join(cli.dir, 'moving.sqlite');
    const before = join(cli.dir, 'shelf-a');
    cpSync(FIXTURE_BOOKS_DIR, before, { recursive: true });
    const first = shelfmap('cluster', before, '--k', '3', '--epochs', '5', '--backend', 'cpu', '--db', db, '--out', join(cli.dir, 'a.csv'));
    expect(first.status, first.stderr).toBe(0);

    // the librarian renames the folder and deletes one book
    const after = join(cli.dir, 'shelf-renamed');
    renameSync(before, after);
    const gone = join(after, 'cookery', 'the-good-larder.txt');
    rmSync(gone);
    const again = shelfmap('cluster', after, '--k', '3', '--epochs', '5', '--backend', 'cpu', '--db', db, '--out', join(cli.dir, 'b.csv'));
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/duplicate/);
    const rows = parseCsv(readFileSync(join(cli.dir, 'b.csv'), 'utf8')).slice(1);
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r[0].startsWith(after))).toBe(true);

    const listed = shelfmap('books', '--db', db);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^books +missing +scanned \(UTC\) +folder\n/);
    expect(listed.stdout).toContain(after);
    // the old folder is gone; the book deleted from it is missing there
    expect(listed.stdout).toMatch(new RegExp(`^0 +1 +\\S+ \\S+ +${before}  \\(not there now\\)$`, 'm'));
    expect(listed.stdout.split('\n').find((line) => line.startsWith('missing'))).toMatch(/^missing +The Good Larder +.*the-good-larder\.txt$/);
    expect(listed.stderr).toMatch(/12 books, 1 missing/);
    expect(shelfmap('books', '--missing', '--db', db).stdout.trim().split('\n').filter((l) => l.startsWith('missing'))).toHaveLength(1);

    const removeBook = shelfmap('remove', join(after, 'astronomy', 'the-starry-heavens.txt'), '--db', db);
    expect(removeBook.status, removeBook.stderr).toBe(0);
    expect(removeBook.stderr).toMatch(/Removed "The Starry Heavens"/);
    const removeFolder = shelfmap('remove', after, '--db', db);
    expect(removeFolder.status, removeFolder.stderr).toBe(0);
    expect(removeFolder.stderr).toMatch(/Removed the folder .* from the library\. Past runs keep their results\./);
    expect(shelfmap('remove', before, '--db', db).stderr).toMatch(/Removed the folder .*shelf-a and its 1 book/);
    expect(shelfmap('books', '--db', db).stderr).toMatch(/The library is empty/);
    // past runs keep their results and exports
    expect(parseCsv(shelfmap('export', '2', '--db', db).stdout).slice(1)).toHaveLength(11);
    const unknown = shelfmap('remove', join(cli.dir, 'nowhere'), '--db', db);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/is neither a folder added to the library nor a book in it/);
  });
});

describe('files that are not Shelfmap libraries', () => {
  it("refuses another program's SQLite file and a newer library, byte for byte unchanged", () => {
    const foreign = join(cli.dir, 'contacts.sqlite');
    const conn = new Database(foreign);
    conn.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ann')");
    conn.close();
    const newer = join(cli.dir, 'newer.sqlite');
    const lib = new Database(newer);
    lib.pragma(`application_id = ${SHELFMAP_APPLICATION_ID}`);
    lib.exec(MIGRATIONS.join(';'));
    lib.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    lib.close();
    for (const [file, message] of [
      [foreign, /contacts\.sqlite is another program's SQLite database, not a Shelfmap library\. Nothing in it was changed/],
      [newer, /was written by a newer Shelfmap .*Nothing in it was changed/],
    ] as const) {
      const before = sha256(file);
      for (const args of [['add', FIXTURE_BOOKS_DIR], ['runs'], ['cluster', FIXTURE_BOOKS_DIR, '--k', '2']]) {
        const run = shelfmap(...args, '--db', file);
        expect(run.stderr).toMatch(message);
        expect(run.status).toBe(2);
      }
      expect(sha256(file)).toBe(before);
      expect(existsSync(`${file}-wal`)).toBe(false);
    }
  });
});

describe('exports that never hurt', () => {
  it('neutralises formula titles, keeps control characters off the terminal, and exports any past run', () => {
    const folder = join(cli.dir, 'risky');
    mkdirSync(folder);
    cpSync(FIXTURE_BOOKS_DIR, folder, { recursive: true });
    const victim = join(folder, 'cookery', 'the-good-larder.txt');
    writeFileSync(victim, readFileSync(victim, 'latin1').replace(/^Title: .*$/m, 'Title: =HYPERLINK("http://evil.example","Click")'), 'latin1');
    writeFileSync(join(folder, 'evil\u001b[2J\u001b]0;owned\u0007.txt'), '');
    const db = join(cli.dir, 'risky.sqlite');
    const out = join(cli.dir, 'labels.csv');
    const run = shelfmap('cluster', folder, '--k', '3', '--epochs', '5', '--backend', 'cpu', '--db', db, '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.includes('\u001b')).toBe(false);
    expect(run.stderr).toMatch(/left out \(empty\): evil\[2J\]0;owned\.txt is empty/);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    const row = rows.find((r) => r[0] === victim)!;
    expect(row[CSV_COLUMNS.indexOf('title')]).toBe(`'=HYPERLINK("http://evil.example","Click")`);

    const again = join(cli.dir, 'again.csv');
    const exported = shelfmap('export', '1', '--out', again, '--db', db);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    expect(shelfmap('export', '1', '--db', db).stdout).toBe(readFileSync(out, 'utf8'));
    const none = shelfmap('export', '9', '--db', db);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/There is no run 9/);
    expect(shelfmap('export', 'latest', '--db', db).status).toBe(2);
  });
});

describe('shelfmap serve', () => {
  it('stops quietly on Ctrl-C', async () => {
    const server = start('serve', '--db', join(cli.dir, 'serve.sqlite'));
    let stdout = '';
    server.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await until(() => /running at http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(stdout), 'the address');
    server.child.kill('SIGINT');
    const end = await server.done;
    expect(end.code).toBe(0);
    expect(end.stderr).not.toMatch(/unexpectedly|Error/);
    expect(end.stderr).toMatch(/Shelfmap stopped\./);
  });
});
