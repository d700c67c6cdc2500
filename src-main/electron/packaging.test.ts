// The packaging config's shape. Building the packages needs Electron's release zips, which
// cannot be downloaded everywhere, so this checks what can be checked without them, with
// electron-builder's own code: it finds, loads and accepts the config, and its file matchers
// (the ones it packs app.asar with) take and leave what the app needs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as fileMatchers from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration, FileSet, PlatformSpecificBuildOptions } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import source, { requireElectronSqlite } from '../../electron-builder';
import { ELECTRON_VERSION } from '../../scripts/electron-binary.js';
import { bindingIn, ELECTRON_SQLITE_BINDING } from '../../scripts/electron-sqlite.js';
import { PACKAGED_SQLITE_BINDING } from './packaged-paths';

const root = resolve(import.meta.dirname, '..', '..');
const PLATFORMS = { linux: 'linux', mac: 'darwin', win: 'win32' } as const;
type Platform = keyof typeof PLATFORMS;

type Matcher = fileMatchers.FileMatcher;
type Stat = { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean };
// electron-builder's internal matcher builders (exported, not typed): the ones platformPackager.js calls
const internal = fileMatchers as unknown as {
  getMainFileMatchers(appDir: string, to: string, expand: (p: string) => string, options: PlatformSpecificBuildOptions, packager: unknown, outDir: string, electronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, to: string, expand: (p: string) => string, options: PlatformSpecificBuildOptions, info: unknown): Matcher;
};

const aFile: Stat = { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false };

/** What electron-builder would do with project files on one platform. */
function packingFor(config: Configuration, platform: Platform) {
  const options = (config[platform] ?? {}) as PlatformSpecificBuildOptions;
  const expand = (pattern: string) => pattern.replaceAll('${platform}', PLATFORMS[platform]).replaceAll('${os}', platform).replaceAll('${arch}', 'x64');
  const outDir = join(root, config.directories?.output ?? 'dist');
  const info = { config, projectDir: root, buildResourcesDir: join(root, config.directories?.buildResources ?? 'build'), isPrepackedAppAsar: false, debugLogger: { isEnabled: false } };
  const appFilters = internal.getMainFileMatchers(root, '/app', expand, options, { info }, outDir, false).map((m) => ({ from: m.from, accept: m.createFilter() }));
  const moduleFilter = internal.getNodeModuleFileMatcher(root, '/app', expand, options, info).createFilter();
  const unpack = fileMatchers.getFileMatchers(config, 'asarUnpack', '/app', { macroExpander: expand, customBuildOptions: options, globalOutDir: outDir, defaultSrc: root })![0].createFilter();
  return {
    /** Whether a project path goes into the package (node_modules: of a dependency the package carries). */
    packs(path: string): boolean {
      const file = join(root, path);
      if (path.startsWith('node_modules/')) return moduleFilter(file, aFile as never);
      return appFilters.some(({ from, accept }) => file.startsWith(from + '/') && accept(file, aFile as never));
    },
    unpacks: (path: string): boolean => unpack(join(root, path), aFile as never),
  };
}

/** Every file under a folder, relative to the project root. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('the packaging config', () => {
  let config: Configuration;

  beforeAll(async () => {
    // as electron-builder sees it: found by name, loaded, merged with its defaults
    config = await getConfig(root, null, null);
  });

  it('is the one electron-builder finds, and its schema accepts it', async () => {
    expect(config.appId).toBe(source.appId);
    await expect(validateConfiguration(config, { isEnabled: false, add: () => {} } as never)).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, dmg, and an NSIS installer', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('keeps native code out of app.asar', () => {
    const { unpacks } = packingFor(config, 'linux');
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
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
    ]) {
      expect({ path, unpacked: unpacks(path) }).toEqual({ path, unpacked: true });
    }
    // and every native file those packages hold on this machine, where they are installed
    const installed = ['better-sqlite3', 'webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']
      .flatMap((name) => filesUnder(join(root, 'node_modules', name)))
      .filter((path) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(path));
    for (const path of installed) expect({ path, unpacked: unpacks(path) }).toEqual({ path, unpacked: true });
    // JavaScript stays packed
    for (const path of ['out/main/index.js', 'out/main/worker.js', 'node_modules/@tensorflow/tfjs-core/dist/index.js']) {
      expect({ path, unpacked: unpacks(path) }).toEqual({ path, unpacked: false });
    }
  });

  it('carries better-sqlite3 built for Electron, from the build step npm start uses', () => {
    expect(source.extraResources as FileSet[]).toContainEqual({
      from: relative(root, ELECTRON_SQLITE_BINDING).split('\\').join('/'),
      to: PACKAGED_SQLITE_BINDING,
    });
    // electron-builder must not rebuild node_modules in place: the CLI and tests need the Node build
    expect(config.npmRebuild).toBe(false);
  });

  it('stops before packing when that build is missing or for another Electron', () => {
    expect(source.beforePack).toBeTypeOf('function');
    const dir = mkdtempSync(join(tmpdir(), 'shelfmap-packaging-'));
    try {
      expect(() => requireElectronSqlite(dir)).toThrow(/has not been built for this Electron .*npm run package/);
      mkdirSync(dirname(bindingIn(dir)), { recursive: true });
      writeFileSync(bindingIn(dir), 'a binding');
      const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string };
      const stamp = { electron: '1.0.0', betterSqlite3: version, platform: process.platform, arch: process.arch };
      writeFileSync(join(dir, 'build-info.json'), JSON.stringify(stamp));
      expect(() => requireElectronSqlite(dir)).toThrow(/has not been built for this Electron/);
      writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ ...stamp, electron: ELECTRON_VERSION }));
      expect(() => requireElectronSqlite(dir)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("flips the fuses Electron's security checklist asks for", () => {
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
    for (const platform of Object.keys(PLATFORMS) as Platform[]) {
      const { packs } = packingFor(config, platform);
      for (const path of ['out/main/index.js', 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/index-1234.js', 'package.json', 'node_modules/better-sqlite3/lib/index.js', 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm']) {
        expect({ platform, path, packed: packs(path) }).toEqual({ platform, path, packed: true });
      }
      for (const path of [
        'out/main/cli.js',
        'out/main/index.js.map',
        'node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js.map',
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c',
        'node_modules/better-sqlite3/src/better_sqlite3.cpp',
        'src-main/electron/main.ts',
        'fixtures/books/astronomy/comets-and-eclipses.txt',
        'electron-builder.ts',
        '.cache/electron-sqlite/build.log',
      ]) {
        expect({ platform, path, packed: packs(path) }).toEqual({ platform, path, packed: false });
      }
    }
    // only the renderer bundle uses these, so they are not dependencies a package would carry
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(dependencies)).not.toContain('plotly.js');
    expect(Object.keys(dependencies)).not.toContain('react');
    expect(Object.keys(dependencies)).not.toContain('react-dom');
  });

  it("packs each platform's webgpu binaries only", () => {
    const dirs = { linux: ['linux-x64', 'linux-arm64'], mac: ['darwin-universal'], win: ['win32-x64', 'win32-arm64'] };
    const all = Object.values(dirs).flat();
    for (const platform of Object.keys(PLATFORMS) as Platform[]) {
      const { packs } = packingFor(config, platform);
      for (const dir of all) {
        const path = `node_modules/webgpu/dist/${dir}/dawn.node`;
        expect({ platform, path, packed: packs(path) }).toEqual({ platform, path, packed: dirs[platform].includes(dir) });
      }
    }
  });
});
