/**
 * A/B of two source trees on the public train() calls issue #16's goals time (bench/goal-calls.ts),
 * the calls alternated one by one (bench/median.ts alternating): every task of every tree takes its
 * turn, one call each, the order rotated every turn, so a call of one tree is never more than one
 * call of each other task away from the same call of the other, and a change of load on a shared
 * host hits both alike even within a round; bench/ab-trees-train.ts runs each task for a stretch of
 * time per round instead. Main against main on an AMD EPYC Zen 4 (2 vCPUs, load 11–12, 9 rounds of
 * 11 turns, 2026-12-02) read every task's speed-up within 1.000–1.008× and each goal's ratio within
 * 0.003 of the other copy's.
 *
 * With `--burst n` each turn is n calls of its task back to back (each timed): the later ones find
 * the task's data in cache, as the goals' benches, which run one task's calls together, do; with the
 * default 1 every call follows other tasks' calls, its data pushed out of cache by theirs.
 *
 * Prints, per task, each tree's median call (the median over rounds of each round's median call)
 * and its median per-round speed-up over the first tree; then each goal's ratio (the public call
 * over its inner steps, in the same round) per tree: the median round, the middle half and the
 * range (bench/spread.ts). And, before timing, the hash of the weights two shuffled epochs, then
 * two of one batch in order, leave per tree (a change that must keep the trained bits shows it does).
 *
 *   git archive main | tar -x -C /tmp/main && ln -s "$PWD/node_modules" /tmp/main && (cd /tmp/main && npm run build)
 *   npx tsx bench/ab-trees-calls.ts old=/tmp/main new=. [--rounds 9] [--calls 15] [--burst 1] [--only 256]
 * (--only: the tasks whose name contains it; main against itself, `a=/tmp/main b=/tmp/main`, shows the noise floor)
 */
import { resolve } from 'node:path';
import { labelledArgs, option } from './ab-args.js';
import { goalCallsOf, GOAL_RATIOS, treeModules } from './goal-calls.js';
import { alternating, median, type AlternatingTask } from './median.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';

const trees = labelledArgs('npx tsx bench/ab-trees-calls.ts old=<tree> new=<tree> [--rounds n] [--calls n] [--burst n] [--only text]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const rounds = Number(option('--rounds', '9'));
const calls = Number(option('--calls', '15'));
const burst = Number(option('--burst', '1'));
const only = option('--only', '');

/** A task's name under a tree's label (the tasks of every tree alternate in one list). */
const named = (label: string, task: string) => `${label}|${task}`;

const tasks: AlternatingTask[] = [];
let taskNames: string[] = [];
for (const { label, dir } of trees) {
  const m = await treeModules(dir);
  const { tasks: own, bits } = await goalCallsOf(m, await m.createWasmKernels({ variant: 'simd' }));
  console.log(`${label} (${dir}): weights after two shuffled epochs and two in order ${bits}`);
  taskNames = Object.keys(own).filter((name) => name.includes(only));
  for (const task of taskNames) tasks.push({ name: named(label, task), run: own[task] });
}

const ms = alternating(tasks, rounds, calls, burst);
console.log(`wasm-simd: ${trees.length} trees, ${rounds} rounds of ${calls} alternated turns of ${burst} call${burst === 1 ? '' : 's'} per task`);
const first = trees[0].label;
for (const task of taskNames) {
  const base = ms.get(named(first, task))!;
  const cells = trees.map(({ label }) => {
    const own = ms.get(named(label, task))!;
    return `${label} ${median(own).toFixed(4)} ms ×${median(roundRatios(base, own)).toFixed(3)}`;
  });
  console.log(`${task.padEnd(34)} ${cells.join('   ')}`);
}
for (const [call, steps] of GOAL_RATIOS) {
  if (!taskNames.includes(call) || !taskNames.includes(steps)) continue;
  console.log(`${call} over ${steps}:`);
  for (const { label } of trees) {
    const ratios = roundRatios(ms.get(named(label, call))!, ms.get(named(label, steps))!);
    console.log(`  ${label} ${spreadText(spreadOf(ratios), (r) => `${r.toFixed(3)}×`)}`);
  }
}
