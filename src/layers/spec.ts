/**
 * The layer specs of issue 13's API (`layers: [{ type: 'dense', units, activation }, …]`), checked
 * and normalised, with the paths of bad entries in their errors (`layers[2].layers[0].units`).
 */
import { invalidOption, shown } from '../errors.js';
import type { OutputActivation } from '../kernels.js';
import type { DenseFanIn } from '../init/initialisation.js';
import { checkActivation, checkBoolean, checkChoice, checkFloat32, checkKnownKeys, checkUnits, FLOAT32_MIN_NORMAL } from '../checks.js';
import { counted, grouped } from '../counted.js';
import { fileLayer } from '../layer-names.js';
import { MODEL_LIMITS, nestedPastModelLimit, pastModelLimit } from '../model-limits.js';

/** The default ε under the square root of both normalisations (PyTorch's default for BatchNorm1d and LayerNorm). */
export const NORM_EPSILON = 1e-5;
/** The default of how far batch norm's running statistics move per training step (PyTorch's default). */
export const BATCH_NORM_MOMENTUM = 0.1;
/** The smallest ε a normalisation takes: float32's smallest normal number, 2⁻¹²⁶ (a smaller one is 0 or subnormal in float32). */
export const MIN_NORM_EPSILON = FLOAT32_MIN_NORMAL;
/**
 * The fewest rows batch norm normalises with batch statistics, the one rule of every batch that
 * reaches it in training (checkTrainingBatch): one row's variance is 0, so every feature becomes β,
 * nothing passes back, and the running variance (moved by the batch variance, unbiased by n/(n − 1)
 * from 2 rows) moves toward 0, which evaluation then divides by. PyTorch refuses it too. Two rows
 * break nothing held: the statistics are exact and the running ones move as PyTorch's do; only no
 * gradient passes back (BATCH_NORM_BLOCKING_ROWS), which is batch norm's own and which diagnose names.
 */
export const BATCH_NORM_MIN_ROWS = 2;
/**
 * Rows per batch at which batch norm in training passes no gradient to its input. Over n rows each
 * feature's x̂ has mean 0 and spread 1, and batch norm's backward keeps only the part of ∂C/∂x̂
 * orthogonal to the ones vector and to x̂ itself: n − 2 of its n directions. With 2 rows x̂ = ±1
 * whatever the input and none is left (only what ε leaves: almost nothing). Trained on, as in
 * PyTorch (a batch of it, or an epoch's short last batch of it, is batch norm's own gradient, not a
 * fault); diagnose names it as the cause when a run's batches held it (evidence.batchNormBlocking).
 */
export const BATCH_NORM_BLOCKING_ROWS = 2;

/**
 * Why a layer norm of one feature is refused wherever specs are checked (createNetwork and every
 * reader of block models): x − μ is 0 over one feature, so it outputs its shift β whatever its
 * input, and no gradient reaches the layers before it (as a softmax of 1 unit, SOFTMAX_OF_ONE).
 */
export const LAYER_NORM_OF_ONE = 'a layer norm over 1 feature outputs its shift β whatever its input (x − μ is 0): its output ignores the input and no gradient reaches the layers before it';

/** A residual block's gates: 'none' (x + branch(x)) and 'rezero' (x + α·branch(x), α learned from 0). */
export const RESIDUAL_GATES = ['none', 'rezero'] as const;
/** One of RESIDUAL_GATES. */
export type ResidualGate = (typeof RESIDUAL_GATES)[number];

