/**
 * The gradient of the mean loss over fixed rows at a run's start and at its end, as diagnose() takes it
 * (DiagnoseOptions.meanLossGradient): what answers "did the gradient fade over training time?" where a
 * mini-batch run's batch gradient cannot (on a plateau it is mostly its batch's sampling noise, which falls
 * only as each example's δ does: evidence.endNoise). Plain numbers per trace row, so flow/ needs nothing
 * from the network above it; the visualizer measures them on its probe rows (Network.gradients).
 */
import { checkKnownKeys, checkWhole } from '../checks.js';
import { invalidOption, shown, shownArgument } from '../errors.js';
import { euclideanNorm } from '../norm.js';
import type { Trace } from './trace.js';
import { checkTraceArgument } from './trace-argument.js';

/** ‖∂C/∂b‖ of the mean loss over the same fixed rows at the weights a run started from and at those it ended at, per trace row. */
export interface MeanLossGradient {
  /** How many rows the mean loss was taken over: the same rows at both ends (the visualizer's first 256 training rows). A whole number ≥ 1. */
  rows: number;
  /**
   * ‖∂C/∂b‖ of the mean loss over those rows at the weights the run started from, one entry per trace row (Trace.layers of
   * them, in the trace's order: a dense network's `net.gradients(x, y).layers[l].biasNorm`; a block network's row by its module's
   * name, `${name}.bias` in `parameters`), each finite and ≥ 0, or NaN for a row without a bias (an activation row).
   */
  start: ArrayLike<number>;
  /** The same at the weights the run ended at (after its last step). */
  end: ArrayLike<number>;
}

/**
 * `value` checked as diagnose() takes it for a trace of `layers` rows (`where` names it in errors): INVALID_OPTION for an unknown
 * key, rows that are not a whole number ≥ 1, a start or an end that is not a list of one number per trace row, or an entry that
 * is neither finite and ≥ 0 nor NaN.
 */
export function checkMeanLossGradient(value: unknown, layers: number, where: string): MeanLossGradient {
  checkKnownKeys(value, ['rows', 'start', 'end'], where);
  const v = value as Record<string, unknown>;
  checkWhole(v.rows, `${where}.rows`, 1);
  for (const key of ['start', 'end']) {
    const list = v[key] as ArrayLike<unknown>;
    const length = listLength(list);
    if (length !== layers) {
      throw invalidOption(`${where}.${key}: expected ‖∂C/∂b‖ of the mean loss for each of the trace's ${layers} rows, got ${length === undefined ? shown(list) : `${length} entries`}`);
    }
    for (let i = 0; i < layers; i++) {
      const x = list[i];
      if (typeof x !== 'number' || !(Number.isNaN(x) || (Number.isFinite(x) && x >= 0))) {
        throw invalidOption(`${where}.${key}[${i}]: expected a finite number ≥ 0 (or NaN for a row without a bias), got ${shown(x)}`);
      }
    }
  }
  return value as MeanLossGradient;
}

/** What biasNormsPerRow reads of a dense network's layer in Gradients.layers (LayerGradient). */
export interface BiasLayerGradient {
  /** Units of the layer, checked against the trace's. */
  units: number;
  /** ‖∂C/∂b‖ of the layer: finite and ≥ 0. */
  biasNorm: number;
}

/** What biasNormsPerRow reads of `net.gradients(x, y)`'s result (Gradients): a dense network's layers, a block network's tensors by name. */
export interface BiasGradients {
  /** Per weight layer of a dense network, first layer first (empty for a block network): LayerGradient's units and biasNorm. */
  layers: readonly BiasLayerGradient[];
  /** Every gradient by its PyTorch state_dict name (a block network's `${name}.bias` read here). */
  parameters: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * ‖∂C/∂b‖ per row of `trace`, as MeanLossGradient's start and end take it, from `gradients`, the result of
 * `net.gradients(x, y)` for the network `trace` is of (its mean loss over those rows): a dense network's layers in order
 * (`layers[l].biasNorm`); a block network's rows by their module names (a dense layer's bias, a norm's shift β: the
 * Euclidean norm of its `${name}.bias` in `parameters`), NaN for a row without one (an activation or a residual row). The page's
 * flow map draws these in its mean-loss view and study --model gives them to diagnose(). INVALID_OPTION for anything but a
 * Trace, and for gradients that are not of the traced network: not `{ layers, parameters }`, a dense trace's layer count
 * or units not those of `layers` (or a hole among them), a block trace's bias missing from `parameters`, of another length, or not finite.
 */
export function biasNormsPerRow(trace: Trace, gradients: BiasGradients): number[] {
  checkTraceArgument(trace, 'biasNormsPerRow');
  const where = 'biasNormsPerRow(gradients)';
  // One check of the argument and its two fields (anything but an object reads as one without them).
  const { layers, parameters } = (typeof gradients === 'object' && gradients !== null ? gradients : {}) as Partial<BiasGradients>;
  if (!Array.isArray(layers) || typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw invalidOption(`${where}: expected net.gradients(x, y)'s result, { layers, parameters }, got ${shownArgument(gradients)}`);
  }
  const blocks = trace.blocks;
  if (!blocks) {
    const units = trace.sizes.slice(1);
    // A sparse array's hole is said as one, as the rows readers say it (it read as a layer without units: 'got layers of [5,undefined,2]').
    const hole = layers.findIndex((_, l) => !(l in layers));
    if (hole >= 0) throw invalidOption(`${where}.layers[${hole}]: missing (a hole in the array), not a layer's { units, biasNorm }`);
    const given = layers.map((layer: unknown) => (layer as Partial<BiasLayerGradient> | null | undefined)?.units);
    if (given.length !== units.length || given.some((u, l) => u !== units[l])) {
      throw invalidOption(`${where}: expected the gradients of the traced network, whose weight layers have ${shown(units)} units, got layers of ${shown(given)}`);
    }
    return Array.from(layers, (layer, l) => checkedNorm((layer as { biasNorm: unknown }).biasNorm, `${where}.layers[${l}].biasNorm`));
  }
  return blocks.layers.map(({ name }, l) => {
    if (!trace.recordsMetric('biasGradNorm', l)) return NaN;
    const key = `${name}.bias`;
    const bias = (parameters as Record<string, unknown>)[key];
    const length = listLength(bias);
    if (length !== trace.sizes[l + 1]) {
      const got = bias === undefined ? 'none among its parameters' : length === undefined ? shown(bias) : `${length} entries`;
      throw invalidOption(`${where}.parameters['${key}']: expected the traced network's gradient of ${trace.layerLabel(l)}'s ${trace.sizes[l + 1]} biases, got ${got}`);
    }
    return checkedNorm(euclideanNorm(bias as ArrayLike<number>), `${where}.parameters['${key}']`);
  });
}

/** The length of an array or a typed array; undefined for anything else. */
function listLength(value: unknown): number | undefined {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) ? (value as ArrayLike<unknown>).length : undefined;
}

/** `norm` if it is a finite number ≥ 0 (net.gradients refuses a non-finite gradient: NON_FINITE_INPUT), else INVALID_OPTION naming `where`. */
function checkedNorm(norm: unknown, where: string): number {
  if (typeof norm !== 'number' || !Number.isFinite(norm) || norm < 0) throw invalidOption(`${where}: expected a finite ‖∂C/∂b‖ ≥ 0, got ${shown(norm)}`);
  return norm;
}
