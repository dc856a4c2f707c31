/**
 * Whole data sets through either engine (dense or block), written once against the Trainable
 * contract: predict and evaluate in 'eval' mode, chunk by chunk within the batch buffers;
 * gradients over every row as one batch in 'batch' mode (running statistics untouched).
 */
import { ROW_LABELS, type Matrix, type ResidentRows, type RowLabels } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import type { FloatArray, Tensor } from '../kernels.js';
import { checkOutputs, checkTrainingBatch, predictedClass, type Trainable } from '../model.js';
import { lossFault, lossSaid } from './loss-fault.js';
import { lossWithinFloat32 } from '../model-limits.js';

/** Rows processed at once by predict and evaluate when no larger capacity exists. */
const INFERENCE_CHUNK = 256;

/** Network.evaluate()'s result (also each epoch's validation). */
export interface Evaluation {
  /** Mean loss over the rows. */
  loss: number;
  /**
   * Fraction of rows whose largest output is at the target's largest value's index (one output: both on the same side of ½,
   * at ½ or above read as class 1). A measure only where the targets are classes; over real-valued targets (a regression)
   * it counts rows on the same side of ½, which says nothing of the fit: read the loss there.
   */
  accuracy: number;
}

/** An engine: a Trainable that says how many rows its batch buffers hold, and where each layer's output is. */
export interface RowEngine<T extends Tensor = Tensor> extends Trainable<T> {
  /** Rows the batch buffers hold now. */
  readonly capacity: number;
  /** Units of each layer's output, first layer first (a dense engine's weight layers, a block engine's layer specs). */
  readonly layerWidths: readonly number[];
  /** Layer l's output after the last forward, `[batch][layerWidths[l]]` (valid until the buffers grow). */
  layerOutput(l: number): T;
}

/** The outputs for each row of x (rows in host memory, or a resident data set's inputs), in 'eval' mode, one array per row. */
export function predictRows<T extends Tensor>(engine: RowEngine<T>, x: Matrix | ResidentRows<T>): FloatArray[] {
  const out: FloatArray[] = [];
  const n = engine.outputSize;
  predictChunks(engine, x, (_start, count, outputs) => {
    for (let r = 0; r < count; r++) out.push(outputs.slice(r * n, (r + 1) * n));
  });
  return out;
}

/** The outputs of every row of x as one block, `[x.rows][outputSize]` row-major in the backend's precision, in 'eval' mode. */
export function predictFlat<T extends Tensor>(engine: RowEngine<T>, x: Matrix | ResidentRows<T>): FloatArray {
  const n = engine.outputSize;
  const out = new (engine.kernels.precision === 'f64' ? Float64Array : Float32Array)(x.rows * n);
  predictChunks(engine, x, (start, count, outputs) => out.set(outputs.subarray(0, count * n), start * n));
  return out;
}

/** Runs x's rows forward in 'eval' mode, chunk by chunk, handing `take` each chunk's outputs (`[count][outputSize]`, valid until the next chunk). */
function predictChunks<T extends Tensor>(engine: RowEngine<T>, x: Matrix | ResidentRows<T>, take: (start: number, count: number, outputs: FloatArray) => void): void {
  engine.assertAlive();
  const { rows } = x;
  const all = 'data' in x ? undefined : identity(rows);
  const load = (start: number, count: number) =>
    'data' in x
      ? engine.kernels.write(engine.input, x.data.subarray(start * engine.inputSize, (start + count) * engine.inputSize))
      : engine.kernels.copyRows(engine.input, x.tensor, all!, start, count, x.cols);
  forEachChunk(engine, rows, load, (start, count) => take(start, count, engine.kernels.view(engine.output)));
}

/** Each layer's outputs for each row of x, in 'eval' mode, into `out[l]` (`[x.rows][layerWidths[l]]`), chunk by chunk. */
export function layerOutputRows<T extends Tensor>(engine: RowEngine<T>, x: Matrix, out: readonly FloatArray[]): void {
  engine.assertAlive();
  const k = engine.kernels;
  const load = (start: number, count: number) => k.write(engine.input, x.data.subarray(start * engine.inputSize, (start + count) * engine.inputSize));
  forEachChunk(engine, x.rows, load, (start, count) => {
    engine.layerWidths.forEach((n, l) => out[l].set(k.view(engine.layerOutput(l)).subarray(0, count * n), start * n));
  });
}

