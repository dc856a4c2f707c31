/**
 * The remedies of the trainable-depth study (issue 14), by the keys: for each, the network
 * it builds at a depth (hidden layers of one width, 784 inputs, 10 softmax outputs with
 * cross-entropy) and how it is trained. Everything goes through the public API (createNetwork's
 * options, train's options, the optimiser registry), as a user would write it.
 *
 * One training recipe for every remedy that changes the network rather than the optimiser: SGD with
 * momentum 0.9, learning rate 0.001, batches of 32 (SGD_RECIPE). The learning rate was chosen once,
 * from 0.01 and 0.001, on a pilot at 2, 20 and 100 hidden layers (relu-he, plain-tanh,
 * orthogonal-tanh, selu; 10 epochs): with 0.01 every one of them stalled at chance at 100 layers,
 * with 0.001 all reached ≥ 91 % at 2 layers. The plain sigmoid network is trained as Nielsen trains
 * his (plain SGD, a large rate: 0.5). The optimiser remedies train that same sigmoid network with
 * their own settings. Nothing is tuned per depth.
 */
import type { Network } from '../api/network.js';
import type { Matrix } from '../data/matrix.js';
import type { NetworkOptions } from '../network/config.js';
import type { OptimizerSpec } from '../optim/index.js';
import type { TrainOptions } from '../training/train-options.js';
import { HESSIAN_FREE_BATCH, LARS_DEFAULTS } from '../optimizer-defaults.js';
import { grouped } from '../counted.js';

/** What a remedy trains with: the optimiser, its learning rate, the batch size and any other train() option. */
export interface RemedyTraining {
  /** The optimiser, as train() and createOptimizer() take it. */
  optimizer: OptimizerSpec;
  /** Step size (absent: the optimiser's own default). */
  learningRate?: number;
  /** Rows per step. */
  batchSize: number;
  /** Further train() options (e.g. gradientNoise), passed as they are. */
  extra?: Partial<TrainOptions> & Record<string, unknown>;
}

/** One remedy of the study. */
export interface TrainableDepthRemedy {
  /** The key, e.g. 'relu-he'. */
  key: string;
  /** Network, initialisation and training in words (the terminal's "Remedies:" list and the report's Remedies table: remediesTable). */
  settings: string;
  /** createNetwork's options for `depth` hidden layers of `width` units (seed and backend are added by the study). */
  network(depth: number, width: number): NetworkOptions;
  /** How it is trained. */
  training: RemedyTraining;
  /** A data-dependent initialisation, run on the study's first training digits before anything is measured (LSUV's explicit data call). */
  initialise?: (net: Network, x: Matrix) => void;
  /**
   * The deepest network it runs on, and why not deeper: a second-order step costs many first-order
   * ones, so within the study's budget it only runs where its cost fits (absent: every depth).
   */
  maxDepth?: {
    /** Hidden layers of the deepest network it runs on. */
    depth: number;
    /** Why not deeper. */
    why: string;
  };
}

/** The shared recipe of the architecture and initialisation remedies. */
export const SGD_RECIPE: RemedyTraining = { optimizer: { name: 'sgd', momentum: 0.9 }, learningRate: 0.001, batchSize: 32 };
const SGD_WORDS = 'SGD, momentum 0.9, lr 0.001, batch 32';
/** The plain sigmoid network's training: plain SGD with Nielsen's kind of rate (sigmoid's σ' ≤ 1/4 wants a large one). */
export const SIGMOID_SGD: RemedyTraining = { optimizer: 'sgd', learningRate: 0.5, batchSize: 32 };

/** Rows per step of the second-order remedies: Hessian-free's (HESSIAN_FREE_BATCH), K-FAC's too (as the remedies study's batch methods). */
export const SECOND_ORDER_BATCH = HESSIAN_FREE_BATCH;

/** Neelakantan et al.'s annealed gradient noise: η (the smallest of the paper's three values) and γ. */
export const GRADIENT_NOISE = { eta: 0.01, gamma: 0.55 } as const;
/** The "poor" initialisation the gradient-noise remedy starts from: N(0, 0.1²) for every weight (the paper's simple init). */
export const POOR_INIT_STD = 0.1;

