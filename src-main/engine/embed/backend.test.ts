// The backend choice with every optional package's loader injected, so the outcome is the same
// wherever this runs: with or without tfjs-node, with or without a GPU. The real webgpu backend
// on this machine's adapter is tested in webgpu.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import * as tfjs from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import { defaultLoaders, selectBackend, type BackendLoaders } from './backend';
import { preferSurfacelessEgl, type AdapterInfo, type DawnModule, type Gpu, type GpuAdapter, type TfjsWebGpuModule } from './webgpu';

function notInstalled(pkg: string): () => Promise<never> {
  return async () => {
    throw Object.assign(new Error(`Cannot find package '${pkg}' imported from /app/worker.js`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  };
}

/** What a tfjs-node with a broken native binding does: the import itself throws. */
async function brokenBinding(): Promise<never> {
  throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions..node');
}

/** What tfjs-node-gpu does without the CUDA it was built against. */
async function brokenCuda(): Promise<never> {
  throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
}

/** tfjs-node's own registration into the shared tfjs-core, with the cpu backend's kernels standing in. */
async function workingTfjsNode(): Promise<void> {
  const Backend = (tfjs.findBackend('cpu') as object).constructor as new () => tfjs.KernelBackend;
  tfjs.registerBackend('tensorflow', () => new Backend(), 3);
}

const HARDWARE: AdapterInfo = { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA H200 (Vulkan)' };
const LLVMPIPE: AdapterInfo = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' };

interface FakeDawn {
  module: DawnModule;
  /** Each adapter request: Dawn's flags and the feature level asked for. */
  requests: string[];
  /** What each WebGPUBackend was constructed with. */
  backends: { device: unknown; info: AdapterInfo }[];
}

/**
 * A Dawn that offers `info`'s adapter only for the flags and feature level given (as llvmpipe
 * appears only through backend=opengles at the compatibility level), and a tfjs-backend-webgpu
 * whose backend computes with the cpu kernels.
 */
function fakeDawn(info: AdapterInfo | null, offeredAt = { flags: '', featureLevel: 'core' }): FakeDawn & { tfjsWebGpu: TfjsWebGpuModule } {
  const requests: string[] = [];
  const backends: FakeDawn['backends'] = [];
  const adapter: GpuAdapter = {
    info: info ?? HARDWARE,
    features: new Set(['timestamp-query']),
    limits: { maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 27 },
    requestDevice: async (descriptor) => ({ descriptor }),
  };
  const module: DawnModule = {
    create(flags): Gpu {
      return {
        async requestAdapter(options) {
          const level = options.featureLevel ?? 'core';
          requests.push(`[${flags.join(' ')}] ${level}`);
          const offered = info && flags.join(' ') === offeredAt.flags && (level === offeredAt.featureLevel || level === 'compatibility');
          return offered ? adapter : null;
        },
      };
    },
    globals: { GPUBufferUsage: {}, GPUMapMode: {}, GPUTextureUsage: {}, GPUBuffer: class {}, GPUTexture: class {} },
  };
  const Cpu = (tfjs.findBackend('cpu') as object).constructor as new () => tfjs.KernelBackend;
  class WebGPUBackend extends Cpu {
    constructor(device: unknown, adapterInfo: AdapterInfo) {
      super();
      backends.push({ device, info: adapterInfo });
    }
  }
  return { module, requests, backends, tfjsWebGpu: { WebGPUBackend: WebGPUBackend as unknown as TfjsWebGpuModule['WebGPUBackend'] } };
}

/** Every optional package absent unless overridden; wasm and tfjs (hard dependencies) real. */
function loaders(overrides: Partial<BackendLoaders> = {}): BackendLoaders {
  return {
    ...defaultLoaders,
    tfjsNodeGpu: notInstalled('@tensorflow/tfjs-node-gpu'),
    tfjsNode: notInstalled('@tensorflow/tfjs-node'),
    webgpu: notInstalled('webgpu'),
    tfjsWebGpu: notInstalled('@tensorflow/tfjs-backend-webgpu'),
    ...overrides,
  };
}

function withDawn(dawn: ReturnType<typeof fakeDawn>, overrides: Partial<BackendLoaders> = {}): BackendLoaders {
  return loaders({ webgpu: async () => dawn.module, tfjsWebGpu: async () => dawn.tfjsWebGpu, ...overrides });
}

afterEach(async () => {
  for (const name of ['tensorflow', 'webgpu']) if (tfjs.findBackendFactory(name)) tfjs.removeBackend(name);
  await tfjs.setBackend('cpu');
});

describe('selectBackend with tensorflow (tfjs-node-gpu, tfjs-node)', () => {
  it('absent: auto goes on to wasm and says neither package is installed', async () => {
    const selected = await selectBackend('auto', loaders());
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.detail).toMatch(/^WebAssembly, (SIMD|no SIMD), single-threaded$/);
    expect(selected.tried.map((t) => t.name)).toEqual(['tensorflow', 'webgpu']);
    expect(selected.tried[0].error).toBe('@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed.');
    // the wasm backend really computes
    const sum = selected.tf.tidy(() => selected.tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
    expect(sum).toBe(6);
  });

  it('present and loading: auto uses tfjs-node and tries nothing after it', async () => {
    const selected = await selectBackend('auto', loaders({ tfjsNode: workingTfjsNode }));
    expect(selected.name).toBe('tensorflow');
    expect(selected.tf.getBackend()).toBe('tensorflow');
    expect(selected.detail).toBe('native TensorFlow (@tensorflow/tfjs-node)');
    expect(selected.tried).toEqual([]);
  });

  it('present and loading: the GPU build is preferred over the CPU one', async () => {
    let cpuBuildLoaded = false;
    const selected = await selectBackend(
      'auto',
      loaders({
        tfjsNodeGpu: workingTfjsNode,
        tfjsNode: async () => {
          cpuBuildLoaded = true;
        },
      }),
    );
    expect(selected.detail).toBe('native TensorFlow (@tensorflow/tfjs-node-gpu)');
    expect(cpuBuildLoaded).toBe(false);
  });

  it('GPU build present and failing: tfjs-node trains, and the run says why the GPU build did not', async () => {
    const selected = await selectBackend('auto', loaders({ tfjsNodeGpu: brokenCuda, tfjsNode: workingTfjsNode }));
    expect(selected.name).toBe('tensorflow');
    expect(selected.detail).toBe(
      'native TensorFlow (@tensorflow/tfjs-node; @tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open shared object file: No such file or directory))',
    );
  });

  it('present and failing: auto falls back and quotes the native error', async () => {
    const selected = await selectBackend('auto', loaders({ tfjsNode: brokenBinding }));
    expect(selected.name).toBe('wasm');
    expect(selected.tried[0]).toEqual({
      name: 'tensorflow',
      error:
        '@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node failed to load ' +
        '(libtensorflow.so.2: cannot open shared object file: No such file or directory).',
    });
  });

  it('present but registered into another copy of tfjs-core: says so', async () => {
    const selected = await selectBackend('auto', loaders({ tfjsNodeGpu: async () => ({}) }));
    expect(selected.name).toBe('wasm');
    expect(selected.tried[0].error).toMatch(/different copy of @tensorflow\/tfjs-core.*4\.\d+\.\d+/);
  });

  it('absent and forced: backend-unavailable with the fix', async () => {
    const attempt = selectBackend('tensorflow', loaders());
    await expect(attempt).rejects.toBeInstanceOf(ShelfmapError);
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/tensorflow backend is unavailable: .*tfjs-node is not installed/);
    await expect(attempt).rejects.toThrow(/npm install @tensorflow\/tfjs-node"/);
    await expect(attempt).rejects.toThrow(/CUDA/);
  });

  it('present and failing when forced: backend-unavailable saying it failed to load', async () => {
    const attempt = selectBackend('tensorflow', loaders({ tfjsNode: brokenBinding }));
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/@tensorflow\/tfjs-node failed to load \(libtensorflow\.so\.2/);
  });
});

describe('selectBackend with webgpu (Dawn and tfjs-backend-webgpu)', () => {
  it('present and loading on a hardware adapter: auto trains on it and records the adapter', async () => {
    const dawn = fakeDawn(HARDWARE);
    const selected = await selectBackend('auto', withDawn(dawn));
    expect(selected.name).toBe('webgpu');
    expect(selected.tf.getBackend()).toBe('webgpu');
    expect(selected.detail).toBe(
      'WebGPU (Dawn) on a hardware adapter (vendor "nvidia", architecture "hopper", device "NVIDIA H200", ' +
        'description "NVIDIA H200 (Vulkan)", core feature level)',
    );
    expect(selected.tried.map((t) => t.name)).toEqual(['tensorflow']);
    // The device was asked for the adapter's limits, as tfjs-backend-webgpu's own registration does.
    expect(dawn.backends).toHaveLength(1);
    expect(dawn.backends[0].info).toBe(HARDWARE);
    expect(dawn.backends[0].device).toMatchObject({
      descriptor: { requiredFeatures: ['timestamp-query'], requiredLimits: { maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 27 } },
    });
    expect(dawn.requests).toEqual(['[] core']);
  });

  it('tensorflow, when it loads, still comes first', async () => {
    const dawn = fakeDawn(HARDWARE);
    const selected = await selectBackend('auto', withDawn(dawn, { tfjsNode: workingTfjsNode }));
    expect(selected.name).toBe('tensorflow');
    expect(dawn.requests).toEqual([]);
  });

  it('a second run reuses the started backend instead of looking for an adapter again', async () => {
    const dawn = fakeDawn(HARDWARE);
    await selectBackend('auto', withDawn(dawn));
    await tfjs.setBackend('cpu');
    const again = await selectBackend('webgpu', withDawn(dawn));
    expect(again.tf.getBackend()).toBe('webgpu');
    expect(dawn.requests).toEqual(['[] core']);
    expect(dawn.backends).toHaveLength(1);
  });

  it('present with only a software adapter: auto passes it over for wasm and says why', async () => {
    const dawn = fakeDawn(LLVMPIPE, { flags: 'backend=opengles', featureLevel: 'compatibility' });
    const selected = await selectBackend('auto', withDawn(dawn));
    expect(selected.name).toBe('wasm');
    expect(selected.tried[1].name).toBe('webgpu');
    expect(selected.tried[1].error).toBe(
      'passed over the software adapter (vendor "", architecture "", device "llvmpipe-llvm-15-0-6-256-bits-", ' +
        'description "OpenGL version OpenGL ES 3.2 Mesa 22.3.6", compatibility feature level): it is the CPU, ' +
        'slower than wasm; choose the backend "webgpu" to use it anyway.',
    );
    expect(dawn.backends).toEqual([]);
    expect(tfjs.findBackendFactory('webgpu')).toBeNull();
  });

  it('forced onto the software adapter: uses it, found through OpenGL ES at the compatibility level', async () => {
    const dawn = fakeDawn(LLVMPIPE, { flags: 'backend=opengles', featureLevel: 'compatibility' });
    const selected = await selectBackend('webgpu', withDawn(dawn));
    expect(selected.name).toBe('webgpu');
    expect(selected.tried).toEqual([]);
    expect(selected.detail).toMatch(/^WebGPU \(Dawn\) on a software adapter \(.*device "llvmpipe-.*compatibility feature level\)$/);
    expect(dawn.requests).toEqual(['[] core', '[] compatibility', '[backend=opengles] compatibility']);
  });

  it('tells a SwiftShader or fallback adapter from a GPU', async () => {
    for (const info of [
      { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device (Subzero)' },
      { ...HARDWARE, isFallbackAdapter: true },
    ]) {
      const selected = await selectBackend('auto', withDawn(fakeDawn(info)));
      expect(selected.name).toBe('wasm');
      expect(selected.tried[1].error).toMatch(/^passed over the software adapter/);
    }
  });

  it('present but no adapter: auto says what Dawn tried; forced, the fix names the drivers', async () => {
    const dawn = fakeDawn(null);
    const selected = await selectBackend('auto', withDawn(dawn));
    expect(selected.name).toBe('wasm');
    expect(selected.tried[1].error).toBe(
      'Dawn found no WebGPU adapter (tried the platform backend, the platform backend in compatibility mode, OpenGL ES).',
    );
    const attempt = selectBackend('webgpu', withDawn(fakeDawn(null)));
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/^The webgpu backend is unavailable: Dawn found no WebGPU adapter .* Vulkan .*libegl-mesa0/);
  });

  it('present and failing: dawn.node that will not load is quoted, not called absent', async () => {
    const selected = await selectBackend(
      'auto',
      loaders({
        webgpu: async () => {
          throw new Error('/app/node_modules/webgpu/dist/linux-x64/dawn.node: wrong ELF class: ELFCLASS64\n    at Module._extensions..node');
        },
      }),
    );
    expect(selected.name).toBe('wasm');
    expect(selected.tried[1]).toEqual({
      name: 'webgpu',
      error: 'webgpu failed to load (/app/node_modules/webgpu/dist/linux-x64/dawn.node: wrong ELF class: ELFCLASS64).',
    });
  });

  it('a backend that will not start a device is removed again, and auto goes on', async () => {
    const dawn = fakeDawn(HARDWARE);
    dawn.tfjsWebGpu.WebGPUBackend = class {
      constructor() {
        throw new Error('WebGPU is not supported on this device');
      }
    } as unknown as TfjsWebGpuModule['WebGPUBackend'];
    const selected = await selectBackend('auto', withDawn(dawn));
    expect(selected.name).toBe('wasm');
    expect(selected.tried[1].error).toMatch(/^the hardware adapter \(.*NVIDIA H200.*\) would not start a WebGPU device: WebGPU is not supported on this device\.$/);
    expect(tfjs.findBackendFactory('webgpu')).toBeNull();
  });

  it('absent: auto says which package is missing; forced, the fix says how to install it', async () => {
    const selected = await selectBackend('auto', loaders({ tfjsWebGpu: notInstalled('@tensorflow/tfjs-backend-webgpu'), webgpu: async () => fakeDawn(HARDWARE).module }));
    expect(selected.tried[1]).toEqual({ name: 'webgpu', error: '@tensorflow/tfjs-backend-webgpu is not installed.' });
    const attempt = selectBackend('webgpu', loaders());
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/webgpu backend is unavailable: webgpu is not installed\. .*npm install webgpu @tensorflow\/tfjs-backend-webgpu/);
  });
});

describe('preferSurfacelessEgl', () => {
  it('sets EGL_PLATFORM on Linux only, and never over a value of the user\'s own', () => {
    const linux: NodeJS.ProcessEnv = {};
    preferSurfacelessEgl(linux, 'linux');
    expect(linux.EGL_PLATFORM).toBe('surfaceless');
    const own: NodeJS.ProcessEnv = { EGL_PLATFORM: 'wayland' };
    preferSurfacelessEgl(own, 'linux');
    expect(own.EGL_PLATFORM).toBe('wayland');
    const mac: NodeJS.ProcessEnv = {};
    preferSurfacelessEgl(mac, 'darwin');
    expect(mac.EGL_PLATFORM).toBeUndefined();
  });
});

describe('selectBackend with wasm and cpu', () => {
  it('hands back the same tfjs-core instance the rest of the engine imports', async () => {
    const selected = await selectBackend('cpu', loaders());
    expect(selected.tf.engine()).toBe(tfjs.engine());
  });

  it('falls back to cpu when wasm fails too', async () => {
    const selected = await selectBackend(
      'auto',
      loaders({
        tfjsNode: brokenBinding,
        wasm: async () => {
          throw new Error('WebAssembly.instantiate(): out of memory');
        },
      }),
    );
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(selected.tried.map((t) => t.name)).toEqual(['tensorflow', 'webgpu', 'wasm']);
    expect(selected.tried[2].error).toBe('WebAssembly.instantiate(): out of memory');
  });

  it('throws backend-unavailable when wasm is forced and fails', async () => {
    const attempt = selectBackend('wasm', loaders({ wasm: notInstalled('@tensorflow/tfjs-backend-wasm') }));
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/wasm backend is unavailable: Cannot find package/);
  });

  it('gives cpu when cpu is forced, trying nothing else', async () => {
    let looked = false;
    const selected = await selectBackend('cpu', loaders({ webgpu: async () => ((looked = true), fakeDawn(HARDWARE).module) }));
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(selected.tried).toEqual([]);
    expect(looked).toBe(false);
  });

  it('gives wasm when wasm is forced', async () => {
    const selected = await selectBackend('wasm', loaders());
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.tried).toEqual([]);
  });
});
