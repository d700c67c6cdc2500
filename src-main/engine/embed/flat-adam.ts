// Adam over every weight of a network at once. tf.train.adam updates each weight tensor with its
// own ~14 kernels (and a few scalar uploads); a small network's step is then mostly tfjs's
// per-kernel overhead, not arithmetic. Two ways here, both computing every value by the same
// float32 operations in the same order as tf.train.adam (Adam is elementwise), so the trained
// weights are bit-identical to it (flat-adam.test.ts compares them):
// - on backends that read tensors synchronously (wasm, cpu: the data lives in this process) the
//   update runs in plain JS over Float32Arrays, each operation rounded to float32 as a float32
//   kernel rounds it (+, *, / and sqrt of float32 values done in double and rounded once are
//   exactly the float32 results), and each weight is uploaded once: no kernel at all;
// - elsewhere (webgpu, tfjs-node) the gradients are laid end to end in one flat tensor and one
//   run of tf.train.adam's ops updates everything: ~25 kernels a step instead of ~14 per tensor.
import type { Scalar, Tensor, Tensor1D, Variable } from '@tensorflow/tfjs';
import type { Tf } from './backend';

export interface FlatAdam {
  /** One step: the gradients of f's value with respect to `variables` applied; returns the value (the caller disposes it). */
  minimize(f: () => Scalar): Scalar;
  dispose(): void;
}

/**
 * Adam with tf.train.adam's constants (read from it, so they stay tfjs's defaults) over
 * `variables`, which must not change during training. A variable f does not depend on gets a
 * zero gradient: its moments stay zero and its update is exactly zero, as tf.train.adam leaves
 * it untouched.
 */
export function flatAdam(tf: Tf, variables: Variable[], learningRate: number, inJs = SYNC_BACKENDS.has(tf.getBackend())): FlatAdam {
  const reference = tf.train.adam(learningRate);
  const { beta1, beta2, epsilon } = reference.getConfig() as { beta1: number; beta2: number; epsilon: number };
  reference.dispose();
  if (inJs) return jsAdam(tf, variables, learningRate, beta1, beta2, epsilon);
  const sizes = variables.map((v) => v.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const [firstMoment, secondMoment, accBeta1, accBeta2] = tf.tidy(() => [
    tf.variable(tf.zeros([total]), false),
    tf.variable(tf.zeros([total]), false),
    tf.variable(tf.scalar(beta1), false),
    tf.variable(tf.scalar(beta2), false),
  ]);
  return {
    minimize(f) {
      const { value, grads } = tf.variableGrads(f, variables);
      tf.tidy(() => {
        const gradient = tf.concat(variables.map((v, i) => (grads[v.name] ? tf.reshape(grads[v.name], [sizes[i]]) : tf.zeros([sizes[i]])))) as Tensor1D;
        // exactly AdamOptimizer.applyGradients's expressions, on the flat tensors
        const oneMinusAccBeta1 = tf.sub(1, accBeta1);
        const oneMinusAccBeta2 = tf.sub(1, accBeta2);
        const newFirstMoment = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1));
        const newSecondMoment = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2));
        const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
        const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
        firstMoment.assign(newFirstMoment);
        secondMoment.assign(newSecondMoment);
        const values = tf.concat(variables.map((v, i) => tf.reshape(v, [sizes[i]])));
        const updated = tf.add(tf.mul(tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), epsilon)), -learningRate), values);
        const pieces = tf.split(updated, sizes);
        variables.forEach((v, i) => v.assign(tf.reshape(pieces[i], v.shape) as Tensor));
        accBeta1.assign(tf.mul(accBeta1, beta1));
        accBeta2.assign(tf.mul(accBeta2, beta2));
      });
      tf.dispose(grads);
      return value;
    },
    dispose() {
      tf.dispose([firstMoment, secondMoment, accBeta1, accBeta2]);
    },
  };
}

/** Backends whose tensors this process can read synchronously and cheaply. */
const SYNC_BACKENDS = new Set(['wasm', 'cpu']);

function jsAdam(tf: Tf, variables: Variable[], learningRate: number, beta1: number, beta2: number, epsilon: number): FlatAdam {
  const f32 = Math.fround;
  // the scalars as tfjs makes them: JS numbers (1 - beta1 computed in double) turned into float32
  const b1 = f32(beta1);
  const b2 = f32(beta2);
  const oneMinusB1 = f32(1 - beta1);
  const oneMinusB2 = f32(1 - beta2);
  const negativeRate = f32(-learningRate);
  const eps = f32(epsilon);
  let accBeta1 = b1;
  let accBeta2 = b2;
  const values = variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  const firstMoment = values.map((w) => new Float32Array(w.length));
  const secondMoment = values.map((w) => new Float32Array(w.length));
  return {
    minimize(f) {
      const { value, grads } = tf.variableGrads(f, variables);
      const oneMinusAcc1 = f32(1 - accBeta1);
      const oneMinusAcc2 = f32(1 - accBeta2);
      variables.forEach((variable, i) => {
        const gradient = grads[variable.name]?.dataSync() as Float32Array | undefined;
        const w = values[i];
        const m = firstMoment[i];
        const v = secondMoment[i];
        for (let j = 0; j < w.length; j++) {
          const g = gradient ? gradient[j] : 0;
          // Float32Array stores round each result to float32, as the kernels do
          m[j] = f32(m[j] * b1) + f32(g * oneMinusB1);
          v[j] = f32(v[j] * b2) + f32(f32(g * g) * oneMinusB2);
          const mHat = f32(m[j] / oneMinusAcc1);
          const vHat = f32(v[j] / oneMinusAcc2);
          w[j] = f32(f32(mHat / f32(f32(Math.sqrt(vHat)) + eps)) * negativeRate) + w[j];
        }
        // a copy: the cpu backend keeps the array it is given, and w changes next step
        const next = tf.tensor(w.slice(), variable.shape, 'float32');
        variable.assign(next);
        next.dispose();
      });
      accBeta1 = f32(accBeta1 * b1);
      accBeta2 = f32(accBeta2 * b2);
      tf.dispose(grads);
      return value;
    },
    dispose() {},
  };
}
