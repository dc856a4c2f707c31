/**
 * What each public train() call of issue #16's goals costs beyond the inner steps it is judged
 * against (bench/goal-calls.ts' GOAL_RATIOS), kernel by kernel and in the JavaScript between the
 * kernels: the call and its steps alternated run by run on one wasm-simd backend whose every kernel
 * call is timed (bench/call-times.ts timeCalls, with JsGaps for the stretches between them). Per
 * pair, per step: each kernel call's tenth percentile × its calls on either side, the largest
 * differences first, and the JavaScript between the kernel calls (Σ tenth percentile × stretches).
 * Tenth percentiles, as bench/train-calls.ts sums them: a loaded machine spoils whole calls, but
 * only some of the kernel calls and stretches within them.
 *
 *   npx tsx bench/goal-call-costs.ts [--rounds 10] [--only 'batch 64'] [--top 12]
 *
 * Read on an AMD EPYC Zen 4 (2 vCPUs, one thread; 2026-12-03, session 24, main at 4cc9ddd):
 * - train(dataset) of one shuffled epoch at batch 64 (item 2: ≤ 1.10× its inner steps; 8 rounds,
 *   load 11): per step, kernels 636.0 µs against 592.2 (1.074×), the JavaScript between them 15.0
 *   against 4.8, both 1.090×. The forward that gathers the batch from the 28 MB data set
 *   (denseForwardGather) 252.7 against the inner step's 221.6 for a batch already in cache (+31),
 *   the step guard's maxAbs of the gradients 4.9 (the first layer's) and ~2 (the others'), the targets' copy (copyRows) 3.7; ∂W reads
 *   the gathered batch as fast as the inner step's (223.4 against 225.3). The JavaScript is train()'s
 *   loop (the guard, the optimiser, the next batch's load; the shuffle and the call's setup, ~0.6 ms a
 *   call, spread over its 141 steps) run after kernels that pushed its code and objects out of the
 *   caches: with no-op kernels it runs in 2–2.5 µs a step (session 23).
 *   Loads of the next group's rows ahead, in the forward that gathers (assembly/row-dots.simd.ts),
 *   did not help: one load in each memory page of the next four rows, or three consecutive lines
 *   from each page's first (to start the L2's stream prefetcher), before a group's products read
 *   242.5 and 244.4 µs against main's 245.1 and 244.6 in the same runs (12 epochs alternated two
 *   trees in one process, p10, load 9–11; the weights' bits unchanged); nor did a load of every line
 *   of the next four rows inside the loop that reads and packs this group's (dot4x2Packing), so that
 *   the two groups' misses overlap: 363.8 and 337.2 µs against main's 357.1 and 338.1 (two runs of 12
 *   epochs, load 8, the host in a slow state: ∂W took 308–335 µs). Wasm has no prefetch: a load that
 *   misses holds up what follows it. Session 23 read a load per line, as a pass before the group's
 *   products, at 254 against 244 (src/wasm/threads/threaded-kernels.ts).
 * - train(dataset) of one batch of 256 in order (item 3, against jax-js' jitted step; 60 rounds,
 *   load 10.5): kernels 2,354 µs against the inner step's 2,305 (1.021×), the JavaScript between
 *   them 165 against 20 (102 of it before the call's first kernel call), both 1.084×. Apart, on the
 *   same binary (p10, load 8–14): the two first-layer products 891 and 879 µs in a train() call, 97 %
 *   and 98 % of the f32x4 mul + add peak (46.5 GFLOP/s: the peak loop alternated with the products
 *   at these shapes, p10); the second layer's
 *   115 + 233 (96 %, 95 %), the third's 14 + 36 (79 %, 61 %), the activations 47, the guard's
 *   maxAbs 11.5, the update 11.5, the zeroing 10: the kernels within 8 % of the peak's time for
 *   the step's 97.2 MFLOP (2,095 µs), no pass but the products above 2 % of the call. jax-js' jitted
 *   step (makeJaxpr of bench/jax.bench.ts' step, @jax-js/jax 0.1.25) runs the same eight products
 *   (three forward, ∂input of the last two layers only, three ∂W) with the bias and sigmoid as
 *   kernels of their own, and copies x twice (stop_gradient, reshape): nothing gradscope computes
 *   that it skips. The call's JavaScript before its first kernel call, timed in parts between
 *   back-to-back calls: 52 µs at batch 256 against 9 at batch 1 (checking the options 4 against
 *   0.5, reading the settings 11 against 1.3, making the optimiser 18 against 3.7, the rows and
 *   order 7 against 0.8): the same code, slower after the last call's kernels pushed it out of the
 *   caches (bench/profile.bench.ts' 'train() call: JavaScript after a long kernel' row).
 * - The same b256 call after a call stopped allocating its row order, RNG copy, SGD lists, closures
 *   and spreads (src/training/call-scratch.ts; 6.4 → 3.8 KB of heap a call; session 25, 300 rounds, five
 *   runs of each tree alternated, load 10–13): the JavaScript between the kernels 90.7, 115.1, 116.4,
 *   91.7, 58.9 µs against main's 143.0, 166.9, 217.6, 99.8, 168.3 (inner step 8.5–31); the call over
 *   its inner step, both, 1.031–1.056× (median 1.039×) against 1.042–1.069× (1.059×). Left, largest
 *   first (marks between the kernels, p10, two runs): readTrainingSettings 14–17 µs, the Dataset's
 *   checks and rows (withRows) 10–14, checkTrainOptions 9–13, the tail after the last kernel 8–13
 *   (+4–7 ending the rows in place), guard.step's JavaScript before its update 7–11, making the
 *   forwardBackward closure 7.5–10 (2.8–3.3 on main in the same runs: not explained), StepGuard's
 *   construction 6–9.
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { quantile } from '../src/median.js';
import { option } from './ab-args.js';
import { JsGaps, timeCalls, type CallTimes } from './call-times.js';
import { GOAL_CALLS, GOAL_RATIOS, goalCallsOf, STEPS_PER_EPOCH, treeModules } from './goal-calls.js';

const rounds = Number(option('--rounds', '10'));
const only = option('--only', '');
const top = Number(option('--top', '12'));

const m = await treeModules(resolve('.'));
const kernels = await m.createWasmKernels({ variant: 'simd' });
const { tasks } = await goalCallsOf(m, kernels);

/** One side of a pair: its kernel calls and the stretches between them, over every timed run. */
interface Side {
  name: string;
  run: () => void;
  /** Inner steps a run stands for (the call's: as many as the steps it is judged against). */
  steps: number;
  calls: CallTimes;
  gaps: CallTimes;
}
const stepsIn = (task: string) => (task === GOAL_CALLS.epoch || task === GOAL_CALLS.epochSteps ? STEPS_PER_EPOCH : 1);
let calls: CallTimes = new Map();
const gaps = new JsGaps();
timeCalls(kernels, () => calls, undefined, gaps);

