/**
 * What a network may hold so that every model format stores it and reads it back: the one set of
 * rules createNetwork, the savers (saveModel, the exporters) and the loaders share, so whatever
 * saves, loads. Each check throws through `fail`, so a caller's code (INVALID_OPTION for options
 * and networks, BAD_MODEL_FILE for files) goes with one message.
 */
import { MAX_UNITS, unknownKey } from './checks.js';
import { describeValue, GradscopeError, invalidOption } from './errors.js';
import { grouped } from './counted.js';
import { countWords, isCount } from './run-counts.js';

/** Why MODEL_LIMITS exist, ending every refusal of a network past one. */
const STORED_BY_MODEL_FILES = "that gradscope's model files store";

/** The refusal of a network past a MODEL_LIMITS entry: '3,001 layers exceeds the limit of 1,024 that gradscope's model files store'. */
export function beyondModelLimit(count: number, what: string, limit: number): string {
  return `${grouped(count)} ${what} exceeds the limit of ${grouped(limit)} ${STORED_BY_MODEL_FILES}`;
}

/** The same refusal when counting stopped once past the limit: 'more than 1,024 layers, the limit that gradscope's model files store'. */
export function pastModelLimit(what: string, limit: number): string {
  return `more than ${grouped(limit)} ${what}, the limit ${STORED_BY_MODEL_FILES}`;
}

/** The refusal of a residual block nested past MODEL_LIMITS.maxNesting: 'a residual block nested 65 deep, past the 64 that gradscope's model files store'. */
export function nestedPastModelLimit(depth: number): string {
  return `a residual block nested ${grouped(depth)} deep, past the ${grouped(MODEL_LIMITS.maxNesting)} ${STORED_BY_MODEL_FILES}`;
}

/** Limits of every model format, enforced on create, save and load (a hostile file cannot ask for unbounded memory). */
export const MODEL_LIMITS = {
  /** Most weight layers (of a block network: most layer specs, nested ones included). */
  maxLayers: 1024,
  /**
   * Most residual blocks nested one inside another (a block at the top level is 1 deep). Every walk
   * over a block network's layers (building it, naming its tensors, writing and reading its files)
   * recurses once a level, so a deeper nesting would overflow the call stack (a raw RangeError,
   * 1,023 deep in saveModel's JSON); real networks nest one or two.
   */
  maxNesting: 64,
  /** Most weights and biases in all (2²⁸, 1 GiB of float32). */
  maxParameters: 1 << 28,
} as const;

/**
 * Files larger than this are refused before they are read, and never written (JSON text must also
 * fit in one string); Network.toJSON() refuses a model whose JSON text would pass maxJsonBytes.
 */
export const FILE_LIMITS = {
  /** Largest JSON model file read or written, and JSON text toJSON() gives, in bytes (256 MiB). */
  maxJsonBytes: 256 * 2 ** 20,
  /** Largest binary checkpoint read, in bytes (2 GiB). */
  maxBinaryBytes: 2 ** 31,
} as const;

/** The largest finite float32 (defined beside float32's smallest normal number, src/checks.ts): every weight, bias and input must fit. */
export { FLOAT32_MAX } from './checks.js';
import { FLOAT32_MAX, withinFloat32 } from './checks.js';
import { boundText } from './number-text.js';

/**
 * The largest |weight| or |bias| training keeps (StepGuard) and LSUV may produce: a dense layer of
 * up to MAX_UNITS inputs whose inputs and weights both stay within it sums to at most FLOAT32_MAX
 * (n·B² ≤ FLOAT32_MAX), so the kernels' products cannot overflow. About 1.8e16.
 */
export const RUNAWAY_PARAMETER = Math.sqrt(FLOAT32_MAX / MAX_UNITS);

