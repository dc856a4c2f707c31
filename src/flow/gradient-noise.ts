/**
 * Per-example gradients of dense layers without materialising them (Goodfellow 2015): example x's
 * gradient of layer l is g_x = m·δ_x ⊗ [a_x, 1] (δ = ∂(mean loss)/∂z as backprop leaves it, a the
 * layer's input, m the batch), so ‖g_x‖² = m²·‖δ_x‖²·(‖a_x‖² + 1) from two row norms. With the
 * batch gradient ḡ = E g, the gradient signal-to-noise ratio of the layer is
 *   GSNR = ‖E g‖² / E‖g − E g‖² = ‖ḡ‖² / (E‖g‖² − ‖ḡ‖²),
 * moments over the batch's examples (Liu et al. 2020 define it per parameter; this is the layer's
 * ratio of total signal to total variance). GSNR ≫ 1: the examples agree on the direction;
 * ≪ 1: the mean gradient is small beside the spread of the examples', as on a noisy plateau.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Model } from '../model.js';

export interface LayerGradientNoise {
  /** Mean over the batch of ‖g_x‖, the per-example gradient norm (weights and biases). */
  exampleGradNorm: number;
  /** ‖E g‖² / E‖g − E g‖²; NaN for a batch of one example (no spread to measure). */
  gradientSNR: number;
}

export class GradientNoiseMeter {
  private readonly k: Kernels;
  private deltaNorms: Tensor | undefined;
  private inputNorms: Tensor | undefined;

  constructor(private readonly net: Model) {
    this.k = net.kernels;
  }

  /**
   * After backprop of `batch` rows: each layer's per-example gradient norms and GSNR, from the
   * deltas, the layer inputs and the batch gradients (nablaW, nablaB) backprop left.
   */
  measure(batch: number): LayerGradientNoise[] {
    const { k, net } = this;
    this.ensure(batch);
    const out: LayerGradientNoise[] = [];
    for (let l = 0; l < net.depth; l++) {
      const [nIn, nOut] = [net.sizes[l], net.sizes[l + 1]];
      k.rowSumSquares(this.deltaNorms!, net.deltas[l], batch, nOut);
      k.rowSumSquares(this.inputNorms!, net.activations[l], batch, nIn);
      const deltas = k.view(this.deltaNorms!);
      const inputs = k.view(this.inputNorms!);
      let sumNorms = 0;
      let sumSquares = 0;
      for (let x = 0; x < batch; x++) {
        const squared = batch * batch * deltas[x] * (inputs[x] + 1);
        sumNorms += Math.sqrt(squared);
        sumSquares += squared;
      }
      const signal = k.sumSquares(net.nablaW[l], nIn * nOut) + k.sumSquares(net.nablaB[l], nOut);
      const noise = sumSquares / batch - signal;
      out.push({ exampleGradNorm: sumNorms / batch, gradientSNR: batch > 1 ? signal / Math.max(noise, 0) : NaN });
    }
    return out;
  }

  private ensure(batch: number): void {
    if (this.deltaNorms && this.deltaNorms.length >= batch) return;
    this.free();
    this.deltaNorms = this.k.alloc(batch);
    this.inputNorms = this.k.alloc(batch);
  }

  /** Returns the meter's buffers to the backend. */
  free(): void {
    if (this.deltaNorms) this.k.free(this.deltaNorms);
    if (this.inputNorms) this.k.free(this.inputNorms);
    this.deltaNorms = this.inputNorms = undefined;
  }
}
