import { describe, expect, it } from 'vitest';
import { allowedExternalUrl, openExternalAfterAsking } from './external-links';

describe('links out of the app', () => {
  it('allows https links to Project Gutenberg only', () => {
    expect(allowedExternalUrl('https://www.gutenberg.org/ebooks/1342')?.href).toBe('https://www.gutenberg.org/ebooks/1342');
    expect(allowedExternalUrl('https://gutenberg.org/')?.hostname).toBe('gutenberg.org');
    for (const href of [
      'http://www.gutenberg.org/ebooks/1342',
      'https://gutenberg.org.evil.example/',
      'https://evilgutenberg.org/',
      'https://mirror.gutenberg.org/',
      'https://www.gutenberg.org:8443/',
      'https://user:pass@www.gutenberg.org/',
      'file:///etc/passwd',
      'smb://www.gutenberg.org/share',
      'javascript:alert(1)',
      'app://shelfmap/index.html',
      'not a url',
    ]) {
      expect({ href, allowed: allowedExternalUrl(href) }).toEqual({ href, allowed: null });
    }
  });

  it('asks before opening, and opens nothing it was not allowed or told to', async () => {
    const asked: string[] = [];
    const opened: string[] = [];
    const deps = (answer: boolean) => ({
      confirm: async (url: URL) => {
        asked.push(url.href);
        return answer;
      },
      open: async (url: URL) => {
        opened.push(url.href);
      },
    });

    expect(await openExternalAfterAsking('https://example.com/', deps(true))).toBe('refused');
    expect(asked).toEqual([]);

    expect(await openExternalAfterAsking('https://www.gutenberg.org/ebooks/84', deps(false))).toBe('declined');
    expect(asked).toEqual(['https://www.gutenberg.org/ebooks/84']);
    expect(opened).toEqual([]);

    expect(await openExternalAfterAsking('https://www.gutenberg.org/ebooks/84', deps(true))).toBe('opened');
    expect(opened).toEqual(['https://www.gutenberg.org/ebooks/84']);
  });
});
