/**
 * The options of createNetwork, checked and normalised: a NetworkConfig (sizes, one activation per
 * layer, the loss, how to initialise) for a chain of dense layers, or a BlockConfig for layer specs
 * with any other layer (src/network/block-engine.ts).
 */
import { checkActivation, checkChoice, checkSeed, checkKnownKeys, checkUnits } from '../checks.js';
import { describeValue, GradscopeError, invalidOption, shown, typedWord } from '../errors.js';
import { checkModelLimits, MODEL_LIMITS, type Fail, beyondModelLimit } from '../model-limits.js';
import { activationOf, checkLayerSpecs, hasBias, denseFanIns, parameterCountOfSpecs, specsBeyondLimit, widthAfter, type CheckedSpec, type LayerSpec } from '../layers/spec.js';
import type { BlockConfig } from './block-engine.js';
import { LSUV_BUILD } from '../layers/lsuv.js';
import { checkBiasInit, checkSparseConnections, checkWeightInit, type BiasInit, type WeightInit } from '../init/initializers.js';
import { chainFanIns, type Initialisation } from '../init/initialisation.js';
import {
  ACTIVATIONS,
  LOSSES,
  LOSS_OUTPUT,
  type Activation,
  type Loss,
  type OutputActivation,
} from '../kernels.js';
import { fileLayer } from '../layer-names.js';
import type { PytorchModule } from '../pytorch-record.js';
import type { TrainedOn } from '../trained-on.js';

/** createNetwork's defaults that --help names too: the hidden `{ units }` layers' activation, the weights' and the biases' initialisation. */
export const NETWORK_DEFAULTS = { activation: 'sigmoid', init: 'standard', biasInit: 'zero' } as const;

/** One layer of NetworkOptions.layers. */
export interface LayerOptions {
  /** Units (neurons) in this layer. */
  units: number;
  /** This layer's activation (default: NetworkOptions.activation, or for the last layer NetworkOptions.output). */
  activation?: OutputActivation;
}

/** Options of createNetwork(): the architecture, the loss, the initialisation and the seed. */
export interface NetworkOptions {
  /** Units per layer, input first: [784, 30, 10]. Required unless `inputs` and `layers` are given instead. */
  sizes?: readonly number[];
  /** Input size, with `layers` (instead of `sizes`): required with `layers`. */
  inputs?: number;
  /**
   * The layers after the input: each `{ units, activation? }` (a dense layer), or each a layer spec
   * with a `type` ({ type: 'dense' | 'batch-norm' | 'layer-norm' | 'activation' | 'residual', … },
   * see LayerSpec); one form for every entry. Specs of dense layers only build the same network as
   * the `{ units }` form; any other spec, or a dense one with `bias: false`, builds a block network. Required with `inputs`, instead of
   * `sizes`.
   */
  layers?: readonly (LayerOptions | LayerSpec)[];
  /** Activation of the hidden `{ units }` layers (default 'sigmoid'; layer specs name their own, default 'linear'). */
  activation?: Activation;
  /** Activation of the output `{ units }` layer (default: the last layer's own, else the one the loss is fused with: softmax for cross-entropy, sigmoid for binary-cross-entropy; else 'sigmoid'). Not with layer specs. A softmax of 1 unit is refused (always 1: nothing trains); one target takes 'sigmoid' with 'binary-cross-entropy'. */
  output?: OutputActivation;
  /**
   * Loss (default 'cross-entropy' when the output is softmax or, without layer specs, `output` is not given; else 'mse').
   * What each takes as targets (other targets get INVALID_TARGET): 'cross-entropy' a probability
   * distribution per row (one-hot or soft labels: values in [0, 1] summing to 1 within
   * n·TARGET_SUM_TOLERANCE), 'binary-cross-entropy' a probability in [0, 1] per output, 'mse' any finite value.
   */
  loss?: Loss;
  /**
   * Weight initialisation (default 'standard': U[−1/√n_in, 1/√n_in]). 'lsuv' (Mishkin & Matas 2015)
   * needs data: the weights start orthonormal, and the network must be given a batch by
   * net.initLsuv(x) or train's `lsuv` option before train() takes it.
   */
  init?: WeightInit | 'lsuv';
  /** Bias initialisation (default 'zero'). */
  biasInit?: BiasInit;
  /** Seed of the RNG behind initialisation and shuffling (default 1): an integer from 0 to 2^32 − 1 = 4,294,967,295 (the RNG takes 32 bits). */
  seed?: number;
}

