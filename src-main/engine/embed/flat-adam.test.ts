import type { Scalar, Tensor2D, Variable } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend, type Tf } from './backend';
import { flatAdam } from './flat-adam';
import { buildAutoencoder } from './model';

// The default network's shape and activation, small enough to run many steps in a test.
const SHAPE = { hiddenLayers: [24], embeddingSize: 4 };

/** The network's weights after `steps` Adam steps on fixed seeded data, by tf.train.adam or flatAdam. */
async function trainedWeights(tf: Tf, how: 'tf.train.adam' | 'flatAdam', steps: number, freeze = false): Promise<Float32Array[]> {
  const network = buildAutoencoder(tf, 10, SHAPE, 'selu', 7);
  // one variable the loss does not depend on: tf.train.adam leaves it alone, and so must flatAdam
  const unused = tf.tidy(() => tf.variable(tf.randomNormal([3, 2], 0, 1, 'float32', 9)));
  const variables: Variable[] = [...network.variables, unused];
  const x = tf.randomNormal([16, 10], 0, 1, 'float32', 3) as Tensor2D;
  const target = tf.randomNormal([16, 10], 0, 1, 'float32', 4) as Tensor2D;
  const loss = () => tf.losses.meanSquaredError(target, network.reconstruct(x)) as Scalar;
  const adam = how === 'tf.train.adam' ? tf.train.adam(0.01) : undefined;
  const flat = how === 'tf.train.adam' ? undefined : flatAdam(tf, freeze ? network.variables : variables, 0.01);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const value = tf.tidy(() => (adam ? (adam.minimize(loss, true, variables) as Scalar) : flat!.minimize(loss)));
    losses.push((await value.data())[0]);
    value.dispose();
  }
  expect(losses.at(-1)).toBeLessThan(losses[0]);
  const weights = await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array));
  adam?.dispose();
  flat?.dispose();
  tf.dispose([x, target, unused]);
  network.dispose();
  return weights;
}

describe('flatAdam', () => {
  it.each(['cpu', 'wasm'] as const)('gives the same weights as tf.train.adam to the bit on %s', async (name) => {
    const { tf } = await selectBackend(name);
    const before = tf.memory().numTensors;
    const reference = await trainedWeights(tf, 'tf.train.adam', 60);
    const flat = await trainedWeights(tf, 'flatAdam', 60);
    expect(tf.memory().numTensors).toBe(before);
    // toEqual on Float32Arrays compares every element exactly
    expect(flat).toEqual(reference);
    // and training moved the weights: the comparison is not between two untouched networks
    const untouched = buildAutoencoder(tf, 10, SHAPE, 'selu', 7);
    expect(reference[0]).not.toEqual(await untouched.variables[0].data());
    untouched.dispose();
    await selectBackend('cpu');
  });

  it('gives the same weights whether or not it is handed a variable without a gradient, and others a step earlier', async () => {
    const { tf } = await selectBackend('cpu');
    const reference = await trainedWeights(tf, 'tf.train.adam', 5);
    expect(await trainedWeights(tf, 'flatAdam', 5, true)).toEqual(reference);
    // the comparison sees one step's difference
    expect(await trainedWeights(tf, 'flatAdam', 4)).not.toEqual(reference);
  });
});
