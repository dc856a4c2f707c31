/**
 * Whether runs on different thread counts part (docs/benchmarks.md, Threads): the same network,
 * seed, data and training on 1, 2 and 3 threads (createThreadedWasmKernels, which takes more
 * threads than the machine's cores, so 3 runs on 2 cores too), each count twice. Every split kernel
 * computes each value as one thread does (and a layer's ∂W run beside its ∂input is each computed
 * whole), so all counts should give the same bits; the same count
 * must. Prints, per count against one thread, the share of parameters that differ, the largest
 * difference and the first significant digit where an epoch's loss differs.
 *
 *   npx tsx bench/thread-bits.ts
 */
import { createNetwork } from '../src/api/network.js';
import { Rng } from '../src/init/rng.js';
import type { Kernels } from '../src/kernels.js';
import { createThreadedWasmKernels } from '../src/wasm/threads/threaded-kernels.js';

/** The measured set-up: sizes, seed, epochs and batch size (the batch splits: 85 rows or more per thread on 3 threads, past the default least rows). */
export const THREAD_BITS_SETUP = { sizes: [64, 256, 256, 2], seed: 1, epochs: 3, batchSize: 256, rows: 1024, learningRate: 0.1 } as const;

/** The rows: inputs N(0, 1) from Rng(seed); the class is whether the first four inputs sum above 0. */
function problem(rows: number, inputs: number, seed: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = x.map((row) => (row[0] + row[1] + row[2] + row[3] > 0 ? [1, 0] : [0, 1]));
  return { x, y };
}

interface Run {
  parameters: Float32Array;
  losses: number[];
  splitProducts: number;
  /** Layers whose ∂W ran beside their ∂input (denseBackwardWeightsAndInput). */
  pairedProducts: number;
}

async function trainOn(threads: number): Promise<Run> {
  const s = THREAD_BITS_SETUP;
  const kernels = await createThreadedWasmKernels({ threads });
  try {
    const net = await createNetwork({ sizes: [...s.sizes], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: s.seed, backend: kernels as Kernels });
    const { x, y } = problem(s.rows, s.sizes[0], s.seed);
    const result = net.train(x, y, { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate });
    const parameters = Float32Array.from(net.parameters().flatMap((p) => Array.from(net.kernels.view(p.value).subarray(0, p.length))));
    net.dispose();
    return { parameters, losses: result.epochs.map((e) => e.loss), splitProducts: kernels.splitProducts, pairedProducts: kernels.pairedProducts };
  } finally {
    await kernels.close();
  }
}

/** The first significant digit (1-based) where a and b differ, or null where they are equal. */
function firstDifferingDigit(a: number, b: number): number | null {
  if (a === b) return null;
  const [x, y] = [a.toPrecision(17), b.toPrecision(17)].map((t) => t.replace(/^-?0?\.?0*/, '').replace('.', ''));
  const at = [...x].findIndex((c, i) => c !== y[i]);
  return at + 1;
}

const one = await trainOn(1);
console.log(`[${THREAD_BITS_SETUP.sizes.join(',')}], seed ${THREAD_BITS_SETUP.seed}, ${THREAD_BITS_SETUP.epochs} epochs at batch ${THREAD_BITS_SETUP.batchSize} over ${THREAD_BITS_SETUP.rows} rows; ${one.parameters.length} parameters`);
for (const threads of [1, 2, 3]) {
  const [a, b] = [await trainOn(threads), await trainOn(threads)];
  const sameCount = a.parameters.every((v, i) => Object.is(v, b.parameters[i])) && a.losses.every((l, i) => Object.is(l, b.losses[i]));
  let differing = 0;
  let largest = 0;
  a.parameters.forEach((v, i) => {
    if (v !== one.parameters[i]) differing++;
    largest = Math.max(largest, Math.abs(v - one.parameters[i]));
  });
  const digits = a.losses.map((l, e) => firstDifferingDigit(l, one.losses[e])).filter((d): d is number => d !== null);
  console.log(
    `${threads} thread${threads === 1 ? '' : 's'}: ${a.splitProducts} split products, ${a.pairedProducts} ∂W beside ∂input; two runs ${sameCount ? 'bit for bit equal' : 'DIFFER'}; ` +
      `against 1 thread ${((100 * differing) / a.parameters.length).toFixed(1)} % of parameters differ, by at most ${largest.toExponential(1)}; ` +
      `epoch losses ${digits.length ? `differ from significant digit ${Math.min(...digits)}` : 'equal'}`,
  );
}
