import { afterEach, describe, expect, it } from 'vitest';
import * as tfjs from '@tensorflow/tfjs';
import { ShelfmapError } from '../../../src-shared/errors';
import { defaultLoaders, selectBackend, type BackendLoaders } from './backend';

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

function loaders(overrides: Partial<BackendLoaders>): BackendLoaders {
  return { ...defaultLoaders, ...overrides };
}

afterEach(async () => {
  if (tfjs.findBackendFactory('tensorflow')) tfjs.removeBackend('tensorflow');
  await tfjs.setBackend('cpu');
});

describe('selectBackend', () => {
  it('auto picks wasm here, where tfjs-node is not installed, and says why tensorflow was skipped', async () => {
    const selected = await selectBackend('auto');
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.detail).toMatch(/^WebAssembly, (SIMD|no SIMD), single-threaded$/);
    expect(selected.tried).toHaveLength(1);
    expect(selected.tried[0].name).toBe('tensorflow');
    expect(selected.tried[0].error).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(selected.tried[0].error).toContain('@tensorflow/tfjs-node is not installed');
    // the wasm backend really computes
    const sum = selected.tf.tidy(() => selected.tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
    expect(sum).toBe(6);
  });

  it('hands back the same tfjs-core instance the rest of the engine imports', async () => {
    const selected = await selectBackend('cpu');
    expect(selected.tf.engine()).toBe(tfjs.engine());
  });

  it('falls back to wasm when tfjs-node is installed but its native binding is broken', async () => {
    const selected = await selectBackend(
      'auto',
      loaders({ tfjsNodeGpu: notInstalled('@tensorflow/tfjs-node-gpu'), tfjsNode: brokenBinding }),
    );
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.tried).toEqual([
      {
        name: 'tensorflow',
        error:
          '@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node failed to load ' +
          '(libtensorflow.so.2: cannot open shared object file: No such file or directory).',
      },
    ]);
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
    expect(selected.tried.map((t) => t.name)).toEqual(['tensorflow', 'wasm']);
    expect(selected.tried[1].error).toBe('WebAssembly.instantiate(): out of memory');
  });

  it('uses tensorflow when tfjs-node loads and registers its backend', async () => {
    const cpuBackend = tfjs.findBackend('cpu') as object;
    const selected = await selectBackend(
      'auto',
      loaders({
        tfjsNodeGpu: notInstalled('@tensorflow/tfjs-node-gpu'),
        tfjsNode: async () => {
          // stands in for tfjs-node's own registration into the shared tfjs-core
          const Backend = cpuBackend.constructor as new () => tfjs.KernelBackend;
          tfjs.registerBackend('tensorflow', () => new Backend(), 3);
        },
      }),
    );
    expect(selected.name).toBe('tensorflow');
    expect(selected.tf.getBackend()).toBe('tensorflow');
    expect(selected.detail).toBe('native TensorFlow (@tensorflow/tfjs-node)');
    expect(selected.tried).toEqual([]);
  });

  it('explains a tfjs-node that registered into another copy of tfjs-core', async () => {
    const selected = await selectBackend('auto', loaders({ tfjsNodeGpu: async () => ({}) }));
    expect(selected.name).toBe('wasm');
    expect(selected.tried[0].error).toMatch(/different copy of @tensorflow\/tfjs-core.*4\.\d+\.\d+/);
  });

  it('throws backend-unavailable with a fix when tensorflow is forced and cannot load', async () => {
    const attempt = selectBackend('tensorflow');
    await expect(attempt).rejects.toBeInstanceOf(ShelfmapError);
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/tensorflow backend is unavailable: .*tfjs-node is not installed/);
    await expect(attempt).rejects.toThrow(/npm install @tensorflow\/tfjs-node"/);
    await expect(attempt).rejects.toThrow(/CUDA/);
  });

  it('throws backend-unavailable when wasm is forced and fails', async () => {
    const attempt = selectBackend('wasm', loaders({ wasm: notInstalled('@tensorflow/tfjs-backend-wasm') }));
    await expect(attempt).rejects.toMatchObject({ kind: 'backend-unavailable' });
    await expect(attempt).rejects.toThrow(/wasm backend is unavailable: Cannot find package/);
  });

  it('gives cpu when cpu is forced, trying nothing else', async () => {
    const selected = await selectBackend('cpu');
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(selected.tried).toEqual([]);
  });

  it('gives wasm when wasm is forced', async () => {
    const selected = await selectBackend('wasm');
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.tried).toEqual([]);
  });
});
