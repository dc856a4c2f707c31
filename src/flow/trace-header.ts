/**
 * The checks of a saved trace's header (Trace.fromJSON): the network it describes (sizes,
 * activations, loss, a block network's rows and residual blocks), its interval and how the run was
 * set up (TraceRun). diagnose(), the report and the CSV read these as a traced run wrote them, so a
 * file holding what no run writes (a size of 1e400, an activation "x", a learning rate true, a row
 * null) is refused here, naming the field, rather than read into a NaN, a "learning rate true" or a
 * TypeError further on.
 */
import { GradscopeError, shown } from '../errors.js';
import { checkAtMost, checkChoice, checkNumber, checkUnits, keysOf, unknownKey, type Range } from '../checks.js';
import { batchRowsBound, countWords, isCount } from '../run-counts.js';
import { checkBiasInit, checkWeightInit } from '../init/initializers.js';
import { LOSSES, OUTPUT_ACTIVATIONS } from '../kernels.js';
import { LAYER_TYPES, RESIDUAL_GATES } from '../layers/spec.js';
import { counted } from '../counted.js';
import type { TraceJSON, TraceRun } from './trace.js';
import { type InputScale, LARGE_INPUTS } from './input-scale.js';
import { checkRunSchedule } from '../schedule-check.js';

type Bad = (what: string) => GradscopeError;

/** TraceRun's numeric fields and the range a traced run writes each in (see TraceRun). */
const RUN_NUMBERS: Readonly<Record<'learningRate' | 'batchSize' | 'weightDecay' | 'clipNorm' | 'momentum', Range>> = {
  learningRate: { min: 0, above: true },
  batchSize: { min: 1, integer: true },
  weightDecay: { min: 0 },
  clipNorm: { min: 0, above: true },
  momentum: { min: 0, max: 1, below: true },
};

/** Every field of TraceRun, listed once (a field added to the type and not here fails to compile). */
const TRACE_RUN_FIELDS = keysOf<TraceRun>({
  optimizer: true, learningRate: true, batchSize: true, rows: true, layerRates: true, init: true, biasInit: true, lsuv: true,
  weightDecay: true, clipNorm: true, momentum: true, nesterov: true, decayBiases: true, validation: true, targets: true,
  inputs: true, inputScale: true, classRows: true, schedule: true,
});

/** TraceRun's fields that are present with one value only (absent otherwise). */
const RUN_FLAGS: Readonly<Record<'lsuv' | 'nesterov' | 'decayBiases', boolean>> = { lsuv: true, nesterov: true, decayBiases: false };

/** A checker's refusal (INVALID_OPTION 'where: …') as the trace file's (`bad`), so every refusal of a trace reads 'trace JSON: …'. */
function asTraceField<T>(check: () => T, bad: Bad): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof GradscopeError) throw bad(error.message);
    throw error;
  }
}

/**
 * Refuses (`bad`, naming the field) a header no traced run writes: sizes of whole units (an input and
 * at least one layer), one known activation per layer, a known loss, a whole `every` ≥ 1, TraceRun's
 * fields each of its type and range, and a block network's rows (one per layer) and residual blocks
 * each an object of a known type or gate. Fields a trace may lack (every, run and its fields) pass
 * when absent; the rows' module names are checked by the Trace they build.
 */
export function checkTraceHeader(t: Partial<TraceJSON>, bad: Bad): void {
  const sizes = t.sizes as unknown[];
  if (sizes.length < 2) throw bad(`sizes must hold the input's units and each layer's, got ${counted(sizes.length, 'size')}`);
  sizes.forEach((units, i) => asTraceField(() => checkUnits(units, `sizes[${i}]`), bad));
  const layers = sizes.length - 1;
  const activations = t.activations as unknown[];
  if (activations.length !== layers) throw bad(`activations must hold ${counted(layers, 'activation')} (one per layer, as sizes says), got ${activations.length}`);
  activations.forEach((activation, l) => asTraceField(() => checkChoice(activation, OUTPUT_ACTIVATIONS, `activations[${l}]`), bad));
  asTraceField(() => checkChoice(t.loss, LOSSES, 'loss'), bad);
  if (t.every !== undefined && !isCount(t.every, 1)) throw bad(`every must be ${countWords(1)}, got ${shown(t.every)}`);
  if (t.run !== undefined) checkRun(t.run, sizes as number[], bad);
  const blocks = t.blocks;
  if (blocks === undefined) return;
  if (blocks.layers.length !== layers) throw bad(`blocks.layers must hold ${counted(layers, 'row')} (one per layer, as sizes says), got ${blocks.layers.length}`);
  blocks.layers.forEach((row: unknown, i) => {
    if (typeof row !== 'object' || row === null) throw bad(`blocks.layers[${i}] must be an object { name, type }, got ${shown(row)}`);
    asTraceField(() => checkChoice((row as { type?: unknown }).type, LAYER_TYPES, `blocks.layers[${i}].type`), bad);
  });
  blocks.residuals.forEach((block: unknown, i) => {
    if (typeof block !== 'object' || block === null) throw bad(`blocks.residuals[${i}] must be an object { name, gate }, got ${shown(block)}`);
    asTraceField(() => checkChoice((block as { gate?: unknown }).gate, RESIDUAL_GATES, `blocks.residuals[${i}].gate`), bad);
  });
}

