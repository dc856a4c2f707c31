/**
 * A layers remedy's change (RemedyLayersChange, diagnose()'s data for a change to each hidden layer)
 * made to createNetwork's options, so that a program builds the network the remedy names without
 * reading its words. The visualizer's buttons apply a layers remedy through it.
 */
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shown, shownArgument } from '../errors.js';
import type { Activation } from '../kernels.js';
import { isLayersChange, type RemedyLayersChange, type RemedyNorm } from '../flow/remedy.js';
import type { CheckedSpec, LayerSpec, ResidualGate } from '../layers/spec.js';
import { resolveNetwork, type NetworkOptions } from '../network/config.js';

/** A run of specs that is one hidden layer: a dense layer and the norm and activation layers after it, a residual block, or the layers before the first dense one (`lead`, which no change touches). */
interface HiddenLayer {
  kind: 'dense' | 'residual' | 'lead';
  specs: LayerSpec[];
  /** Where its first spec sits in createNetwork's `layers`, for errors. */
  at: number;
}

/**
 * createNetwork's `options` with `change` made to each hidden layer, in the layer-spec form
 * (`{ inputs, layers }`: a remedy's norm layers and residual blocks have no `sizes` form) and with
 * the rest kept (init, biasInit, seed; `loss` as the network had it, given or its default). The
 * output layer (the last top-level dense layer and the layers after it) never changes; `options`
 * is not modified. Per field of `change` (RemedyLayersChange says each default: a field left out
 * leaves that part as it is):
 * - `norm`: each hidden dense layer becomes `{ type: 'dense', units }, { type: norm }` (its `bias: false` kept) followed by its
 *   activation as a layer (`{ type: 'activation', activation }`, none for 'linear'), in place of any
 *   norm layer it had, with the new norm's defaults (epsilon, momentum); inside residual blocks too.
 * - `activation`: each hidden activation layer and each hidden dense layer with a nonlinearity gets
 *   `activation`; a hidden dense layer with neither gets it on the dense layer, or as a layer after
 *   its norm where it has one; inside residual blocks too.
 * - `residualGate`: where the hidden layers hold residual blocks, every block's `gate` becomes this;
 *   else each hidden layer after the first becomes `{ type: 'residual', gate, layers: [its specs] }`,
 *   which needs it as wide as the layer before it (INVALID_OPTION names the first that is not).
 * A field that would change no layer is refused (INVALID_OPTION saying which layers it needs), not
 * ignored: `norm` and `activation` need a hidden dense layer (a dense layer before the output layer,
 * top-level or in a residual block), `residualGate` residual blocks or two hidden dense layers.
 * Options createNetwork refuses are refused as it refuses them (INVALID_OPTION naming the entry), and
 * the result is checked as createNetwork checks it, so that it builds.
 */
export function applyLayersChange(options: NetworkOptions, change: RemedyLayersChange): NetworkOptions {
  checkObjectArgument(options, 'applyLayersChange', "createNetwork's options ({ sizes } or { inputs, layers })");
  if (!isLayersChange(change)) {
    throw invalidOption(`applyLayersChange: change is a layers remedy's change ({ norm?, residualGate?, activation? }, at least one: a remedy setting's \`setting\` where its option is 'layers'), got ${shownArgument(change)}`);
  }
  const { inputs, specs, loss } = layerSpecs(options);
  // The output layer: the last top-level dense layer and what follows it (the last entry where none is dense).
  const lastDense = specs.map((spec) => spec.type).lastIndexOf('dense');
  const outputAt = lastDense === -1 ? specs.length - 1 : lastDense;
  const layers = hiddenLayers(specs.slice(0, outputAt));
  checkApplies(layers, change);
  const hidden = changedLayers(layers, change);
  const { sizes: _sizes, activation: _activation, output: _output, ...kept } = options;
  const changed: NetworkOptions = { ...kept, inputs, layers: [...gated(hidden, change.residualGate), ...specs.slice(outputAt)], loss };
  resolveNetwork(changed);
  return changed;
}

/** Refuses (INVALID_OPTION) a field of `change` that would change none of `layers` (see applyLayersChange). */
function checkApplies(layers: readonly HiddenLayer[], change: RemedyLayersChange): void {
  const dense = layers.filter((l) => l.kind === 'dense').length;
  const blocks = layers.filter((l) => l.kind === 'residual').length;
  const inBlocks = layers.some((l) => l.kind === 'residual' && denseIn(l.specs));
  for (const field of ['norm', 'activation'] as const) {
    if (change[field] !== undefined && dense === 0 && !inBlocks) {
      throw invalidOption(`applyLayersChange: change.${field} (${shown(change[field])}) is made to each hidden dense layer (a dense layer before the output layer), and this network has none: it would change nothing`);
    }
  }
  if (change.residualGate !== undefined && blocks === 0 && dense < 2) {
    throw invalidOption(`applyLayersChange: change.residualGate (${shown(change.residualGate)}) is set on the hidden layers' residual blocks, or wraps each hidden dense layer after the first in one, so it needs residual blocks or two hidden dense layers; this network has ${dense === 0 ? 'no hidden layer' : 'one hidden dense layer'} and no block: it would change nothing`);
  }
}

