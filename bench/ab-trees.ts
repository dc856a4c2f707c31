/**
 * A/B of two source trees (say, main exported to a folder and built there, against this one) on
 * what block layers do at batch 64 on digit-shaped rows: SGD steps of networks whose first layer is
 * batch norm, layer norm, a plain or a ReZero residual block (their ∂L/∂x is read by nobody), and
 * repeated Hessian-vector and Gauss-Newton products of the curvature bench's block net, of one that
 * starts with batch norm, of one with layer norm after each hidden dense layer, and of a narrow one
 * (the first NARROW pixels of each row, 64 units wide) whose normalisations cost as much as its dense
 * layers. Each tree's own layers and its own built core run in one process, several instances of
 * each, rounds interleaved as bench/ab.ts's; per task each tree's median time and its median
 * per-round speed-up over the first, and a hash of each task's output bits after one run (the
 * steps' gradients, the products), so a change that should keep the bits shows it does.
 *
 *   git archive main | tar -x -C /tmp/main && ln -s "$PWD/node_modules" /tmp/main && (cd /tmp/main && npm run build)
 *   npx tsx bench/ab-trees.ts old=/tmp/main new=. [--variant simd|scalar] [--instances 3] [--rounds 10] [--time 200] [--only H·v]
 * (--only: the tasks whose name contains it)
 */
import { resolve } from 'node:path';
import type { Kernels, Tensor } from '../src/kernels.js';
import type { LayerSpec } from '../src/layers/spec.js';
import { allocVector } from '../src/optim/param-vector.js';
import { againstFirst, bitsHash, interleavedRounds, type AbInstance } from './ab-rounds.js';
import { labelledArgs, option } from './ab-args.js';
import { BLOCK_SPECS } from './curvature.bench.js';
import { digitShapedBatch, sgdStepOf } from './sequential-step.js';

const BATCH = 64;
const INPUTS = 784;
const NARROW = 32;
const head: LayerSpec[] = [{ type: 'dense', units: 100, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }];
const cheapBranch: LayerSpec[] = [{ type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }];
const NETWORKS: Record<string, LayerSpec[]> = {
  'batch norm first': [{ type: 'batch-norm' }, { type: 'dense', units: 100, activation: 'relu' }, { type: 'batch-norm' }, head[1]],
  'residual first': [{ type: 'residual', layers: cheapBranch }, ...head],
  'ReZero first': [{ type: 'residual', gate: 'rezero', layers: cheapBranch }, ...head],
  'layer norm first': [{ type: 'layer-norm' }, ...head],
  'block net': BLOCK_SPECS,
  'layer norm net': [head[0], { type: 'layer-norm' }, { type: 'dense', units: 100, activation: 'tanh' }, { type: 'layer-norm' }, head[1]],
  'narrow norm net': [
    ...(['layer-norm', 'batch-norm', 'layer-norm'] as const).flatMap((type): LayerSpec[] => [{ type: 'dense', units: 64, activation: 'tanh' }, { type }]),
    head[1],
  ],
};
/** The networks that read the first NARROW pixels of each row (the others read all INPUTS). */
const NARROW_NETWORKS = new Set(['narrow norm net']);
const STEPS = ['batch norm first', 'layer norm first', 'residual first', 'ReZero first'];
const PRODUCTS = ['block net', 'batch norm first', 'layer norm net', 'narrow norm net'];

const trees = labelledArgs('npx tsx bench/ab-trees.ts old=<tree> new=<tree> [--variant simd|scalar] [--instances n] [--rounds n] [--time ms]').map(({ label, value }) => ({ label, dir: resolve(value) }));
const variant = option('--variant', 'simd');
const instances = Number(option('--instances', '3'));
const rounds = Number(option('--rounds', '10'));
const time = Number(option('--time', '200'));
const only = option('--only', '');

