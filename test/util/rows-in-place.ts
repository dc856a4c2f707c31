/** What the rows-in-place suites share: their random rows, the rows a data set holds now, and the copy path's twin. */
import type { Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { MODEL } from '../../src/model.js';
import type { Dataset } from '../../src/training/dataset.js';

export const ROWS = 6;
export const INPUTS = 9;
export const OUTPUTS = 2;

/** `rows` random rows of INPUTS inputs in [−1, 1) and OUTPUTS targets in [0, 1), from `seed`. */
export function rowsOf(seed: number, rows = ROWS) {
  const rng = new Rng(seed);
  return {
    x: { data: Float32Array.from({ length: rows * INPUTS }, () => rng.uniform() * 2 - 1), rows, cols: INPUTS },
    y: { data: Float32Array.from({ length: rows * OUTPUTS }, () => rng.uniform()), rows, cols: OUTPUTS },
  };
}

/** The data set's rows as they are in the backend's memory now, inputs then targets. */
export function heldRows(data: Dataset): number[] {
  const { inputs, targets } = data.resident();
  const k = data.kernels;
  return [...k.view(inputs.tensor).subarray(0, inputs.rows * inputs.cols), ...k.view(targets.tensor).subarray(0, targets.rows * targets.cols)];
}

/** Makes `net` copy every batch, as before the rows were read in place: the copy path's twin. */
export function copyEveryBatch(net: Network): void {
  Object.defineProperty(net[MODEL], 'rowsInPlace', { value: undefined, configurable: true });
}
