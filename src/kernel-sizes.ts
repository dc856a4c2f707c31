/**
 * What each kernel of the contract (src/kernels.ts) asks of its arguments, from its shape comment:
 * the one table the checked kernels (src/checked-kernels.ts) check a caller's call against. The
 * library's own layers call the kernels unchecked (their sizes come from one checked config); what
 * the package hands a user (createWasmKernels, createRefKernels, createThreadedWasmKernels) checks
 * every call here first, so a size past a tensor's end is refused instead of writing over other
 * tensors, or trapping in WASM.
 *
 * A signature lists the kernel's parameters in the contract's order (test/reliability/kernel-sizes
 * compares them with src/kernels.ts):
 * - `z[batch·nOut]`: a tensor this kernels object allocated, holding at least that product of sizes;
 *   `t[]`: such a tensor of any length;
 * - `out:f64[8]`: a Float64Array of at least that many numbers;
 * - `batch`: a size, a whole number ≥ 0; `n?`: one that may be left out;
 * - `~f`: anything else (an activation, a rate, the rows), which the kernel or `also` checks.
 */
import { ACTIVATION_STAT_COUNT, WEIGHT_STAT_COUNT, type Kernels } from './kernels.js';
import { lengthOf } from './array-reads.js';

/** The kernels of the contract: its methods (name and precision are properties). */
export type KernelMethod = {
  [K in keyof Kernels]-?: NonNullable<Kernels[K]> extends (...args: never[]) => unknown ? K : never;
}[keyof Kernels];

/** A kernel's arguments as a call passed them, in the contract's order. */
export type KernelArgs = readonly unknown[];

/** A refusal `also` raises: the argument at fault and why (checked-kernels adds the backend and the kernel). */
export interface ArgumentFault {
  /** The parameter's name, as the contract names it. */
  readonly argument: string;
  /** What is wrong with it, for the message. */
  readonly problem: string;
  /** SHAPE_MISMATCH for a tensor too short for its sizes, INVALID_OPTION for anything else. */
  readonly shape?: boolean;
}

/** A kernel's entry: its signature, and checks that a product of sizes cannot say (row numbers, strided spans). */
export interface KernelEntry {
  readonly signature: string;
  /** The first fault among the arguments the signature leaves to it, or undefined; runs after the signature's checks pass. */
  readonly also?: (args: KernelArgs) => ArgumentFault | undefined;
}

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Length of a tensor handle (checked-kernels has checked it is one of its own before `also` runs). */
const tensorLength = (tensor: unknown) => (tensor as { length: number }).length;

/**
 * The fault of a mini-batch's row numbers, rows[start .. start+count), each the number of a row of
 * `rowLen` elements in `source`: whole and in range (a NaN, −1 or 100 read or wrote past a tensor).
 */
function rowsFault(rows: unknown, start: number, count: number, rowLen: number, source: unknown, sourceName: string): ArgumentFault | undefined {
  const length = (rows as { length?: unknown } | null | undefined)?.length;
  if (typeof rows !== 'object' || rows === null || !isWhole(length)) return { argument: 'rows', problem: 'expected an array of row numbers' };
  if (start + count > length) return { argument: 'rows', problem: `holds ${length} row numbers, fewer than start + count = ${start} + ${count} = ${start + count}` };
  const rowsInSource = rowLen === 0 ? Infinity : Math.floor(tensorLength(source) / rowLen);
  for (let i = start; i < start + count; i++) {
    const row = (rows as ArrayLike<unknown>)[i];
    if (!isWhole(row) || row >= rowsInSource) {
      return { argument: 'rows', problem: `rows[${i}] is ${typeof row === 'number' ? row : typeof row}, not the number of one of the ${rowsInSource} rows of ${rowLen} elements in ${sourceName} (0 to ${rowsInSource - 1})` };
    }
  }
  return undefined;
}

/** The fault of a span of `rows` rows of `cols` elements, `stride` apart from `offset`, in `tensor` (copy2d's). */
function spanFault(tensor: unknown, name: string, offset: number, stride: number, rows: number, cols: number): ArgumentFault | undefined {
  const end = rows === 0 || cols === 0 ? 0 : offset + (rows - 1) * stride + cols;
  if (end <= tensorLength(tensor)) return undefined;
  return { argument: name, problem: `holds ${tensorLength(tensor)} elements, fewer than ${name}Offset + (rows − 1)·${name}Stride + cols = ${offset} + ${rows - 1}·${stride} + ${cols} = ${end}`, shape: true };
}

