import { describe, expect, it } from 'vitest';
import { byteProgressText, formatSize, formatTimeLeft } from './progress-text';

describe('progress by bytes', () => {
  it('reads as "312 MB of 3.9 GB · 41 MB/s · about 1 min left"', () => {
    expect(byteProgressText({ bytesDone: 312e6, bytesTotal: 3.9e9, bytesPerSecond: 41e6, secondsLeft: 87.5 })).toBe('312 MB of 3.9 GB · 41 MB/s · about 1 min left');
    // before the pace is known, and at the end
    expect(byteProgressText({ bytesDone: 0, bytesTotal: 3.9e9 })).toBe('0 B of 3.9 GB');
    expect(byteProgressText({ bytesDone: 3.9e9, bytesTotal: 3.9e9, bytesPerSecond: 41e6, secondsLeft: 0 })).toBe('3.9 GB of 3.9 GB · 41 MB/s');
    // an event without bytes (a run's stages), or nothing to read (an unchanged folder)
    expect(byteProgressText({})).toBeNull();
    expect(byteProgressText({ bytesDone: 0, bytesTotal: 0 })).toBeNull();
  });

  it('sizes in decimal units and times in words', () => {
    expect([0, 812, 3_400, 999_999, 1_000_000, 65_400_000, 1_234_567_890].map(formatSize)).toEqual(['0 B', '812 B', '3.4 KB', '1 MB', '1 MB', '65 MB', '1.2 GB']);
    expect([0.2, 12, 59, 61, 600, 7200].map(formatTimeLeft)).toEqual(['almost done', 'about 10 s left', 'about 60 s left', 'about 1 min left', 'about 10 min left', 'about 2 h left']);
  });
});
