/**
 * The reference backend: the Kernels contract in plain TypeScript, one readable loop per formula
 * (names as in Nielsen's network.py). It is the oracle every other backend is tested against, and
 * in float64 it is precise enough to check gradients by finite differences.
 */
import { checkChoice, checkKnownKeys, checkTensorLength, unknownKernelActivation, unknownLossPass } from '../checks.js';
import { isTypedNumberArray } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import { lengthOf } from '../array-reads.js';
import type { Activation, FloatArray, Kernels, Loss, OutputActivation, WriteFault } from '../kernels.js';
import { activation, activationPrime, softplus } from './activations.js';
import { curvatureKernels } from './curvature.js';
import { normalizationKernels } from './normalization.js';
import { residualKernels } from './residual.js';
import { samplingKernels } from './sampling.js';
import { statsKernels } from './stats.js';
import { refusingFreedTensors } from './freed-tensors.js';
import { grouped } from '../counted.js';

/** Options of createRefKernels. */
export interface RefOptions {
  /** 'f64' (default) for the oracle; 'f32' to mimic the storage precision of wasm. */
  precision?: 'f32' | 'f64';
}

/** A tensor of the ref backend: a plain typed array. */
export type RefTensor = FloatArray;

/** The reference kernels in plain TypeScript (float64 by default): the oracle the wasm core is tested against. */
export function createRefKernels(options: RefOptions = {}): Kernels<RefTensor> {
  checkKnownKeys(options, ['precision'], 'createRefKernels');
  const precision = checkChoice(options.precision ?? 'f64', ['f32', 'f64'] as const, 'createRefKernels: precision');
  const Array = precision === 'f64' ? Float64Array : Float32Array;
  const name = precision === 'f64' ? 'ref' : 'ref-f32';
  // free is refusingFreedTensors': it records the tensor, which every later use then refuses.
  const kernels: Omit<Kernels<RefTensor>, 'free'> = {
    name,
    precision,
    alloc: (length) => allocated(Array, checkTensorLength(length, name, 'alloc'), name, 'alloc'),
    allocUninitialized: (length) => allocated(Array, checkTensorLength(length, name, 'allocUninitialized'), name, 'allocUninitialized'),
    allOrNothing: (build) => build(), // what a failed build allocated is collected with it
    view: (t) => t,
    write: (t, src, offset = 0) => t.set(src, offset),
    writeFinite(t, parts, partLength) {
      for (let p = 0; p < parts.length; p++) {
        const part = parts[p];
        if (!isTypedNumberArray(part) || lengthOf(part) !== partLength) return firstNonFinite(t, p * partLength) ?? { part: p };
        t.set(part, p * partLength);
      }
      return firstNonFinite(t, parts.length * partLength);
    },
    zero: (t, n = t.length) => t.fill(0, 0, n),
    copyRows(dst, src, rows, start, count, rowLen) {
      for (let i = 0; i < count; i++) {
        const row = rows[start + i];
        dst.set(src.subarray(row * rowLen, (row + 1) * rowLen), i * rowLen);
      }
    },

    denseForward(z, a, w, b, batch, nIn, nOut) {
      for (let x = 0; x < batch; x++) {
        for (let j = 0; j < nOut; j++) {
          let sum = 0;
          for (let k = 0; k < nIn; k++) sum += a[x * nIn + k] * w[j * nIn + k];
          z[x * nOut + j] = sum + b[j];
        }
      }
    },
    denseForwardGather(z, a, x, rows, start, w, b, batch, nIn, nOut) {
      kernels.copyRows(a, x, rows, start, batch, nIn);
      kernels.denseForward(z, a, w, b, batch, nIn, nOut);
    },
    denseBackwardInput(da, dz, w, batch, nIn, nOut) {
      for (let x = 0; x < batch; x++) {
        for (let k = 0; k < nIn; k++) {
          let sum = 0;
          for (let j = 0; j < nOut; j++) sum += dz[x * nOut + j] * w[j * nIn + k];
          da[x * nIn + k] += sum;
        }
      }
    },
    denseBackwardWeights(dw, dz, a, batch, nIn, nOut, accumulate = true) {
      for (let j = 0; j < nOut; j++) {
        for (let k = 0; k < nIn; k++) {
          let sum = 0;
          for (let x = 0; x < batch; x++) sum += dz[x * nOut + j] * a[x * nIn + k];
          dw[j * nIn + k] = accumulate ? dw[j * nIn + k] + sum : sum;
        }
      }
    },
    denseBackwardWeightsAndInput(dw, da, dz, a, w, batch, nIn, nOut, accumulate = true) {
      kernels.denseBackwardWeights(dw, dz, a, batch, nIn, nOut, accumulate);
      kernels.denseBackwardInput(da, dz, w, batch, nIn, nOut);
    },
    denseBackwardBias(db, dz, batch, nOut) {
      for (let j = 0; j < nOut; j++) {
        let sum = 0;
        for (let x = 0; x < batch; x++) sum += dz[x * nOut + j];
        db[j] += sum;
      }
    },
    matVec(y, w, x, nIn, nOut) {
      for (let j = 0; j < nOut; j++) {
        let sum = 0;
        for (let k = 0; k < nIn; k++) sum += w[j * nIn + k] * x[k];
        y[j] = sum;
      }
    },
    matVecTransposed(y, w, x, nIn, nOut) {
      for (let k = 0; k < nIn; k++) {
        let sum = 0;
        for (let j = 0; j < nOut; j++) sum += x[j] * w[j * nIn + k];
        y[k] = sum;
      }
    },

    activationForward(f, a, z, batch, n) {
      if (f === 'softmax') {
        for (let x = 0; x < batch; x++) softmaxRow(a, z, x * n, n);
        return;
      }
      if (!Object.hasOwn(activation, f)) throw unknownKernelActivation(f, name, 'activationForward');
      const sigma = activation[f];
      for (let i = 0; i < batch * n; i++) a[i] = sigma(z[i]);
    },
    activationBackward(f, dz, da, z, a, batch, n) {
      if (!Object.hasOwn(activationPrime, f)) throw unknownKernelActivation(f, name, 'activationBackward');
      const sigmaPrime = activationPrime[f];
      for (let i = 0; i < batch * n; i++) dz[i] += da[i] * sigmaPrime(z[i], a[i]);
    },

    loss: (loss, output, z, a, y, batch, n) => {
      const refusal = unknownLossPass(loss, output, name, 'loss');
      if (refusal) throw refusal;
      return lossAndDelta(loss, output, null, z, a, y, batch, n);
    },
    lossBackward: (loss, output, dz, z, a, y, batch, n) => {
      const refusal = unknownLossPass(loss, output, name, 'lossBackward');
      if (refusal) throw refusal;
      return lossAndDelta(loss, output, dz, z, a, y, batch, n);
    },

    sumSquares(x, n) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i] * x[i];
      return sum;
    },
    sumAbs(x, n) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.abs(x[i]);
      return sum;
    },
    rowSumSquares(out, x, batch, n) {
      for (let r = 0; r < batch; r++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += x[r * n + j] ** 2;
        out[r] = sum;
      }
    },
    maxAbs(x, n) {
      let max = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.abs(x[i]);
        if (Number.isNaN(v)) return NaN; // a NaN wins, so it is never hidden (a later value must not replace it)
        if (v > max) max = v;
      }
      return max;
    },

    sgdUpdate(w, v, g, n, learningRate, momentum, weightDecay) {
      for (let i = 0; i < n; i++) {
        v[i] = momentum * v[i] + g[i] + weightDecay * w[i];
        w[i] -= learningRate * v[i];
      }
    },
    nesterovUpdate(w, v, g, n, learningRate, momentum, weightDecay) {
      for (let i = 0; i < n; i++) {
        const gi = g[i] + weightDecay * w[i];
        v[i] = momentum * v[i] + gi;
        w[i] -= learningRate * (gi + momentum * v[i]);
      }
    },
    // The adaptive steps divide before they scale, lr·(g / (√s + ε)), the wasm twins' order (why:
    // assembly/optim.scalar.ts), so ref-f32 rounds as wasm does.
    adagradUpdate(w, s, g, n, learningRate, epsilon, weightDecay) {
      for (let i = 0; i < n; i++) {
        const gi = g[i] + weightDecay * w[i];
        s[i] += gi * gi;
        w[i] -= learningRate * (gi / (Math.sqrt(s[i]) + epsilon));
      }
    },
    rmspropUpdate(w, s, g, n, learningRate, alpha, epsilon, weightDecay) {
      for (let i = 0; i < n; i++) {
        const gi = g[i] + weightDecay * w[i];
        s[i] = alpha * s[i] + (1 - alpha) * gi * gi;
        w[i] -= learningRate * (gi / (Math.sqrt(s[i]) + epsilon));
      }
    },
    adamUpdate(w, m, v, g, n, learningRate, beta1, beta2, epsilon, weightDecay, decoupled, step) {
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      for (let i = 0; i < n; i++) {
        if (decoupled) w[i] *= 1 - learningRate * weightDecay;
        const gi = decoupled ? g[i] : g[i] + weightDecay * w[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        w[i] -= (learningRate / biasCorrection1) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(biasCorrection2) + epsilon));
      }
    },

    axpy(y, x, n, alpha) {
      for (let i = 0; i < n; i++) y[i] += alpha * x[i];
    },
    scale(x, n, alpha) {
      for (let i = 0; i < n; i++) x[i] *= alpha;
    },
    dot(x, y, n) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i] * y[i];
      return sum;
    },

    ...normalizationKernels,
    ...residualKernels,
    ...curvatureKernels,
    ...samplingKernels,
    ...statsKernels,
  };
  return refusingFreedTensors(kernels);
}