/**
 * Whether a loss is one gradscope answers: a number within float32's range (NaN and ±Infinity are
 * not). The one rule of train (a batch whose loss is beyond is out of range: StepGuard.judgeBatch),
 * evaluate, gradients and validation (NON_FINITE_INPUT naming the row: lossFault). The kernels sum a
 * loss in float64 from float32 terms, so outputs and targets 3e38 apart give a finite ½(ŷ − y)² of
 * 4.5e76, which float32 (the core, a trace, its file) holds as Infinity: it was answered by evaluate
 * and gradients, and recorded by train when the batch's gradient cancelled. A loss within float32
 * is answered, however large: it is the float32 network's own (train may still refuse the step, its
 * gradient's square beyond float32: numeric-faults.ts).
 */
export function lossWithinFloat32(loss: number): boolean {
  return withinFloat32(loss);
}

/** Builds the error of a failed check: `where` names the field, `message` the fault. */
export type Fail = (where: string, message: string) => GradscopeError;

/** INVALID_OPTION `where: message`, the default of every check here. */
export const optionFault: Fail = (where, message) => invalidOption(`${where}: ${message}`);

/**
 * Runs a check that throws INVALID_OPTION and rethrows its message through `fail` at `where`. A
 * message that starts with the last field of `where` (the check names what it checks) is joined to
 * it instead of repeating it: `layers[0].activation` + "activation: expected…" is
 * "layers[0].activation: expected…", `model.layers` + "layers[2].units: …" is "model.layers[2].units: …".
 */
export function rethrowThrough<R>(fail: Fail, where: string, check: () => R): R {
  try {
    return check();
  } catch (error) {
    if (error instanceof GradscopeError) throw fail(...joinedPath(where, error.message));
    throw error;
  }
}

/** `where` and `message` with the message's leading path merged into `where` when it continues where's last field (see rethrowThrough). */
function joinedPath(where: string, message: string): [string, string] {
  const field = /([A-Za-z_]\w*)(\[\d+\])*$/.exec(where)?.[1];
  if (field === undefined || !message.startsWith(field)) return [where, message];
  const path = /^([.[][\w.[\]]*)?: /.exec(message.slice(field.length));
  if (path === null) return [where, message];
  return [`${where}${path[1] ?? ''}`, message.slice(field.length + path[0].length)];
}

/**
 * Depth and parameter count of `sizes` (units per layer, input first, each already a whole number)
 * within MODEL_LIMITS. Cheap: run it before allocating anything.
 */
export function checkModelLimits(sizes: readonly number[], where: string, fail: Fail = optionFault): void {
  const depth = sizes.length - 1;
  if (depth > MODEL_LIMITS.maxLayers) {
    throw fail(where, beyondModelLimit(depth, 'layers', MODEL_LIMITS.maxLayers));
  }
  let parameters = 0;
  for (let l = 0; l < depth; l++) parameters += sizes[l] * sizes[l + 1] + sizes[l + 1];
  if (parameters > MODEL_LIMITS.maxParameters) {
    throw fail(where, beyondModelLimit(parameters, 'parameters', MODEL_LIMITS.maxParameters));
  }
}

/** The field a checkpoint adds to a model file (its step, RNG and optimiser state; src/io/checkpoint.ts): every model reader lets it through. */
export const CHECKPOINT_FIELD = 'training';

/**
 * Refuses (through `fail`: BAD_MODEL_FILE for a file) a field of a gradscope model file that no
 * reader reads, at the top level or in a layer: as PyTorch's load_state_dict refuses unexpected keys
 * by default (strict=True), a setting gradscope does not have (a layer's `dropout`) is refused
 * rather than dropped, so a file never loads as something other than what it says. Other formats'
 * files (tfjs, safetensors metadata) are read tolerantly, and what was skipped is noted.
 */
export function checkFileFields(value: object, known: readonly string[], where: string, fail: Fail): void {
  if (Array.isArray(value)) throw fail(where, 'expected an object, got an array');
  const problem = unknownKey(value, known, 'field');
  if (problem !== undefined) throw fail(where, `${problem}; gradscope reads no such setting and will not drop it silently`);
}

/**
 * A count of training steps (net.step, a checkpoint's step): a whole number from 0 to COUNT_BOUND
 * (2⁵³ − 1, the largest a float64 counts exactly, as JSON and the binary checkpoint hold it), in the
 * words of every saved count, or an error through `fail` naming `where` (INVALID_OPTION by default;
 * BAD_MODEL_FILE for a file).
 */
export function checkStepCount(value: unknown, where: string, fail: Fail = optionFault): number {
  const problem = stepCountProblem(value);
  if (problem !== undefined) throw fail(where, problem);
  return value as number;
}

/** What checkStepCount refuses `value` for, in the words after the count's name, or undefined where it takes it. */
export function stepCountProblem(value: unknown): string | undefined {
  return isCount(value, 0) ? undefined : `expected ${countWords(0)}, got ${describeValue(value)}`;
}

/**
 * Refuses, through `fail` (BAD_MODEL_FILE on load), a parameter beyond ±RUNAWAY_PARAMETER: training
 * never takes a weight there (StepGuard) nor LSUV scales one there, because float32 products of it
 * overflow; loaded, its units saturate and their gradients read 0. Names the first as `where(i)`.
 * Run on save (checkModelData, checkTensorValues) and by every reader (checkStoredTensor), so whatever saves, loads.
 */
export function checkParameterBound(values: ArrayLike<number>, where: ElementPath, fail: Fail): void {
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]) > RUNAWAY_PARAMETER) {
      throw fail(where(i), `${values[i]} is beyond ±${boundText(RUNAWAY_PARAMETER)}, the largest parameter training allows (float32 products of it overflow: its units saturate and their gradients read 0)`);
    }
  }
}

