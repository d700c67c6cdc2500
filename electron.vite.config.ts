import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles from one config. Dependencies stay external in main (electron-vite's default),
// so native modules (better-sqlite3, @tensorflow/tfjs-node) load from node_modules at run time.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Electron's main process
          index: resolve('src-main/electron/main.ts'),
          // the engine's worker thread, shared by all three doors
          worker: resolve('src-main/engine/worker.ts'),
          // the import's reader threads, started by the engine's thread (engine/import-pool.ts)
          'import-worker': resolve('src-main/engine/import-worker.ts'),
          // the map's layout thread, started by the engine's thread (engine/cluster/layout.ts)
          'layout-worker': resolve('src-main/engine/cluster/layout-worker.ts'),
          // the features stage's threads, started by the engine's thread (engine/features/parallel.ts)
          'features-worker': resolve('src-main/engine/features/features-worker.ts'),
          // the CLI (cluster, serve): plain Node, no Electron
          cli: resolve('src-main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/electron/preload.ts') },
        // sandboxed preloads must be CommonJS
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
    plugins: [react()],
  },
});
