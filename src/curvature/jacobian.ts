/**
 * The input–output Jacobian J = ∂z^L/∂x of a network at an input x (z^L: the output layer's
 * pre-activations, the logits, so a softmax's built-in zero singular value stays out) and its
 * singular values: dynamical isometry (Pennington, Schoenholz & Ganguli 2017) means all of them
 * near 1, so a gradient keeps its size through every layer. Products J·v run the forward pass's
 * chain rule R{z^l} = W^l·(f'(z^{l−1}) ⊙ R{z^{l−1}}) on the backend, Jᵀ·u the backward pass's,
 * each layer one matrix-vector product (Kernels.matVec, matVecTransposed: one row, no batch tile);
 * Lanczos takes the eigenvalues of the smaller of JᵀJ (n₀×n₀) and JJᵀ (n_L×n_L), whose non-zero
 * eigenvalues are the same σ².
 */
import { checkNetwork, rowsNotDataset, type Network } from '../api/network.js';
import { toMatrix, type Rows } from '../data/matrix.js';
import { checkKnownKeys, checkSeed, keysOf } from '../checks.js';
import { GradscopeError, invalidOption, shown } from '../errors.js';
import type { Activation, Tensor } from '../kernels.js';
import { denseModelOf, type Model } from '../model.js';
import { checkEigenCount, lanczos, SPECTRUM_END_COUNT } from './lanczos.js';
import type { LinearOperator } from './operators.js';

/** Options of jacobianSpectrum; every one has a default. */
export interface JacobianOptions {
  /** Singular values wanted at each end. Default SPECTRUM_END_COUNT = 5 (at most min(n₀, n_L)). */
  k?: number;
  /** Rows of x measured (the first ones). Default 4. */
  examples?: number;
  /** Seed of the Lanczos start vectors. Default 1. */
  seed?: number;
}

/** The Jacobian's singular values at one input row. */
export interface ExampleJacobian {
  /** The row of x. */
  row: number;
  /** The k largest singular values of J, descending. */
  largest: number[];
  /** The k smallest of the min(n₀, n_L) singular values, ascending. */
  smallest: number[];
  /** Mean σ² over the min(n₀, n_L) singular values: ‖J‖_F² / min(n₀, n_L). 1 under dynamical isometry. */
  meanSquared: number;
}

/** The Jacobian's singular values at each row measured. */
export interface JacobianSpectrum {
  /** min(n₀, n_L): how many singular values J has. */
  singularValues: number;
  /** One per row measured, in row order. */
  examples: ExampleJacobian[];
}

/** The singular values of ∂z^L/∂x at the first `examples` rows of x (see the file comment). */
export function jacobianSpectrum(net: Network, x: Rows, options: JacobianOptions = {}): JacobianSpectrum {
  checkNetwork(net, 'jacobianSpectrum');
  checkKnownKeys(options, keysOf<JacobianOptions>({ k: true, examples: true, seed: true }), 'jacobianSpectrum');
  net.assertAlive();
  const model = denseModelOf(net, 'jacobianSpectrum');
  const inputs = toMatrix(rowsNotDataset(x, 'jacobianSpectrum'), net.inputSize, 'inputs');
  // No rows measured nothing: its result, with no example, read as a spectrum.
  if (inputs.rows === 0) throw new GradscopeError('SHAPE_MISMATCH', 'jacobianSpectrum: inputs: no rows; give at least one row to measure ∂z/∂x at');
  const n0 = model.inputSize;
  const nL = model.outputSize;
  const count = Math.min(n0, nL);
  const k = checkEigenCount(options.k ?? Math.min(SPECTRUM_END_COUNT, count), count, 'k', 'min(inputs, outputs) =');
  const examples = options.examples ?? 4;
  // Checked here in this function's terms: lanczos would name it as its own.
  const seed = checkSeed(options.seed ?? 1, 'seed');
  if (!Number.isInteger(examples) || examples < 1) throw invalidOption(`examples: expected a whole number ≥ 1, got ${shown(examples)}`);
  const product = new JacobianProduct(model);
  try {
    const rows = Math.min(examples, inputs.rows);
    return {
      singularValues: count,
      examples: Array.from({ length: rows }, (_, row) => {
        net.predict({ data: inputs.data.subarray(row * n0, (row + 1) * n0), rows: 1, cols: n0 });
        const gram: LinearOperator = nL <= n0 ? (out, u) => product.jjt(out, u) : (out, v) => product.jtj(out, v);
        const eigen = lanczos(gram, count, { k, seed });
        const trace = traceByColumns(gram, count);
        const sigma = (values: number[]) => values.map((lambda) => Math.sqrt(Math.max(lambda, 0)));
        return { row, largest: sigma(eigen.largest), smallest: sigma(eigen.smallest), meanSquared: trace / count };
      }),
    };
  } finally {
    product.dispose();
  }
}