/**
 * Every element of `values` a number that is finite in float32, holes of sparse arrays included
 * (they read as undefined). Names the first bad element as `where[i]`, or as `where(i)`.
 */
export function checkFloat32Values(values: ArrayLike<unknown>, where: string | ElementPath, fail: Fail = optionFault): void {
  const at = typeof where === 'string' ? (i: number) => `${where}[${i}]` : where;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(at(i), `${describeValue(v)} is not a finite number`);
    if (!withinFloat32(v)) throw fail(at(i), `${v} is beyond the float32 range`);
  }
}

/**
 * The one check of a model's tensor, run by every model reader as it reads one (in the file's own
 * layout, named as the file holds it) and by the savers: each
 * value finite in float32 and, for a parameter (not batch norm's running statistics, not optimiser
 * state), within ±RUNAWAY_PARAMETER (checkParameterBound). So a file a reader takes (convert's
 * input as much as load's) builds a network, and both refuse a bad one with the same message.
 */
export function checkStoredTensor(values: ArrayLike<unknown>, at: ElementPath, parameter: boolean, fail: Fail): void {
  checkFloat32Values(values, at, fail);
  if (parameter) checkParameterBound(values as ArrayLike<number>, at, fail);
}

/** Names the element at a flat, row-major index of a tensor: what a message puts before its colon. */
export type ElementPath = (i: number) => string;

/**
 * The element at row-major index `i` of a tensor of `shape` named `name`, as the file holds it:
 * `name[r, c]` for a flat tensor (safetensors, tfjs, binary), `name[r][c]` for JSON's nested rows.
 * A tensor of one dimension or none is `name[i]`.
 */
export function elementPath(name: string, shape: readonly number[], style: 'flat' | 'nested' = 'flat'): ElementPath {
  if (shape.length < 2) return (i) => `${name}[${i}]`;
  return (i) => {
    const index: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      index.unshift(i % shape[d]);
      i = Math.floor(i / shape[d]);
    }
    return style === 'flat' ? `${name}[${index.join(', ')}]` : `${name}${index.map((k) => `[${k}]`).join('')}`;
  };
}
