/**
 * Weight and bias initialisers. Values are drawn in float64 from the seeded Rng and rounded to
 * float32, so every backend starts from bit-identical weights.
 */
import { invalidOption, shown } from '../errors.js';
import { didYouMeanValue } from '../suggest.js';
import { RUNAWAY_PARAMETER } from '../model-limits.js';
import type { Rng } from './rng.js';
import { grouped } from '../counted.js';
import { boundText, givenFloat32Text } from '../number-text.js';

/** The named weight initialisers (see WeightInitName). */
export const WEIGHT_INITS = [
  'standard',
  'glorot-uniform',
  'glorot-normal',
  'glorot-normal-truncated',
  'he-normal',
  'he-normal-fan-out',
  'he-normal-truncated',
  'lecun-normal',
  'lecun-normal-truncated',
  'orthogonal',
] as const;
/**
 * A named weight initialiser: 'standard': U[±1/√n_in] (Glorot & Bengio's standard initialisation); 'glorot-uniform':
 * variance 2/(n_in + n_out); 'glorot-normal': variance 2/(n_in + n_out); 'glorot-normal-truncated': variance 2/(n_in + n_out),
 * from a normal cut at 2 std; 'he-normal': variance 2/n_in; 'he-normal-fan-out': variance 2/n_out; 'he-normal-truncated':
 * variance 2/n_in, from a normal cut at 2 std; 'lecun-normal': N(0, 1/n_in); 'lecun-normal-truncated': variance 1/n_in, from
 * a normal cut at 2 std; 'orthogonal': a random semi-orthogonal matrix. He's first two are He et al.'s
 * (2015) Eqn. 10 (fan-in, the forward signal's variance kept) and Eqn. 14 (fan-out, the backward signal's), each
 * untruncated N(0, 2/n), as PyTorch's kaiming_normal_(w, mode='fan_in' or 'fan_out', nonlinearity='relu') draws them;
 * 'glorot-normal' and 'lecun-normal' are untruncated normals too (PyTorch's xavier_normal_ draws Glorot's so). The three
 * '-truncated' ones are Keras' GlorotNormal, HeNormal and LecunNormal (glorot_normal, he_normal, lecun_normal): the same
 * variance from a normal of std √(variance)/0.8796 whose draws beyond 2 of its std are drawn again (0.8796: the std of
 * N(0, 1) cut to [−2, 2]), so a network built as in Keras starts from the same distribution.
 */
export type WeightInitName = (typeof WEIGHT_INITS)[number];
/**
 * How each named initialiser draws a layer's weights, in words: the one source of WeightInitName's TSDoc (a test reads it
 * there, and checks each variance against weightInitStd) and of what diagnose() says beside an initialiser's name.
 */
export const WEIGHT_INIT_DRAWS: Readonly<Record<WeightInitName, string>> = {
  standard: 'U[±1/√n_in]',
  'glorot-uniform': 'variance 2/(n_in + n_out)',
  'glorot-normal': 'variance 2/(n_in + n_out)',
  'glorot-normal-truncated': 'variance 2/(n_in + n_out), from a normal cut at 2 std',
  'he-normal': 'variance 2/n_in',
  'he-normal-fan-out': 'variance 2/n_out',
  'he-normal-truncated': 'variance 2/n_in, from a normal cut at 2 std',
  'lecun-normal': 'N(0, 1/n_in)',
  'lecun-normal-truncated': 'variance 1/n_in, from a normal cut at 2 std',
  orthogonal: 'a random semi-orthogonal matrix',
};
/**
 * Each named initialiser as Keras' VarianceScaling(scale, mode, distribution) draws it (variance scale/n, n by mode: n_in,
 * n_out or (n_in + n_out)/2; 'truncated_normal' divides the std by TRUNCATED_NORMAL_STD), where one does: the table by which
 * a Keras or tfjs model.json's kernel_initializer is read as gradscope's (src/io/keras-initializers.ts; 'orthogonal' is
 * Keras' Orthogonal(gain=1), read there). test/io/keras-initializers holds each row to weightInitStd.
 */