/** Every kernel of the contract: a test fails if one has no entry. */
export const KERNEL_SIZES: Record<KernelMethod, KernelEntry> = {
  // ---- memory ----
  alloc: { signature: '~length' },
  allocUninitialized: { signature: '~length' },
  free: { signature: 't[]' },
  bytesAvailable: { signature: '' },
  allOrNothing: { signature: '~build' },
  view: { signature: 't[]' },
  write: {
    signature: 't[] ~src offset?',
    also: ([t, src, offset = 0]) => {
      const length = lengthOf(src); // a typed src's own length, not a `length` it was given: what the write copies
      if (typeof src !== 'object' || src === null || !isWhole(length)) return { argument: 'src', problem: 'expected an array of numbers' };
      const end = (offset as number) + length;
      return end <= tensorLength(t) ? undefined : { argument: 't', problem: `holds ${tensorLength(t)} elements, fewer than offset + src's values = ${offset as number} + ${length} = ${end}`, shape: true };
    },
  },
  writeFinite: {
    signature: 't[] ~parts partLength',
    also: ([t, parts, partLength]) => {
      if (!Array.isArray(parts)) return { argument: 'parts', problem: 'expected an array of parts' };
      const end = parts.length * (partLength as number);
      return end <= tensorLength(t) ? undefined : { argument: 't', problem: `holds ${tensorLength(t)} elements, fewer than parts.length·partLength = ${parts.length}·${partLength as number} = ${end}`, shape: true };
    },
  },
  zero: { signature: 't[n] n?' },
  copyRows: {
    signature: 'dst[count·rowLen] src[] ~rows start count rowLen',
    also: ([, src, rows, start, count, rowLen]) => rowsFault(rows, start as number, count as number, rowLen as number, src, 'src'),
  },

  // ---- dense layer ----
  denseForward: { signature: 'z[batch·nOut] a[batch·nIn] w[nOut·nIn] b[nOut] batch nIn nOut' },
  denseForwardGather: {
    signature: 'z[batch·nOut] a[batch·nIn] x[] ~rows start w[nOut·nIn] b[nOut] batch nIn nOut',
    also: ([, , x, rows, start, , , batch, nIn]) => rowsFault(rows, start as number, batch as number, nIn as number, x, 'x'),
  },
  denseBackwardInput: { signature: 'da[batch·nIn] dz[batch·nOut] w[nOut·nIn] batch nIn nOut' },
  denseBackwardWeights: { signature: 'dw[nOut·nIn] dz[batch·nOut] a[batch·nIn] batch nIn nOut ~accumulate' },
  denseBackwardWeightsAndInput: { signature: 'dw[nOut·nIn] da[batch·nIn] dz[batch·nOut] a[batch·nIn] w[nOut·nIn] batch nIn nOut ~accumulate' },
  denseBackwardBias: { signature: 'db[nOut] dz[batch·nOut] batch nOut' },
  matVec: { signature: 'y[nOut] w[nOut·nIn] x[nIn] nIn nOut' },
  matVecTransposed: { signature: 'y[nIn] w[nOut·nIn] x[nOut] nIn nOut' },

  // ---- activations ----
  activationForward: { signature: '~f a[batch·n] z[batch·n] batch n' },
  activationBackward: { signature: '~f dz[batch·n] da[batch·n] z[batch·n] a[batch·n] batch n' },

  // ---- normalisation ----
  batchNormForward: { signature: 'y[batch·n] mean[n] invStd[n] runningMean[n] runningVar[n] x[batch·n] gamma[n] beta[n] batch n ~momentum ~eps' },
  batchNormNormalize: { signature: 'y[batch·n] x[batch·n] mean[n] invStd[n] gamma[n] beta[n] batch n' },
  batchNormInference: { signature: 'y[batch·n] x[batch·n] gamma[n] beta[n] runningMean[n] runningVar[n] batch n ~eps' },
  batchNormBackward: { signature: 'dx[batch·n] dgamma[n] dbeta[n] dy[batch·n] x[batch·n] mean[n] invStd[n] gamma[n] batch n' },
  batchNormAffineBackward: { signature: 'dgamma[n] dbeta[n] dy[batch·n] x[batch·n] mean[n] invStd[n] batch n' },
  layerNormForward: { signature: 'y[batch·n] mean[batch] invStd[batch] x[batch·n] gamma[n] beta[n] batch n ~eps' },
  layerNormNormalize: { signature: 'y[batch·n] x[batch·n] mean[batch] invStd[batch] gamma[n] beta[n] batch n' },
  layerNormBackward: { signature: 'dx[batch·n] dgamma[n] dbeta[n] dy[batch·n] x[batch·n] mean[batch] invStd[batch] gamma[n] batch n' },
  layerNormAffineBackward: { signature: 'dgamma[n] dbeta[n] dy[batch·n] x[batch·n] mean[batch] invStd[batch] batch n' },
  layerNormInputBackward: { signature: 'dx[batch·n] dy[batch·n] x[batch·n] mean[batch] invStd[batch] gamma[n] batch n' },

  // ---- residual connections ----
  residualForward: { signature: 'y[n] x[n] branch[n] n' },
  residualBackward: { signature: 'dx[n] dbranch[n] dy[n] n' },
  rezeroForward: { signature: 'y[n] x[n] branch[n] alpha[1] n' },
  rezeroBackward: { signature: 'dx[n] dbranch[n] dalpha[1] dy[n] branch[n] alpha[1] n' },
  rezeroGateBackward: { signature: 'dbranch[n] dalpha[1] dy[n] branch[n] alpha[1] n' },

  // ---- loss ----
  loss: { signature: '~loss ~output z[batch·n] a[batch·n] y[batch·n] batch n' },
  lossBackward: { signature: '~loss ~output dz[batch·n] z[batch·n] a[batch·n] y[batch·n] batch n' },

  // ---- reductions ----
  sumSquares: { signature: 'x[n] n' },
  sumAbs: { signature: 'x[n] n' },
  maxAbs: { signature: 'x[n] n' },
  rowSumSquares: { signature: 'out[batch] x[batch·n] batch n' },

  // ---- optimiser updates ----
  sgdUpdate: { signature: 'w[n] v[n] g[n] n ~learningRate ~momentum ~weightDecay' },
  nesterovUpdate: { signature: 'w[n] v[n] g[n] n ~learningRate ~momentum ~weightDecay' },
  adagradUpdate: { signature: 'w[n] s[n] g[n] n ~learningRate ~epsilon ~weightDecay' },
  rmspropUpdate: { signature: 'w[n] s[n] g[n] n ~learningRate ~alpha ~epsilon ~weightDecay' },
  adamUpdate: { signature: 'w[n] m[n] v[n] g[n] n ~learningRate ~beta1 ~beta2 ~epsilon ~weightDecay ~decoupled ~step' },

  // ---- vector algebra ----
  axpy: { signature: 'y[n] x[n] n ~alpha' },
  scale: { signature: 'x[n] n ~alpha' },
  dot: { signature: 'x[n] y[n] n' },

  // ---- curvature ----
  mul: { signature: 'z[n] x[n] y[n] n' },
  softmaxJvp: { signature: 'ra[batch·n] a[batch·n] rz[batch·n] batch n' },
  activationCurvature: { signature: '~f dz[batch·n] g[batch·n] rz[batch·n] z[batch·n] a[batch·n] batch n' },
  martensPreconditioner: { signature: 'd[n] s[n] n ~scale ~lambda' },
  copy2d: {
    signature: 'dst[] dstOffset dstStride src[] srcOffset srcStride rows cols',
    also: ([dst, dstOffset, dstStride, src, srcOffset, srcStride, rows, cols]) =>
      spanFault(dst, 'dst', dstOffset as number, dstStride as number, rows as number, cols as number) ??
      spanFault(src, 'src', srcOffset as number, srcStride as number, rows as number, cols as number),
  },
  cholesky: { signature: 'l[n·n] a[n·n] n' },
  trilInverse: { signature: 'm[n·n] l[n·n] n' },
  shiftedCholeskyPasses: { signature: 'g[n·n] ~t n' },
  sampleTargets: {
    signature: '~loss y[batch·n] a[batch·n] u[] batch n',
    also: ([loss, , , u, batch, n]) => {
      // Cross-entropy draws one uniform per row (the class), the others one per output.
      const [need, text] = loss === 'cross-entropy' ? [batch as number, `batch = ${batch as number}`] : [(batch as number) * (n as number), `batch·n = ${batch as number}·${n as number} = ${(batch as number) * (n as number)}`];
      return need <= tensorLength(u) ? undefined : { argument: 'u', problem: `holds ${tensorLength(u)} elements, fewer than the ${text} ${String(loss)} draws`, shape: true };
    },
  },

  // ---- gradient-flow statistics ----
  activationStats: { signature: `out:f64[${ACTIVATION_STAT_COUNT}] alive[n] ~f z[batch·n] a[batch·n] batch n ~threshold` },
  histogram: { signature: 'counts[bins] x[n] n ~lo ~hi bins' },
  sumSquaredDifference: { signature: 'x[n] y[n] n' },
  weightStats: { signature: `out:f64[${WEIGHT_STAT_COUNT}] snapshot[n] w[n] g[n] n` },
  sgdStepStats: { signature: `out:f64[${WEIGHT_STAT_COUNT}] w[n] g[n] n ~learningRate` },
  sgdUpdateStats: { signature: `out:f64[${WEIGHT_STAT_COUNT}] w[n] v[n] g[n] n ~learningRate ~momentum ~weightDecay` },
};
