/**
 * The options of createNetwork, checked and normalised into one NetworkConfig: the sizes, one
 * activation per layer, the loss and how to initialise.
 */
import { checkActivation, checkChoice, checkUnits } from '../checks.js';
import { describeValue, invalidOption } from '../errors.js';
import { checkModelLimits } from '../model-limits.js';
import { checkBiasInit, checkWeightInit, type BiasInit, type WeightInit } from '../init/initializers.js';
import {
  ACTIVATIONS,
  LOSSES,
  LOSS_OUTPUT,
  type Activation,
  type Loss,
  type OutputActivation,
} from '../kernels.js';

/** One layer of NetworkOptions.layers. */
export interface LayerOptions {
  /** Units (neurons) in this layer. */
  units: number;
  /** This layer's activation (default: NetworkOptions.activation, or for the last layer NetworkOptions.output). */
  activation?: OutputActivation;
}

/** Options of createNetwork(): the architecture, the loss, the initialisation and the seed. */
export interface NetworkOptions {
  /** Units per layer, input first: [784, 30, 10]. Or give `inputs` and `layers`. */
  sizes?: readonly number[];
  /** Input size, with `layers` (instead of `sizes`). */
  inputs?: number;
  /** The layers after the input, each with its units and optionally its activation. */
  layers?: readonly LayerOptions[];
  /** Activation of the hidden layers (default 'sigmoid'). */
  activation?: Activation;
  /** Activation of the output layer (default: the last layer's own, else the one the loss is fused with: softmax for cross-entropy, sigmoid for binary-cross-entropy; else 'sigmoid'). */
  output?: OutputActivation;
  /** Loss (default 'cross-entropy' when `output` is softmax or not given, else 'mse'). */
  loss?: Loss;
  /** Weight initialisation (default 'standard': U[−1/√n_in, 1/√n_in]). */
  init?: WeightInit;
  /** Bias initialisation (default 'zero'). */
  biasInit?: BiasInit;
  /** Seed of the RNG behind initialisation and shuffling (default 1). */
  seed?: number;
}

export interface NetworkConfig {
  sizes: number[];
  /** activations[l] follows weights[l]; the last one is the output activation. */
  activations: OutputActivation[];
  loss: Loss;
  init: WeightInit;
  biasInit: BiasInit;
  seed: number;
}

export function checkLoss(value: unknown, where = 'loss'): Loss {
  return checkChoice(value, LOSSES, where);
}

/** Softmax only as the output of cross-entropy, and each fused loss with its own output. */
export function checkLossPairing(loss: Loss, activations: readonly OutputActivation[]): void {
  const output = activations[activations.length - 1];
  const required = LOSS_OUTPUT[loss];
  if (required !== null && output !== required) {
    throw invalidOption(`loss '${loss}' needs a '${required}' output layer, got '${output}'`);
  }
  if (required === null && output === 'softmax') {
    throw invalidOption(`a softmax output goes with loss 'cross-entropy', not '${loss}'`);
  }
  activations.slice(0, -1).forEach((activation, l) => {
    if (activation === 'softmax') throw invalidOption(`layer ${l}: softmax is only allowed on the output layer`);
  });
}

export function resolveConfig(options: NetworkOptions): NetworkConfig {
  if (typeof options !== 'object' || options === null) throw invalidOption('createNetwork needs an options object');
  const hidden = options.activation === undefined ? 'sigmoid' : checkChoice(options.activation, ACTIVATIONS, 'activation');
  let sizes: number[];
  let perLayer: (OutputActivation | undefined)[];
  if (options.layers !== undefined) {
    if (options.sizes !== undefined) throw invalidOption('give either sizes or inputs + layers, not both');
    if (!Array.isArray(options.layers) || options.layers.length === 0) throw invalidOption('layers: expected a non-empty array');
    // Array.from visits the holes of a sparse array (as undefined), where map would skip them.
    sizes = [checkUnits(options.inputs, 'inputs'), ...Array.from(options.layers, (layer, l) => checkUnits(layer?.units, `layers[${l}].units`))];
    perLayer = Array.from(options.layers, (layer, l) =>
      layer.activation === undefined ? undefined : checkActivation(layer.activation, `layers[${l}].activation`),
    );
  } else {
    if (!Array.isArray(options.sizes) || options.sizes.length < 2) {
      throw invalidOption('sizes: expected at least an input and an output size, e.g. [784, 30, 10]');
    }
    sizes = Array.from(options.sizes, (units, l) => checkUnits(units, `sizes[${l}]`));
    perLayer = sizes.slice(1).map(() => undefined);
  }
  checkModelLimits(sizes, options.layers !== undefined ? 'layers' : 'sizes');
  const loss =
    options.loss !== undefined ? checkLoss(options.loss) : options.output === 'softmax' || options.output === undefined ? 'cross-entropy' : 'mse';
  const output =
    options.output !== undefined
      ? checkActivation(options.output, 'output')
      : (perLayer[perLayer.length - 1] ?? LOSS_OUTPUT[loss] ?? 'sigmoid');
  const activations = perLayer.map((activation, l) => activation ?? (l === perLayer.length - 1 ? output : hidden));
  checkLossPairing(loss, activations);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw invalidOption(`seed: expected an integer, got ${describeValue(seed)}`);
  return {
    sizes,
    activations,
    loss,
    init: checkWeightInit(options.init ?? 'standard'),
    biasInit: checkBiasInit(options.biasInit ?? 'zero'),
    seed,
  };
}
