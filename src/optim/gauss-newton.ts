/**
 * Generalised Gauss-Newton products G·v = (1/m)·Σ_x J_xᵀ·H_L·J_x·v (Schraudolph 2002, Martens 2010)
 * of a dense Model, without ever forming J: a forward pass of the R-operator gives R{z} = J·v layer
 * by layer,
 *   R{z^l} = W^l·R{a^{l-1}} + V^l·a^{l-1} + v_b^l,   R{a^l} = f'(z^l) ⊙ R{z^l}   (R{a^0} = 0),
 * the loss's curvature H_L (src/layers/loss-curvature.ts) turns R{z} of the output layer into a
 * backward seed, and an ordinary backward pass with that seed gives Jᵀ·(H_L·J·v). Block networks
 * have their own product over their layers (src/layers/gauss-newton.ts).
 *
 * Uses the network's zs and activations as the last feedforward left them: the first `rows` rows
 * must be the forward pass of the rows whose curvature is wanted. Allocates nothing per product.
 */
import type { Activation, Kernels, Tensor } from '../kernels.js';
import { LossCurvature } from '../layers/loss-curvature.js';
import type { Model } from '../model.js';
import type { ParamVector } from './param-vector.js';

/** The fewest rows curvature products run on (unless the batch itself is smaller). */
export const MIN_CURVATURE_ROWS = 32;

/**
 * Rows of a batch of `batch` that Hessian-free's and K-FAC's curvature products run on (their
 * `curvatureFraction`): ⌈fraction·batch⌉, at least MIN_CURVATURE_ROWS, at most the batch.
 */
export function curvatureRows(batch: number, fraction: number): number {
  return Math.min(batch, Math.max(Math.ceil(batch * fraction), MIN_CURVATURE_ROWS));
}

export class GaussNewtonProduct<T extends Tensor = Tensor> {
  private readonly k: Kernels<T>;
  /** Rows the buffers hold. */
  readonly capacity: number;
  /** R{z^l} of every layer after forward(): J·v at each layer's pre-activations. */
  readonly rz: T[];
  /** R{a^{l+1}} = f'(z^l) ⊙ R{z^l} of every hidden layer l after forward() (R{a^0} = 0). */
  readonly ra: T[];
  private readonly product: T;
  private delta: T;
  private deltaNext: T;
  private readonly backflow: T;
  private readonly zeroBias: T;
  private readonly lossCurvature: LossCurvature<T>;

  constructor(
    private readonly net: Model<T>,
    rows: number,
  ) {
    const k = (this.k = net.kernels);
    const width = Math.max(...net.sizes);
    this.capacity = rows;
    const buffer = () => k.alloc(rows * width);
    this.rz = net.sizes.slice(1).map((units) => k.alloc(rows * units));
    this.ra = net.sizes.slice(1, -1).map((units) => k.alloc(rows * units));
    this.product = buffer();
    this.delta = buffer();
    this.deltaNext = buffer();
    this.backflow = buffer();
    this.zeroBias = k.alloc(width);
    this.lossCurvature = new LossCurvature(k, net.loss, net.activationFunctions[net.depth - 1], net.outputSize);
  }

  /** out = G·v over the first `rows` rows of the last feedforward (mean over those rows). */
  apply(out: ParamVector<T>, v: ParamVector<T>, rows: number): void {
    const { k, net } = this;
    const L = net.depth;
    const sizes = net.sizes;
    this.forward(v, rows);
    this.outputSeed(this.delta, rows);
    // Backward pass of the seed: the same chain rule as backprop.
    for (let l = L - 1; l >= 0; l--) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      k.zero(out[2 * l]);
      k.zero(out[2 * l + 1]);
      k.denseBackwardWeights(out[2 * l], this.delta, net.activations[l], rows, nIn, nOut);
      k.denseBackwardBias(out[2 * l + 1], this.delta, rows, nOut);
      if (l > 0) {
        k.zero(this.backflow, rows * nIn);
        k.denseBackwardInput(this.backflow, this.delta, net.weights[l], rows, nIn, nOut);
        k.zero(this.deltaNext, rows * nIn);
        k.activationBackward(net.activationFunctions[l - 1] as Activation, this.deltaNext, this.backflow, net.zs[l - 1], net.activations[l], rows, nIn);
        [this.delta, this.deltaNext] = [this.deltaNext, this.delta];
      }
    }
  }

  /** The forward R-pass: rz[l] = R{z^l} and ra[l] = R{a^{l+1}} for direction v (see the file comment). */
  forward(v: ParamVector<T>, rows: number): void {
    const { k, net } = this;
    const L = net.depth;
    const sizes = net.sizes;
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const rz = this.rz[l];
      if (l === 0) {
        k.denseForward(rz, net.activations[0], v[0], v[1], rows, nIn, nOut);
      } else {
        k.denseForward(rz, this.ra[l - 1], net.weights[l], v[2 * l + 1], rows, nIn, nOut);
        k.denseForward(this.product, net.activations[l], v[2 * l], this.zeroBias, rows, nIn, nOut);
        k.axpy(rz, this.product, rows * nOut, 1);
      }
      if (l < L - 1) {
        k.zero(this.ra[l], rows * nOut);
        k.activationBackward(net.activationFunctions[l] as Activation, this.ra[l], rz, net.zs[l], net.activations[l + 1], rows, nOut);
      }
    }
  }

  /** delta = H_L·R{z}/rows for the output layer after forward() (src/layers/loss-curvature.ts), with the network's targets; overwrites delta. */
  outputSeed(delta: T, rows: number): void {
    const { net } = this;
    const L = net.depth;
    this.lossCurvature.seed(delta, this.rz[L - 1], net.zs[L - 1], net.activations[L], net.targets!, this.product, rows);
  }

  dispose(): void {
    const k = this.k;
    for (const t of [...this.rz, ...this.ra, this.product, this.delta, this.deltaNext, this.backflow, this.zeroBias]) k.free(t);
    this.lossCurvature.dispose();
  }
}
