// A virtual X display for the Electron window where there is no screen (Linux CI). Xvfb picks
// a free display number itself (-displayfd) and says which.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface VirtualDisplay {
  /** ":N", for DISPLAY. */
  display: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

/** Starts Xvfb, or gives null where a display exists already or the platform needs none. */
export async function startVirtualDisplayIfNeeded(): Promise<VirtualDisplay | null> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return null;
  const xvfb: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1440x960x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  xvfb.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const number = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display within ${START_TIMEOUT_MS / 1000} s: ${stderr}`)), START_TIMEOUT_MS);
    let out = '';
    (xvfb.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    xvfb.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb could not start (${error.message}); scripts/ensure-test-tools.sh installs it where Electron is installed.`));
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (code ${code}): ${stderr}`));
    });
  });
  return {
    display: `:${number}`,
    stop: () =>
      new Promise<void>((done) => {
        if (xvfb.exitCode !== null) return done();
        xvfb.once('exit', () => done());
        xvfb.kill('SIGTERM');
      }),
  };
}
