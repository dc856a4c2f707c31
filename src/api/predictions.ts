/**
 * What Network.predict() returns and how large it may be: by default one array per row, which costs
 * a JS object per row (a few hundred bytes of heap each), so a very long input is refused before
 * anything is allocated, not left to abort the process when the heap runs out; `{ flat: true }`
 * returns the outputs as one { data, rows, cols } block instead.
 */
import { checkBoolean, checkKnownKeys, keysOf } from '../checks.js';
import { GradscopeError } from '../errors.js';
import type { FloatArray } from '../kernels.js';
import { grouped } from '../counted.js';

/** Network.predict()'s outputs as one block (what `{ flat: true }` asks for). */
export interface FlatPredictions {
  /** rows × cols outputs, row-major: output c of row r is `data[r * cols + c]`. In the backend's precision (float32 on wasm, float64 on ref). */
  data: FloatArray;
  /** Rows predicted (as many as given). */
  rows: number;
  /** Outputs per row (the network's outputSize). */
  cols: number;
}

/** Options of Network.predict(). */
export interface PredictOptions {
  /** true: the outputs as one { data, rows, cols } block (FlatPredictions); false: one array per row. Default: false. */
  flat?: boolean;
}

/** How much predict() (and layerOutputs(), over all its layers) returns at most: checked before anything is allocated. */
export const PREDICT_LIMITS = {
  /** Most rows predict() returns as one array each (2²¹; each is its own JS object): pass `{ flat: true }` beyond. */
  maxRowArrays: 2 ** 21,
  /** Most values returned in all: predict()'s outputs in either form, layerOutputs()' over every layer (2²⁸: 1 GiB of float32). */
  maxValues: 2 ** 28,
} as const;

const PREDICT_OPTION_KEYS = keysOf<PredictOptions>({ flat: true });

/** Whether `options` asks for the flat form (INVALID_OPTION for anything but a PredictOptions object). */
export function checkPredictOptions(options: unknown): boolean {
  if (options === undefined) return false;
  checkKnownKeys(options, PREDICT_OPTION_KEYS, 'predict');
  return checkBoolean((options as PredictOptions).flat ?? false, 'predict: flat');
}

/**
 * OUT_OF_MEMORY unless `rows` rows of `perRow` values each (`what`: '5 outputs') fit
 * PREDICT_LIMITS.maxValues: the refusal names `method` and says to pass the rows in slices.
 */
export function checkReturnedValues(method: string, rows: number, perRow: number, what: string): void {
  const values = rows * perRow;
  if (values > PREDICT_LIMITS.maxValues) {
    throw new GradscopeError('OUT_OF_MEMORY', `${method}: ${grouped(rows)} rows of ${what} are ${grouped(values)} values, more than PREDICT_LIMITS.maxValues (${grouped(PREDICT_LIMITS.maxValues)}); call ${method} on slices of the rows; nothing was allocated`);
  }
}

/** OUT_OF_MEMORY unless `rows` rows of `cols` outputs fit PREDICT_LIMITS in the form asked for. */
export function checkPredictSize(rows: number, cols: number, flat: boolean): void {
  checkReturnedValues('predict', rows, cols, `${grouped(cols)} outputs`);
  if (!flat && rows > PREDICT_LIMITS.maxRowArrays) {
    throw new GradscopeError(
      'OUT_OF_MEMORY',
      `predict: ${grouped(rows)} rows would come back as ${grouped(rows)} arrays, more than PREDICT_LIMITS.maxRowArrays (${grouped(PREDICT_LIMITS.maxRowArrays)}); pass { flat: true } for one { data, rows, cols } block, or predict the rows in slices; nothing was allocated`,
    );
  }
}
