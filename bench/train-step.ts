// One training step of the default 30-256-16 network on wasm, three ways: tf.train.adam, plain SGD,
// and the gradients alone, to show what Adam's update costs per step (its ~14 kernels per weight).
//   npx tsx bench/train-step.ts
import { selectBackend } from '../src-main/engine/embed/backend';
import { buildAutoencoder } from '../src-main/engine/embed/model';
import { resolveSettings } from '../src-shared/settings';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
async function main() {
const { tf } = await selectBackend('wasm');
const s = resolveSettings({}).autoencoder;
for (const batch of [32, 128]) {
  for (const name of ['adam', 'sgd', 'forward+backward only']) {
    const net = buildAutoencoder(tf, 30, s, 'selu', 1);
    const x = tf.randomNormal([batch, 30]) as Tensor2D;
    const opt = name === 'adam' ? tf.train.adam(0.001) : tf.train.sgd(0.001);
    const step = () => {
      if (name === 'forward+backward only') {
        const g = tf.variableGrads(() => tf.losses.meanSquaredError(x, net.reconstruct(x)) as Scalar, net.variables);
        tf.dispose(g.grads); g.value.dispose();
      } else tf.tidy(() => { opt.minimize(() => tf.losses.meanSquaredError(x, net.reconstruct(x)) as Scalar, false, net.variables); });
    };
    for (let i = 0; i < 100; i++) step();
    const n = 1000, t = performance.now();
    for (let i = 0; i < n; i++) step();
    const ms = (performance.now() - t) / n;
    console.log(`batch ${batch}, ${name}: ${ms.toFixed(3)} ms/step`);
    net.dispose(); x.dispose(); opt.dispose();
  }
}
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
