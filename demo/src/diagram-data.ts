/**
 * What the network diagram draws, made in the worker from the public API: each drawn unit's output
 * (Network.layerOutputs) and each drawn edge's |∂C/∂w| (Network.gradients) with the sign of its
 * weight. A column per dense layer (a block network's: with the norm and activation layers after it,
 * or a residual block, whose output it shows; see columnEnds); its edges are the dense layer's
 * weights. Wide layers are cut to their first MAX_DRAWN_UNITS units; an input layer wider than that
 * (MNIST's 784 pixels) is one block, whose edge to a unit carries the RMS of that unit's input gradients.
 */
import type { FloatArray, Gradients, LayerOutput, Matrix, Parameter, Tensor } from '../../src/index.js';

/** Units drawn per layer at most (TensorFlow Playground allows 8). */
export const MAX_DRAWN_UNITS = 12;
/** Cells per side of a unit's output map over the input plane. */
export const UNIT_MAP_GRID = 16;

export interface DiagramSnapshot {
  /** Each column's name after the inputs: a dense network's layers as Trace.layerLabel names them ('hidden 1', 'output'); a block network's entries of its `layers` (columnNames: 'layers[0–2]', 'layers[3]'). */
  names: string[];
  /** Units per layer, input first (all of them, drawn or not). */
  sizes: number[];
  /** Units drawn per layer, the first of each: min(size, MAX_DRAWN_UNITS); 0 for an input layer drawn as one block. */
  shown: number[];
  /** Values per drawn unit: UNIT_MAP_GRID² (2-D inputs: its output over the plane) or 1 (its mean output over the probe rows). */
  cells: number;
  /** Per layer, input first: `[shown[l]][cells]`, each drawn unit's values (the input units' are the inputs themselves). */
  units: Float32Array[];
  /** Per weight layer: `[shown[l+1]][max(shown[l], 1)]`, |∂C/∂w| of each drawn edge (from a block: RMS over its inputs). */
  gradients: Float32Array[];
  /** The weights of the same edges (NaN from a block, which has no single weight). */
  weights: Float32Array[];
  /** Rows the gradients are the mean loss's over. */
  gradientRows: number;
}

/** How many of `size` units are drawn: all up to MAX_DRAWN_UNITS; an input layer above that is one block (0). */
export function shownUnits(size: number, isInput: boolean): number {
  if (size <= MAX_DRAWN_UNITS) return size;
  return isInput ? 0 : MAX_DRAWN_UNITS;
}

/** One dense layer's weights `[units][inputs]` and their gradient: a column's edges. */
export interface DenseWeights {
  inputs: number;
  weights: ArrayLike<number>;
  gradients: ArrayLike<number>;
}

/** Every dense layer's weights and gradient, first first: the weight matrices (2-D) among `parameters`, which come in forward order. */
export function denseWeightsOf(parameters: readonly Parameter[], gradients: Gradients, view: (t: Tensor) => FloatArray): DenseWeights[] {
  return parameters.filter((p) => p.shape.length === 2).map((p) => ({ inputs: p.shape[1], weights: view(p.value), gradients: gradients.parameters[p.name] }));
}

/**
 * The diagram for rows `inputs` and each column's outputs on them (`map`: each unit's values over the
 * rows, which are a UNIT_MAP_GRID² grid; `mean`: each unit's mean over the rows), with each column's
 * dense weights and their gradients over `gradientRows` rows.
 */
export function diagramOf(
  mode: 'map' | 'mean',
  inputs: Matrix,
  columns: readonly { name: string; outputs: LayerOutput }[],
  dense: readonly DenseWeights[],
  gradientRows: number,
): DiagramSnapshot {
  const sizes = [inputs.cols, ...columns.map((c) => c.outputs.units)];
  const shown = sizes.map((size, l) => shownUnits(size, l === 0));
  const cells = mode === 'map' ? inputs.rows : 1;
  const values = [inputs.data, ...columns.map((c) => c.outputs.values)];
  const units = values.map((v, l) => unitValues(v, inputs.rows, sizes[l], shown[l], mode));
  const edges = dense.map((layer, l) => edgesOf(layer.gradients, layer.weights, layer.inputs, shown[l], shown[l + 1]));
  return { names: columns.map((c) => c.name), sizes, shown, cells, units, gradients: edges.map((e) => e.gradients), weights: edges.map((e) => e.weights), gradientRows };
}

/** `[shown][cells]` from `[rows][size]` row-major values: each drawn unit's column, or its mean. */
function unitValues(values: ArrayLike<number>, rows: number, size: number, shown: number, mode: 'map' | 'mean'): Float32Array {
  const out = new Float32Array(shown * (mode === 'map' ? rows : 1));
  for (let u = 0; u < shown; u++) {
    if (mode === 'map') {
      for (let r = 0; r < rows; r++) out[u * rows + r] = values[r * size + u];
    } else {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += values[r * size + u];
      out[u] = rows > 0 ? sum / rows : 0;
    }
  }
  return out;
}

/** The drawn edges of one layer, `[to][from]`; from a block (`from` 0), one edge per unit with the RMS of its row. */
function edgesOf(grad: ArrayLike<number>, w: ArrayLike<number>, inputs: number, from: number, to: number): { gradients: Float32Array; weights: Float32Array } {
  const sources = Math.max(from, 1);
  const gradients = new Float32Array(to * sources);
  const weights = new Float32Array(to * sources);
  for (let j = 0; j < to; j++) {
    if (from === 0) {
      let squares = 0;
      for (let i = 0; i < inputs; i++) squares += grad[j * inputs + i] ** 2;
      gradients[j] = Math.sqrt(squares / inputs);
      weights[j] = NaN;
      continue;
    }
    for (let i = 0; i < from; i++) {
      gradients[j * from + i] = Math.abs(grad[j * inputs + i]);
      weights[j * from + i] = w[j * inputs + i];
    }
  }
  return { gradients, weights };
}
