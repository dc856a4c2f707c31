/**
 * The matrix trace tr A = Σ_i A_ii of a symmetric operator (the Hessian's, the Gauss-Newton
 * matrix's; not the gradient-flow trace of src/flow/trace.ts), of the whole and of each diagonal
 * block: exactly, Σ_i e_iᵀ·A·e_i, by n products when n ≤ `exactLimit`; otherwise by Hutchinson's
 * estimator tr A = E[zᵀA·z] over Rademacher probes z (entries ±1), with the standard error of the
 * mean over the probes. Two ways to the blocks' traces:
 * - joint probes (the default): one product per probe; a block's trace is E[Σ_{i∈block} z_i·(A·z)_i]
 *   (the cross-block terms have mean 0 but not sign 0), so each sample may be negative even when
 *   A is positive semi-definite.
 * - block probes (`blockProbes`): each block's own probe z_b, zero outside it; its sample is
 *   z_bᵀ·A_bb·z_b, never negative when A is (a diagonal block of a PSD matrix is PSD), and free of
 *   the cross-block noise; one product per block (and one for the entries no block covers) per
 *   probe. The whole's trace is then the sum of the parts', its error theirs added in quadrature
 *   (the parts' probes are independent).
 */
import { mebibytes } from '../byte-text.js';
import { checkKnownKeys, checkSeed, checkWhole } from '../checks.js';
import { GradscopeError, invalidOption, shown, shownArgument } from '../errors.js';
import { Rng } from '../init/rng.js';
import { UNBOUNDED_BACKEND_BYTES } from '../network/memory-budget.js';
import type { LinearOperator, ParameterBlock } from './operators.js';

/** traceOf's defaults: Hutchinson probes, and the dimension up to which the trace is exact. */
export const MATRIX_TRACE_DEFAULTS = { probes: 100, exactLimit: 2000 } as const;

/** Options of traceOf; every one has a default. */
export interface CurvatureTraceOptions {
  /** Rademacher probes for Hutchinson's estimate. Default 100 (at least 2). */
  probes?: number;
  /** Up to this many dimensions the trace is exact (n products). Default 2000. */
  exactLimit?: number;
  /** Seed of the probes. Default 1. */
  seed?: number;
  /**
   * Probe each block on its own (zero elsewhere), see the file comment: sign-safe block traces of a
   * positive semi-definite operator, at one product per block per probe. The blocks must not
   * overlap. Default false (one product per probe).
   */
  blockProbes?: boolean;
}

/** A trace and its standard error. */
export interface TraceEstimate {
  /** The trace, or its estimate. */
  trace: number;
  /** Standard error of the estimate: 0 when exact. */
  standardError: number;
}

/** The whole operator's trace and each block's. */
export interface TraceResult extends TraceEstimate {
  /** Whether the trace was computed exactly (n ≤ exactLimit). */
  exact: boolean;
  /** Products of the operator taken. */
  products: number;
  /** The trace of each block, in the order given. */
  blocks: TraceEstimate[];
}

/**
 * traceOf's options checked, defaults filled in; INVALID_OPTION naming an option as `named` gives
 * it (measureCurvature checks them up front in its own terms: 'measureCurvature: exactTraceLimit').
 */
export function checkTraceOptions(options: CurvatureTraceOptions, named: (option: keyof CurvatureTraceOptions) => string = (option) => option): Required<CurvatureTraceOptions> {
  const probes = options.probes ?? MATRIX_TRACE_DEFAULTS.probes;
  const exactLimit = options.exactLimit ?? MATRIX_TRACE_DEFAULTS.exactLimit;
  if (!Number.isInteger(probes) || probes < 2) throw invalidOption(`${named('probes')}: expected an integer ≥ 2, got ${shown(probes)}`);
  if (!Number.isInteger(exactLimit) || exactLimit < 0) throw invalidOption(`${named('exactLimit')}: expected a whole number, got ${shown(exactLimit)}`);
  const seed = checkSeed(options.seed ?? 1, named('seed'));
  const blockProbes = options.blockProbes ?? false;
  if (typeof blockProbes !== 'boolean') throw invalidOption(`${named('blockProbes')}: expected true or false, got ${shown(blockProbes)}`);
  return { probes, exactLimit, seed, blockProbes };
}

/** The float64 vectors of n entries traceOf holds at once (the exact trace's probe, product and diagonal). */
const TRACE_VECTORS = 3;