/**
 * A dense network's options as createNetwork checked them, every default filled in (NetworkOptions
 * says each default): what the network was made with and what its model file records.
 */
export interface NetworkConfig {
  /** Units per layer, input first. */
  sizes: number[];
  /** activations[l] follows weights[l]; the last one is the output activation. */
  activations: OutputActivation[];
  /** The loss the network trains on. */
  loss: Loss;
  /** How the weights were drawn. */
  init: WeightInit;
  /** How the biases were set. */
  biasInit: BiasInit;
  /** Seed of the RNG behind initialisation and shuffling. */
  seed: number;
  /** init 'lsuv': `init` is orthogonal and the network waits for LSUV (initLsuv, or train's lsuv option). */
  lsuv?: boolean;
  /** With given parameters: how the file they came from records the network was initialised (absent: it records nothing; `init` and `biasInit` are then unused). */
  recorded?: Initialisation;
  /** With given parameters: the rows that trained them, as the data they came from record (Network.trainedOn; absent: none recorded). */
  trainedOn?: TrainedOn;
  /** With given parameters: what their data keep of the PyTorch module that saved them (Network.pytorchModule; absent: nothing kept). */
  pytorchModule?: PytorchModule;
}

/**
 * Why a model file without a loss is refused (BAD_MODEL_FILE at its loss field): the format records it (docs/api.md, Files;
 * unlike its initialisation and trainedOn, which a file may leave out), and no default would be true of the network that was
 * saved, whose every gradient is of its loss. newuser29's file without one read 'loss: expected one of …, got undefined'.
 */
export const MISSING_LOSS = `missing: a gradscope model file records the loss its network was trained on, one of ${LOSSES.join(', ')} (every gradscope command computes with it): add the one it was trained on`;

export function checkLoss(value: unknown, where = 'loss'): Loss {
  return checkChoice(value, LOSSES, where);
}

/** Softmax only as the output of cross-entropy, and each fused loss with its own output. */
export function checkLossPairing(loss: Loss, activations: readonly OutputActivation[]): void {
  const output = activations[activations.length - 1];
  const required = LOSS_OUTPUT[loss];
  if (required !== null && output !== required) {
    throw invalidOption(`loss ${typedWord(loss)} needs a ${typedWord(required)} output layer, got ${typedWord(output)}`);
  }
  if (required === null && output === 'softmax') {
    throw invalidOption(`a softmax output goes with loss 'cross-entropy', not '${loss}'`);
  }
  activations.slice(0, -1).forEach((activation, l) => {
    if (activation === 'softmax') throw invalidOption(`${fileLayer(l)}: ${HIDDEN_SOFTMAX}`);
  });
}

/**
 * A softmax output of one unit is 1 whatever its input: its cross-entropy is 0 and its gradient 0, so nothing
 * trains, and its accuracy (the argmax of one unit) is 100 % whatever the rows. `where` names the option.
 */
export function checkSoftmaxUnits(output: OutputActivation, units: number, where: string): void {
  if (output === 'softmax' && units === 1) {
    throw invalidOption(`${where}: ${SOFTMAX_OF_ONE}; for one target use output 'sigmoid' with loss 'binary-cross-entropy', or give the output 2 units`);
  }
}

/** Why checkSoftmaxUnits refuses, without its way out in createNetwork's words: `gradscope train` finds the refusal by it and says its own. */
export const SOFTMAX_OF_ONE = 'a softmax output of 1 unit is always 1 (loss 0, gradient 0: nothing trains)';

/**
 * checkSoftmaxUnits' rule for a model's output layer (`where`): a file's, refused as it is read
 * (BAD_MODEL_FILE through `fail`), or model data handed to a loader or an exporter. Every reader
 * runs it before the loss's pairing, through the architecture checks each format shares
 * (modelFromJSON, checkModelData, checkArchitecture, checkBlockArchitecture): the model's output
 * is 1 whatever its input, so neither predict() nor training could show anything of it. Its way
 * out is said in the model's words (its output activation and loss), which the user changes where
 * the model is made (Keras: Dense(1, activation='sigmoid') with binary_crossentropy), on the API
 * and the command line alike: no option of theirs made the shape.
 */
