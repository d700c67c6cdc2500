import { describe, expect, it } from 'vitest';
import { formatBar, ProgressBar } from './progress';

describe('progress bar', () => {
  it('draws the share done and the message', () => {
    expect(formatBar({ runId: 1, stage: 'embed', done: 7, total: 28, message: 'Epoch 7/28' })).toBe(
      'embed    [#######---------------------]  25% Epoch 7/28',
    );
    expect(formatBar({ runId: null, stage: 'scan', done: 0, total: 0, message: 'Looking' })).toMatch(/^scan {5}\[-{28}\] {6}Looking$/);
  });

  it('says how many bytes of how many are read, at what pace and how long is left, while adding books', () => {
    const event = { runId: null, stage: 'read' as const, done: 14, total: 56, message: 'moby-dick.txt', bytesDone: 312e6, bytesTotal: 3.9e9, bytesPerSecond: 41e6, secondsLeft: 88 };
    expect(formatBar(event)).toBe('read     [#######---------------------]  25% 312 MB of 3.9 GB · 41 MB/s · about 1 min left  moby-dick.txt');
  });

  it('writes one line per stage change when not on a terminal', () => {
    const lines: string[] = [];
    const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar(out);
    for (let i = 0; i <= 10; i++) bar.update({ runId: 1, stage: 'embed', done: i, total: 10, message: '' });
    bar.update({ runId: 1, stage: 'cluster', done: 0, total: 1, message: '' });
    expect(lines).toHaveLength(3);
  });
});
