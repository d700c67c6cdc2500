// How to start one of the engine's own worker threads (the import's readers, the layout's, the
// features stage's): under tsx (tests, benches) the TypeScript
// source with tsx registered in the thread; in the built bundle (electron-vite, out/main) the
// entry's .js file (electron.vite.config.ts names it) beside the calling chunk or one folder up.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `entry` (a file name without extension, beside the module at `callerUrl` in the sources) as a Worker's first argument. */
export function workerSource(callerUrl: string, entry: string): URL | string {
  const here = fileURLToPath(callerUrl);
  if (here.endsWith('.ts')) {
    const source = pathToFileURL(join(dirname(here), `${entry}.ts`)).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
    return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  }
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const built = join(dir, `${entry}.js`);
    if (existsSync(built)) return built;
  }
  throw new Error(`The worker ${entry}.js is not beside ${here}: build Shelfmap again (npm run build).`);
}
