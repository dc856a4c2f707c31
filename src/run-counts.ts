/**
 * The bounds of a run's counts, written once for what sets them (train()'s epochs, the trace's
 * interval) and what reads them back (Trace.fromJSON, trace-header.ts): a saved trace holding a
 * count no run could reach (a step of 1e300, an epoch's batches of 1e300, a batch size no tensor
 * holds) is refused naming the field, as train() refuses such an option.
 */
import { MAX_TENSOR_LENGTH, type Bound } from './checks.js';
import { grouped } from './counted.js';

/**
 * The most any count of a run reaches (epochs, steps, batches, an interval): 2⁵³ − 1, the largest
 * whole number a float64 (and JSON) counts exactly, and net.step's bound (checkStepCount): past it
 * step + 1 is step, so records and epochs would share a number.
 */
export const COUNT_BOUND: Bound = { max: Number.MAX_SAFE_INTEGER, why: '2⁵³ − 1, the largest whole number a float64 counts exactly' };

/**
 * The most rows a batch holds in a network whose widest layer (its input included) has `widest`
 * units: that layer's batch of values, rows × widest, is one tensor, at most MAX_TENSOR_LENGTH.
 */
export function batchRowsBound(widest: number): Bound {
  return { max: Math.floor(MAX_TENSOR_LENGTH / widest), why: `a batch of the widest layer's ${grouped(widest)} units is one tensor of at most 2^${Math.log2(MAX_TENSOR_LENGTH)} values` };
}

/** Whether `value` is a whole number from `min` to `bound.max`: the one test of a saved count, run per record (its words made only to refuse it). */
export function isCount(value: unknown, min: number, bound: Bound = COUNT_BOUND): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= bound.max;
}

/** What a saved count must be, for a refusal: "a whole number from 0 to 9,007,199,254,740,991 (2⁵³ − 1, …)". */
export function countWords(min: number, bound: Bound = COUNT_BOUND): string {
  return `a whole number from ${min} to ${grouped(bound.max)} (${bound.why})`;
}
