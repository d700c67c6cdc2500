// The engine's thread as the doors start it (the built out/main/worker.js, which npm test
// builds first), closed as they close it: between two messages, not by terminate().
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../cli/built-cli';
import { startEngineWorker } from './worker-client';

const WORKER_FILE = join(PROJECT_ROOT, 'out', 'main', 'worker.js');
let dir = '';

beforeAll(() => {
  if (!existsSync(WORKER_FILE)) throw new Error('The engine worker is not built: run "npm run build" first.');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('closing the engine thread', () => {
  it('stops an idle thread at its next message, as an exit asked for, and keeps the library', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shelfmap-worker-client-'));
    const dbPath = join(dir, 'library.sqlite');
    const books = join(dir, 'books');
    mkdirSync(books);
    writeFileSync(join(books, 'a.txt'), 'the whale and the sea and the ship '.repeat(200));
    const engine = await startEngineWorker({ dbPath, workerFile: WORKER_FILE });
    expect((await engine.call('addFolder', { folder: books })).added).toBe(1);
    const started = performance.now();
    await engine.close();
    // stopped by its flag at the wake-up message, not terminated after the 10 s grace
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await engine.stopped).message).toBe('The engine has been closed.');
    await expect(engine.call('listBooks', {})).rejects.toThrow('The engine has been closed.');

    const again = await startEngineWorker({ dbPath, workerFile: WORKER_FILE });
    expect((await again.call('listBooks', {})).map((b) => b.path)).toEqual([join(books, 'a.txt')]);
    await again.close();
  });
});