/** A tree's layers, products and wasm core, as its own modules. */
async function treeModules(dir: string) {
  return {
    ...(await import(`${dir}/src/init/rng.ts`)),
    ...(await import(`${dir}/src/layers/sequential.ts`)),
    ...(await import(`${dir}/src/layers/spec.ts`)),
    ...(await import(`${dir}/src/layers/hessian.ts`)),
    ...(await import(`${dir}/src/layers/gauss-newton.ts`)),
    ...(await import(`${dir}/src/wasm/wasm-kernels.ts`)),
  };
}

/** The tasks on one instance of a tree's core, and the hash of each one's output bits after its first run. */
function tasksOf(m: Awaited<ReturnType<typeof treeModules>>, k: Kernels): { tasks: Record<string, () => void>; bits: string[] } {
  const { x: digits, y } = digitShapedBatch(k, BATCH, new m.Rng(2));
  const narrow = k.alloc(BATCH * NARROW);
  k.copy2d(narrow, 0, NARROW, digits, 0, INPUTS, BATCH, NARROW);
  const inputOf = (name: string) => (NARROW_NETWORKS.has(name) ? { x: narrow, inputs: NARROW } : { x: digits, inputs: INPUTS });
  const build = (name: string) => {
    const { inputs } = inputOf(name);
    return m.buildSequential(k, m.checkLayerSpecs(NETWORKS[name], inputs), inputs, new m.Rng(1), { init: 'he-normal', capacity: BATCH });
  };
  const tasks: Record<string, () => void> = {};
  const bits: string[] = [];
  const gradients = (stack: { parameters: { grad: Tensor; length: number }[] }) => bitsHash(Float64Array.from(stack.parameters.flatMap((p) => Array.from(k.view(p.grad).subarray(0, p.length)))));
  for (const name of STEPS) {
    const stack = build(name);
    tasks[`step, ${name}`] = sgdStepOf(k, stack, inputOf(name).x, y, BATCH);
    tasks[`step, ${name}`]();
    bits.push(`step, ${name} ${gradients(stack)}`);
  }
  for (const [what, Product] of [['H·v', m.StackHessian], ['G·v', m.StackGaussNewton]] as const) {
    for (const name of PRODUCTS) {
      // A stack per product: a G·v's backward would make H·v's kept one stale.
      const stack = build(name);
      const { x } = inputOf(name);
      stack.forward(x, BATCH, 'batch');
      const lengths = stack.parameters.map((p: { length: number }) => p.length);
      const [v, out] = [allocVector(k, lengths), allocVector(k, lengths)];
      const rng = new m.Rng(3);
      v.forEach((t, i) => k.write(t, Float32Array.from({ length: lengths[i] }, () => rng.normal())));
      const product = new Product(k, stack, 'cross-entropy');
      tasks[`${what}, ${name}`] = () => product.apply(out, v, x, y, BATCH);
      tasks[`${what}, ${name}`]();
      bits.push(`${what}, ${name} ${bitsHash(Float64Array.from(out.flatMap((t, i) => Array.from(k.view(t).subarray(0, lengths[i])))))}`);
    }
  }
  return { tasks, bits };
}

const all: AbInstance[] = [];
for (const { label, dir } of trees) {
  const m = await treeModules(dir);
  for (let index = 0; index < instances; index++) {
    const { tasks, bits } = tasksOf(m, await m.createWasmKernels({ variant }));
    if (index === 0) console.log(`${label} (${dir}): output bits ${bits.join(', ')}`);
    all.push({ label, index, tasks: Object.fromEntries(Object.entries(tasks).filter(([name]) => name.includes(only))) });
  }
}

const ms = await interleavedRounds(all, instances, rounds, time);
console.log(`wasm-${variant}, batch ${BATCH}: ${trees.length} trees × ${instances} instances × ${rounds} rounds`);
for (const task of Object.keys(all[0].tasks)) {
  const cells = trees.map(({ label }) => {
    const { ms: t, speedUp } = againstFirst(ms, trees[0].label, label, task);
    return `${label} ${t.toFixed(4)} ms ×${speedUp.toFixed(3)}`;
  });
  console.log(`${task.padEnd(26)} ${cells.join('   ')}`);
}
