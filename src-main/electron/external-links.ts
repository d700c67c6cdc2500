// Links that leave the app. A page that could open any URL in the system browser could hand
// the user to any site (or a file:, smb: or custom-scheme handler), so only https links to
// Project Gutenberg open, and only after the user says yes.

/** Hosts a link may open in the system browser. */
export const EXTERNAL_HOSTS: readonly string[] = ['gutenberg.org', 'www.gutenberg.org'];

/** The URL to open when `href` is an https link to an allowed host; null otherwise. */
export function allowedExternalUrl(href: string): URL | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  return EXTERNAL_HOSTS.includes(url.hostname) ? url : null;
}

export interface ExternalLinkDeps {
  /** Asks the user whether to open the URL; true for yes. */
  confirm(url: URL): Promise<boolean>;
  /** Opens the URL in the system browser. */
  open(url: URL): Promise<void>;
}

/** Opens an allowed link after asking; says what happened (for the log and for tests). */
export async function openExternalAfterAsking(href: string, deps: ExternalLinkDeps): Promise<'refused' | 'declined' | 'opened'> {
  const url = allowedExternalUrl(href);
  if (!url) return 'refused';
  if (!(await deps.confirm(url))) return 'declined';
  await deps.open(url);
  return 'opened';
}
