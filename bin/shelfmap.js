#!/usr/bin/env node
// The `shelfmap` command runs the built CLI bundle (npm install builds it; so does `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('shelfmap: the app is not built yet. Run "npm run build" in the Shelfmap folder first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
