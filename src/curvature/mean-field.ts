/**
 * The mean-field prediction of gradient decay (Schoenholz et al. 2017, "Deep information
 * propagation"): back-propagating through layer l multiplies E[δ²]·width by
 *   χ_l = σ_w²(l+1) · E_{z~N(μ_l, q_l)}[φ_l'(z)²],
 * where σ_w²(l+1) = fan-in · E[W²] of the next layer's weights and μ_l, q_l are the measured mean
 * and variance of layer l's pre-activations: so ‖δ^l‖/‖δ^{l+1}‖ ≈ √χ_l (< 1: the gradient
 * vanishes, χ = 1: the edge of chaos). Measured beside it, from one backprop over the same rows.
 */
import { checkNetwork, type Network } from '../api/network.js';
import { rowCount, type Rows } from '../data/matrix.js';
import type { Activation } from '../kernels.js';
import { denseModelOf } from '../model.js';
import { activation, activationPrime } from '../ref/activations.js';
import { gaussianExpectation } from './gaussian.js';

/** One hidden layer's mean-field prediction beside the measurement. */
export interface MeanFieldLayer {
  /** The hidden layer (its weights are weights[layer]). */
  layer: number;
  /** Mean μ and variance q of the layer's pre-activations z over rows and units. */
  preactivationMean: number;
  /** q, the variance of z. */
  preactivationVariance: number;
  /** σ_w² of the next layer's weights: fan-in · E[W²]. */
  weightVariance: number;
  /** E[φ'(z)²] for z ~ N(μ, q) (Gauss-Hermite quadrature). */
  expectedPrimeSquared: number;
  /** χ = σ_w²·E[φ'(z)²]. */
  chi: number;
  /** √χ: the predicted ‖δ^layer‖/‖δ^{layer+1}‖. */
  predictedChainFactor: number;
  /** The measured ‖δ^layer‖/‖δ^{layer+1}‖ over the rows. */
  measuredChainFactor: number;
  /** Predicted ‖δ^layer‖/‖δ^{L−1}‖ (δ of the output layer): the product of √χ from here up. */
  predictedDecay: number;
  /** Measured ‖δ^layer‖/‖δ^{L−1}‖. */
  measuredDecay: number;
}

/** Per hidden layer, the mean-field χ and the decay it predicts beside the measured one. */
export function meanFieldPrediction(net: Network, x: Rows, y: Rows): MeanFieldLayer[] {
  checkNetwork(net, 'meanFieldPrediction');
  const model = denseModelOf(net, 'the mean-field prediction');
  net.gradients(x, y);
  const rows = rowCount(x);
  const k = model.kernels;
  const L = model.depth;
  const deltaNorm = model.deltas.map((delta, l) => Math.sqrt(k.sumSquares(delta, rows * model.sizes[l + 1])));
  const out: MeanFieldLayer[] = [];
  for (let l = L - 2; l >= 0; l--) {
    const n = rows * model.sizes[l + 1];
    const z = k.view(model.zs[l]);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += z[i];
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (z[i] - mean) ** 2;
    const variance = squares / n;
    const next = l + 1;
    const weightVariance = k.sumSquares(model.weights[next], model.weights[next].length) / model.sizes[next + 1];
    const f = model.activationFunctions[l] as Activation;
    const expectedPrimeSquared = gaussianExpectation((v) => activationPrime[f](v, activation[f](v)) ** 2, mean, variance);
    const chi = weightVariance * expectedPrimeSquared;
    const predictedChainFactor = Math.sqrt(chi);
    const above = out[0];
    out.unshift({
      layer: l,
      preactivationMean: mean,
      preactivationVariance: variance,
      weightVariance,
      expectedPrimeSquared,
      chi,
      predictedChainFactor,
      measuredChainFactor: deltaNorm[l] / deltaNorm[l + 1],
      predictedDecay: predictedChainFactor * (above ? above.predictedDecay : 1),
      measuredDecay: deltaNorm[l] / deltaNorm[L - 1],
    });
  }
  return out;
}
