import { describe, expect, it, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { forTerminal, unwritableReason, writeFileAtomic } from './output';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfmap-output-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('forTerminal', () => {
  it('takes out escape sequences and other control characters, keeping tabs and line breaks', () => {
    expect(forTerminal('evil\u001b[2J\u001b]0;title\u0007name\u009b.txt')).toBe('evil[2J]0;titlename.txt');
    expect(forTerminal('a\tb\nc\rd\u0000e')).toBe('a\tb\ncde');
    expect(forTerminal('Éléments de géométrie')).toBe('Éléments de géométrie');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the old file whole', () => {
    const file = join(temp(), 'labels.csv');
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new content');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(readdirSync(join(file, '..'))).toEqual(['labels.csv']);
  });

  it('leaves the old file and no temporary file when the write fails half way', () => {
    const dir = temp();
    const file = join(dir, 'labels.csv');
    writeFileSync(file, 'the previous labels');
    const halfThenFull = ((path: string, data: string) => {
      writeFileSync(path, data.slice(0, 5));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof writeFileSync;
    expect(() => writeFileAtomic(file, 'a much longer set of new labels', halfThenFull)).toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe('the previous labels');
    expect(readdirSync(dir)).toEqual(['labels.csv']);
  });

  it('leaves the old file when a real process runs out of room (a file size limit)', () => {
    const dir = temp();
    const file = join(dir, 'labels.csv');
    writeFileSync(file, 'the previous labels');
    const script = join(dir, 'write.mts');
    writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(resolve(__dirname, 'output.ts'))};\n` +
        `try { writeFileAtomic(${JSON.stringify(file)}, 'x'.repeat(200_000)); } catch (e) { console.log(e.code); process.exit(3); }`,
    );
    // ulimit -f 64: no file may grow past 64 KiB, so the write fails with EFBIG part way
    const run = spawnSync('bash', ['-c', `ulimit -f 64; exec "${process.execPath}" --import tsx "${script}"`], { encoding: 'utf8', cwd: resolve(__dirname, '..', '..') });
    expect(run.stdout.trim(), run.stderr).toBe('EFBIG');
    expect(run.status).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe('the previous labels');
    expect(readdirSync(dir).sort()).toEqual(['labels.csv', 'write.mts']);
  });
});

describe('unwritableReason', () => {
  it('names what stands in the way, before any work is done', () => {
    const dir = temp();
    expect(unwritableReason(join(dir, 'labels.csv'))).toBeNull();
    expect(unwritableReason(join(dir, 'missing', 'labels.csv'))).toMatch(/the folder .*missing does not exist/);
    expect(unwritableReason(dir)).toMatch(/is a folder/);
    const locked = join(dir, 'locked');
    writeFileSync(locked, '');
    chmodSync(locked, 0o400);
    // root may write anywhere: the permission check means something only for other users
    if (process.getuid?.() !== 0) expect(unwritableReason(locked)).toMatch(/is not writable/);
    expect(unwritableReason(join(locked, 'x.csv'))).toMatch(/is not a folder/);
  });
});