/** Σ_i e_iᵀ·A·e_i. */
function traceByColumns(operator: LinearOperator, n: number): number {
  const e = new Float64Array(n);
  const column = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    e.fill(0);
    e[i] = 1;
    operator(column, e);
    sum += column[i];
  }
  return sum;
}

/** J·v and Jᵀ·u at the first row of the network's last forward pass. */
class JacobianProduct<T extends Tensor = Tensor> {
  private readonly rz: T[];
  private readonly ra: T[];
  private readonly back: T;
  private readonly input: T;
  private readonly column: Float64Array;

  constructor(private readonly model: Model<T>) {
    this.column = new Float64Array(model.inputSize);
    const k = model.kernels;
    this.rz = model.sizes.slice(1).map((n) => k.alloc(n));
    this.ra = model.sizes.slice(1).map((n) => k.alloc(n));
    this.back = k.alloc(Math.max(...model.sizes));
    this.input = k.alloc(model.inputSize);
  }

  /** out = JᵀJ·v (n₀). */
  jtj(out: Float64Array, v: Float64Array): void {
    this.model.kernels.write(this.input, v);
    this.forward();
    this.backward(this.rz[this.model.depth - 1], out);
  }

  /** out = JJᵀ·u (n_L). */
  jjt(out: Float64Array, u: Float64Array): void {
    const k = this.model.kernels;
    const L = this.model.depth;
    k.write(this.rz[L - 1], u);
    this.backward(this.rz[L - 1], this.column);
    k.write(this.input, this.column);
    this.forward();
    out.set(k.view(this.rz[L - 1]).subarray(0, this.model.outputSize));
  }

  /** rz[L−1] = J·input. */
  private forward(): void {
    const { model } = this;
    const k = model.kernels;
    const sizes = model.sizes;
    for (let l = 0; l < model.depth; l++) {
      const below = l === 0 ? this.input : this.ra[l - 1];
      k.matVec(this.rz[l], model.weights[l], below, sizes[l], sizes[l + 1]);
      if (l < model.depth - 1) {
        k.zero(this.ra[l]);
        k.activationBackward(model.activationFunctions[l] as Activation, this.ra[l], this.rz[l], model.zs[l], model.activations[l + 1], 1, sizes[l + 1]);
      }
    }
  }

  /** out = Jᵀ·u for u on the output layer's z (u is overwritten on the way). */
  private backward(u: T, out: Float64Array): void {
    const { model } = this;
    const k = model.kernels;
    const sizes = model.sizes;
    let delta = u;
    for (let l = model.depth - 1; l >= 1; l--) {
      k.matVecTransposed(this.back, model.weights[l], delta, sizes[l], sizes[l + 1]);
      const next = this.ra[l - 1];
      k.zero(next);
      k.activationBackward(model.activationFunctions[l - 1] as Activation, next, this.back, model.zs[l - 1], model.activations[l], 1, sizes[l]);
      delta = next;
    }
    k.matVecTransposed(this.back, model.weights[0], delta, sizes[0], sizes[1]);
    out.set(k.view(this.back).subarray(0, sizes[0]));
  }

  dispose(): void {
    const k = this.model.kernels;
    for (const t of [...this.rz, ...this.ra, this.back, this.input]) k.free(t);
  }
}
