// The packaging config's shape. Building the packages needs Electron's release zips, which
// cannot be downloaded everywhere, so this checks what can be checked without them: that
// electron-builder itself loads and accepts the config, and that it packs what the app needs.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration, FileSet } from 'electron-builder';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import config from '../../electron-builder';
import { ELECTRON_SQLITE_BINDING } from '../../scripts/electron-sqlite.js';
import { PACKAGED_SQLITE_BINDING } from './packaged-paths';

const root = resolve(import.meta.dirname, '..', '..');
// electron-builder matches app paths with minimatch and { dot: true }
const matches = (path: string, glob: string) => minimatch(path, glob.replace(/^!/, ''), { dot: true });
const unpacked = (path: string) => (config.asarUnpack as string[]).some((glob) => matches(path, glob));
const excludes = (globs: unknown, path: string) =>
  (globs as string[]).filter((glob) => glob.startsWith('!')).some((glob) => matches(path, glob));

/** Every file under a folder, relative to the project root. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('the packaging config', () => {
  it('is the one electron-builder finds, and its schema accepts it', async () => {
    const loaded: Configuration = await getConfig(root, null, null);
    expect(loaded.appId).toBe(config.appId);
    await expect(validateConfiguration(loaded, { isEnabled: false, add: () => {} } as never)).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, dmg, and an NSIS installer', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('keeps native code out of app.asar', () => {
    for (const path of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/webgpu/dist/linux-x64/dawn.node',
      'node_modules/webgpu/dist/linux-arm64/dawn.node',
      'node_modules/webgpu/dist/darwin-universal/dawn.node',
      'node_modules/webgpu/dist/win32-x64/dawn.node',
      'node_modules/webgpu/dist/win32-x64/dxcompiler.dll',
      'node_modules/webgpu/dist/win32-x64/d3dcompiler_47.dll',
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2',
      'node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so.2',
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tensorflow.dll',
    ]) {
      expect({ path, unpacked: unpacked(path) }).toEqual({ path, unpacked: true });
    }
    // and every native file those packages hold on this machine, where they are installed
    const installed = ['better-sqlite3', 'webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']
      .flatMap((name) => filesUnder(join(root, 'node_modules', name)))
      .filter((path) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(path));
    for (const path of installed) expect({ path, unpacked: unpacked(path) }).toEqual({ path, unpacked: true });
    // JavaScript stays packed
    for (const path of ['out/main/index.js', 'out/main/worker.js', 'node_modules/@tensorflow/tfjs-core/dist/index.js']) {
      expect({ path, unpacked: unpacked(path) }).toEqual({ path, unpacked: false });
    }
  });

  it('carries better-sqlite3 built for Electron, from the build step npm start uses', () => {
    const resources = config.extraResources as FileSet[];
    expect(resources).toContainEqual({
      from: relative(root, ELECTRON_SQLITE_BINDING).split('\\').join('/'),
      to: PACKAGED_SQLITE_BINDING,
    });
    // electron-builder must not rebuild node_modules in place: the CLI and tests need the Node build
    expect(config.npmRebuild).toBe(false);
  });

  it('flips the fuses Electron\'s security checklist asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the built app and leaves out what nothing runs', () => {
    expect(config.files).toContain('out/**/*');
    for (const path of [
      'out/main/index.js.map',
      'node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js.map',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c',
      'node_modules/better-sqlite3/src/better_sqlite3.cpp',
      'out/main/cli.js',
    ]) {
      expect({ path, excluded: excludes(config.files, path) }).toEqual({ path, excluded: true });
    }
    for (const path of ['out/main/index.js', 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'node_modules/better-sqlite3/lib/index.js', 'package.json']) {
      expect({ path, excluded: excludes(config.files, path) }).toEqual({ path, excluded: false });
    }
  });

  it('packs each platform\'s webgpu binaries only', () => {
    const platforms = { linux: ['linux-x64', 'linux-arm64'], mac: ['darwin-universal'], win: ['win32-x64', 'win32-arm64'] } as const;
    const all = Object.values(platforms).flat();
    for (const [platform, own] of Object.entries(platforms)) {
      const files = config[platform as keyof typeof platforms]?.files;
      for (const dir of all) {
        const path = `node_modules/webgpu/dist/${dir}/dawn.node`;
        expect({ platform, path, excluded: excludes(files, path) }).toEqual({ platform, path, excluded: !(own as readonly string[]).includes(dir) });
      }
    }
  });
});
