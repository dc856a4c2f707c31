/**
 * The gradient-flow trace's taps (src/flow-taps.ts) over a Sequential: one row per parameterised
 * or activation layer in forward order, nested branches included, and one residual tap per block.
 * Built once; each tap hands out tensors its layer already holds (they move only when a batch
 * grows, so they are looked up at each call).
 */
import type { OutputActivation, Tensor } from '../kernels.js';
import type { FlowTaps, LayerTap, ResidualTap } from '../flow-taps.js';
import { ActivationLayer } from './activation.js';
import { BatchNormLayer } from './batch-norm.js';
import { DenseLayer } from './dense.js';
import type { LayerStack, Parameter } from './layer.js';
import { ResidualBlock } from './residual.js';

/** The taps of `stack`, whose input in the last forward is `input()`. */
export function flowTapsOf<T extends Tensor>(stack: LayerStack<T>, input: () => T): FlowTaps<T> {
  const layers: LayerTap<T>[] = [];
  const residuals: ResidualTap<T>[] = [];
  walk(stack, '', input, () => null, layers, residuals);
  return { layers, residuals };
}

/** Adds the taps of `stack` (module names under `prefix`); `lastGrad` is the gradient at its output, which its caller holds. */
function walk<T extends Tensor>(stack: LayerStack<T>, prefix: string, input: () => T, lastGrad: () => T | null, layers: LayerTap<T>[], residuals: ResidualTap<T>[]): void {
  const last = stack.layers.length - 1;
  stack.layers.forEach((layer, i) => {
    const name = `${prefix}${stack.moduleIndex[i]}`;
    const inputOf = i === 0 ? input : () => stack.layers[i - 1].output;
    const outputGrad = i === last ? lastGrad : () => stack.outputGradOf(i);
    const output = () => layer.output;
    const row = (activation: OutputActivation, weight: Parameter<T> | null, bias: Parameter<T> | null, z: () => T, delta: () => T | null): LayerTap<T> => ({
      name,
      type: layer.type,
      units: layer.units,
      activation,
      weight,
      bias,
      input: inputOf,
      z,
      output,
      delta,
    });
    if (layer instanceof DenseLayer) {
      layers.push(row(layer.activation, layer.weight, layer.bias, () => layer.preActivation, () => layer.preActivationGrad));
    } else if (layer instanceof ActivationLayer) {
      layers.push(row(layer.activation, null, null, inputOf, outputGrad));
    } else if (layer instanceof ResidualBlock) {
      if (layer.alpha) layers.push(row('linear', layer.alpha, null, output, outputGrad));
      residuals.push(residualTap(name, layer));
      walk(layer.branch, `${name}.branch.`, inputOf, () => layer.branchOutputGrad, layers, residuals);
    } else {
      // Batch and layer norm: γ as the weight, β as the bias.
      const [gamma, beta] = layer.parameters;
      const tap = row('linear', gamma, beta, output, outputGrad);
      if (layer instanceof BatchNormLayer) tap.flatFeatures = (spread) => layer.flatFeatures(spread);
      layers.push(tap);
    }
  });
}

function residualTap<T extends Tensor>(name: string, block: ResidualBlock<T>): ResidualTap<T> {
  return {
    name,
    gate: block.gate,
    units: block.units,
    alpha: block.alpha,
    probe: (on) => block.probe(on),
    get skipSquares() {
      return block.skipSquares;
    },
    get branchSquares() {
      return block.branchSquares;
    },
  };
}
