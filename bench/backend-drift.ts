// How far two runs of the same settings and seed drifted apart (on two backends, say): each
// epoch's loss, relative, and the largest difference between their trained weights. Reads the
// latest run of each library, e.g. the two that bench/backend-nmi.ts's commands wrote:
//   npx tsx bench/backend-drift.ts /tmp/wasm.sqlite /tmp/webgpu.sqlite
import { Store } from '../src-main/engine/store/store';

const [first, second] = process.argv.slice(2);
if (!first || !second) {
  console.error('Usage: npx tsx bench/backend-drift.ts first.sqlite second.sqlite');
  process.exit(2);
}

function latestRun(file: string) {
  const store = new Store(file);
  try {
    const run = store.listRuns()[0];
    if (!run) throw new Error(`${file} holds no run.`);
    const model = store.runModel(run.id);
    if (!model) throw new Error(`${file}'s run ${run.id} saved no model.`);
    const weights = new Float32Array(model.weights.byteLength / 4);
    new Uint8Array(weights.buffer).set(model.weights);
    return { run, weights, losses: store.runEpochs(run.id).map((e) => e.loss) };
  } finally {
    store.close();
  }
}

const a = latestRun(first);
const b = latestRun(second);
if (a.weights.length !== b.weights.length) throw new Error('The two runs trained networks of different sizes.');
const lossGaps = a.losses.map((loss, i) => Math.abs(loss - b.losses[i]) / loss);
let weightGap = 0;
let largest = 0;
for (let i = 0; i < a.weights.length; i++) {
  weightGap = Math.max(weightGap, Math.abs(a.weights[i] - b.weights[i]));
  largest = Math.max(largest, Math.abs(a.weights[i]));
}
console.log(`${first} (backend ${a.run.backend}, seed ${a.run.settings.seed}) against ${second} (backend ${b.run.backend}, seed ${b.run.settings.seed})`);
console.log(`loss per epoch, relative difference: first ${lossGaps[0].toExponential(1)}, largest ${Math.max(...lossGaps).toExponential(1)}, last ${lossGaps.at(-1)!.toExponential(1)}`);
console.log(`weights: largest difference ${weightGap.toExponential(1)} (largest weight ${largest.toFixed(3)}, ${a.weights.length} weights)`);
