/**
 * The gradient of the mean loss over fixed rows at a run's start and at its end, as diagnose() takes it
 * (DiagnoseOptions.meanLossGradient): what answers "did the gradient fade over training time?" where a
 * mini-batch run's batch gradient cannot (on a plateau it is mostly its batch's sampling noise, which falls
 * only as each example's δ does: evidence.endNoise). Plain numbers per trace row, so flow/ needs nothing
 * from the network above it; the visualizer measures them on its probe rows (Network.gradients).
 */
import { checkKnownKeys, checkWhole } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import type { Trace } from './trace.js';
import { euclideanNorm } from '../norm.js';

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
    const list = v[key] as ArrayLike<unknown> | undefined;
    const isList = Array.isArray(list) || (ArrayBuffer.isView(list) && !(list instanceof DataView));
    if (!isList || list.length !== layers) {
      throw invalidOption(`${where}.${key}: expected ‖∂C/∂b‖ of the mean loss for each of the trace's ${layers} rows, got ${isList ? `${list.length} entries` : shown(list)}`);
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

/** What biasNormsPerRow reads of Network.gradients()'s result: a dense network's layers, a block network's tensors by name. */
export interface BiasGradients {
  /** Per weight layer of a dense network, first layer first (empty for a block network). */
  layers: readonly { biasNorm: number }[];
  /** Every gradient by its PyTorch state_dict name. */
  parameters: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * ‖∂C/∂b‖ of the mean loss per row of `trace`, as MeanLossGradient's start and end take it, from `net.gradients(x, y)`'s result: a
 * dense network's layers in order; a block network's row by its module's name (`${name}.bias`), NaN for a row without a bias.
 */
export function biasNormsPerRow(trace: Trace, gradients: BiasGradients): number[] {
  const blocks = trace.blocks;
  if (!blocks) return Array.from({ length: trace.layers }, (_, l) => gradients.layers[l]?.biasNorm ?? NaN);
  return blocks.layers.map(({ name }) => {
    const bias = gradients.parameters[`${name}.bias`];
    return bias ? euclideanNorm(bias) : NaN;
  });
}
