import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShelfmapError } from '../../../src-shared/errors';
import { scanFolder, type ScanResult } from './scan';

let root: string;

/** The display paths of the files a scan found. */
const paths = (result: ScanResult) => result.files.map((f) => f.path);

function write(relative: string, text = 'text'): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function expectShelfmapError(promise: Promise<unknown>, kind: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShelfmapError);
  expect((error as ShelfmapError).kind).toBe(kind);
  expect((error as ShelfmapError).message).toMatch(message);
}

/** An fs error as Node raises it. */
function fsError(code: string, where: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: scandir '${where}'`), { code });
}

// The real readdir, so the spies below can pass most calls through.
const realReaddir = fsp.readdir.bind(fsp) as (dir: string, opts: { withFileTypes: true }) => Promise<fs.Dirent[]>;

/** Spies on readdir: `before` runs ahead of each real call and may throw instead. */
function spyReaddir(before: (dir: string) => void) {
  return vi.spyOn(fsp, 'readdir').mockImplementation((async (dir: string, opts: { withFileTypes: true }) => {
    before(dir);
    return realReaddir(dir, opts);
  }) as unknown as typeof fsp.readdir);
}

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shelfmap-scan-')));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('scanFolder', () => {
  it('finds .txt files in nested folders, any case of extension, sorted and absolute', async () => {
    const expected = [
      write('b.txt'),
      write('A.TXT'),
      write('deep/er/still/c.Txt'),
      write('deep/d.txt'),
      write('sea/e.txt'),
    ].sort();
    write('notes.md');
    write('deep/txt');
    write('deep/image.txt.png');
    const result = await scanFolder(root);
    expect(paths(result)).toEqual(expected);
    expect(paths(result).every((f) => path.isAbsolute(f))).toBe(true);
    expect(result.problems).toEqual([]);
  });

  it('accepts a relative folder and returns absolute paths', async () => {
    const file = write('sub/book.txt');
    const relative = path.relative(process.cwd(), root);
    expect(paths(await scanFolder(relative))).toEqual([file]);
  });

  it('skips hidden folders', async () => {
    const visible = write('shelf/book.txt');
    write('.git/objects/pack.txt');
    write('shelf/.Trash/old.txt');
    expect(paths(await scanFolder(root))).toEqual([visible]);
  });

  it('returns nothing, without problems, for an empty folder', async () => {
    expect(await scanFolder(root)).toEqual({ files: [], problems: [] });
  });

  it('throws folder-missing, naming the folder, when it does not exist', async () => {
    const missing = path.join(root, 'no-such-folder');
    await expectShelfmapError(scanFolder(missing), 'folder-missing', /no-such-folder does not exist/);
  });

  it('throws folder-missing when given a file instead of a folder', async () => {
    const file = write('book.txt');
    await expectShelfmapError(scanFolder(file), 'folder-missing', /book\.txt is a file, not a folder/);
  });

  it('follows a link to a folder inside, ends link loops, and leaves out a link that points outside', async () => {
    const inside = write('shelf/book.txt');
    const linkedInside = write('elsewhere/other.txt');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfmap-scan-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'far.txt'), 'far');
      fs.symlinkSync(outside, path.join(root, 'linked'));
      fs.symlinkSync(path.join(outside, 'far.txt'), path.join(root, 'far-alias.txt'));
      fs.symlinkSync(root, path.join(root, 'shelf', 'loop'));
      fs.symlinkSync(path.join(root, 'shelf'), path.join(root, 'elsewhere', 'back'));
      fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'shelf', 'across'));
      const result = await scanFolder(root);
      // each file once, under its real path; nothing from outside
      expect(paths(result)).toEqual([linkedInside, inside]);
      expect(result.problems).toEqual([
        {
          path: path.join(root, 'far-alias.txt'),
          reason: 'outside-folder',
          message: `far-alias.txt is a link to ${fs.realpathSync(path.join(outside, 'far.txt'))}, outside ${root}; links are followed only within the folder.`,
        },
        {
          path: path.join(root, 'linked'),
          reason: 'outside-folder',
          message: `linked is a link to ${fs.realpathSync(outside)}, outside ${root}; links are followed only within the folder.`,
        },
      ]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('adds nothing through links to /usr/share/doc or /proc/self', async () => {
    const book = write('book.txt');
    for (const target of ['/usr/share/doc', '/proc/self', '/']) {
      if (fs.existsSync(target)) fs.symlinkSync(target, path.join(root, `to-${path.basename(target) || 'root'}`));
    }
    const result = await scanFolder(root);
    expect(paths(result)).toEqual([book]);
    expect(result.problems.every((p) => p.reason === 'outside-folder')).toBe(true);
  });

  it('follows a link to a folder inside the folder that the walk would not reach, and ends a link to itself', async () => {
    const hidden = write('.stash/kept.txt');
    fs.symlinkSync(path.join(root, '.stash'), path.join(root, 'stash'));
    fs.symlinkSync(path.join(root, 'self'), path.join(root, 'self'));
    fs.symlinkSync(path.join(root, 'self.txt'), path.join(root, 'self.txt'));
    const result = await scanFolder(root);
    expect(hidden).toBe(path.join(root, '.stash', 'kept.txt'));
    expect(paths(result)).toEqual([path.join(root, 'stash', 'kept.txt')]);
    expect(result.problems).toEqual([
      { path: path.join(root, 'self.txt'), reason: 'unreadable', message: `The file ${path.join(root, 'self.txt')} could not be read (too many levels of links).` },
    ]);
  });

  it('takes a link to a .txt file once, and reports one that points nowhere', async () => {
    const target = write('real/book.txt');
    const hidden = write('.notes/essay.txt');
    fs.symlinkSync(target, path.join(root, 'alias.txt'));
    fs.symlinkSync(path.join(root, 'gone.txt'), path.join(root, 'dangling.txt'));
    fs.mkdirSync(path.join(root, 'links'));
    fs.symlinkSync(hidden, path.join(root, 'links', 'essay-link.txt'));
    const result = await scanFolder(root);
    // alias.txt is real/book.txt found again; essay-link.txt is the only way to .notes/essay.txt
    expect(paths(result)).toEqual([path.join(root, 'links', 'essay-link.txt'), target]);
    expect(result.problems).toEqual([
      {
        path: path.join(root, 'dangling.txt'),
        reason: 'unreadable',
        message: 'dangling.txt is a link to a file that does not exist.',
      },
    ]);
  });

  it('keeps links inside the folder on a file system that does not report entry types', async () => {
    const book = write('shelf/book.txt');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfmap-scan-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'far.txt'), 'far');
      fs.symlinkSync(outside, path.join(root, 'linked'));
      // every entry of unknown type, as readdir gives them on some network file systems
      vi.spyOn(fsp, 'readdir').mockImplementation((async (dir: string, opts: { withFileTypes: true }) =>
        (await realReaddir(dir, opts)).map((entry) => ({
          name: entry.name,
          isFile: () => false,
          isDirectory: () => false,
          isSymbolicLink: () => false,
        }))) as unknown as typeof fsp.readdir);
      const result = await scanFolder(root);
      expect(paths(result)).toEqual([book]);
      expect(result.problems).toMatchObject([{ path: path.join(root, 'linked'), reason: 'outside-folder' }]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('skips hidden files like hidden folders', async () => {
    const visible = write('book.txt');
    write('.partial-copy.txt');
    write('shelf/.~lock.book.txt');
    expect(paths(await scanFolder(root))).toEqual([visible]);
  });

  it('finds a file whose name is not valid UTF-8, by its raw bytes, shown with \\xNN', async () => {
    const rawName = Buffer.concat([Buffer.from(path.join(root, 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]);
    fs.writeFileSync(rawName, 'text');
    const good = write('café.txt');
    const result = await scanFolder(root);
    expect(paths(result)).toEqual([path.join(root, 'caf\\xE9.txt'), good]);
    const odd = result.files[0];
    expect(Buffer.isBuffer(odd.fsPath) && odd.fsPath.equals(rawName)).toBe(true);
    expect(result.files[1].fsPath).toBe(good);
  });

  it('skips a subfolder that vanishes mid-scan and keeps the rest', async () => {
    const kept = write('keep/book.txt');
    write('doomed/lost.txt');
    const doomed = path.join(root, 'doomed');
    // Delete the subfolder right after its parent was listed: it is known but gone.
    spyReaddir(() => undefined).mockImplementationOnce((async (dir: string, opts: { withFileTypes: true }) => {
      const entries = await realReaddir(dir, opts);
      fs.rmSync(doomed, { recursive: true });
      return entries;
    }) as unknown as typeof fsp.readdir);
    const result = await scanFolder(root);
    expect(paths(result)).toEqual([kept]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ path: doomed, reason: 'vanished' });
    expect(result.problems[0].message).toBe(`The folder ${doomed} disappeared during the scan.`);
  });

  it('skips a subfolder it may not read and keeps the rest (simulated EACCES)', async () => {
    const kept = write('open/book.txt');
    write('locked/secret.txt');
    const locked = path.join(root, 'locked');
    spyReaddir((dir) => {
      if (dir === locked) throw fsError('EACCES', dir);
    });
    const result = await scanFolder(root);
    expect(paths(result)).toEqual([kept]);
    expect(result.problems).toEqual([
      { path: locked, reason: 'unreadable', message: `The folder ${locked} could not be read (permission denied).` },
    ]);
  });

  const isRoot = process.getuid?.() === 0;
  if (isRoot) console.log('Skipping the chmod 000 folder test: running as root, which reads any folder.');
  it.skipIf(isRoot)('skips a subfolder with no read permission (real chmod 000)', async () => {
    const kept = write('open/book.txt');
    write('locked/secret.txt');
    const locked = path.join(root, 'locked');
    fs.chmodSync(locked, 0o000);
    try {
      const result = await scanFolder(root);
      expect(paths(result)).toEqual([kept]);
      expect(result.problems).toMatchObject([{ path: locked, reason: 'unreadable' }]);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });

  it('throws cancelled when the signal is already aborted', async () => {
    write('book.txt');
    const controller = new AbortController();
    controller.abort();
    await expectShelfmapError(scanFolder(root, { signal: controller.signal }), 'cancelled', /cancelled/);
  });

  it('stops with cancelled when the signal aborts during the scan', async () => {
    write('a/one.txt');
    write('b/two.txt');
    write('c/three.txt');
    const controller = new AbortController();
    const spy = spyReaddir(() => controller.abort());
    await expectShelfmapError(scanFolder(root, { signal: controller.signal }), 'cancelled', /cancelled/);
    // It stopped after listing the top folder, before entering any subfolder.
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
