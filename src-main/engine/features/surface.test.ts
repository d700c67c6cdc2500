import { describe, expect, it } from 'vitest';
import { surfaceFormsFor } from './surface';

describe('surfaceFormsFor', () => {
  it('maps each stem to the word it most often stands for in its cluster', () => {
    const bodies = [
      'The voyage was long. Voyages tire sailors; the voyage ended. Sailing sailors sailed.',
      'Stars and starry skies; the stars shone on the astronomers.',
    ];
    const surface = surfaceFormsFor([['voyag', 'sailor'], ['star']], { labels: [0, 1], bodyOf: (i) => bodies[i] }, {
      stopWords: true,
      stem: true,
    });
    expect(surface.get('voyag')).toBe('voyage');
    expect(surface.get('sailor')).toBe('sailors');
    expect(surface.get('star')).toBe('stars');
  });

  it('leaves stems it never meets out of the map', () => {
    const surface = surfaceFormsFor([['zzz']], { labels: [0], bodyOf: () => 'nothing here at all' }, { stopWords: true, stem: true });
    expect(surface.size).toBe(0);
  });
});