export function checkOutputUnits(output: OutputActivation, units: number, where: string, fail: Fail): void {
  if (output === 'softmax' && units === 1) {
    throw fail(where, `${SOFTMAX_OF_ONE}; for one target use output activation 'sigmoid' with loss 'binary-cross-entropy', or give the output 2 units`);
  }
}

/**
 * checkLossPairing for createNetwork's options (researcher53 F10): a softmax output beside a loss that takes none is refused
 * naming the two options that chose them (`outputNamed`: 'output', or the last layer's activation) and what to give instead.
 */
function checkOptionsPairing(loss: Loss, activations: readonly OutputActivation[], outputNamed: string): void {
  try {
    checkLossPairing(loss, activations);
  } catch (error) {
    if (!(error instanceof GradscopeError) || LOSS_OUTPUT[loss] !== null || activations[activations.length - 1] !== 'softmax') throw error;
    throw invalidOption(`${outputNamed} 'softmax' with loss ${typedWord(loss)}: ${error.message}; give loss 'cross-entropy' (one-hot targets), or keep ${typedWord(loss)} with another ${outputNamed} ('sigmoid' or 'linear')`);
  }
}

/** Why a hidden layer cannot be softmax (checkLossPairing; a model file says it at the layer's activation). */
export const HIDDEN_SOFTMAX = 'softmax is only allowed on the output layer';

/** createNetwork's options checked: a chain of dense layers, or a network of layer specs with other layers. */
export type ResolvedNetwork = { kind: 'dense'; config: NetworkConfig } | { kind: 'blocks'; config: BlockConfig };

/** Checks createNetwork's options: layer specs (entries with `type`) go to resolveSpecs, the rest to resolveConfig. */
export function resolveNetwork(options: NetworkOptions): ResolvedNetwork {
  if (typeof options !== 'object' || options === null) throw invalidOption('createNetwork needs an options object');
  const layers = options.layers;
  if (Array.isArray(layers)) {
    // Before any walk over the list: Array.from of a length of 2³¹ threw a raw RangeError, and a sparse one took minutes.
    if (layers.length > MODEL_LIMITS.maxLayers) throw invalidOption(`layers: ${beyondModelLimit(layers.length, 'layers', MODEL_LIMITS.maxLayers)}`);
    // Array.from visits a sparse array's holes (as undefined), where forEach would skip them.
    Array.from(layers as unknown[]).forEach((entry, i) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw invalidOption(`layers[${i}]: expected a layer, { type, … } or { units, activation? }, got ${describeValue(entry)}`);
      }
    });
  }
  if (!Array.isArray(layers) || !Array.from(layers).some(isSpec)) return { kind: 'dense', config: resolveConfig(options) };
  return resolveSpecs(options, layers);
}

function isSpec(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && 'type' in entry;
}

/** Layer specs: a dense-only list (every layer with its bias) is the same NetworkConfig as its `{ units }` form; any other builds a BlockConfig. */
function resolveSpecs(options: NetworkOptions, layers: readonly unknown[]): ResolvedNetwork {
  const form = isSpec(layers[0]);
  Array.from(layers).forEach((entry, i) => {
    if (isSpec(entry) !== form) {
      throw invalidOption(`layers[${i}]: ${form ? 'a { units } layer among layer specs' : 'a layer spec (with type) among { units } layers'}; give every entry a type, or none`);
    }
  });
  for (const key of ['sizes', 'activation', 'output'] as const) {
    if (options[key] !== undefined) throw invalidOption(`${key}: not with layer specs (each spec names its own activation; the last layer's is the output)`);
  }
  const inputs = checkUnits(options.inputs, 'inputs');
  const beyond = specsBeyondLimit(layers);
  if (beyond !== undefined) throw invalidOption(`layers${beyond.at}: ${beyond.message}`);
  const specs = checkLayerSpecs(layers, inputs);
  if (parameterCountOfSpecs(specs, inputs) > MODEL_LIMITS.maxParameters) {
    throw invalidOption(`layers: ${beyondModelLimit(parameterCountOfSpecs(specs, inputs), 'parameters', MODEL_LIMITS.maxParameters)}`);
  }
  const output = activationOf(specs[specs.length - 1]) ?? 'linear';
  checkSoftmaxUnits(output, widthAfter(specs, inputs), `layers[${specs.length - 1}]`);
  const loss = options.loss !== undefined ? checkLoss(options.loss) : output === 'softmax' ? 'cross-entropy' : 'mse';
  const init = { ...checkInit(options), seed: seedOrDefault(options.seed) };
  checkSparseConnections(init.init, denseFanIns(specs, inputs), (l) => `dense layer ${l}`);
  // A chain of dense layers each with a bias is the dense engine's; one without a bias is a block network's (the dense engine's layers all have one).
  if (specs.every((spec) => spec.type === 'dense' && hasBias(spec))) {
    const dense = specs as Extract<CheckedSpec, { type: 'dense' }>[];
    const sizes = [inputs, ...dense.map((spec) => spec.units)];
    checkModelLimits(sizes, 'layers');
    const activations = dense.map((spec) => spec.activation);
    checkOptionsPairing(loss, activations, `layers[${specs.length - 1}].activation`);
    return { kind: 'dense', config: { sizes, activations, loss, ...init } };
  }
  return { kind: 'blocks', config: { inputs, layers: specs, loss, ...init } };
}

