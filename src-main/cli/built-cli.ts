// The built `shelfmap` command as the CLI tests run it: a child process per call, in a temp
// folder of the test file's own (npm test builds before the unit tests run).
import { afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const SHELFMAP_BIN = join(PROJECT_ROOT, 'bin', 'shelfmap.js');

export interface BuiltCli {
  /** The temp folder the commands run in; removed after the file's tests. */
  readonly dir: string;
  /** Runs `shelfmap args…` to the end. */
  run(...args: string[]): SpawnSyncReturns<string>;
  /** Starts `shelfmap args…` and returns at once; `done` settles when it exits. */
  start(...args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string }> };
}

/** Call at the top of a test file: checks the CLI is built and makes the temp folder. */
export function useBuiltCli(prefix: string): BuiltCli {
  let dir = '';
  beforeAll(() => {
    if (!existsSync(join(PROJECT_ROOT, 'out', 'main', 'cli.js'))) throw new Error('The CLI is not built: run "npm run build" first.');
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    run: (...args) => spawnSync(process.execPath, [SHELFMAP_BIN, ...args], { encoding: 'utf8', cwd: dir, timeout: 180_000 }),
    start(...args) {
      const child = spawn(process.execPath, [SHELFMAP_BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // keep stdout flowing (a test may listen too), so a chatty command never blocks on a full pipe
      child.stdout!.on('data', () => {});
      const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolveDone) =>
        child.on('exit', (code, signal) => resolveDone({ code, signal, stderr })),
      );
      return { child, done };
    },
  };
}