export const WEIGHT_INIT_KERAS: Readonly<Partial<Record<WeightInitName, { scale: number; mode: 'fan_in' | 'fan_out' | 'fan_avg'; distribution: 'uniform' | 'untruncated_normal' | 'truncated_normal' }>>> = {
  standard: { scale: 1 / 3, mode: 'fan_in', distribution: 'uniform' },
  'glorot-uniform': { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  'glorot-normal': { scale: 1, mode: 'fan_avg', distribution: 'untruncated_normal' },
  'glorot-normal-truncated': { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  'he-normal': { scale: 2, mode: 'fan_in', distribution: 'untruncated_normal' },
  'he-normal-fan-out': { scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' },
  'he-normal-truncated': { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  'lecun-normal': { scale: 1, mode: 'fan_in', distribution: 'untruncated_normal' },
  'lecun-normal-truncated': { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};
/**
 * Whose variance rule each named initialiser draws by. Two of one rule draw a layer's weights at one scale up to the layer's
 * shape: He's Eqn. 10 and Eqn. 14 (fan-in and fan-out, of which He et al. found it "sufficient to use either"), Glorot's
 * uniform and normal (one variance); a '-truncated' one draws its rule's variance. A remedy offering an initialiser is not
 * offered to a run drawn by its rule already (sameInitRule): diagnose() offered 'he-normal' to a relu run on 'he-normal-fan-out'.
 */
const WEIGHT_INIT_RULE: Readonly<Record<WeightInitName, string>> = {
  standard: 'standard',
  'glorot-uniform': 'glorot',
  'glorot-normal': 'glorot',
  'glorot-normal-truncated': 'glorot',
  'he-normal': 'he',
  'he-normal-fan-out': 'he',
  'he-normal-truncated': 'he',
  'lecun-normal': 'lecun',
  'lecun-normal-truncated': 'lecun',
  orthogonal: 'orthogonal',
};

/** Whether the init named `name` (a run's, perhaps another kind's: 'normal', 'sparse', 'lsuv', or none) draws by `init`'s variance rule (WEIGHT_INIT_RULE). */
export function sameInitRule(name: string | undefined, init: WeightInitName): boolean {
  return name !== undefined && Object.hasOwn(WEIGHT_INIT_RULE, name) && WEIGHT_INIT_RULE[name as WeightInitName] === WEIGHT_INIT_RULE[init];
}
/**
 * Martens' (2010) sparse initialisation: each unit gets `connections` (default 15, or all of n_in
 * if fewer) nonzero incoming weights drawn from N(0, 1), the rest 0. The weights are large enough
 * that a deep sigmoid net's units do not all sit in the linear middle of the sigmoid (where
 * U[±1/√n_in] leaves them and a deep autoencoder's code carries nothing), while the fan-in stays
 * small enough not to saturate them; Hessian-free without pretraining depends on it.
 */
export const SPARSE_CONNECTIONS = 15;
/** A named initialiser, N(0, std²), or Martens' sparse initialisation. */
export type WeightInit =
  | WeightInitName
  | {
      /** N(0, std²). */
      name: 'normal';
      /** Standard deviation, > 0 and at most about 2.1e15 (so every draw stays within about ±1.8e16, the largest parameter training keeps). */
      std: number;
    }
  | {
      /** Martens' sparse initialisation. */
      name: 'sparse';
      /** Nonzero incoming weights per unit: at most each dense layer's n_in (more is refused: the layer would be dense); default 15, capped at n_in. */
      connections?: number;
    };
/** How biases start: all zero, all `value`, or drawn from N(0, std²). */
export type BiasInit =
  | 'zero'
  | {
      /** Every bias equal to `value`. */
      name: 'constant';
      /** The bias value, within about ±1.8e16, the largest parameter training keeps and model files hold. */
      value: number;
    }
  | {
      /** N(0, std²). */
      name: 'normal';
      /** Standard deviation, ≥ 0 and at most about 2.1e15 (so every draw stays within about ±1.8e16, the largest parameter training keeps). */
      std: number;
    };

/**
 * The standard deviation of N(0, 1) cut to [−TRUNCATION, TRUNCATION]: Keras' constant (keras/src/initializers/
 * random_initializers.py, VarianceScaling), by which it divides a truncated normal's std so that the draws keep the
 * variance asked for. test/init/truncated-normal-inits integrates it again.
 */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;
/** Where a truncated normal is cut, in its std: Keras' (TensorFlow's) truncated_normal draws again beyond 2. */
export const TRUNCATION = 2;

/** N(0, 1) cut to [−TRUNCATION, TRUNCATION]: a draw beyond it is drawn again, as Keras' truncated_normal does. */
function truncatedNormal(rng: Rng): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= TRUNCATION) return z;
  }
}

/**
 * What a named initialiser other than 'orthogonal' draws for an nIn → nOut layer: U[±uniform],
 * N(0, normal²), or `truncated` times N(0, 1) cut at TRUNCATION. The one home of their scales, for initWeights and weightInitStd.
 */
function drawScale(init: Exclude<WeightInitName, 'orthogonal'>, nIn: number, nOut: number): { uniform: number } | { normal: number } | { truncated: number } {
  switch (init) {
    case 'standard':
      return { uniform: 1 / Math.sqrt(nIn) }; // Glorot & Bengio's "standard initialization"
    case 'glorot-uniform':
      return { uniform: Math.sqrt(6 / (nIn + nOut)) };
    case 'glorot-normal':
      return { normal: Math.sqrt(2 / (nIn + nOut)) };
    case 'glorot-normal-truncated':
      return { truncated: Math.sqrt(2 / (nIn + nOut)) / TRUNCATED_NORMAL_STD }; // Keras' GlorotNormal: VarianceScaling(1, 'fan_avg', 'truncated_normal')
    case 'he-normal':
      return { normal: Math.sqrt(2 / nIn) }; // He et al.'s Eqn. 10
    case 'he-normal-fan-out':
      return { normal: Math.sqrt(2 / nOut) }; // their Eqn. 14
    case 'he-normal-truncated':
      return { truncated: Math.sqrt(2 / nIn) / TRUNCATED_NORMAL_STD }; // Keras' HeNormal: VarianceScaling(2, 'fan_in', 'truncated_normal')
    case 'lecun-normal':
      return { normal: Math.sqrt(1 / nIn) };
    case 'lecun-normal-truncated':
      return { truncated: Math.sqrt(1 / nIn) / TRUNCATED_NORMAL_STD }; // Keras' LecunNormal: VarianceScaling(1, 'fan_in', 'truncated_normal')
  }
}

/**
 * INVALID_OPTION when `init` is a sparse init whose given `connections` exceed `fanIns`, the inputs
 * of a network's dense layers (`where` names each): every input would be connected, a dense N(0, 1)
 * init, not the sparse one asked for. The default (15) is Martens' and capped at n_in instead.
 */
export function checkSparseConnections(init: WeightInit, fanIns: readonly number[], where: (layer: number) => string): void {
  const layer = layerTooNarrowFor(init, fanIns);
  if (layer < 0) return;
  const { connections } = init as { connections: number };
  throw invalidOption(
    `init: { name: 'sparse', connections: ${connections} } needs at most as many connections as each dense layer has inputs, but ${where(layer)} has ${grouped(fanIns[layer])}: every input would be connected (a dense N(0, 1) init); give connections ≤ ${fanIns[layer]}`,
  );
}

/**
 * The narrowest of `fanIns` (the inputs of a network's dense layers; the first of equals) where it is
 * fewer than a sparse init's given `connections`, else −1: such a layer cannot be drawn by it
 * (createNetwork refuses it, a file's record of it is refused). The narrowest, not the first too
 * narrow, is named because its inputs are the bound a refusal gives: [784, 64, 64, 10] with 1000
 * connections named layer 0's 784 inputs and then said "give connections ≤ 64". The default, capped
 * at n_in, fits every layer.
 */
export function layerTooNarrowFor(init: WeightInit, fanIns: readonly number[]): number {
  if (typeof init !== 'object' || init.name !== 'sparse' || init.connections === undefined) return -1;
  const narrowest = fanIns.indexOf(Math.min(...fanIns));
  return fanIns[narrowest] < init.connections ? narrowest : -1;
}

/** Weights of a layer, `[nOut][nIn]` row-major. */
export function initWeights(init: WeightInit, nIn: number, nOut: number, rng: Rng): Float64Array {
  const w = new Float64Array(nOut * nIn);
  const fill = (draw: () => number) => {
    for (let i = 0; i < w.length; i++) w[i] = Math.fround(draw());
  };
  if (typeof init === 'object' && init.name === 'sparse') {
    sparse(w, nIn, nOut, Math.min(init.connections ?? SPARSE_CONNECTIONS, nIn), rng);
    return w;
  }
  if (typeof init === 'object') {
    const std = init.std;
    fill(() => std * rng.normal());
    return w;
  }
  if (init === 'orthogonal') {
    orthogonal(w, nIn, nOut, rng);
    return w;
  }
  const scale = drawScale(init, nIn, nOut);
  if ('uniform' in scale) fill(() => rng.uniformIn(-scale.uniform, scale.uniform));
  else if ('truncated' in scale) fill(() => scale.truncated * truncatedNormal(rng));
  else fill(() => scale.normal * rng.normal());
  return w;
}

/**
 * The RMS of the weights a named initialiser draws for an nIn → nOut layer (its standard deviation:
 * a uniform's limit over √3; a truncated normal's std before the cut times TRUNCATED_NORMAL_STD; for 'orthogonal', whose rows or columns are unit vectors,
 * 1/√max(nIn, nOut)): the scale diagnose() compares a run's weights with before it suggests an
 * initialiser as smaller.
 */
export function weightInitStd(init: WeightInitName, nIn: number, nOut: number): number {
  if (init === 'orthogonal') return 1 / Math.sqrt(Math.max(nIn, nOut));
  const scale = drawScale(init, nIn, nOut);
  if ('truncated' in scale) return scale.truncated * TRUNCATED_NORMAL_STD;
  return 'uniform' in scale ? scale.uniform / Math.sqrt(3) : scale.normal;
}

export function initBiases(init: BiasInit, nOut: number, rng: Rng): Float64Array {
  const b = new Float64Array(nOut);
  if (init === 'zero') return b;
  for (let j = 0; j < nOut; j++) b[j] = Math.fround(init.name === 'constant' ? init.value : init.std * rng.normal());
  return b;
}

/**
 * Saxe et al.'s orthogonal init: orthonormalise (modified Gram–Schmidt) the columns of a Gaussian
 * matrix with the longer side as rows, then transpose if needed, so W has orthonormal rows or columns.
 */
function orthogonal(w: Float64Array, nIn: number, nOut: number, rng: Rng): void {
  const long = Math.max(nIn, nOut);
  const short = Math.min(nIn, nOut);
  const columns: Float64Array[] = [];
  for (let c = 0; c < short; c++) {
    const v = new Float64Array(long);
    for (let i = 0; i < long; i++) v[i] = rng.normal();
    for (const u of columns) {
      let dot = 0;
      for (let i = 0; i < long; i++) dot += u[i] * v[i];
      for (let i = 0; i < long; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < long; i++) v[i] /= norm;
    columns.push(v);
  }
  for (let row = 0; row < nOut; row++) {
    for (let col = 0; col < nIn; col++) {
      // nOut ≥ nIn: columns of W are the orthonormal vectors; otherwise its rows are.
      w[row * nIn + col] = Math.fround(nOut >= nIn ? columns[col][row] : columns[row][col]);
    }
  }
}

/** Each row (unit) gets `count` distinct inputs, chosen by a partial Fisher–Yates shuffle, weighted N(0, 1). */
function sparse(w: Float64Array, nIn: number, nOut: number, count: number, rng: Rng): void {
  const columns = Int32Array.from({ length: nIn }, (_, i) => i);
  for (let row = 0; row < nOut; row++) {
    for (let c = 0; c < count; c++) {
      const pick = c + rng.below(nIn - c);
      [columns[c], columns[pick]] = [columns[pick], columns[c]];
      w[row * nIn + columns[c]] = Math.fround(rng.normal());
    }
  }
}

/** |Rng.normal()| ≤ √(−2·ln 2⁻⁵³) ≈ 8.57: its uniform draws are multiples of 2⁻⁵³. */
const NORMAL_DRAW_BOUND = 8.58;
/**
 * The largest std of a normal init (≈ 2.1e15): its draws, at most NORMAL_DRAW_BOUND·std, stay
 * within RUNAWAY_PARAMETER, the largest parameter training keeps and every model file holds, so
 * whatever createNetwork makes, save() takes.
 */
export const MAX_INIT_STD = RUNAWAY_PARAMETER / NORMAL_DRAW_BOUND;

/** The bound on an init's values and why, as the refusals say it. */
const PARAMETER_BOUND = `±${boundText(RUNAWAY_PARAMETER)}, the largest parameter training keeps and model files hold (float32 products beyond it overflow)`;

/**
 * What a normal init's std must be, `name` standing for it ('std' in the options, 'STD' in a flag's form
 * normal:STD): > 0 for the weights, ≥ 0 for the biases (`zeroAllowed`), and at most MAX_INIT_STD.
 */
export function stdRule(name: string, zeroAllowed: boolean): string {
  return `${name} ${zeroAllowed ? '≥' : '>'} 0 and ≤ ${boundText(MAX_INIT_STD)} (its draws, up to ${NORMAL_DRAW_BOUND}·${name}, must stay within ${PARAMETER_BOUND})`;
}

/** Whether `std` is one stdRule allows. */
export function isStd(std: unknown, zeroAllowed: boolean): std is number {
  return typeof std === 'number' && (zeroAllowed ? std >= 0 : std > 0) && std <= MAX_INIT_STD;
}

/** `init` checked; `alsoAccepted` names the caller's own choices (createNetwork's 'lsuv') in the error, which it handles before calling. */
export function checkWeightInit(init: unknown, alsoAccepted: readonly string[] = []): WeightInit {
  if (typeof init === 'string' && (WEIGHT_INITS as readonly string[]).includes(init)) return init as WeightInitName;
  if (typeof init === 'object' && init !== null && (init as { name?: unknown }).name === 'normal') {
    const std = (init as { std?: unknown }).std;
    if (isStd(std, false)) return { name: 'normal', std };
    throw invalidOption(`init: { name: 'normal' } needs a ${stdRule('std', false)}, got ${String(std)}`);
  }
  if (typeof init === 'object' && init !== null && (init as { name?: unknown }).name === 'sparse') {
    const connections = (init as { connections?: unknown }).connections;
    if (connections === undefined) return { name: 'sparse' };
    if (typeof connections === 'number' && Number.isInteger(connections) && connections >= 1) return { name: 'sparse', connections };
    throw invalidOption(`init: { name: 'sparse' } needs connections, a whole number ≥ 1, got ${String(connections)}`);
  }
  const names = [...WEIGHT_INITS, ...alsoAccepted];
  throw invalidOption(`init: expected one of ${names.join(', ')}, { name: 'normal', std } or { name: 'sparse', connections? }, got ${shown(init)}${didYouMeanValue(init, names, shown)}`);
}

export function checkBiasInit(init: unknown): BiasInit {
  if (init === 'zero') return init;
  if (typeof init === 'object' && init !== null) {
    const { name, value, std } = init as { name?: unknown; value?: unknown; std?: unknown };
    if (name === 'constant' && typeof value === 'number' && Number.isFinite(value)) {
      if (Math.abs(Math.fround(value)) <= RUNAWAY_PARAMETER) return { name, value };
      // Echoed as the float32 the biases would hold (String(1e20) wrote its 21 digits).
      throw invalidOption(`biasInit: value ${givenFloat32Text(value)} is beyond ${PARAMETER_BOUND}`);
    }
    if (name === 'normal' && isStd(std, true)) return { name, std };
    if (name === 'normal' && typeof std === 'number' && std > MAX_INIT_STD) {
      throw invalidOption(`biasInit: { name: 'normal' } needs a std ≤ ${boundText(MAX_INIT_STD)} (its draws, up to ${NORMAL_DRAW_BOUND}·std, must stay within ${PARAMETER_BOUND}), got ${std}`);
    }
  }
  throw invalidOption(`biasInit: expected 'zero', { name: 'constant', value } or { name: 'normal', std }, got ${shown(init)}`);
}
