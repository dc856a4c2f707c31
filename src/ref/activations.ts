// The activation functions and their derivatives in plain float64 arithmetic: the oracle's formulas.
import { LEAKY_RELU_SLOPE, SELU_ALPHA, SELU_LAMBDA, type Activation } from '../kernels.js';

export function sigmoid(z: number): number {
  // Written two ways so that neither branch overflows and small results keep their relative accuracy.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export const activation: Record<Activation, (z: number) => number> = {
  sigmoid,
  tanh: Math.tanh,
  relu: (z) => Math.max(z, 0), // max, not a comparison, so a NaN passes through as in the wasm kernels
  'leaky-relu': (z) => (z > 0 ? z : LEAKY_RELU_SLOPE * z),
  softsign: (z) => z / (1 + Math.abs(z)),
  linear: (z) => z,
  selu: (z) => (z > 0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(z)),
};

/** f'(z), given z and a = f(z). */
export const activationPrime: Record<Activation, (z: number, a: number) => number> = {
  sigmoid: (_z, a) => a * (1 - a),
  tanh: (_z, a) => 1 - a * a,
  relu: (z) => (z > 0 ? 1 : 0),
  'leaky-relu': (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
  softsign: (z) => 1 / ((1 + Math.abs(z)) * (1 + Math.abs(z))),
  linear: () => 1,
  selu: (z) => (z > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z)),
};

/** f''(z), given z and a = f(z): the Hessian R-operator's activation curvature. */
export const activationSecond: Record<Activation, (z: number, a: number) => number> = {
  sigmoid: (_z, a) => a * (1 - a) * (1 - 2 * a),
  tanh: (_z, a) => -2 * a * (1 - a * a),
  relu: () => 0,
  'leaky-relu': () => 0,
  softsign: (z) => (-2 * Math.sign(z)) / (1 + Math.abs(z)) ** 3,
  linear: () => 0,
  selu: (z) => (z > 0 ? 0 : SELU_LAMBDA * SELU_ALPHA * Math.exp(z)),
};

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
