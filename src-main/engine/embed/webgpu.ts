// The webgpu backend under Node: @tensorflow/tfjs-backend-webgpu on Dawn (the `webgpu` package,
// Chromium's WebGPU built as a Node addon), so the autoencoder trains on any GPU that Vulkan,
// Metal or Direct3D 12 drives. tfjs-backend-webgpu registers itself only where navigator.gpu
// exists when it is imported, and then asks for an adapter without a feature level, which finds
// nothing where the only adapter is a "compatibility" one (Mesa's OpenGL ES, e.g. llvmpipe). So
// we find the adapter ourselves and register the backend with it.
import type { KernelBackend } from '@tensorflow/tfjs';
import type { Tf } from './backend';

/** The parts of GPUAdapterInfo we record and judge by. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}

export interface GpuAdapter {
  readonly info: AdapterInfo;
  readonly features: ReadonlySet<string>;
  readonly limits: object;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<unknown>;
}

export interface Gpu {
  requestAdapter(options: { powerPreference: 'high-performance'; featureLevel?: 'compatibility' }): Promise<GpuAdapter | null>;
}

/** The part of the `webgpu` package (dawn.node) this module uses. */
export interface DawnModule {
  /** A WebGPU entry point (navigator.gpu); flags such as "backend=opengles" pick Dawn's backend. */
  create(flags: string[]): Gpu;
  /** GPUBufferUsage, GPUBuffer and the rest of WebGPU's globals. */
  globals: object;
}

/** The part of '@tensorflow/tfjs-backend-webgpu' this module uses. */
export interface TfjsWebGpuModule {
  WebGPUBackend: new (device: never, adapterInfo: never) => KernelBackend;
}

export interface WebGpuModules {
  dawn: DawnModule;
  tfjsWebGpu: TfjsWebGpuModule;
}

export type FeatureLevel = 'core' | 'compatibility';

export interface FoundAdapter {
  gpu: Gpu;
  adapter: GpuAdapter;
  featureLevel: FeatureLevel;
  software: boolean;
  /** The adapter as a run records it: vendor, architecture, device, description, feature level. */
  summary: string;
}

/** Adapters that are the CPU pretending to be a GPU: slower than the wasm backend. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software rasteri[sz]er|microsoft basic render/i;

export function isSoftwareAdapter(info: AdapterInfo): boolean {
  return info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/** E.g. 'software adapter (vendor "", architecture "", device "llvmpipe…", description "…", compatibility feature level)'. */
export function describeAdapter(info: AdapterInfo, featureLevel: FeatureLevel): string {
  const fields = (['vendor', 'architecture', 'device', 'description'] as const).map((name) => `${name} ${JSON.stringify(info[name] ?? '')}`);
  return `${isSoftwareAdapter(info) ? 'software' : 'hardware'} adapter (${fields.join(', ')}, ${featureLevel} feature level)`;
}

/**
 * Mesa's EGL needs EGL_PLATFORM=surfaceless to open a GPU (or llvmpipe) with no display server;
 * without it Dawn's OpenGL ES backend finds no adapter on a headless machine. Set before Dawn
 * loads and only where unset, so a user's own choice stands. A worker thread sees this in the
 * real environment only when started with `env: SHARE_ENV` (as the engine's worker is).
 */
export function preferSurfacelessEgl(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'linux' && !env.EGL_PLATFORM) env.EGL_PLATFORM = 'surfaceless';
}

/**
 * The best adapter Dawn offers: its platform backend (Vulkan, Metal, D3D12) at the core feature
 * level, then at the compatibility level, then on Linux Mesa's OpenGL ES, which Dawn offers only
 * when asked for by name and only at the compatibility level. Throws saying what was tried.
 */
export async function findAdapter(dawn: DawnModule, platform: NodeJS.Platform = process.platform): Promise<FoundAdapter> {
  const attempts: { flags: string[]; featureLevel: FeatureLevel; label: string }[] = [
    { flags: [], featureLevel: 'core', label: 'the platform backend' },
    { flags: [], featureLevel: 'compatibility', label: 'the platform backend in compatibility mode' },
  ];
  if (platform === 'linux') attempts.push({ flags: ['backend=opengles'], featureLevel: 'compatibility', label: 'OpenGL ES' });
  const gpus = new Map<string, Gpu>();
  for (const { flags, featureLevel } of attempts) {
    const key = flags.join(' ');
    const gpu = gpus.get(key) ?? dawn.create(flags);
    gpus.set(key, gpu);
    const adapter = await gpu.requestAdapter(
      featureLevel === 'core' ? { powerPreference: 'high-performance' } : { powerPreference: 'high-performance', featureLevel },
    );
    if (adapter) {
      return { gpu, adapter, featureLevel, software: isSoftwareAdapter(adapter.info), summary: describeAdapter(adapter.info, featureLevel) };
    }
  }
  throw new Error(`Dawn found no WebGPU adapter (tried ${attempts.map((a) => a.label).join(', ')}).`);
}

