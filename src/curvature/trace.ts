/**
 * The trace of a symmetric operator, of the whole and of each diagonal block, from the same
 * products: exactly, Σ_i e_iᵀ·A·e_i, by n products when n ≤ `exactLimit`; otherwise by
 * Hutchinson's estimator tr A = E[zᵀA·z] over Rademacher probes z (entries ±1), with the standard
 * error of the mean over the probes. A block's trace is E[Σ_{i∈block} z_i·(A·z)_i] (the cross
 * terms have mean 0), so every block's estimate comes with the whole's.
 */
import { checkKnownKeys } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { Rng } from '../init/rng.js';
import type { LinearOperator, ParameterBlock } from './operators.js';

/** Options of traceOf; every one has a default. */
export interface TraceOptions {
  /** Rademacher probes for Hutchinson's estimate. Default 100 (at least 2). */
  probes?: number;
  /** Up to this many dimensions the trace is exact (n products). Default 2000. */
  exactLimit?: number;
  /** Seed of the probes. Default 1. */
  seed?: number;
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

/** tr A of the whole and of each block (see the file comment). */
export function traceOf(operator: LinearOperator, n: number, blocks: readonly Pick<ParameterBlock, 'offset' | 'length'>[], options: TraceOptions = {}): TraceResult {
  if (typeof operator !== 'function') throw invalidOption(`traceOf: expected an operator (out, v) => void, got ${shown(operator)}`);
  if (!Array.isArray(blocks)) throw invalidOption(`traceOf: blocks: expected an array of { offset, length }, got ${shown(blocks)}`);
  checkKnownKeys(options, ['probes', 'exactLimit', 'seed'], 'traceOf');
  const probes = options.probes ?? 100;
  const exactLimit = options.exactLimit ?? 2000;
  if (!Number.isInteger(probes) || probes < 2) throw invalidOption(`probes: expected an integer ≥ 2, got ${probes}`);
  if (!Number.isInteger(exactLimit) || exactLimit < 0) throw invalidOption(`exactLimit: expected a whole number, got ${exactLimit}`);
  const product = new Float64Array(n);
  const probe = new Float64Array(n);
  if (n <= exactLimit) {
    const diagonal = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      probe.fill(0);
      probe[i] = 1;
      operator(product, probe);
      diagonal[i] = product[i];
    }
    const sum = (from: number, to: number) => diagonal.subarray(from, to).reduce((s, x) => s + x, 0);
    return {
      trace: sum(0, n),
      standardError: 0,
      exact: true,
      products: n,
      blocks: blocks.map((b) => ({ trace: sum(b.offset, b.offset + b.length), standardError: 0 })),
    };
  }
  const rng = new Rng(options.seed ?? 1);
  const whole = new Moments();
  const perBlock = blocks.map(() => new Moments());
  for (let s = 0; s < probes; s++) {
    for (let i = 0; i < n; i++) probe[i] = rng.uniform() < 0.5 ? -1 : 1;
    operator(product, probe);
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
  return { ...whole.estimate(), exact: false, products: probes, blocks: perBlock.map((m) => m.estimate()) };
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
