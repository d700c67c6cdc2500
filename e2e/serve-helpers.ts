// Starts `shelfmap serve` on a free port with a throw-away library, the way a person would, and
// stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the specs save the screenshots a person looks at (kept between runs, unlike test-results/). */
export const SCREENSHOTS = join(PROJECT_ROOT, 'e2e', 'screenshots');
const READY_LINE = /Shelfmap is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/;
const START_TIMEOUT_MS = 60_000;

export interface ServeProcess {
  /** The address printed by serve, token included. */
  url: string;
  /** What serve wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** `env` is added to this process's environment (a HOME of the test's own, say). */
export async function startServe(env: Record<string, string> = {}): Promise<ServeProcess> {
  const home = mkdtempSync(join(tmpdir(), 'shelfmap-e2e-'));
  const child = spawn(process.execPath, ['bin/shelfmap.js', 'serve', '--port', '0', '--db', join(home, 'library.sqlite')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  async function stop(): Promise<void> {
    if (!(await waitForExit(child, 0))) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    rmSync(home, { recursive: true, force: true });
  }

  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`shelfmap serve printed no address within ${START_TIMEOUT_MS / 1000} s.\nstderr:\n${stderr}`)),
        START_TIMEOUT_MS,
      );
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const match = READY_LINE.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`shelfmap serve exited (${signal ?? `code ${code}`}) before it was ready.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return { url, stderr: () => stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