/** init and biasInit checked; init 'lsuv' is Algorithm 1's start (orthonormal weights, zero biases by default) and a flag. */
function checkInit(options: NetworkOptions): { init: WeightInit; biasInit: BiasInit; lsuv?: boolean } {
  const biasInit = checkBiasInit(options.biasInit ?? NETWORK_DEFAULTS.biasInit);
  if (options.init === 'lsuv') return { init: LSUV_BUILD.init, biasInit, lsuv: true };
  return { init: checkWeightInit(options.init ?? NETWORK_DEFAULTS.init, ['lsuv']), biasInit };
}

/** The seed, 1 when not given. */
function seedOrDefault(seed: unknown = 1): number {
  return checkSeed(seed, 'seed');
}

/** Checks the options of a chain of dense layers (`sizes`, or `inputs` with `{ units }` layers). */
export function resolveConfig(options: NetworkOptions): NetworkConfig {
  if (typeof options !== 'object' || options === null) throw invalidOption('createNetwork needs an options object');
  const hidden = options.activation === undefined ? NETWORK_DEFAULTS.activation : checkChoice(options.activation, ACTIVATIONS, 'activation');
  let sizes: number[];
  let perLayer: (OutputActivation | undefined)[];
  if (options.layers !== undefined) {
    if (options.sizes !== undefined) throw invalidOption('give either sizes or inputs + layers, not both');
    if (!Array.isArray(options.layers) || options.layers.length === 0) throw invalidOption('layers: expected a non-empty array');
    // Array.from visits the holes of a sparse array (as undefined), where map would skip them.
    options.layers.forEach((layer, l) => checkKnownKeys(layer, ['units', 'activation'], `layers[${l}]`));
    sizes = [checkUnits(options.inputs, 'inputs'), ...Array.from(options.layers, (layer, l) => checkUnits(layer?.units, `layers[${l}].units`))];
    perLayer = Array.from(options.layers as readonly LayerOptions[], (layer, l) =>
      layer.activation === undefined ? undefined : checkActivation(layer.activation, `layers[${l}].activation`),
    );
  } else {
    if (!Array.isArray(options.sizes) || options.sizes.length < 2) {
      throw invalidOption(`sizes: expected an array of at least an input and an output size (e.g. [784, 30, 10]), got ${shown(options.sizes)}`);
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
  const outputNamed = options.output === undefined && perLayer[perLayer.length - 1] !== undefined ? `layers[${perLayer.length - 1}].activation` : 'output';
  checkOptionsPairing(loss, activations, outputNamed);
  checkSoftmaxUnits(activations[activations.length - 1], sizes[sizes.length - 1], outputNamed);
  const seed = seedOrDefault(options.seed);
  const init = checkInit(options);
  // Named as a file's record of the same init is refused (readInitialisation): one naming of a chain's layers.
  const fanIns = chainFanIns(sizes);
  checkSparseConnections(init.init, fanIns.map((dense) => dense.inputs), (l) => fanIns[l].layer);
  return {
    sizes,
    activations,
    loss,
    ...init,
    seed,
  };
}
