/**
 * A/B of two source trees on the public train() calls the goals of issue #16 time (bench/goal-calls.ts),
 * where bench/ab-trees.ts times the block layers. Each tree's own network and its own built core run
 * in one process, several instances of each, rounds interleaved as bench/ab.ts's (tinybench runs each
 * task for `--time` ms per round); per task each tree's median time and its median per-round speed-up
 * over the first. Before timing, a hash of the weights two shuffled epochs of train(dataset) leave
 * from the same seed, per tree: a change that must keep the trained bits shows it does.
 * bench/ab-trees-calls.ts times the same calls alternated one by one, which a load change on a
 * shared host hits more alike.
 *
 *   git archive main | tar -x -C /tmp/main && ln -s "$PWD/node_modules" /tmp/main && (cd /tmp/main && npm run build)
 *   npx tsx bench/ab-trees-train.ts old=/tmp/main new=. [--instances 2] [--rounds 8] [--time 200] [--only 256]
 * (--only: the tasks whose name contains it)
 */
import { resolve } from 'node:path';
import { againstFirst, interleavedRounds, type AbInstance } from './ab-rounds.js';
import { median } from './median.js';
import { labelledArgs, option } from './ab-args.js';
import { goalCallsOf, GOAL_RATIOS, treeModules } from './goal-calls.js';

const trees = labelledArgs('npx tsx bench/ab-trees-train.ts old=<tree> new=<tree> [--instances n] [--rounds n] [--time ms] [--only text]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const instances = Number(option('--instances', '2'));
const rounds = Number(option('--rounds', '8'));
const time = Number(option('--time', '200'));
const only = option('--only', '');

const all: AbInstance[] = [];
for (const { label, dir } of trees) {
  const m = await treeModules(dir);
  for (let index = 0; index < instances; index++) {
    const { tasks, bits } = await goalCallsOf(m, await m.createWasmKernels({ variant: 'simd' }));
    if (index === 0) console.log(`${label} (${dir}): weights after two shuffled epochs and two in order ${bits}`);
    all.push({ label, index, tasks: Object.fromEntries(Object.entries(tasks).filter(([name]) => name.includes(only))) });
  }
}

const ms = await interleavedRounds(all, instances, rounds, time);
console.log(`wasm-simd: ${trees.length} trees × ${instances} instances × ${rounds} rounds`);
for (const task of Object.keys(all[0].tasks)) {
  const cells = trees.map(({ label }) => {
    const { ms: t, speedUp } = againstFirst(ms, trees[0].label, label, task);
    return `${label} ${t.toFixed(4)} ms ×${speedUp.toFixed(3)}`;
  });
  console.log(`${task.padEnd(34)} ${cells.join('   ')}`);
}
// The goals' own ratios per tree: each public call's time over its inner steps', in the same round and instance.
for (const [call, steps] of GOAL_RATIOS) {
  if (!(call in all[0].tasks) || !(steps in all[0].tasks)) continue;
  const cells = trees.map(({ label }) => {
    const [c, s] = [ms.get(label)!.get(call)!, ms.get(label)!.get(steps)!];
    return `${label} ${median(c.map((t, i) => t / s[i])).toFixed(3)}×`;
  });
  console.log(`${call} over ${steps}: ${cells.join('   ')}`);
}
