import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor2D } from '@tensorflow/tfjs';
import { selectBackend, type Tf } from './backend';
import { autoencoderFromWeights, buildAutoencoder, layerWidths, weightShapes, type Activation } from './model';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

describe('layerWidths', () => {
  it('mirrors the encoder into the decoder', () => {
    expect(layerWidths(5000, { hiddenLayers: [500, 200], embeddingSize: 10 })).toEqual([5000, 500, 200, 10, 200, 500, 5000]);
    expect(layerWidths(30, { hiddenLayers: [], embeddingSize: 4 })).toEqual([30, 4, 30]);
  });
});

describe('weightShapes', () => {
  it('lists each layer\'s kernel then bias', () => {
    expect(weightShapes(6, { hiddenLayers: [4], embeddingSize: 2 })).toEqual([[6, 4], [4], [4, 2], [2], [2, 4], [4], [4, 6], [6]]);
  });
});

describe('buildAutoencoder', () => {
  it('decodes embeddings into what reconstruct gives, and names the encoder\'s weights', () => {
    const model = buildAutoencoder(tf, 12, { hiddenLayers: [8, 5], embeddingSize: 3 }, 'selu', 1);
    const [direct, twoStep] = tf.tidy(() => {
      const x = tf.randomUniform([4, 12], 0, 1, 'float32', 3) as Tensor2D;
      return [model.reconstruct(x).dataSync(), model.decode(model.encode(x)).dataSync()];
    });
    expect(Array.from(twoStep)).toEqual(Array.from(direct));
    expect(model.encoderVariables).toEqual(model.variables.slice(0, 6));
    expect(model.encoderVariables.map((v) => v.shape)).toEqual([[12, 8], [8], [8, 5], [5], [5, 3], [3]]);
    model.dispose();
  });

  it('can be built from given weights', () => {
    const shapes = weightShapes(5, { hiddenLayers: [], embeddingSize: 2 });
    const weights = shapes.map((shape, i) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, j) => i + j / 10));
    const model = autoencoderFromWeights(tf, 5, { hiddenLayers: [], embeddingSize: 2 }, 'relu', weights);
    expect(model.variables.map((v) => Array.from(v.dataSync()))).toEqual(weights.map((w) => Array.from(w)));
    const z = tf.tidy(() => model.encode(tf.ones([1, 5]) as Tensor2D).dataSync());
    // Linear bottleneck: column c of the kernel summed, plus bias c.
    expect(Array.from(z)).toEqual([0 + 0.2 + 0.4 + 0.6 + 0.8 + 1, 0.1 + 0.3 + 0.5 + 0.7 + 0.9 + 1.1].map((v) => expect.closeTo(v, 5)));
    model.dispose();
  });


  it('encodes to the bottleneck width and reconstructs to the input width', () => {
    const model = buildAutoencoder(tf, 12, { hiddenLayers: [8], embeddingSize: 3 }, 'relu', 1);
    const shapes = tf.tidy(() => {
      const x = tf.ones([5, 12]) as Tensor2D;
      return [model.encode(x).shape, model.reconstruct(x).shape];
    });
    expect(shapes).toEqual([
      [5, 3],
      [5, 12],
    ]);
    expect(model.variables.map((v) => v.shape)).toEqual([[12, 8], [8], [8, 3], [3], [3, 8], [8], [8, 12], [12]]);
    model.dispose();
  });

  it('initialises weights from the seed, differently per layer', () => {
    const weights = (seed: number) => {
      const model = buildAutoencoder(tf, 6, { hiddenLayers: [6], embeddingSize: 6 }, 'relu', seed);
      const values = model.variables.filter((v) => v.rank === 2).map((v) => Array.from(v.dataSync()));
      model.dispose();
      return values;
    };
    const a = weights(5);
    expect(weights(5)).toEqual(a);
    expect(weights(6)).not.toEqual(a);
    expect(a[1]).not.toEqual(a[0]);
  });

  it('disposes every tensor it made', () => {
    const before = tf.memory().numTensors;
    buildAutoencoder(tf, 10, { hiddenLayers: [7, 5], embeddingSize: 2 }, 'selu', 3).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // The layers carry a hand-written gradient; it must match what autodiff gives for the plain formula.
  it.each<Activation>(['relu', 'elu', 'selu', 'tanh'])('has the gradients autodiff gives with %s', (activation) => {
    const model = buildAutoencoder(tf, 9, { hiddenLayers: [7], embeddingSize: 3 }, activation, 11);
    const act = { relu: tf.relu, elu: tf.elu, selu: tf.selu, tanh: tf.tanh }[activation];
    const [w0, b0, w1, b1, w2, b2, w3, b3] = model.variables;
    const x = tf.randomUniform([4, 9], -1, 1, 'float32', 2) as Tensor2D;
    const reference = (input: Tensor2D) => {
      const h = act(tf.add(tf.matMul(input, w0), b0));
      const e = tf.add(tf.matMul(h, w1), b1);
      const g = act(tf.add(tf.matMul(e, w2), b2));
      return tf.add(tf.matMul(g, w3), b3) as Tensor2D;
    };
    const loss = (f: (input: Tensor2D) => Tensor2D) => () => tf.sum(tf.square(tf.sub(f(x), x))).asScalar();
    const mine = tf.variableGrads(loss((input) => model.reconstruct(input)), model.variables);
    const theirs = tf.variableGrads(loss(reference), model.variables);
    expect(mine.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 5);
    for (const v of model.variables) {
      const expected = Array.from(theirs.grads[v.name].dataSync());
      const actual = Array.from(mine.grads[v.name].dataSync());
      expect(expected.some((g) => g !== 0)).toBe(true);
      actual.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 4));
    }
    tf.dispose([x, mine.value, theirs.value, ...Object.values(mine.grads), ...Object.values(theirs.grads)]);
    model.dispose();
  });
});