// The WebGPU names tfjs-backend-webgpu reads as globals (its constructor checks navigator.gpu;
// its kernels read the usage flags and test resources with instanceof). Nothing else is installed.
const BACKEND_GLOBALS = ['GPUBufferUsage', 'GPUMapMode', 'GPUTextureUsage', 'GPUBuffer', 'GPUTexture'] as const;

function installGlobals(dawn: DawnModule, gpu: Gpu): void {
  const scope = globalThis as Record<string, unknown>;
  const provided = dawn.globals as Record<string, unknown>;
  for (const name of BACKEND_GLOBALS) {
    if (scope[name] === undefined) Object.defineProperty(scope, name, { value: provided[name], configurable: true, writable: true });
  }
  // Node 21+ has a navigator without gpu; Node 20 has none.
  const navigator = (scope.navigator ?? {}) as { gpu?: Gpu };
  if (!navigator.gpu) Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
  if (scope.navigator === undefined) Object.defineProperty(scope, 'navigator', { value: navigator, configurable: true, writable: true });
}

/** What each active webgpu backend runs on, for runs after the first in the same thread. */
const adapters = new WeakMap<KernelBackend, FoundAdapter>();

/**
 * Registers and activates tfjs's 'webgpu' backend on `found`'s adapter, asking the device for
 * what tfjs-backend-webgpu's own registration asks for (the adapter's limits, timestamp queries
 * where offered). Reuses a webgpu backend this module already started.
 */
export async function activateWebGpu(tf: Tf, modules: WebGpuModules, found: FoundAdapter): Promise<void> {
  const existing = tf.findBackend('webgpu');
  if (existing && adapters.has(existing)) {
    const ok = await tf.setBackend('webgpu');
    if (!ok) throw new Error("tf.setBackend('webgpu') failed to initialise it.");
    return;
  }
  // A registration of tfjs-backend-webgpu's own (where navigator.gpu existed at import) would
  // ask for an adapter without a feature level; ours replaces it.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  installGlobals(modules.dawn, found.gpu);
  // tf.setBackend only logs why a factory failed; keep the reason for the run's record.
  let startError: unknown;
  tf.registerBackend(
    'webgpu',
    async () => {
      try {
        return await startBackend(modules, found);
      } catch (error) {
        startError = error;
        throw error;
      }
    },
    3,
  );
  const ok = await tf.setBackend('webgpu');
  if (!ok || tf.getBackend() !== 'webgpu') {
    tf.removeBackend('webgpu');
    const why = startError instanceof Error ? `: ${startError.message.split('\n')[0]}` : '';
    throw new Error(`the ${found.summary} would not start a WebGPU device${why}.`);
  }
}

// The limits tfjs-backend-webgpu's own registration raises to the adapter's maximum.
const REQUIRED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
];

async function startBackend(modules: WebGpuModules, found: FoundAdapter): Promise<KernelBackend> {
  const { adapter } = found;
  const limits = adapter.limits as Record<string, unknown>;
  const device = await adapter.requestDevice({
    requiredFeatures: ['timestamp-query'].filter((f) => adapter.features.has(f)),
    requiredLimits: Object.fromEntries(
      REQUIRED_LIMITS.filter((name) => typeof limits[name] === 'number').map((name) => [name, limits[name] as number]),
    ),
  });
  const backend = new modules.tfjsWebGpu.WebGPUBackend(device as never, adapter.info as never);
  adapters.set(backend, found);
  return backend;
}

/** The adapter the active webgpu backend runs on, if this module started it. */
export function activeWebGpuAdapter(tf: Tf): FoundAdapter | undefined {
  const backend = tf.findBackend('webgpu');
  return backend ? adapters.get(backend) : undefined;
}

/** GPU buffers the webgpu backend holds for live tensors, and idle ones kept for reuse. */
export function webGpuBufferCounts(tf: Tf): { used: number; free: number } | undefined {
  const backend = tf.findBackend('webgpu') as { bufferManager?: { getNumUsedBuffers(): number; getNumFreeBuffers(): number } } | null;
  const manager = backend?.bufferManager;
  return manager ? { used: manager.getNumUsedBuffers(), free: manager.getNumFreeBuffers() } : undefined;
}