/** tr A of the whole and of each block (see the file comment). */
export function traceOf(operator: LinearOperator, n: number, blocks: readonly Pick<ParameterBlock, 'offset' | 'length'>[], options: CurvatureTraceOptions = {}): TraceResult {
  if (typeof operator !== 'function') throw invalidOption(`traceOf: expected an operator (out, v) => void, got ${shownArgument(operator)}`);
  // −1 threw a raw RangeError, 1.5 took 1.5 products and NaN gave a trace of 0 from no product at all;
  // 0 gave a trace of 0 where lanczos refuses it: both refuse a dimension below 1 in the same words.
  checkWhole(n, "traceOf: n (the operator's dimension)", 1, {
    max: Math.floor(UNBOUNDED_BACKEND_BYTES / (TRACE_VECTORS * Float64Array.BYTES_PER_ELEMENT)),
    why: `traceOf holds ${TRACE_VECTORS} vectors of n float64s, within the ${mebibytes(UNBOUNDED_BACKEND_BYTES)} a run may hold`,
  });
  if (!Array.isArray(blocks)) throw invalidOption(`traceOf: blocks: expected an array of { offset, length }, got ${shown(blocks)}`);
  blocks.forEach((b, j) => checkBlock(b, j, n));
  checkKnownKeys(options, ['probes', 'exactLimit', 'seed', 'blockProbes'], 'traceOf');
  const { probes, exactLimit, seed, blockProbes } = checkTraceOptions(options);
  // Checked before any product: the joint estimate allows overlapping blocks, block probes do not.
  const parts = blockProbes ? partsOf(blocks, n) : [];
  const product = new Float64Array(n);
  const probe = new Float64Array(n);
  let products = 0;
  const apply = () => {
    operator(product, probe);
    products++;
    if (!product.every(Number.isFinite)) {
      throw new GradscopeError('NON_FINITE_INPUT', `traceOf: the operator's product ${products} holds a NaN or an infinity, so no trace can be measured; give an operator whose products are finite`);
    }
  };
  if (n <= exactLimit) {
    const diagonal = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      probe.fill(0);
      probe[i] = 1;
      apply();
      diagonal[i] = product[i];
    }
    const sum = (from: number, to: number) => diagonal.subarray(from, to).reduce((s, x) => s + x, 0);
    return finiteResult({
      trace: sum(0, n),
      standardError: 0,
      exact: true,
      products: n,
      blocks: blocks.map((b) => ({ trace: sum(b.offset, b.offset + b.length), standardError: 0 })),
    });
  }
  const rng = new Rng(seed);
  const drawProbe = (from: number, to: number) => {
    for (let i = from; i < to; i++) probe[i] = rng.uniform() < 0.5 ? -1 : 1;
  };
  if (blockProbes) {
    const perPart = parts.map(() => new Moments());
    for (let s = 0; s < probes; s++) {
      parts.forEach((ranges, p) => {
        probe.fill(0);
        for (const [from, to] of ranges) drawProbe(from, to);
        apply();
        let sample = 0;
        for (const [from, to] of ranges) for (let i = from; i < to; i++) sample += probe[i] * product[i];
        perPart[p].add(sample);
      });
    }
    const estimates = perPart.map((m) => m.estimate());
    return finiteResult({
      trace: estimates.reduce((sum, e) => sum + e.trace, 0),
      standardError: Math.sqrt(estimates.reduce((sum, e) => sum + e.standardError ** 2, 0)),
      exact: false,
      products: probes * parts.length,
      blocks: estimates.slice(0, blocks.length),
    });
  }
  const whole = new Moments();
  const perBlock = blocks.map(() => new Moments());
  for (let s = 0; s < probes; s++) {
    drawProbe(0, n);
    apply();
    let total = 0;
    blocks.forEach((b, j) => {
      let part = 0;
      for (let i = b.offset; i < b.offset + b.length; i++) part += probe[i] * product[i];
      perBlock[j].add(part);
      total += part;
    });
    // blocks need not cover the vector: the whole sums every entry
    if (blocks.reduce((s, b) => s + b.length, 0) !== n) {
      total = 0;
      for (let i = 0; i < n; i++) total += probe[i] * product[i];
    }
    whole.add(total);
  }
  return finiteResult({ ...whole.estimate(), exact: false, products: probes, blocks: perBlock.map((m) => m.estimate()) });
}

/**
 * Refuses (INVALID_OPTION) a block that is not { offset, length } of whole numbers within 0..n: the
 * joint estimate summed entries past n as NaN and the exact one cut such a block short, each a trace
 * said measured; null threw a raw TypeError.
 */
function checkBlock(block: unknown, j: number, n: number): void {
  const { offset, length } = (typeof block === 'object' && block !== null ? block : {}) as { offset?: unknown; length?: unknown };
  if (Number.isInteger(offset) && Number.isInteger(length) && (offset as number) >= 0 && (length as number) >= 0 && (offset as number) + (length as number) <= n) return;
  throw invalidOption(`traceOf: blocks[${j}]: expected { offset, length }, whole numbers with offset + length within 0..${n}, got ${shown(block)}`);
}

/** `result` when every trace and standard error in it is finite; NON_FINITE_INPUT when finite products summed past float64's range. */
function finiteResult(result: TraceResult): TraceResult {
  const estimates = [result, ...result.blocks];
  if (estimates.every((e) => Number.isFinite(e.trace) && Number.isFinite(e.standardError))) return result;
  throw new GradscopeError('NON_FINITE_INPUT', "traceOf: the operator's products are finite but their sum overflows float64, so no trace can be measured; scale the operator down");
}

/**
 * The index ranges [from, to) block probes draw on: each block's, in the order given, then (when the
 * blocks leave entries uncovered) one more part holding all of those. INVALID_OPTION when blocks
 * (each within 0..n: checkBlock) overlap.
 */
function partsOf(blocks: readonly Pick<ParameterBlock, 'offset' | 'length'>[], n: number): [number, number][][] {
  const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
  const uncovered: [number, number][] = [];
  let end = 0;
  for (const b of sorted) {
    if (b.offset < end) throw invalidOption(`traceOf: blockProbes needs blocks that do not overlap, got { offset: ${b.offset}, length: ${b.length} } after one ending at ${end}`);
    if (b.offset > end) uncovered.push([end, b.offset]);
    end = b.offset + b.length;
  }
  if (end < n) uncovered.push([end, n]);
  const parts = blocks.map((b): [number, number][] => [[b.offset, b.offset + b.length]]);
  return uncovered.length > 0 ? [...parts, uncovered] : parts;
}

/** Running mean and variance of samples (Welford), and the standard error of their mean. */
class Moments {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  add(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }

  estimate(): TraceEstimate {
    const variance = this.m2 / (this.count - 1);
    return { trace: this.mean, standardError: Math.sqrt(variance / this.count) };
  }
}