/** Σ tenth percentile × count per run, in µs per step. */
const perStep = (times: CallTimes, side: Side) => {
  let sum = 0;
  for (const v of times.values()) sum += (quantile(v, 0.1) * v.length) / rounds;
  return sum / side.steps;
};
const p10PerStep = (v: number[] | undefined, side: Side) => (v ? (quantile(v, 0.1) * v.length) / rounds / side.steps : 0);

console.log(`${os.cpus()[0].model}, load ${os.loadavg()[0].toFixed(1)}; wasm-simd, one thread, ${rounds} rounds alternated; µs per step (p10 × calls)`);
for (const [call, steps] of GOAL_RATIOS) {
  if (!call.includes(only) && !steps.includes(only)) continue;
  const sides: Side[] = [call, steps].map((name) => ({ name, run: tasks[name], steps: stepsIn(name), calls: new Map(), gaps: new Map() }));
  // Round 0 warms up and is dropped; the order alternates so neither side always runs first.
  for (let round = 0; round <= rounds; round++) {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      calls = round === 0 ? new Map() : side.calls;
      gaps.times = round === 0 ? new Map() : side.gaps;
      gaps.mark('call start');
      side.run();
      gaps.mark('call end');
      gaps.pause();
    }
  }
  const [a, b] = sides;
  console.log(`\n${a.name} (per step of ${a.steps}) against ${b.name}:`);
  const names = [...new Set([...a.calls.keys(), ...b.calls.keys()])];
  const rows = names.map((name) => ({ name, a: p10PerStep(a.calls.get(name), a), b: p10PerStep(b.calls.get(name), b) }));
  rows.sort((x, y) => Math.abs(y.a - y.b) - Math.abs(x.a - x.b));
  for (const r of rows.slice(0, top)) console.log(`  ${r.name.slice(0, 70).padEnd(70)} ${r.a.toFixed(1).padStart(8)} ${r.b.toFixed(1).padStart(8)} ${(r.a - r.b >= 0 ? '+' : '') + (r.a - r.b).toFixed(1)}`);
  const [ka, kb, ja, jb] = [perStep(a.calls, a), perStep(b.calls, b), perStep(a.gaps, a), perStep(b.gaps, b)];
  console.log(`  kernels ${ka.toFixed(1)} against ${kb.toFixed(1)} (${(ka / kb).toFixed(3)}×); JavaScript between them ${ja.toFixed(1)} against ${jb.toFixed(1)}; both ${((ka + ja) / (kb + jb)).toFixed(3)}×`);
  const stretches = [...a.gaps].sort((x, y) => p10PerStep(y[1], a) - p10PerStep(x[1], a)).slice(0, 5);
  console.log(`  the call's longest stretches of JavaScript: ${stretches.map(([name, v]) => `${name} ${p10PerStep(v, a).toFixed(1)}`).join('; ')}`);
}
console.log(`load at the end ${os.loadavg()[0].toFixed(1)}`);
