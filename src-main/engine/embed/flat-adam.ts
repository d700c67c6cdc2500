// Adam over every weight of a network at once. tf.train.adam updates each weight tensor with its
// own 14 kernels (and a few scalar uploads); a small network's step is then mostly tfjs's
// per-kernel overhead, not arithmetic. Here the gradients are laid end to end in one flat tensor,
// the moments are flat too, and one run of tf.train.adam's own expressions updates everything
// (about 20 kernels a step instead of 14 per weight tensor, 112 for the default network). Adam is
// elementwise, so every value comes from the same float32 operations in the same order: the
// weights are bit-identical to tf.train.adam's (flat-adam.test.ts compares them on cpu and wasm).
//
// Measured against an update in plain JS over Float32Arrays (each operation rounded with
// Math.fround, also bit-identical): the same CPU time per step on wasm (bench/train-step.ts), so
// the one way that works on every backend is the one kept.
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
export function flatAdam(tf: Tf, variables: Variable[], learningRate: number): FlatAdam {
  const reference = tf.train.adam(learningRate);
  const { beta1, beta2, epsilon } = reference.getConfig() as { beta1: number; beta2: number; epsilon: number };
  reference.dispose();
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