/** A plain dense network: `depth` hidden layers of `width` units with one activation, softmax outputs. */
function dense(activation: NonNullable<NetworkOptions['activation']>, init: NetworkOptions['init']) {
  return (depth: number, width: number): NetworkOptions => ({
    sizes: [784, ...Array.from({ length: depth }, () => width), 10],
    activation,
    init,
    loss: 'cross-entropy',
  });
}

const plainSigmoid = dense('sigmoid', 'standard');

type Spec = Record<string, unknown>;
/** Block specs as createNetwork's layers (issue 13's `{ type, … }` entries). */
const asLayers = (specs: Spec[]) => specs as unknown as NetworkOptions['layers'];
const OUTPUT: Spec = { type: 'dense', units: 10, activation: 'softmax' };

/** Each hidden layer dense (linear) → a norm → the activation, as batch norm's §3.2 places it (BN(Wu) before the nonlinearity). */
function normalised(norm: 'batch-norm' | 'layer-norm', activation: string, init: NetworkOptions['init']) {
  return (depth: number, width: number): NetworkOptions => ({
    inputs: 784,
    layers: asLayers([...Array.from({ length: depth }, () => [{ type: 'dense', units: width }, { type: norm }, { type: 'activation', activation }]).flat(), OUTPUT]),
    init,
    loss: 'cross-entropy',
  });
}

/**
 * The weights' variance of the plain residual stack: 0.25/width, the ReZero authors' choice for it (Xavier normal, gain √0.25):
 * smaller branches than He's 2/n_in, though stacks of 49 and 99 such blocks overflowed float32 within 4 steps (study (c)'s rows at
 * 50 and 100 hidden layers), where 19 trained.
 */
export const RESIDUAL_INIT_VARIANCE = 0.25;

/** A relu input layer, then depth − 1 blocks x + relu(Wx + b) (gate 'none') or x + α·relu(Wx + b) (gate 'rezero'): depth dense hidden layers in all. */
function residual(gate: 'none' | 'rezero', init: (width: number) => NetworkOptions['init']) {
  return (depth: number, width: number): NetworkOptions => ({
    inputs: 784,
    layers: asLayers([
      { type: 'dense', units: width, activation: 'relu' },
      ...Array.from({ length: depth - 1 }, () => ({ type: 'residual', gate, layers: [{ type: 'dense', units: width, activation: 'relu' }] })),
      OUTPUT,
    ]),
    init: init(width),
    loss: 'cross-entropy',
  });
}