/** A dense layer z = Wx + b (z = Wx without a bias) followed by its activation (default 'linear'). */
export interface DenseSpec {
  /** A dense layer (PyTorch: nn.Linear followed by its activation's module). */
  type: 'dense';
  /** Units (outputs) of the layer. */
  units: number;
  /** Its activation (default 'linear'). */
  activation?: OutputActivation;
  /**
   * Whether the layer has a bias b (default true). false builds z = Wx with no bias parameter at all
   * (PyTorch: nn.Linear(in, out, bias=False)), as before a batch norm, whose shift β makes a bias
   * redundant. The checked spec holds `bias: false` only for a layer without one (absent: it has one).
   */
  bias?: boolean;
}
/** A dense spec as checked: its activation filled in, and `bias: false` only for a layer without a bias. */
export interface CheckedDenseSpec {
  /** A dense layer. */
  type: 'dense';
  /** Units (outputs) of the layer. */
  units: number;
  /** Its activation. */
  activation: OutputActivation;
  /** false: the layer has no bias (z = Wx). Absent (the default): it has one. */
  bias?: false;
}
/** Batch normalisation over features: batch statistics in training (biased variance), running ones in evaluation. */
export interface BatchNormSpec {
  /** Batch normalisation (PyTorch: nn.BatchNorm1d(n, eps, momentum)). */
  type: 'batch-norm';
  /**
   * ε in x̂ = (x − μ)/√(σ² + ε) (default 1e-5, NORM_EPSILON, as PyTorch's eps): a number from 2⁻¹²⁶
   * (≈ 1.18e-38, float32's smallest normal) to 1. Absent from the checked spec when not given.
   */
  epsilon?: number;
  /**
   * How far each training step moves the running statistics, running ← (1 − momentum)·running +
   * momentum·batch (default 0.1, BATCH_NORM_MOMENTUM, as PyTorch's momentum; Keras' and ONNX's
   * momentum is 1 − this): a number from 0 (never move) to 1 (the last batch's), and if not 0 at least
   * 2⁻¹²⁶ (≈ 1.18e-38, float32's smallest normal). PyTorch's
   * momentum=None (a cumulative average) is not offered in training; Network.updateBatchNormStatistics averages that way over
   * given rows, as PyTorch's update_bn, where a few large steps left the statistics behind the weights. Absent from the checked
   * spec when not given.
   */
  momentum?: number;
}
/** Layer normalisation over features, with a learned scale and shift; over 2 or more (over 1 it outputs its shift whatever its input: refused). */
export interface LayerNormSpec {
  /** Layer normalisation (PyTorch: nn.LayerNorm(n, eps)). */
  type: 'layer-norm';
  /** ε in x̂ = (x − μ)/√(σ² + ε) (default 1e-5, NORM_EPSILON, as PyTorch's eps): as BatchNormSpec.epsilon. */
  epsilon?: number;
}
/** An activation as a layer of its own. */
export interface ActivationSpec {
  /** An activation layer (PyTorch: its module, e.g. nn.SELU()). */
  type: 'activation';
  /** The activation. */
  activation: OutputActivation;
}
/** x + branch(x) ('none', the default) or x + α·branch(x) with a learned scalar α starting at 0 ('rezero'); the branch must keep the width. */
export interface ResidualSpec {
  /** A residual block (PyTorch: the Residual module of docs/interop.md). */
  type: 'residual';
  /** 'none' (default) or 'rezero'. */
  gate?: ResidualGate;
  /** The branch: specs that end at the width they start from (no softmax). */
  layers: LayerSpec[];
}
/** One entry of createNetwork's `layers` in the spec form (with a `type`). */
export type LayerSpec = DenseSpec | BatchNormSpec | LayerNormSpec | ActivationSpec | ResidualSpec;
/** The type of a layer spec. */
export type LayerType = LayerSpec['type'];
/** Every layer type, in the order of LayerSpec. */
export const LAYER_TYPES: readonly LayerType[] = ['dense', 'batch-norm', 'layer-norm', 'activation', 'residual'];

/** A residual spec with its defaults filled in. */
export interface CheckedResidualSpec {
  /** A residual block. */
  type: 'residual';
  /** 'none' or 'rezero'. */
  gate: ResidualGate;
  /** The branch, checked. */
  layers: CheckedSpec[];
}

/**
 * A spec as checked (what net.layers holds): a dense layer's activation and a residual block's gate
 * filled in with their defaults, a dense layer's bias only as `bias: false`; a norm's epsilon and momentum only where given (absent, the layer
 * runs with NORM_EPSILON and BATCH_NORM_MOMENTUM), so net.layers, a model file and the PyTorch
 * expression (nn.BatchNorm1d(n), eps= only where given) say what was asked (newuser48 #8).
 */
export type CheckedSpec = CheckedDenseSpec | BatchNormSpec | LayerNormSpec | ActivationSpec | CheckedResidualSpec;

/**
 * Checks specs for a stack taking `inputs` features (`where` names the list in errors) and returns
 * them checked (CheckedSpec: defaults filled in but a norm's epsilon and momentum, kept only where given). Softmax must be the last layer of the outermost stack, and a
 * residual branch must end at the width it starts from.
 */
export function checkLayerSpecs(specs: unknown, inputs: number, where = 'layers'): CheckedSpec[] {
  const checked = checkList(specs, inputs, where);
  checked.forEach((spec, i) => {
    if (i < checked.length - 1 && activationOf(spec) === 'softmax') {
      throw invalidOption(`${where}[${i}]: softmax only as the output layer (it is fused with the cross-entropy loss)`);
    }
  });
  return checked;
}

