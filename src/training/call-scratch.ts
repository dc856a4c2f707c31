/**
 * What each train() call of a network writes and reads only while it runs: the row order its
 * epochs step through and the RNG state it started from (put back when it refuses before any
 * update). Kept per network between its calls, so a call allocates neither: a typed array is
 * allocated outside the JavaScript heap and registered with it, which cost a one-batch call at
 * batch 256 ~6 µs for its row order alone, in a call whose JavaScript runs after kernels that
 * pushed its code and data out of the caches (AMD EPYC Zen 4, the goal call's p10, 2026-12-03).
 *
 * Shared safely: a network trains in one call at a time (Network.train refuses a call from its
 * onBatch or onEpoch), each call fills what it reads before reading it, and nothing holds either
 * array after the call (a fault names its rows as it happens; onNonFinite 'halve' keeps copies).
 */
import type { Rng } from '../init/rng.js';
import { countUp } from '../network/rows.js';

interface Scratch {
  /** Row numbers, as long as the most rows a call of the network has trained on. */
  rows: Uint32Array;
  /** The last order handed out: a view of `rows` as long as its call's rows. */
  order: Uint32Array;
  rngAtStart: Uint32Array;
}

const scratches = new WeakMap<object, Scratch>();

/** `net`'s scratch, its row order 0, 1, …, rows − 1 (as long as `rows`) and its RNG state saved into rngAtStart. */
export function callScratch(net: { readonly rng: Rng }, rows: number): { order: Uint32Array; rngAtStart: Uint32Array } {
  let scratch = scratches.get(net);
  if (scratch === undefined) {
    const all = new Uint32Array(rows);
    scratch = { rows: all, order: all, rngAtStart: new Uint32Array(4) };
    scratches.set(net, scratch);
  } else if (scratch.order.length !== rows) {
    if (scratch.rows.length < rows) scratch.rows = new Uint32Array(rows);
    scratch.order = scratch.rows.length === rows ? scratch.rows : scratch.rows.subarray(0, rows);
  }
  countUp(scratch.order);
  net.rng.saveState(scratch.rngAtStart);
  return scratch;
}