/**
 * Mean loss and accuracy over the rows of a resident data set at indexes `rows` (default: all of them), in 'eval' mode.
 * A fault in them is named by `labels` (train's validation rows: 'validation.x', 'validation.y').
 */
export function evaluateRows<T extends Tensor>(engine: RowEngine<T>, x: ResidentRows<T>, y: ResidentRows<T>, rows: Uint32Array = identity(x.rows), labels: RowLabels = ROW_LABELS): Evaluation {
  engine.assertAlive();
  let lossSum = 0;
  let correct = 0;
  const n = engine.outputSize;
  const k = engine.kernels;
  const load = (start: number, count: number) => engine.loadBatch(x, y, rows, start, count);
  const visit = (start: number, count: number) => {
    const loss = engine.lossOfLastForward(count);
    if (!lossWithinFloat32(loss)) throw nonFiniteLoss(engine, rows, start, count, loss, labels.targets);
    lossSum += count * loss;
    const [a, t] = [k.view(engine.output), k.view(engine.targets)];
    for (let r = 0; r < count; r++) {
      if (predictedClass(a, r * n, n) === predictedClass(t, r * n, n)) correct++;
    }
  };
  forEachChunk(engine, rows.length, load, visit, rows, labels.inputs);
  return { loss: lossSum / rows.length, accuracy: correct / rows.length };
}

/**
 * NON_FINITE_INPUT for a loss over the rows at positions start.. of `rows` beyond float32's range (lossWithinFloat32) though every output is finite
 * (forEachChunk's checkOutputs names an output that overflowed, the likelier cause, before): the row and why (lossFault),
 * the row named by the caller's number (rows[i]), not by its place in a subset, and the targets by `label`.
 */
function nonFiniteLoss(engine: RowEngine, rows: Uint32Array, start: number, count: number, loss: number, label: string): GradscopeError {
  const fault = lossFault(engine, count);
  return new GradscopeError('NON_FINITE_INPUT', `${label}: the loss is ${lossSaid(loss)}: row ${rows[start + fault.row]}'s ${fault.cause}`);
}

/**
 * Loads all rows of a resident data set as one batch, runs forward in 'batch' mode (checking the
 * outputs) and backprop; returns the mean loss, every parameter's grad set.
 */
export function backpropRows<T extends Tensor>(engine: Trainable<T>, x: ResidentRows<T>, y: ResidentRows<T>): number {
  engine.assertAlive();
  checkTrainingBatch(engine, x.rows, 'gradients: the batch');
  engine.ensureCapacity(x.rows);
  engine.loadBatch(x, y, identity(x.rows), 0, x.rows);
  engine.forward(x.rows, 'batch');
  checkOutputs(engine, 0, x.rows, 'inputs');
  return engine.backprop(x.rows);
}

/**
 * Runs forward ('eval') over `rows` rows in chunks of at most the buffer capacity: `load` fills the input buffer,
 * `visit` reads each chunk. `order`: the caller's row number at each position, where `load` reads rows through it
 * (an overflow names the caller's row); `label` names the input rows in that message.
 */
export function forEachChunk(
  engine: RowEngine,
  rows: number,
  load: (start: number, count: number) => void,
  visit: (start: number, count: number) => void,
  order?: Uint32Array,
  label = ROW_LABELS.inputs,
): void {
  engine.ensureCapacity(Math.min(Math.max(engine.capacity, INFERENCE_CHUNK), Math.max(rows, 1)));
  const chunk = engine.capacity;
  for (let start = 0; start < rows; start += chunk) {
    const count = Math.min(chunk, rows - start);
    load(start, count);
    engine.forward(count, 'eval');
    checkOutputs(engine, start, count, label, order);
    visit(start, count);
  }
}

/**
 * Row indices 0..rows-1, for copying a resident block's rows in order. A loop: Uint32Array.from
 * with a map function calls back once per row, over ten times slower (tens of µs for 256 rows,
 * when train() made its row order with it; AMD EPYC Zen 5, 2026-11-30).
 */
export function identity(rows: number): Uint32Array {
  return countUp(new Uint32Array(rows));
}

/** `order` filled with 0, 1, …, order.length − 1 (identity's fill, for a row order kept between calls). */
export function countUp(order: Uint32Array): Uint32Array {
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order;
}
