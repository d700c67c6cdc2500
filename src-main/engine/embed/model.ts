// The autoencoder's network: Dense layers in -> hidden... -> bottleneck (linear) and a mirrored
// decoder back to the input width (linear output). Weights are plain tf.Variables so the
// training loop owns every tensor and can dispose all of them.
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Activation, AutoencoderSettings } from '../../../src-shared/settings';
import type { Tf } from './backend';
import { deriveSeed } from './random';

export type { Activation };

interface Dense {
  kernel: Variable;
  bias: Variable;
  apply: DenseOp;
}

export interface AutoencoderModel {
  /** Input rows -> embeddings (the bottleneck). */
  encode(x: Tensor2D): Tensor2D;
  /** Embeddings -> reconstructed input rows. */
  decode(z: Tensor2D): Tensor2D;
  /** Input rows -> reconstructed input rows. */
  reconstruct(x: Tensor2D): Tensor2D;
  /** Every trainable weight, layer by layer, kernel before bias. */
  variables: Variable[];
  /** The encoder's weights only (the first entries of `variables`). */
  encoderVariables: Variable[];
  dispose(): void;
}

export type AutoencoderShape = Pick<AutoencoderSettings, 'hiddenLayers' | 'embeddingSize'>;

/** Widths of every layer boundary, input first, e.g. [5000, 256, 32, 256, 5000]. */
export function layerWidths(cols: number, settings: AutoencoderShape): number[] {
  const encoder = [cols, ...settings.hiddenLayers, settings.embeddingSize];
  return [...encoder, ...encoder.slice(0, -1).reverse()];
}

/** Shapes of the weights in `variables` order: per layer a [in, out] kernel, then an [out] bias. */
export function weightShapes(cols: number, settings: AutoencoderShape): number[][] {
  const widths = layerWidths(cols, settings);
  return widths.slice(0, -1).flatMap((width, i) => [[width, widths[i + 1]], [widths[i + 1]]]);
}

/** A new network with glorot-uniform kernels drawn from `seed` and zero biases. */
export function buildAutoencoder(tf: Tf, cols: number, settings: AutoencoderShape, activation: Activation, seed: number): AutoencoderModel {
  return assemble(tf, cols, settings, activation, (i, shape) =>
    shape.length === 1
      ? tf.zeros(shape)
      : // Each layer gets its own derived seed: the same seed on every layer would correlate weights.
        tf.initializers.glorotUniform({ seed: deriveSeed(seed, i / 2) }).apply(shape, 'float32'),
  );
}

/** A network holding the given weights, one array per entry of weightShapes(), in that order. */
export function autoencoderFromWeights(
  tf: Tf,
  cols: number,
  settings: AutoencoderShape,
  activation: Activation,
  weights: Float32Array[],
): AutoencoderModel {
  return assemble(tf, cols, settings, activation, (i, shape) => tf.tensor(weights[i], shape, 'float32'));
}

function assemble(
  tf: Tf,
  cols: number,
  settings: AutoencoderShape,
  activation: Activation,
  initial: (index: number, shape: number[]) => Tensor,
): AutoencoderModel {
  const shapes = weightShapes(cols, settings);
  const bottleneck = settings.hiddenLayers.length; // index of the layer producing the embedding
  const last = shapes.length / 2 - 1;
  const layers: Dense[] = [];
  for (let i = 0; i <= last; i++) {
    const kernel = tf.tidy(() => tf.variable(initial(2 * i, shapes[2 * i])));
    const bias = tf.tidy(() => tf.variable(initial(2 * i + 1, shapes[2 * i + 1])));
    const layerActivation = i === bottleneck || i === last ? 'linear' : activation;
    layers.push({ kernel, bias, apply: denseOp(tf, layerActivation, i > 0) });
  }
  const run = (x: Tensor2D, from: number, to: number): Tensor2D =>
    tf.tidy(() => {
      let h = x;
      for (let i = from; i < to; i++) h = layers[i].apply(h, layers[i].kernel, layers[i].bias);
      return h;
    });
  const variables = layers.flatMap((l) => [l.kernel, l.bias]);
  return {
    encode: (x) => run(x, 0, bottleneck + 1),
    decode: (z) => run(z, bottleneck + 1, layers.length),
    reconstruct: (x) => run(x, 0, layers.length),
    variables,
    encoderVariables: variables.slice(0, 2 * (bottleneck + 1)),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

type DenseOp = (x: Tensor2D, kernel: Variable, bias: Variable) => Tensor2D;

/**
 * A Dense layer as one op with a hand-written gradient. The gradient needs x^T.dz and dz.W^T;
 * tfjs-backend-wasm runs matMul with a transposed operand far slower than a plain matMul
 * (45 ms against 9 ms for x^T.dz with x 32x5000, dz 32x256), and transposing the whole kernel
 * costs ~5 ms, so both products are arranged to transpose only batch-sized tensors:
 * dx = (W.dz^T)^T. For a 5000-256-32 network and 32 rows this took an Adam step on wasm from
 * ~160 ms with the built-in gradients to ~50 ms. `inputGradient` false skips dx for the first
 * layer, whose input is data.
 */
function denseOp(tf: Tf, activation: Activation | 'linear', inputGradient: boolean): DenseOp {
  const op = tf.customGrad((...args) => {
    const [x, kernel, bias, save] = args as [Tensor2D, Tensor2D, Tensor1D, GradSaveFunc];
    const y = forward(tf, x, kernel, bias, activation);
    save([x, kernel, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
        const [savedX, savedKernel, savedY] = saved as [Tensor2D, Tensor2D, Tensor2D];
        const dz = tf.mul(dy, activationSlope(tf, savedY, activation)) as Tensor2D;
        const dx = inputGradient ? tf.transpose(tf.matMul(savedKernel, tf.transpose(dz))) : tf.zerosLike(savedX);
        return [dx, tf.matMul(tf.transpose(savedX), dz), tf.sum(dz, 0)];
      },
    };
  });
  return op as DenseOp;
}

function forward(tf: Tf, x: Tensor2D, kernel: Tensor2D, bias: Tensor1D, activation: Activation | 'linear'): Tensor2D {
  // The fused kernel does matMul + bias + activation in one pass where it supports the activation.
  if (activation === 'linear' || activation === 'relu' || activation === 'elu') {
    return tf.fused.matMul({ a: x, b: kernel, bias, activation }) as Tensor2D;
  }
  const z = tf.add(tf.matMul(x, kernel), bias) as Tensor2D;
  return activation === 'selu' ? tf.selu(z) : tf.tanh(z);
}

// selu's constants, as tfjs-core uses them.
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** d activation / d pre-activation, written in terms of the activation's output y. */
function activationSlope(tf: Tf, y: Tensor2D, activation: Activation | 'linear'): Tensor | number {
  switch (activation) {
    case 'linear':
      return 1;
    case 'relu':
      return tf.step(y);
    case 'elu':
      return tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1));
    case 'selu': {
      // SCALE where y > 0, else y + SCALE*ALPHA: the same values as
      // where(greater(y, 0), fill(SCALE), add(y, SCALE*ALPHA)), since x*1 = x, x*0 = 0 and x + 0 = x
      // exactly, but by kernels that are cheap on wasm (there greater and where each cost about
      // ten times what step, mul or add do on a 32 x 256 batch).
      const above = tf.step(y);
      return tf.add(tf.mul(above, SELU_SCALE), tf.mul(tf.sub(1, above), tf.add(y, SELU_SCALE * SELU_ALPHA)));
    }
    case 'tanh':
      return tf.sub(1, tf.square(y));
  }
}