/** Where a list of layer specs passes MODEL_LIMITS: `at` is the path inside the list ('' for the whole list, '[2].layers[0]' for a block in it). */
export interface SpecsBeyondLimit {
  at: string;
  message: string;
}

/**
 * Where and why `specs` pass MODEL_LIMITS, or undefined if they do not: more layer specs than
 * maxLayers, nested ones included ('more than 1,024 layers (nested ones included), the limit that
 * gradscope's model files store'), or a residual block nested deeper than maxNesting (the
 * first found). Walked without recursion, before checkLayerSpecs (whose recursion a hostile file's
 * or a caller's deep nesting would overflow: a raw RangeError). Only a residual spec's `layers` is
 * a nesting level (checkLayerSpecs refuses `layers` on any other spec as an unknown key). Counting
 * stops as soon as the count passes maxLayers, before the list that passed it is read (a sparse
 * list of length 2³² − 1 took minutes; a list nested in itself never ends), so no exact count is
 * claimed.
 */
export function specsBeyondLimit(specs: unknown): SpecsBeyondLimit | undefined {
  const { maxLayers, maxNesting } = MODEL_LIMITS;
  let count = 0;
  let nested = false;
  const lists: { list: unknown; at: string; depth: number }[] = [{ list: specs, at: '', depth: 0 }];
  while (lists.length > 0) {
    const { list, at, depth } = lists.pop()!;
    if (!Array.isArray(list)) continue;
    count += list.length;
    if (count > maxLayers) {
      return { at: '', message: pastModelLimit(nested ? 'layers (nested ones included)' : 'layers', maxLayers) };
    }
    for (let i = 0; i < list.length; i++) {
      const spec: unknown = list[i];
      if (!isResidual(spec) || !Array.isArray(spec.layers)) continue;
      if (depth + 1 > maxNesting) return { at: `${at}[${i}]`, message: nestedPastModelLimit(depth + 1) };
      nested = true;
      lists.push({ list: spec.layers, at: `${at}[${i}].layers`, depth: depth + 1 });
    }
  }
  return undefined;
}

/** A residual spec as written (its fields not yet checked). */
function isResidual(spec: unknown): spec is { type: 'residual'; layers?: unknown } {
  return typeof spec === 'object' && spec !== null && (spec as { type?: unknown }).type === 'residual';
}

/** Features out of a checked stack that takes `inputs` features. */
export function widthAfter(specs: readonly CheckedSpec[], inputs: number): number {
  return specs.reduce((width, spec) => (spec.type === 'dense' ? spec.units : width), inputs);
}

/** The inputs of each dense layer of a checked stack taking `inputs` features, in order (those inside residual blocks included). */
export function denseFanIns(specs: readonly CheckedSpec[], inputs: number): number[] {
  return namedDenseFanIns(specs, inputs).map((dense) => dense.inputs);
}

/** Each dense layer's inputs, as denseFanIns, with the spec's path (`layers[2]`, `layers[3].layers[0]`; `path` names the list). */
export function namedDenseFanIns(specs: readonly CheckedSpec[], inputs: number, path = 'layers'): DenseFanIn[] {
  let width = inputs;
  return specs.flatMap((spec, i) => {
    const layer = `${path}[${i}]`;
    const fanIns = spec.type === 'dense' ? [{ layer, inputs: width }] : spec.type === 'residual' ? namedDenseFanIns(spec.layers, width, `${layer}.layers`) : [];
    width = widthAfter([spec], width);
    return fanIns;
  });
}

/** Trained values (weights, biases, norms' scales and shifts, ReZero's α) of a checked stack taking `inputs` features. */
export function parameterCountOfSpecs(specs: readonly CheckedSpec[], inputs: number): number {
  let count = 0;
  let width = inputs;
  for (const spec of specs) {
    if (spec.type === 'dense') count += spec.units * width + (hasBias(spec) ? spec.units : 0);
    else if (spec.type === 'batch-norm' || spec.type === 'layer-norm') count += 2 * width;
    else if (spec.type === 'residual') count += parameterCountOfSpecs(spec.layers, width) + (spec.gate === 'rezero' ? 1 : 0);
    width = widthAfter([spec], width);
  }
  return count;
}

/** Whether a dense spec has a bias (every one but those checked with `bias: false`). */
export function hasBias(spec: CheckedDenseSpec): boolean {
  return spec.bias !== false;
}

