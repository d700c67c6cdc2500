// The webgpu backend on this machine's own adapter: Mesa's llvmpipe in CI (the Debian packages
// scripts/ensure-test-tools.sh installs, EGL_PLATFORM=surfaceless set by the engine), a GPU
// where there is one. Small on purpose: the software adapter is the CPU pretending to be a GPU.
// The backend choice itself, with every package's loader injected, is in backend.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AutoencoderSettings } from '../../../src-shared/settings';
import { FIXTURE_BOOKS_DIR } from '../../../fixtures/fixture-paths';
import { fitTransformTfidf, toDenseMatrix } from '../features';
import { countBookTerms } from '../features/sample';
import { tfidfOptionsFor } from '../features/options';
import { readBook } from '../library';
import { defaultLoaders, selectBackend, type SelectedBackend, type Tf } from './backend';
import { trainAutoencoder, type TrainedEmbeddings } from './autoencoder';
import { webGpuBufferCounts } from './webgpu';

const webgpu = await selectBackend('webgpu').catch((error: Error) => error);
const unavailable = webgpu instanceof Error ? webgpu.message : undefined;
if (unavailable) {
  console.log(
    `Skipping the webgpu tests, no WebGPU adapter could be had here: ${unavailable.split('. ')[0]}. ` +
      'On Debian, as root, scripts/ensure-test-tools.sh installs Mesa\'s software adapter (libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri).',
  );
}

/** The 12 fixture books (3 genres) as TF-IDF rows, the way a run builds them. */
async function fixtureInput(): Promise<{ input: Float32Array; rows: number; cols: number }> {
  const counts = [];
  for (const genre of readdirSync(FIXTURE_BOOKS_DIR).sort()) {
    for (const file of readdirSync(join(FIXTURE_BOOKS_DIR, genre)).sort()) {
      const read = await readBook(join(FIXTURE_BOOKS_DIR, genre, file));
      if (!read.ok) throw new Error(`fixture ${genre}/${file} was rejected: ${read.rejected.message}`);
      counts.push(countBookTerms(read.book.body, DEFAULT_SETTINGS.features).counts);
    }
  }
  const { model, rows } = fitTransformTfidf(counts, tfidfOptionsFor(DEFAULT_SETTINGS.features, counts.length));
  return { input: toDenseMatrix(rows, model.vocabulary.length), rows: rows.length, cols: model.vocabulary.length };
}

const SETTINGS: AutoencoderSettings = {
  ...DEFAULT_SETTINGS.autoencoder,
  hiddenLayers: [32],
  embeddingSize: 4,
  dropout: 0.1,
  epochs: 5,
  steps: 0,
  batchSize: 4,
  learningRate: 0.01,
};

async function train(tf: Tf, data: { input: Float32Array; rows: number; cols: number }, onEpoch?: () => void): Promise<TrainedEmbeddings> {
  return trainAutoencoder(tf, data.input, data.rows, data.cols, SETTINGS, { seed: 7, onEpoch });
}

describe.skipIf(unavailable !== undefined)('the webgpu backend on this machine', () => {
  const selected = webgpu as SelectedBackend;
  const { tf } = selected;

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('starts on the adapter it found and says which', () => {
    expect(selected.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(selected.detail).toMatch(
      /^WebGPU \(Dawn\) on a (software|hardware) adapter \(vendor ".*", architecture ".*", device ".*", description ".*", (core|compatibility) feature level\)$/,
    );
  });

  it('trains like wasm with the same seed: losses within 1e-5 and embeddings within 1e-4, relative', async () => {
    const data = await fixtureInput();
    await selectBackend('wasm');
    const onWasm = await train(tf, data);
    onWasm.model.dispose();
    await selectBackend('webgpu');
    const onWebGpu = await train(tf, data);
    onWebGpu.model.dispose();
    const lossGap = Math.max(...onWebGpu.losses.map((loss, i) => Math.abs(loss - onWasm.losses[i]) / onWasm.losses[i]));
    const embeddingGap = Math.max(...onWebGpu.embeddings.map((v, i) => Math.abs(v - onWasm.embeddings[i])));
    const scale = Math.max(...onWasm.embeddings.map(Math.abs));
    console.log(`webgpu against wasm: loss gap ${lossGap.toExponential(2)} (relative), embedding gap ${embeddingGap.toExponential(2)} (embeddings up to ${scale.toFixed(3)}); losses ${onWebGpu.losses.map((l) => l.toFixed(5)).join(' ')}`);
    expect(onWebGpu.losses).toHaveLength(SETTINGS.epochs);
    // Measured on llvmpipe: 5e-7 and 5e-7 (float32 sums in another order, over 5 epochs of Adam).
    expect(lossGap).toBeLessThan(1e-5);
    expect(embeddingGap / scale).toBeLessThan(1e-4);
  });

  it('holds no more tensors or GPU buffers after each epoch than after the first, and none after training', async () => {
    const data = await fixtureInput();
    await selectBackend('webgpu');
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = webGpuBufferCounts(tf)!;
    const perEpoch: { tensors: number; used: number; free: number }[] = [];
    const trained = await train(tf, data, () => perEpoch.push({ tensors: tf.memory().numTensors, ...webGpuBufferCounts(tf)! }));
    trained.model.dispose();
    console.log(`per epoch: ${perEpoch.map((e) => `${e.tensors} tensors, ${e.used} buffers used, ${e.free} free`).join('; ')}`);
    expect(perEpoch).toHaveLength(SETTINGS.epochs);
    for (const epoch of perEpoch.slice(1)) {
      expect(epoch.tensors).toBe(perEpoch[0].tensors);
      expect(epoch.used).toBe(perEpoch[0].used);
      // Nor does the pool of idle buffers grow: each batch reuses the last one's.
      expect(epoch.free).toBe(perEpoch[0].free);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(webGpuBufferCounts(tf)!.used).toBe(buffersBefore.used);
  });

  it('trains a whole `shelfmap cluster --backend webgpu` in the engine\'s worker thread, EGL_PLATFORM left to the engine', () => {
    const root = resolve(__dirname, '..', '..', '..');
    if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('The CLI is not built: run "npm run build" first.');
    const dir = mkdtempSync(join(tmpdir(), 'shelfmap-webgpu-'));
    try {
      const env = { ...process.env };
      delete env.EGL_PLATFORM;
      const args = ['cluster', FIXTURE_BOOKS_DIR, '--k', '3', '--epochs', '3', '--backend', 'webgpu', '--db', join(dir, 'library.sqlite'), '--out', join(dir, 'labels.csv')];
      const run = spawnSync(process.execPath, [join(root, 'bin', 'shelfmap.js'), ...args], { encoding: 'utf8', env, timeout: 180_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/Run 1: 12 books, backend webgpu \(WebGPU \(Dawn\) on a (software|hardware) adapter \(vendor /);
      expect(run.stderr).toMatch(/Wrote 12 rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is passed over by auto when the adapter is software, and chosen when it is a GPU', async () => {
    const absent = async () => {
      throw Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node'"), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    const auto = await selectBackend('auto', { ...defaultLoaders, tfjsNodeGpu: absent, tfjsNode: absent });
    if (selected.detail.includes('software adapter')) {
      expect(auto.name).toBe('wasm');
      expect(auto.tried.find((t) => t.name === 'webgpu')?.error).toMatch(/^passed over the software adapter/);
    } else {
      expect(auto.name).toBe('webgpu');
    }
  });
});
