/**
 * Exact Hessian-vector products H·v of the mean loss by Pearlmutter's R-operator (1994): the
 * directional derivative R{·} = ∂/∂r (·)(θ + r·v) at r = 0 applied to the forward and the backward
 * pass. The forward R-pass is the Gauss-Newton product's (src/optim/gauss-newton.ts); the backward
 * R-pass adds what the Gauss-Newton matrix leaves out, the curvature of the layers themselves:
 *   R{δ^L}     = H_L·R{z^L}/m  (+ (∂C/∂a) ⊙ f''(z^L) ⊙ R{z^L} for MSE with a curved output f),
 *   R{δ^{l−1}} = f'(z^{l−1}) ⊙ (W^lᵀ·R{δ^l} + V^lᵀ·δ^l) + f''(z^{l−1}) ⊙ (W^lᵀ·δ^l) ⊙ R{z^{l−1}},
 *   R{∇W^l}    = R{δ^l}ᵀ·a^{l−1} + δ^lᵀ·R{a^{l−1}},   R{∇b^l} = Σ_rows R{δ^l},
 * where δ^l = ∂C/∂z^l are the deltas of backprop and V^l, v_b^l the pieces of v. Unlike G, H can
 * be indefinite: its negative eigenvalues are the directions in which the loss curves down.
 *
 * Covers dense networks; a block network's layers each have their own R-forward and R-backward
 * rule (src/layers/hessian.ts).
 *
 * Uses the network's zs, activations, deltas and targets as the last feedforward and backprop
 * over the first `rows` rows left them; call prepare() after every such backprop. Allocates
 * nothing per product.
 */
import type { Activation, Kernels, Tensor } from '../kernels.js';
import type { Model } from '../model.js';
import { GaussNewtonProduct } from '../optim/gauss-newton.js';
import type { ParamVector } from '../optim/param-vector.js';

export class HessianProduct<T extends Tensor = Tensor> {
  private readonly k: Kernels<T>;
  /** Rows the buffers hold. */
  readonly capacity: number;
  private readonly gaussNewton: GaussNewtonProduct<T>;
  /** backflow[l] = W^lᵀ·δ^l for l ≥ 1 (index l − 1): fixed while θ is, so kept from prepare(). */
  private readonly backflow: T[];
  /** ∂C/∂a of the output layer, for MSE (the loss's own curvature term). */
  private readonly lossSlope: T;
  private rdelta: T;
  private rdeltaNext: T;
  private readonly rbackflow: T;
  private rows = 0;

  constructor(
    private readonly net: Model<T>,
    rows: number,
  ) {
    const k = (this.k = net.kernels);
    this.capacity = rows;
    const width = Math.max(...net.sizes);
    this.gaussNewton = new GaussNewtonProduct(net, rows);
    this.backflow = net.sizes.slice(1, -1).map((units: number) => k.alloc(rows * units));
    this.lossSlope = k.alloc(rows * net.outputSize);
    this.rdelta = k.alloc(rows * width);
    this.rdeltaNext = k.alloc(rows * width);
    this.rbackflow = k.alloc(rows * width);
  }

  /** Takes in the backprop of the first `rows` rows just done (deltas and targets of the network). */
  prepare(rows: number): void {
    const { k, net } = this;
    const L = net.depth;
    for (let l = 1; l < L; l++) {
      k.zero(this.backflow[l - 1], rows * net.sizes[l]);
      k.denseBackwardInput(this.backflow[l - 1], net.deltas[l], net.weights[l], rows, net.sizes[l], net.sizes[l + 1]);
    }
    if (net.loss === 'mse') {
      // ∂C/∂a = (a − y)/rows: the MSE gradient with respect to the output, via a linear output.
      const a = net.activations[L];
      k.zero(this.lossSlope, rows * net.outputSize);
      k.lossBackward('mse', 'linear', this.lossSlope, a, a, net.targets!, rows, net.outputSize);
    }
    this.rows = rows;
  }

  /** out = H·v over the rows given to prepare() (the Hessian of their mean loss). */
  apply(out: ParamVector<T>, v: ParamVector<T>): void {
    const { k, net, rows } = this;
    const gn = this.gaussNewton;
    const L = net.depth;
    const sizes = net.sizes;
    gn.forward(v, rows);
    gn.outputSeed(this.rdelta, rows);
    if (net.loss === 'mse') {
      const output = net.activationFunctions[L - 1] as Activation;
      k.activationCurvature(output, this.rdelta, this.lossSlope, gn.rz[L - 1], net.zs[L - 1], net.activations[L], rows, net.outputSize);
    }
    for (let l = L - 1; l >= 0; l--) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const [rw, rb] = [out[2 * l], out[2 * l + 1]];
      k.zero(rw);
      k.zero(rb);
      k.denseBackwardWeights(rw, this.rdelta, net.activations[l], rows, nIn, nOut);
      k.denseBackwardBias(rb, this.rdelta, rows, nOut);
      if (l === 0) break;
      k.denseBackwardWeights(rw, net.deltas[l], gn.ra[l - 1], rows, nIn, nOut);
      k.zero(this.rbackflow, rows * nIn);
      k.denseBackwardInput(this.rbackflow, this.rdelta, net.weights[l], rows, nIn, nOut);
      k.denseBackwardInput(this.rbackflow, net.deltas[l], v[2 * l], rows, nIn, nOut);
      const f = net.activationFunctions[l - 1] as Activation;
      const [z, a] = [net.zs[l - 1], net.activations[l]];
      k.zero(this.rdeltaNext, rows * nIn);
      k.activationBackward(f, this.rdeltaNext, this.rbackflow, z, a, rows, nIn);
      k.activationCurvature(f, this.rdeltaNext, this.backflow[l - 1], gn.rz[l - 1], z, a, rows, nIn);
      [this.rdelta, this.rdeltaNext] = [this.rdeltaNext, this.rdelta];
    }
  }

  /** out = G·v, the Gauss-Newton product over the same rows. */
  applyGaussNewton(out: ParamVector<T>, v: ParamVector<T>): void {
    this.gaussNewton.apply(out, v, this.rows);
  }

  dispose(): void {
    this.gaussNewton.dispose();
    for (const t of [...this.backflow, this.lossSlope, this.rdelta, this.rdeltaNext, this.rbackflow]) this.k.free(t);
  }
}
