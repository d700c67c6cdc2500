// One training step of the default 30-256-16-256-30 selu network, several ways, interleaved in
// one process (each variant's best of several rounds of CPU time, so load on a shared machine
// affects all alike): tf.train.adam against flatAdam (embed/flat-adam.ts), the loss read every
// step or not, a yield every step or not, and the gradients alone. --batch 16 against 32 shows
// what half a batch (one of two workers' share) would save.
//   npx tsx bench/train-step.ts [--backend wasm|cpu] [--batch 32] [--steps 200] [--rounds 5] [--only REGEX]
import { parseArgs } from 'node:util';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { selectBackend } from '../src-main/engine/embed/backend';
import { flatAdam } from '../src-main/engine/embed/flat-adam';
import { buildAutoencoder } from '../src-main/engine/embed/model';
import { resolveSettings } from '../src-shared/settings';

interface Variant {
  name: string;
  optimizer: 'adam' | 'flat' | 'none';
  readLoss: boolean;
  yieldEach: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'tf.train.adam, loss read + yield each step (before)', optimizer: 'adam', readLoss: true, yieldEach: true },
  { name: 'flatAdam, loss read + yield each step', optimizer: 'flat', readLoss: true, yieldEach: true },
  { name: 'flatAdam, losses kept, read once per round', optimizer: 'flat', readLoss: false, yieldEach: true },
  { name: 'tf.train.adam, losses kept, no yield', optimizer: 'adam', readLoss: false, yieldEach: false },
  { name: 'flatAdam, losses kept, no yield', optimizer: 'flat', readLoss: false, yieldEach: false },
  { name: 'gradients only (no update), no read, no yield', optimizer: 'none', readLoss: false, yieldEach: false },
];

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      batch: { type: 'string', default: '32' },
      steps: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '5' },
      // only the variants whose name matches this regular expression
      only: { type: 'string', default: '' },
    },
  });
  const { tf, name } = await selectBackend(values.backend as 'wasm' | 'cpu');
  const batch = Number(values.batch);
  const steps = Number(values.steps);
  const rounds = Number(values.rounds);
  const settings = resolveSettings({}).autoencoder;
  const rows = 10_000;
  const x = tf.randomNormal([rows, 30], 0, 1, 'float32', 1) as Tensor2D;
  const y = tf.randomNormal([rows, 30], 0, 1, 'float32', 2) as Tensor2D;
  const best = VARIANTS.map(() => Infinity);
  console.log(`train-step: ${name}, batch ${batch}, ${steps} steps a round, best of ${rounds} rounds, 30-${settings.hiddenLayers.join('-')}-${settings.embeddingSize} ${settings.activation}`);
  for (let round = 0; round < rounds; round++) {
    for (const [v, variant] of VARIANTS.entries()) {
      if (!new RegExp(values.only).test(variant.name)) continue;
      const network = buildAutoencoder(tf, 30, settings, settings.activation, 1);
      const adam = variant.optimizer === 'adam' ? tf.train.adam(settings.learningRate) : undefined;
      const flat = variant.optimizer === 'flat' ? flatAdam(tf, network.variables, settings.learningRate) : undefined;
      const kept: Scalar[] = [];
      let sum = 0;
      // CPU time, not the wall clock: on a shared machine a round is often descheduled
      const started = process.cpuUsage();
      for (let s = 0; s < steps; s++) {
        const indices = Int32Array.from({ length: batch }, (_, i) => (s * batch + i * 7919) % rows);
        const loss = tf.tidy(() => {
          const at = tf.tensor1d(indices, 'int32');
          const input = tf.gather(x, at) as Tensor2D;
          const goal = tf.gather(y, at) as Tensor2D;
          const f = () => tf.losses.meanSquaredError(goal, network.reconstruct(input)) as Scalar;
          if (adam) return adam.minimize(f, true, network.variables) as Scalar;
          if (flat) return flat.minimize(f);
          const { value, grads } = tf.variableGrads(f, network.variables);
          tf.dispose(grads);
          return value;
        });
        if (variant.readLoss) {
          sum += (await loss.data())[0];
          loss.dispose();
        } else kept.push(loss);
        if (variant.yieldEach) await tf.nextFrame();
      }
      if (kept.length > 0) {
        const all = tf.stack(kept);
        for (const value of await all.data()) sum += value;
        tf.dispose([all, ...kept]);
      }
      const used = process.cpuUsage(started);
      best[v] = Math.min(best[v], (used.user + used.system) / 1000 / steps);
      if (!Number.isFinite(sum)) throw new Error('loss is not finite');
      adam?.dispose();
      flat?.dispose();
      network.dispose();
    }
  }
  for (const [v, variant] of VARIANTS.entries()) if (best[v] < Infinity) console.log(`${best[v].toFixed(3).padStart(8)} ms CPU/step  ${variant.name}`);
  tf.dispose([x, y]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
