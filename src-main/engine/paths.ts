// Where the library lives. The same file for every door, so a CLI run shows up in the app:
// it matches Electron's app.getPath('userData') for an app named "Shelfmap".
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Shelfmap');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Shelfmap');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Shelfmap');
}

export function defaultLibraryPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHELFMAP_DB || join(userDataDir(env), 'library.sqlite');
}

/**
 * A folder path from a door, made absolute: "~" is the home folder. The argument resolver has
 * already refused relative paths, which would mean whatever folder the engine happens to run in.
 */
export function expandFolder(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  if (!isAbsolute(path)) throw new Error(`Not an absolute path: ${path}`);
  return resolve(path);
}
