// Picks the TensorFlow.js backend the autoencoder trains on: native TensorFlow (tfjs-node or
// tfjs-node-gpu) when it loads, else WebGPU on a hardware adapter, else WebAssembly, else plain
// JavaScript. Every backend registers into the one tfjs-core instance behind '@tensorflow/tfjs',
// so the `tf` handed back is the same object whichever backend won.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendChoice, BackendName } from '../../../src-shared/domain';
import { ShelfmapError } from '../../../src-shared/errors';
import {
  activateWebGpu,
  activeWebGpuAdapter,
  findAdapter,
  preferSurfacelessEgl,
  type DawnModule,
  type FoundAdapter,
  type TfjsWebGpuModule,
} from './webgpu';

export type Tf = typeof import('@tensorflow/tfjs');

export interface SelectedBackend {
  name: BackendName;
  tf: Tf;
  /** Backends tried before `name`, each with why it could not be used. */
  tried: { name: BackendName; error: string }[];
  /** How the chosen backend runs, e.g. "WebAssembly, SIMD, single-threaded". */
  detail: string;
}

/** The part of '@tensorflow/tfjs-backend-wasm' this module uses. */
export interface WasmBackendModule {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}

/** How each package is loaded; tests swap these to simulate missing or broken packages. */
export interface BackendLoaders {
  tfjs(): Promise<Tf>;
  /** Importing registers the 'tensorflow' backend (CUDA build). */
  tfjsNodeGpu(): Promise<unknown>;
  /** Importing registers the 'tensorflow' backend (CPU build with native libtensorflow). */
  tfjsNode(): Promise<unknown>;
  /** The `webgpu` package: Dawn, WebGPU for Node. */
  webgpu(): Promise<DawnModule>;
  /** '@tensorflow/tfjs-backend-webgpu'; importing registers its kernels, not the backend itself. */
  tfjsWebGpu(): Promise<TfjsWebGpuModule>;
  /** Importing registers the 'wasm' backend. */
  wasm(): Promise<WasmBackendModule>;
  /** Folder holding the backend's .wasm binaries, ending with a path separator. */
  wasmFolder(): string;
}

// Optional packages, possibly absent: named through variables so neither TypeScript nor the
// bundler tries to resolve them; Node resolves them at run time.
const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
const TFJS_NODE = '@tensorflow/tfjs-node';