/** Whether `specs` hold a dense layer, inside residual blocks too. */
function denseIn(specs: readonly LayerSpec[]): boolean {
  return specs.some((spec) => spec.type === 'dense' || (spec.type === 'residual' && denseIn(spec.layers)));
}

/** `options`' network as layer specs, as createNetwork checked them (defaults filled in), with its input width and loss. */
function layerSpecs(options: NetworkOptions): { inputs: number; specs: CheckedSpec[]; loss: NetworkOptions['loss'] } {
  const resolved = resolveNetwork(options);
  if (resolved.kind === 'blocks') return { inputs: resolved.config.inputs, specs: resolved.config.layers, loss: resolved.config.loss };
  const { sizes, activations, loss } = resolved.config;
  return { inputs: sizes[0], specs: sizes.slice(1).map((units, l) => ({ type: 'dense', units, activation: activations[l] })), loss };
}

/** `specs` (hidden, or a residual branch) as its hidden layers, in order. */
function hiddenLayers(specs: readonly LayerSpec[], first = 0): HiddenLayer[] {
  const layers: HiddenLayer[] = [];
  specs.forEach((spec, i) => {
    const at = first + i;
    if (spec.type === 'dense' || spec.type === 'residual') layers.push({ kind: spec.type, specs: [spec], at });
    else if (layers.length === 0) layers.push({ kind: 'lead', specs: [spec], at });
    else layers[layers.length - 1].specs.push(spec);
  });
  return layers;
}

/** Each hidden layer with `change`'s norm and activation made (residual blocks' branches too); its residual gate is gated()'s. */
function changedLayers(layers: readonly HiddenLayer[], change: RemedyLayersChange): HiddenLayer[] {
  return layers.map((layer) => {
    if (layer.kind === 'lead') return layer;
    if (layer.kind === 'residual') {
      const block = layer.specs[0] as Extract<LayerSpec, { type: 'residual' }>;
      const branch = changedLayers(hiddenLayers(block.layers), change).flatMap((l) => l.specs);
      return { ...layer, specs: [{ ...block, layers: branch }, ...layer.specs.slice(1)] };
    }
    let specs = layer.specs;
    if (change.norm) specs = normalised(specs, change.norm);
    if (change.activation) specs = activated(specs, change.activation);
    return { ...layer, specs };
  });
}

/** A dense layer and the layers after it with `norm` between the dense layer and its activation, in place of any norm layer. */
function normalised([dense, ...after]: readonly LayerSpec[], norm: RemedyNorm): LayerSpec[] {
  const { units, activation, bias } = dense as Extract<LayerSpec, { type: 'dense' }>;
  const own: LayerSpec[] = activation === undefined || activation === 'linear' ? [] : [{ type: 'activation', activation }];
  // A layer built without a bias stays so: the norm's shift β makes one redundant anyway.
  return [{ type: 'dense', units, ...(bias === false && { bias }) }, { type: norm }, ...own, ...after.filter((spec) => spec.type !== 'batch-norm' && spec.type !== 'layer-norm')];
}

/** A dense layer and the layers after it with `f` as its nonlinearity (see applyLayersChange's `activation`). */
function activated([dense, ...after]: readonly LayerSpec[], f: Activation): LayerSpec[] {
  const d = dense as Extract<LayerSpec, { type: 'dense' }>;
  const nonlinear = d.activation !== undefined && d.activation !== 'linear';
  const layers = after.map((spec): LayerSpec => (spec.type === 'activation' ? { ...spec, activation: f } : spec));
  if (nonlinear) return [{ ...d, activation: f }, ...layers];
  if (after.some((spec) => spec.type === 'activation')) return [d, ...layers];
  return after.length > 0 ? [d, ...layers, { type: 'activation', activation: f }] : [{ ...d, activation: f }];
}

/** The hidden layers' specs with `gate` set (see applyLayersChange's `residualGate`); as they are without one. */
function gated(layers: readonly HiddenLayer[], gate: ResidualGate | undefined): LayerSpec[] {
  if (gate === undefined) return layers.flatMap((l) => l.specs);
  if (layers.some((l) => l.kind === 'residual')) return layers.flatMap((l) => l.specs.map((spec) => (spec.type === 'residual' ? { ...spec, gate } : spec)));
  let width: number | undefined;
  return layers.flatMap((layer) => {
    if (layer.kind !== 'dense') return layer.specs;
    const { units } = layer.specs[0] as Extract<LayerSpec, { type: 'dense' }>;
    const before = width;
    width = units;
    if (before === undefined) return layer.specs;
    if (units !== before) {
      throw invalidOption(`applyLayersChange: a residual block adds its input to its output, so each hidden layer after the first needs the width of the one before it; layers[${layer.at}] has ${units} units after ${before}`);
    }
    return [{ type: 'residual', gate, layers: layer.specs }];
  });
}