/** A zero-filled array of `length` (checked), or OUT_OF_MEMORY where the engine cannot allocate it (a raw RangeError otherwise). */
function allocated(Array: Float64ArrayConstructor | Float32ArrayConstructor, length: number, backend: string, call: string): RefTensor {
  try {
    return new Array(length);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new GradscopeError('OUT_OF_MEMORY', `${backend}: ${call}: the JavaScript engine could not allocate ${grouped(length * Array.BYTES_PER_ELEMENT)} bytes for a tensor of ${grouped(length)} elements (${String(error)}); nothing was allocated`);
  }
}

function softmaxRow(a: FloatArray, z: FloatArray, offset: number, n: number): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, z[offset + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(z[offset + j] - max);
  for (let j = 0; j < n; j++) a[offset + j] = Math.exp(z[offset + j] - max) / sum;
}

function logSumExp(z: FloatArray, offset: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, z[offset + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(z[offset + j] - max);
  return max + Math.log(sum);
}

/** writeFinite's fault at the first value of t[0, end) that is not finite, or undefined. */
function firstNonFinite(t: FloatArray, end: number): WriteFault | undefined {
  for (let i = 0; i < end; i++) if (!Number.isFinite(t[i])) return { value: i };
  return undefined;
}

function rowSum(v: FloatArray, offset: number, n: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += v[offset + j];
  return sum;
}

/**
 * The mean loss over the batch; with `delta`, also delta += ∂(mean loss)/∂z. The output layer's
 * error is (a·Σy − y) for softmax + cross-entropy (Σy over the row's targets), (a − y) for sigmoid
 * + binary cross-entropy, and (a − y) ⊙ σ'(z) for the quadratic cost (Nielsen's equation BP1).
 */
function lossAndDelta(
  loss: Loss,
  output: OutputActivation,
  delta: FloatArray | null,
  z: FloatArray,
  a: FloatArray,
  y: FloatArray,
  batch: number,
  n: number,
): number {
  let total = 0;
  for (let x = 0; x < batch; x++) {
    const row = x * n;
    if (loss === 'cross-entropy') {
      const lse = logSumExp(z, row, n);
      for (let j = 0; j < n; j++) total -= y[row + j] * (z[row + j] - lse);
    } else if (loss === 'binary-cross-entropy') {
      // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z
      for (let j = 0; j < n; j++) total += softplus(z[row + j]) - y[row + j] * z[row + j];
    } else {
      for (let j = 0; j < n; j++) total += 0.5 * (a[row + j] - y[row + j]) ** 2;
    }
  }
  if (delta) {
    for (let x = 0; x < batch; x++) {
      // Cross-entropy: ∂/∂z of −Σ y·log softmax(z) is a·Σy − y, which is a − y only for a row
      // summing to 1 (assembly/loss.scalar.ts says why such rows are taken). BCE and MSE: a − y.
      const scale = loss === 'cross-entropy' ? rowSum(y, x * n, n) : 1;
      for (let i = x * n; i < (x + 1) * n; i++) {
        const error = (a[i] * scale - y[i]) / batch;
        delta[i] += loss === 'mse' ? error * activationPrime[output as Activation](z[i], a[i]) : error;
      }
    }
  }
  return total / batch;
}
