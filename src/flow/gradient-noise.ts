/**
 * Per-example gradients of dense layers without materialising them (Goodfellow 2015): example x's
 * gradient of layer l is g_x = m·δ_x ⊗ [a_x, 1] (δ = ∂(mean loss)/∂z as backprop leaves it, a the
 * layer's input, m the batch), so ‖g_x‖² = m²·‖δ_x‖²·(‖a_x‖² + 1) from two row norms (a layer
 * without a bias: g_x = m·δ_x ⊗ a_x, and ‖g_x‖² = m²·‖δ_x‖²·‖a_x‖²). With the
 * batch gradient ḡ = E g, the gradient signal-to-noise ratio of the layer is
 *   GSNR = ‖E g‖² / E‖g − E g‖² = ‖ḡ‖² / (E‖g‖² − ‖ḡ‖²),
 * moments over the batch's examples (Liu et al. 2020 define it per parameter; this is the layer's
 * ratio of total signal to total variance). GSNR ≫ 1: the examples agree on the direction;
 * ≪ 1: the mean gradient is small beside the spread of the examples', as on a noisy plateau.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Model } from '../model.js';

export interface LayerGradientNoise {
  /** Mean over the batch of ‖g_x‖, the per-example gradient norm (weights and biases; the weights alone for a layer without a bias). */
  exampleGradNorm: number;
  /** ‖E g‖² / E‖g − E g‖²; NaN for a batch of one example (no spread to measure). */
  gradientSNR: number;
}

/**
 * A dense layer as the meter reads it after backprop. Its tensors are looked up at each call (a
 * network's batch buffers move when a batch grows). The per-example formula holds where every
 * example's δ is its own: in a chain of dense layers, and in a block network without batch norm,
 * whose batch statistics mix the examples (checkTraceable refuses that).
 */
export interface NoiseLayer<T extends Tensor = Tensor> {
  /** Width of its input. */
  readonly inputs: number;
  /** Width of its output. */
  readonly units: number;
  /** Its input a in the last forward, `[batch][inputs]`. */
  input(): T;
  /** δ = ∂(mean C)/∂z of the last backward, `[batch][units]`; null where backward never formed it. */
  delta(): T | null;
  /** ∂C/∂W of the batch, `[units][inputs]`. */
  readonly weightGrad: T;
  /** ∂C/∂b of the batch, `[units]`; null for a layer without a bias (nn.Linear(bias=False)). */
  readonly biasGrad: T | null;
}

/** The weight layers of a dense chain, as the meter reads them. */
export function denseChainNoiseLayers<T extends Tensor>(net: Model<T>): NoiseLayer<T>[] {
  return net.nablaW.map((weightGrad, l) => ({
    inputs: net.sizes[l],
    units: net.sizes[l + 1],
    input: () => net.activations[l],
    delta: () => net.deltas[l],
    weightGrad,
    biasGrad: net.nablaB[l],
  }));
}

/** Each layer's per-example gradient norms and GSNR (module comment); NaN for a layer given as null. */
export class GradientNoiseMeter {
  private deltaNorms: Tensor | undefined;
  private inputNorms: Tensor | undefined;

  constructor(
    private readonly k: Kernels,
    private readonly layers: readonly (NoiseLayer | null)[],
  ) {}

  /**
   * After backprop of `batch` rows: each layer's per-example gradient norms and GSNR, from the
   * deltas, the layer inputs and the batch gradients backprop left.
   */
  measure(batch: number): LayerGradientNoise[] {
    const { k } = this;
    this.ensure(batch);
    return this.layers.map((layer) => {
      const delta = layer?.delta();
      if (!layer || !delta) return { exampleGradNorm: NaN, gradientSNR: NaN };
      const { inputs: nIn, units: nOut } = layer;
      k.rowSumSquares(this.deltaNorms!, delta, batch, nOut);
      k.rowSumSquares(this.inputNorms!, layer.input(), batch, nIn);
      const deltas = k.view(this.deltaNorms!);
      const inputs = k.view(this.inputNorms!);
      let sumNorms = 0;
      let sumSquares = 0;
      // The bias's share of ‖g_x‖² is ‖δ_x‖²·1: the 1 of [a_x, 1].
      const biasInput = layer.biasGrad ? 1 : 0;
      for (let x = 0; x < batch; x++) {
        const squared = batch * batch * deltas[x] * (inputs[x] + biasInput);
        sumNorms += Math.sqrt(squared);
        sumSquares += squared;
      }
      const signal = k.sumSquares(layer.weightGrad, nIn * nOut) + (layer.biasGrad ? k.sumSquares(layer.biasGrad, nOut) : 0);
      const noise = sumSquares / batch - signal;
      return { exampleGradNorm: sumNorms / batch, gradientSNR: batch > 1 ? signal / Math.max(noise, 0) : NaN };
    });
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
