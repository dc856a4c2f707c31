/**
 * A/B of two source trees on the JavaScript a goal call runs between its kernel calls: both trees'
 * goal calls (bench/goal-calls.ts) in one process, the calls alternated one by one, every kernel
 * call timed (bench/call-times.ts timeCalls with JsGaps) so that the JavaScript before, between and
 * after them is summed apart from the kernels, as tenth percentile × stretches per call. A loaded
 * machine spoils whole calls, but only some of the stretches within them; the two trees' calls
 * meet the same load. Main against main shows the floor.
 *
 * Read on an AMD EPYC Zen 4 (2 vCPUs, one thread, load 13–16, 400 rounds, 2026-12-03, session 25):
 * main against main within 1–3 µs a call; the call's own row order and RNG state, the default SGD's
 * lists, closures and spreads no longer made per call (src/training/call-scratch.ts) read, in µs of
 * JavaScript per call against main's in the same runs: train(dataset) at batch 256 95.2 / 116.8,
 * 132.2 / 163.4, 70.7 / 81.3, 90.9 / 102.7; train(x, y) 120.4 / 140.5, 147.4 / 164.1, 94.2 / 111.0;
 * the inner step 13–29 on both; the b64 epoch per step 6.5 / 7.0, 6.7 / 7.3. A b256 call takes
 * ~2,400 µs: 10–30 µs is 0.4–1.3 % of it, under what whole calls show at this load.
 *
 * Read on an AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs, one thread, load 14, 150 rounds,
 * 2026-12-03, session 26): the settings of the last call's options object kept and its checks
 * skipped when the same object comes back unchanged (src/training/kept-settings.ts), in µs of
 * JavaScript per call against main's in the same run: train(x, y) at batch 256 88.1 / 106.8,
 * train(dataset) 96.6 / 116.0; the inner step 21.6 / 22.4. The weights' hash unchanged. Then the
 * step guard's bounds array made and registered as measured once per network (step-guard.ts
 * boundsFor) against that tree, three runs of 300 rounds, load 17–28: train(x, y) 106.2 / 122.9,
 * 161.4 / 170.0, 196.1 / 194.6; train(dataset) 90.3 / 96.4, 150.2 / 161.3, 154.4 / 158.2 (5 of 6
 * pairs lower, median −7 µs: about what a Float64Array and a WeakSet entry per call were thought to cost).
 *
 *   npx tsx bench/ab-trees-js.ts main=/tmp/main new=. [--rounds 300] [--only 'dataset) batch 256']
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { quantile } from '../src/median.js';
import { labelledArgs, option } from './ab-args.js';
import { JsGaps, timeCalls, type CallTimes } from './call-times.js';
import { GOAL_CALLS, GOAL_RATIOS, goalCallsOf, STEPS_PER_EPOCH, treeModules } from './goal-calls.js';

const trees = labelledArgs('npx tsx bench/ab-trees-js.ts old=<tree> new=<tree> [--rounds n] [--only text]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const rounds = Number(option('--rounds', '300'));
const only = option('--only', '');

interface Side {
  label: string;
  run: Record<string, () => void>;
  calls: CallTimes;
  gaps: JsGaps;
}
const sides: Side[] = [];
for (const { label, dir } of trees) {
  const m = await treeModules(dir);
  const kernels = await m.createWasmKernels({ variant: 'simd' });
  const side: Side = { label, run: {}, calls: new Map(), gaps: new JsGaps() };
  timeCalls(kernels, () => side.calls, undefined, side.gaps);
  side.run = (await goalCallsOf(m, kernels)).tasks;
  sides.push(side);
}
const stepsIn = (task: string) => (task === GOAL_CALLS.epoch || task === GOAL_CALLS.epochSteps ? STEPS_PER_EPOCH : 1);
const sum = (times: CallTimes, runs: number) => {
  let total = 0;
  for (const v of times.values()) total += (quantile(v, 0.1) * v.length) / runs;
  return total;
};

console.log(`${os.cpus()[0].model}, load ${os.loadavg()[0].toFixed(1)}; wasm-simd, one thread, ${rounds} rounds, the trees' calls alternated; µs per step (p10 × count)`);
for (const task of [...new Set(GOAL_RATIOS.flat())].filter((t) => t.includes(only))) {
  const steps = stepsIn(task);
  const js = sides.map(() => new Map() as CallTimes);
  const kernels = sides.map(() => new Map() as CallTimes);
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 ? [...sides.keys()].reverse() : [...sides.keys()];
    for (const i of order) {
      const side = sides[i];
      side.calls = round === 0 ? new Map() : kernels[i];
      side.gaps.times = round === 0 ? new Map() : js[i];
      side.gaps.mark('call start');
      side.run[task]();
      side.gaps.mark('call end');
      side.gaps.pause();
    }
  }
  const cells = sides.map((side, i) => `${side.label} JS ${(sum(js[i], rounds) / steps).toFixed(1)} kernels ${(sum(kernels[i], rounds) / steps).toFixed(1)}`);
  console.log(`${task.padEnd(34)} ${cells.join('   ')}`);
}
console.log(`load at the end ${os.loadavg()[0].toFixed(1)}`);
