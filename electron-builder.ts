// Packaging the desktop app with electron-builder: `npm run package` builds the bundles, builds
// better-sqlite3 for Electron (scripts/electron-sqlite.js, the same step as `npm start`), then
// this. It needs Electron's release zip for each target (and, for dmg, a Mac), so it cannot run
// on a machine without that download; src-main/electron/packaging.test.ts checks this shape.
import type { Configuration } from 'electron-builder';
import { ELECTRON_SQLITE_DIR, electronSqliteIsCurrent } from './scripts/electron-sqlite.js';
import { PACKAGED_SQLITE_BINDING } from './src-main/electron/packaged-paths';

/**
 * Stops packaging when better-sqlite3 has not been built for this Electron: electron-builder
 * only warns about a missing extraResources file, and the package could not open its library.
 */
export function requireElectronSqlite(dir: string = ELECTRON_SQLITE_DIR): void {
  if (!electronSqliteIsCurrent(dir)) {
    throw new Error(`better-sqlite3 has not been built for this Electron in ${dir}: package with "npm run package", which builds it first.`);
  }
}

const config: Configuration = {
  appId: 'org.shelfmap.desktop',
  productName: 'Shelfmap',
  directories: { output: 'release', buildResources: 'build-resources' },
  files: [
    'out/**/*',
    // the CLI bundle is the command line's, not the window's
    '!out/main/cli.js',
    // source maps: 195 MB in @tensorflow alone, and nothing at run time reads them
    '!**/*.map',
    // better-sqlite3's Node build and C sources; the Electron build travels as a resource (below)
    '!**/node_modules/better-sqlite3/{build,deps,src}/**',
    // the webgpu package ships dawn.node for every OS (about 20 MB each): keep this target's.
    // ${platform} is electron-builder's macro (darwin, linux, win32). Per-platform `files` would
    // not do: electron-builder then starts from "**/*" and packs the whole project.
    '!**/node_modules/webgpu/dist/!(${platform}-*)/**',
  ],
  extraResources: [{ from: '.cache/electron-sqlite/node_modules/better-sqlite3/build/Release/better_sqlite3.node', to: PACKAGED_SQLITE_BINDING }],
  // Native code is loaded by the OS from real files, never from inside app.asar. better-sqlite3
  // is carried outside it already; these are the webgpu addon (dawn.node, and the DirectX
  // compiler DLLs it loads on Windows), tfjs-node's binding and libtensorflow where installed,
  // and any other .node file a dependency brings. The wasm backend's .wasm files go too, so
  // Emscripten's loader in the engine's worker reads real files whichever way it opens them.
  asarUnpack: [
    '**/*.node',
    '**/*.wasm',
    '**/node_modules/webgpu/dist/**',
    '**/node_modules/@tensorflow/tfjs-node/{lib,deps}/**',
    '**/node_modules/@tensorflow/tfjs-node-gpu/{lib,deps}/**',
  ],
  beforePack: () => requireElectronSqlite(),
  // electron-builder would rebuild native modules for Electron inside node_modules, breaking the
  // Node build that the CLI, serve and the tests use; scripts/electron-sqlite.js builds a copy.
  npmRebuild: false,
  // Electron's fuses, flipped in the binary before signing: no running it as plain Node, no
  // NODE_OPTIONS or --inspect to inject code, cookies encrypted, and only an app.asar whose
  // integrity matches the hash recorded at packaging may load.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // the renderer comes from app://, so file:// keeps no extra privileges
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    executableName: 'shelfmap',
    maintainer: 'Shelfmap developers',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.education',
  },
  win: {
    target: ['nsis'],
  },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};

export default config;