/** Every remedy, in the study's order: baselines, initialisations, activations, blocks, optimisers. */
export const TRAINABLE_DEPTH_REMEDIES: readonly TrainableDepthRemedy[] = [
  { key: 'plain-sigmoid', settings: 'sigmoid, standard init U[±1/√n_in], SGD, lr 0.5, batch 32', network: plainSigmoid, training: SIGMOID_SGD },
  { key: 'plain-tanh', settings: `tanh, Glorot uniform init, ${SGD_WORDS}`, network: dense('tanh', 'glorot-uniform'), training: SGD_RECIPE },
  { key: 'relu-he', settings: `relu, He normal init, ${SGD_WORDS}`, network: dense('relu', 'he-normal'), training: SGD_RECIPE },
  {
    key: 'orthogonal-tanh',
    settings: `tanh, orthogonal init (gain 1), ${SGD_WORDS}`,
    network: dense('tanh', 'orthogonal'),
    training: SGD_RECIPE,
  },
  { key: 'selu', settings: `SELU, LeCun normal init N(0, 1/n_in), ${SGD_WORDS}`, network: dense('selu', 'lecun-normal'), training: SGD_RECIPE },
  {
    key: 'lsuv',
    settings: `relu, LSUV init (orthonormal, then each layer rescaled to unit output variance on the first 100 training digits), ${SGD_WORDS}`,
    network: dense('relu', 'lsuv'),
    training: SGD_RECIPE,
    initialise: (net, x) => void net.initLsuv(x),
  },
  {
    key: 'batch-norm-sigmoid',
    settings: `dense → batch norm → sigmoid per hidden layer, standard init, ${SGD_WORDS}`,
    network: normalised('batch-norm', 'sigmoid', 'standard'),
    training: SGD_RECIPE,
  },
  {
    key: 'batch-norm-relu',
    settings: `dense → batch norm → relu per hidden layer, He normal init, ${SGD_WORDS}`,
    network: normalised('batch-norm', 'relu', 'he-normal'),
    training: SGD_RECIPE,
  },
  {
    key: 'layer-norm',
    settings: `dense → layer norm → relu per hidden layer, He normal init, ${SGD_WORDS}`,
    network: normalised('layer-norm', 'relu', 'he-normal'),
    training: SGD_RECIPE,
  },
  {
    key: 'residual',
    settings: `relu input layer, then blocks x + relu(Wx + b); weights N(0, ${RESIDUAL_INIT_VARIANCE}/width); ${SGD_WORDS}`,
    network: residual('none', (width) => ({ name: 'normal', std: Math.sqrt(RESIDUAL_INIT_VARIANCE / width) })),
    training: SGD_RECIPE,
  },
  {
    key: 'rezero',
    settings: `relu input layer, then blocks x + α·relu(Wx + b), α = 0 at init; He normal init; ${SGD_WORDS}`,
    network: residual('rezero', () => 'he-normal'),
    training: SGD_RECIPE,
  },
  {
    key: 'relu-poor-init',
    settings: `relu, every weight N(0, ${POOR_INIT_STD}²), ${SGD_WORDS} (gradient-noise's control)`,
    network: dense('relu', { name: 'normal', std: POOR_INIT_STD }),
    training: SGD_RECIPE,
  },
  {
    key: 'gradient-noise',
    settings: `relu, every weight N(0, ${POOR_INIT_STD}²), ${SGD_WORDS}, annealed gradient noise η ${GRADIENT_NOISE.eta}, γ ${GRADIENT_NOISE.gamma}`,
    network: dense('relu', { name: 'normal', std: POOR_INIT_STD }),
    training: { ...SGD_RECIPE, extra: { gradientNoise: { ...GRADIENT_NOISE } } },
    maxDepth: {
      depth: 20,
      why: "the paper's depth (20 layers); each step draws a Gaussian for every parameter in TypeScript, which costs more than the step itself",
    },
  },
  { key: 'adam', settings: 'plain sigmoid network, Adam, lr 0.001, batch 32', network: plainSigmoid, training: { optimizer: 'adam', learningRate: 0.001, batchSize: 32 } },
  {
    key: 'lars',
    settings: `plain sigmoid network, LARS, η ${LARS_DEFAULTS.eta}, momentum ${LARS_DEFAULTS.momentum}, lr ${LARS_DEFAULTS.learningRate}, batch 32`,
    network: plainSigmoid,
    training: { optimizer: 'lars', learningRate: LARS_DEFAULTS.learningRate, batchSize: 32 },
  },
  {
    key: 'hessian-free',
    settings: `plain sigmoid network, Hessian-free (defaults), batch ${grouped(SECOND_ORDER_BATCH)}`,
    network: plainSigmoid,
    training: { optimizer: 'hessian-free', batchSize: SECOND_ORDER_BATCH },
    maxDepth: { depth: 10, why: 'a Hessian-free step runs up to 250 CG iterations of Gauss-Newton products on 1,000 rows' },
  },
  {
    key: 'kfac',
    settings: `plain sigmoid network, K-FAC (defaults), batch ${grouped(SECOND_ORDER_BATCH)}`,
    network: plainSigmoid,
    training: { optimizer: 'kfac', batchSize: SECOND_ORDER_BATCH },
    maxDepth: { depth: 20, why: 'a K-FAC step inverts two Kronecker factors per layer and rescales by an exact quadratic model' },
  },
];
