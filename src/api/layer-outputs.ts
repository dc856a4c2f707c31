/**
 * What Network.layerOutputs() returns: every layer's outputs for some rows, the values a network
 * diagram colours its units by (TensorFlow Playground's neuron heatmaps), and where they are kept
 * between calls (`into`), so a page redrawing them on every frame allocates no new arrays.
 */
import { checkKnownKeys, keysOf } from '../checks.js';
import { GradscopeError } from '../errors.js';
import type { FloatArray } from '../kernels.js';
import { checkReturnedValues } from './predictions.js';
import { grouped } from '../counted.js';

/** One layer's outputs, from Network.layerOutputs(). */
export interface LayerOutput {
  /** Units of the layer's output (a dense network's layer l: `sizes[l + 1]`). */
  units: number;
  /**
   * Each unit's output for each row: `[rows][units]` row-major, so unit u of row r is
   * `values[r * units + u]`. In the backend's precision (float32 on wasm, as predict()).
   */
  values: FloatArray;
}

/** Every layer's outputs for the same rows, from Network.layerOutputs(). */
export interface LayerOutputs {
  /** Rows given (the same for every layer). */
  rows: number;
  /**
   * One per layer of `net.layers`, first first (the inputs are not repeated): a dense network's weight
   * layers, after their activation; a block network's layer specs (a residual block's output is its
   * input plus its branch's). The last is predict()'s output.
   */
  layers: LayerOutput[];
}

/** Options of Network.layerOutputs(). */
export interface LayerOutputsOptions {
  /**
   * A previous result of this network for the same number of rows, overwritten instead of
   * allocating new arrays (for calls repeated on every frame). If the call throws, its values may be
   * partly overwritten. Default: none (new arrays).
   */
  into?: LayerOutputs;
}

const LAYER_OUTPUTS_OPTION_KEYS = keysOf<LayerOutputsOptions>({ into: true });

/**
 * OUT_OF_MEMORY unless `rows` rows of every layer's outputs (`widths` units: rows × Σ widths values)
 * fit PREDICT_LIMITS.maxValues, as predict()'s do: checked before the rows are read or anything allocated.
 */
export function checkLayerOutputsSize(rows: number, widths: readonly number[]): void {
  const units = widths.reduce((sum, w) => sum + w, 0);
  checkReturnedValues('layerOutputs', rows, units, `${grouped(units)} units over ${grouped(widths.length)} layers`);
}

/**
 * The result to fill for `rows` rows of a network whose layers give `widths` units: `options.into`
 * once checked to have exactly that shape and precision, else new zeroed arrays.
 */
export function layerOutputsFor(rows: number, widths: readonly number[], precision: 'f32' | 'f64', options: LayerOutputsOptions | undefined): LayerOutputs {
  if (options !== undefined) checkKnownKeys(options, LAYER_OUTPUTS_OPTION_KEYS, 'layerOutputs');
  const Float = precision === 'f64' ? Float64Array : Float32Array;
  const into = options?.into;
  if (into === undefined) return { rows, layers: widths.map((units) => ({ units, values: new Float(rows * units) })) };
  const layers = typeof into === 'object' && into !== null && Array.isArray(into.layers) ? into.layers : undefined;
  const expected = `${grouped(rows)} rows of ${widths.map(grouped).join(', ')} units in ${Float.name}s`;
  if (layers === undefined || into.rows !== rows || layers.length !== widths.length) {
    throw new GradscopeError('SHAPE_MISMATCH', `layerOutputs: options.into is not a result for ${expected} (pass a previous result of this network for the same rows)`);
  }
  layers.forEach((layer, l) => {
    const fits = layer?.units === widths[l] && layer.values instanceof Float && layer.values.length === rows * widths[l];
    if (!fits) throw new GradscopeError('SHAPE_MISMATCH', `layerOutputs: options.into.layers[${l}] does not hold ${grouped(rows)} × ${grouped(widths[l])} values in a ${Float.name} (into must be for ${expected})`);
  });
  return into;
}