/** TraceRun's fields, each where present: of its type and in the range a run writes it in. */
function checkRun(run: TraceRun, sizes: readonly number[], bad: Bad): void {
  const layers = sizes.length - 1;
  // A field no run writes (run.epochs) is refused, not kept beside the run's as if it were one.
  const unknown = unknownKey(run, TRACE_RUN_FIELDS, 'field');
  if (unknown !== undefined) throw bad(`run: ${unknown}; no run writes it, and gradscope will not keep it silently`);
  if (run.optimizer !== undefined && (typeof run.optimizer !== 'string' || run.optimizer === '')) throw bad(`run.optimizer must be an optimiser's name, got ${shown(run.optimizer)}`);
  for (const [key, range] of Object.entries(RUN_NUMBERS)) asTraceField(() => checkNumber(run[key as keyof typeof RUN_NUMBERS], `run.${key}`, range, NaN), bad);
  // The rows of a batch a run used fit in a tensor in its widest layer (train() refuses a larger batch: OUT_OF_MEMORY).
  if (run.batchSize !== undefined) asTraceField(() => checkAtMost(run.batchSize!, 'run.batchSize', batchRowsBound(Math.max(...sizes))), bad);
  if (run.rows !== undefined && !isCount(run.rows, 1)) throw bad(`run.rows, the training rows, must be ${countWords(1)}, got ${shown(run.rows)}`);
  // train() caps a batch at the rows (batchRowsUsed): a batch above them is no run's, and would read as steps that saw every row.
  if (run.rows !== undefined && run.batchSize !== undefined && run.batchSize > run.rows) {
    throw bad(`run.batchSize is ${run.batchSize}, above run.rows (${run.rows}): train() caps a batch at the rows it is given`);
  }
  for (const [key, value] of Object.entries(RUN_FLAGS)) {
    const saved = run[key as keyof typeof RUN_FLAGS];
    if (saved !== undefined && saved !== value) throw bad(`run.${key} is ${value} where present (absent otherwise), got ${shown(saved)}`);
  }
  if (run.layerRates !== undefined) {
    if (!Array.isArray(run.layerRates) || run.layerRates.length !== layers) throw bad(`run.layerRates must hold ${counted(layers, 'rate')} (one per layer)`);
    run.layerRates.forEach((rate, l) => asTraceField(() => checkNumber(rate, `run.layerRates[${l}]`, { min: 0, above: true }, NaN), bad));
  }
  if (run.init !== undefined) asTraceField(() => checkWeightInit(run.init), (what) => bad(`run.${what}`));
  if (run.biasInit !== undefined) asTraceField(() => checkBiasInit(run.biasInit), (what) => bad(`run.${what}`));
  if (run.validation !== undefined) asTraceField(() => checkChoice(run.validation, ['training rows', 'other rows'], 'run.validation'), bad);
  if (run.targets !== undefined) asTraceField(() => checkChoice(run.targets, ['one-hot'], 'run.targets'), bad);
  if (run.inputs !== undefined) asTraceField(() => checkChoice(run.inputs, ['alike'], 'run.inputs'), bad);
  if (run.inputScale !== undefined) checkInputScale(run.inputScale, bad);
  if (run.classRows !== undefined) checkClassRows(run.classRows, sizes[layers], bad);
  // As TrainOptions.schedule's own check, with what the run recorded beside it; a rate comes only with a learning rate to scale.
  if (run.schedule !== undefined) asTraceField(() => checkRunSchedule(run.schedule), bad);
  if (run.schedule !== undefined && run.learningRate === undefined) throw bad('run.schedule is given without run.learningRate: a schedule scales a learning rate');
}

/** TraceRun.classRows as train() records it: one whole count ≥ 0 a class (the outputs, or 2 over one output), not all 0. */
function checkClassRows(classRows: unknown, outputs: number, bad: Bad): void {
  const classes = Math.max(outputs, 2);
  const expected = `${counted(classes, 'whole count')} ≥ 0 (the training rows of each class), not all 0`;
  if (!Array.isArray(classRows) || classRows.length !== classes || !classRows.every((c) => Number.isSafeInteger(c) && c >= 0) || !classRows.some((c) => c > 0)) {
    throw bad(`run.classRows must hold ${expected}, got ${shown(classRows)}`);
  }
}

/** TraceRun.inputScale as train() records it: an object of two finite numbers ≥ 0, mean and spread, whose root mean square is at least LARGE_INPUTS. */
function checkInputScale(scale: unknown, bad: Bad): void {
  const expected = `an object { mean, spread } of two finite numbers ≥ 0 whose √(mean² + spread²) is at least ${LARGE_INPUTS}`;
  if (typeof scale !== 'object' || scale === null || Array.isArray(scale)) throw bad(`run.inputScale must be ${expected}, got ${shown(scale)}`);
  const unknown = unknownKey(scale, keysOf<InputScale>({ mean: true, spread: true }), 'field');
  if (unknown !== undefined) throw bad(`run.inputScale: ${unknown}; it holds mean and spread`);
  const { mean, spread } = scale as Partial<InputScale>;
  for (const [key, value] of Object.entries({ mean, spread })) asTraceField(() => checkNumber(value, `run.inputScale.${key}`, { min: 0 }, NaN), bad);
  if (!(Math.hypot(mean!, spread!) >= LARGE_INPUTS)) throw bad(`run.inputScale must be ${expected} (train() records none below), got mean ${shown(mean)} and spread ${shown(spread)}`);
}
