// Time of one autoencoder training epoch on every TensorFlow.js backend present here, with the
// default network on an input the size of the corpus's (197 books x 3000 terms, seeded,
// sparse like TF-IDF rows). A backend that cannot load is listed with the reason; webgpu runs on
// whatever adapter Dawn finds (named in its line), a software one included.
//   npm run bench:backends [-- --rows 197 --cols 3000 --epochs 4]
import { parseArgs } from 'node:util';
import type { BackendName } from '../src-shared/domain';
import { DEFAULT_SETTINGS } from '../src-shared/settings';
import { selectBackend, trainAutoencoder } from '../src-main/engine/embed';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '197' }, cols: { type: 'string', default: '3000' }, epochs: { type: 'string', default: '4' } },
});
const rows = Number(values.rows);
const cols = Number(values.cols);
const epochs = Number(values.epochs);

function sparseRows(seed: number): Float32Array {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let c = 0; c < cols; c++) {
      if (random() < 0.15) {
        const v = random();
        data[r * cols + c] = v;
        norm += v * v;
      }
    }
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < cols; c++) data[r * cols + c] /= norm;
  }
  return data;
}

async function main() {
  const settings = { ...DEFAULT_SETTINGS.autoencoder, epochs };
  console.log(
    `One training epoch, ${rows} x ${cols} input, network ${[cols, ...settings.hiddenLayers, settings.embeddingSize].join('-')} ${settings.activation}, batch ${settings.batchSize}; mean of epochs 2-${epochs}`,
  );
  const input = sparseRows(1);
  for (const name of ['tensorflow', 'webgpu', 'wasm', 'cpu'] as BackendName[]) {
    let selected;
    try {
      selected = await selectBackend(name);
    } catch (error) {
      console.log(`${name.padEnd(10)} unavailable: ${(error as Error).message.split('. ')[0]}`);
      continue;
    }
    const times: number[] = [];
    const trained = await trainAutoencoder(selected.tf, input, rows, cols, settings, { seed: 1, onEpoch: (e) => times.push(e.ms) });
    trained.model.dispose();
    const steady = times.slice(1);
    const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
    console.log(`${name.padEnd(10)} ${mean.toFixed(0).padStart(6)} ms/epoch  (${selected.detail})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