export const defaultLoaders: BackendLoaders = {
  tfjs: () => import('@tensorflow/tfjs'),
  tfjsNodeGpu: () => import(/* @vite-ignore */ TFJS_NODE_GPU),
  tfjsNode: () => import(/* @vite-ignore */ TFJS_NODE),
  webgpu: async () => {
    preferSurfacelessEgl();
    return (await import('webgpu')) as unknown as DawnModule;
  },
  tfjsWebGpu: async () => (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as TfjsWebGpuModule,
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  wasmFolder: () => {
    // The package's "main" is dist/tf-backend-wasm.node.js, beside the .wasm files.
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    return path.dirname(entry) + path.sep;
  },
};

const ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/**
 * Loads and activates a backend. 'auto' tries tensorflow, then webgpu on a hardware adapter, then
 * wasm, then cpu, and records why each was passed over in `tried`; a named choice that cannot
 * load throws ShelfmapError('backend-unavailable'). A software WebGPU adapter (the CPU pretending
 * to be a GPU, slower than wasm) is used only when webgpu is named.
 */
export async function selectBackend(
  choice: BackendChoice,
  loaders: BackendLoaders = defaultLoaders,
): Promise<SelectedBackend> {
  const tf = await loaders.tfjs();
  const candidates = choice === 'auto' ? ORDER : [choice];
  const tried: SelectedBackend['tried'] = [];
  for (const name of candidates) {
    try {
      const detail = await activate(tf, name, loaders, choice === 'auto');
      return { name, tf, tried, detail };
    } catch (error) {
      const message = errorText(error);
      if (choice !== 'auto') {
        throw new ShelfmapError('backend-unavailable', `The ${name} backend is unavailable: ${message.replace(/\.?$/, '.')} ${FIXES[name]}`);
      }
      tried.push({ name, error: message });
    }
  }
  // cpu is pure JavaScript and always registered by '@tensorflow/tfjs', so this means tfjs itself is broken.
  throw new ShelfmapError(
    'backend-unavailable',
    `No TensorFlow.js backend could start: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`,
  );
}

const FIXES: Record<BackendName, string> = {
  tensorflow:
    'Install it with "npm install @tensorflow/tfjs-node" (or "npm install @tensorflow/tfjs-node-gpu" on Linux ' +
    'with CUDA 11.2 and cuDNN 8.1), at the same version as @tensorflow/tfjs; if it is installed but fails to ' +
    'load, run "npm rebuild @tensorflow/tfjs-node". Or choose the backend "auto", "webgpu", "wasm" or "cpu".',
  webgpu:
    'It needs a GPU driver with Vulkan (Linux, Windows), Metal (macOS) or Direct3D 12 (Windows); on Linux without ' +
    'one, Mesa\'s software adapter comes with "apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri" ' +
    '(slower than wasm). If a package is missing, run "npm install webgpu @tensorflow/tfjs-backend-webgpu". ' +
    'Or choose the backend "auto", "wasm" or "cpu".',
  wasm: 'Reinstall it with "npm install @tensorflow/tfjs-backend-wasm", or choose the backend "auto" or "cpu".',
  cpu: 'Reinstall "@tensorflow/tfjs".',
};

async function activate(tf: Tf, name: BackendName, loaders: BackendLoaders, auto: boolean): Promise<string> {
  if (name === 'tensorflow') {
    const { build, gpuBuildFailure } = await loadNative(loaders);
    if (!tf.findBackendFactory('tensorflow')) {
      // Happens when npm could not dedupe tfjs-core (versions differ): tfjs-node registered
      // into its own copy, which this tf never sees.
      throw new Error(
        `${build} loaded but registered into a different copy of @tensorflow/tfjs-core; ` +
          `install the version matching @tensorflow/tfjs ${tf.version.tfjs}.`,
      );
    }
    await setBackend(tf, 'tensorflow');
    // A GPU build that is installed but broken (a CUDA that does not match) is worth a word.
    return `native TensorFlow (${build}${gpuBuildFailure ? `; ${gpuBuildFailure}` : ''})`;
  }
  if (name === 'webgpu') {
    const modules = {
      dawn: await loadPackage('webgpu', loaders.webgpu),
      tfjsWebGpu: await loadPackage('@tensorflow/tfjs-backend-webgpu', loaders.tfjsWebGpu),
    };
    const found = activeWebGpuAdapter(tf) ?? (await adapterOf(modules.dawn));
    if (found.software && auto) {
      throw new Error(`passed over the ${found.summary}: it is the CPU, slower than wasm; choose the backend "webgpu" to use it anyway.`);
    }
    await activateWebGpu(tf, modules, found);
    return `WebGPU (Dawn) on a ${found.summary}`;
  }
  if (name === 'wasm') {
    const wasm = await loaders.wasm();
    // In Node the binaries are read from disk, not fetched relative to a page.
    wasm.setWasmPaths(loaders.wasmFolder());
    // The threaded build is left off: tfjs-backend-wasm turns WASM_HAS_MULTITHREAD_SUPPORT off
    // under Node, and forcing it fails (its pthread workers are blob: URLs, which Node's
    // worker_threads refuse with ERR_WORKER_PATH). SIMD is detected and used when the CPU has it.
    await setBackend(tf, 'wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return `WebAssembly, ${simd ? 'SIMD' : 'no SIMD'}, single-threaded`;
  }
  await setBackend(tf, 'cpu');
  // On first use the cpu backend prints a banner urging tfjs-node; `tried` already says why
  // tensorflow was not used, and a worker's console is no place for it.
  const cpu = tf.backend() as { firstUse?: boolean };
  if (typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  return 'plain JavaScript';
}

async function loadNative(loaders: BackendLoaders): Promise<{ build: string; gpuBuildFailure?: string }> {
  const failures: string[] = [];
  let gpuBuildFailure: string | undefined;
  for (const [pkg, load] of [
    [TFJS_NODE_GPU, () => loaders.tfjsNodeGpu()],
    [TFJS_NODE, () => loaders.tfjsNode()],
  ] as const) {
    try {
      await load();
      return { build: pkg, gpuBuildFailure };
    } catch (error) {
      const absent = isNotInstalled(error);
      failures.push(absent ? `${pkg} is not installed` : `${pkg} failed to load (${errorText(error)})`);
      if (pkg === TFJS_NODE_GPU && !absent) gpuBuildFailure = failures[0];
    }
  }
  throw new Error(failures.join('; ') + '.');
}

// One adapter search per Dawn module (so per thread for the real one): a run after the first
// neither waits for the search again nor opens another Dawn instance.
const probes = new WeakMap<DawnModule, Promise<FoundAdapter>>();

function adapterOf(dawn: DawnModule): Promise<FoundAdapter> {
  let probe = probes.get(dawn);
  if (!probe) {
    probe = findAdapter(dawn);
    probes.set(dawn, probe);
  }
  return probe;
}

async function loadPackage<T>(pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(isNotInstalled(error) ? `${pkg} is not installed.` : `${pkg} failed to load (${errorText(error)}).`);
  }
}

async function setBackend(tf: Tf, name: BackendName): Promise<void> {
  // setBackend resolves false (and logs) when a registered backend fails to initialise.
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed to initialise it.`);
  await tf.ready();
}

function isNotInstalled(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  return /Cannot find (module|package)|Failed to (load|resolve) (url|import)/i.test(errorText(error));
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Native load errors can carry long stacks of paths; the first line says what went wrong.
  return text.split('\n')[0].trim();
}