/** The activation a spec ends with, if it has one. */
export function activationOf(spec: CheckedSpec): OutputActivation | undefined {
  return spec.type === 'dense' || spec.type === 'activation' ? spec.activation : undefined;
}

function checkList(specs: unknown, inputs: number, where: string): CheckedSpec[] {
  if (!Array.isArray(specs) || specs.length === 0) throw invalidOption(`${where}: expected a non-empty array of layer specs, got ${shown(specs)}`);
  const checked: CheckedSpec[] = [];
  let width = inputs;
  specs.forEach((spec, i) => {
    const here = `${where}[${i}]`;
    const one = checkSpec(spec, width, here);
    checked.push(one);
    width = widthAfter([one], width);
  });
  return checked;
}

/** The keys each spec type takes (any other is a typo that would change the model silently). */
const SPEC_KEYS: Record<LayerType, readonly string[]> = {
  dense: ['type', 'units', 'activation', 'bias'],
  'batch-norm': ['type', 'epsilon', 'momentum'],
  'layer-norm': ['type', 'epsilon'],
  activation: ['type', 'activation'],
  residual: ['type', 'gate', 'layers'],
};

/** { epsilon } when given (checked: MIN_NORM_EPSILON to 1), else nothing: the checked spec keeps only what was given. */
function givenEpsilon(epsilon: unknown, where: string): { epsilon?: number } {
  if (epsilon === undefined) return {};
  if (typeof epsilon !== 'number' || !(epsilon >= MIN_NORM_EPSILON && epsilon <= 1)) {
    throw invalidOption(`${where}.epsilon: expected a number from 2⁻¹²⁶ ≈ ${MIN_NORM_EPSILON.toPrecision(2)} (float32's smallest normal) to 1 (default ${NORM_EPSILON}), got ${shown(epsilon)}`);
  }
  return { epsilon };
}

/** { momentum } when given (checked: 0, or FLOAT32_MIN_NORMAL to 1), else nothing, as givenEpsilon. */
function givenMomentum(momentum: unknown, where: string): { momentum?: number } {
  if (momentum === undefined) return {};
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
    throw invalidOption(`${where}.momentum: expected a number from 0 to 1 (how far a training step moves the running statistics; default ${BATCH_NORM_MOMENTUM}), got ${shown(momentum)}`);
  }
  return { momentum: checkFloat32(momentum, `${where}.momentum`) };
}

function checkSpec(spec: unknown, width: number, where: string): CheckedSpec {
  if (typeof spec !== 'object' || spec === null) throw invalidOption(`${where}: expected a layer spec object, got ${shown(spec)}`);
  const s = spec as Record<string, unknown>;
  const type = checkChoice(s.type, LAYER_TYPES, `${where}.type`);
  checkKnownKeys(s, SPEC_KEYS[type], where);
  switch (type) {
    case 'dense': {
      const dense: CheckedDenseSpec = { type: 'dense', units: checkUnits(s.units, `${where}.units`), activation: s.activation === undefined ? 'linear' : checkActivation(s.activation, `${where}.activation`) };
      if (s.bias !== undefined && !checkBoolean(s.bias, `${where}.bias`)) dense.bias = false;
      return dense;
    }
    case 'batch-norm':
      return { type, ...givenEpsilon(s.epsilon, where), ...givenMomentum(s.momentum, where) };
    case 'layer-norm':
      if (width === 1) throw invalidOption(`${where}: ${LAYER_NORM_OF_ONE}; normalise 2 or more features, or use 'batch-norm' (each feature over the batch's rows)`);
      return { type, ...givenEpsilon(s.epsilon, where) };
    case 'activation':
      return { type: 'activation', activation: checkActivation(s.activation, `${where}.activation`) };
    case 'residual': {
      const gate = s.gate === undefined ? 'none' : checkChoice(s.gate, RESIDUAL_GATES, `${where}.gate`);
      const layers = checkList(s.layers, width, `${where}.layers`);
      const out = widthAfter(layers, width);
      if (out !== width) throw invalidOption(`${where}.layers: a residual branch must keep the width (${grouped(width)}), but it ends with ${counted(out, 'unit')}`);
      const softmax = layers.findIndex((l) => activationOf(l) === 'softmax');
      if (softmax >= 0) throw invalidOption(`${fileLayer(softmax, `${where}.`)}: softmax only as the output layer, not inside a residual branch`);
      return { type: 'residual', gate, layers };
    }
  }
}
