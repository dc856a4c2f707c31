/**
 * The block kernels (issue 13) on a [1024][1000] batch (1M floats): batch norm (training forward,
 * normalising from saved statistics, evaluation, backward, and its dγ, dβ alone), layer norm (forward,
 * normalising from saved statistics, backward, its dγ, dβ alone and its dx alone), SELU (forward,
 * backward), the skip connection and the ReZero gate (forward, backward, and the gate's backward
 * without the skip's dx), as wasm-simd, wasm-scalar and the plain
 * TypeScript reference over Float32Arrays (src/ref, ref-f32). `ratio` is the reference's median
 * time over the row's (1 for the reference itself).
 */
import { Bench } from 'tinybench';
import { Rng } from '../src/init/rng.js';
import type { Kernels, Tensor } from '../src/kernels.js';
import { createRefKernels } from '../src/ref/ref-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { medianMs } from './median.js';

export const BLOCKS_BATCH = 1024;
export const BLOCKS_WIDTH = 1000;

export interface BlocksRow {
  name: string;
  medianMs: number;
  /** The plain-TypeScript reference's time over this row's. */
  ratio: number;
}

const EPS = 1e-5;
const MOMENTUM = 0.1;

/** Everything the kernels read and write, allocated once per backend. */
function tensorsOn(k: Kernels, rng: Rng) {
  const [batch, n] = [BLOCKS_BATCH, BLOCKS_WIDTH];
  const filled = (length: number, value: () => number) => {
    const t = k.alloc(length);
    k.write(t, Float32Array.from({ length }, value));
    return t;
  };
  return {
    x: filled(batch * n, () => 2 * rng.normal() + 0.5),
    dy: filled(batch * n, () => rng.normal()),
    branch: filled(batch * n, () => rng.normal()),
    gamma: filled(n, () => 1 + 0.1 * rng.normal()),
    beta: filled(n, () => 0.1 * rng.normal()),
    runningVar: filled(n, () => 1),
    alpha: filled(1, () => 0.3),
    y: k.alloc(batch * n),
    dx: k.alloc(batch * n),
    dbranch: k.alloc(batch * n),
    mean: k.alloc(Math.max(batch, n)),
    invStd: k.alloc(Math.max(batch, n)),
    runningMean: k.alloc(n),
    dgamma: k.alloc(n),
    dbeta: k.alloc(n),
    dalpha: k.alloc(1),
  };
}

type Tensors = ReturnType<typeof tensorsOn>;

/** Each kernel call as the bench runs it. Backward calls accumulate, so repeated runs only grow sums. */
const CASES: [name: string, run: (k: Kernels, t: Tensors) => void][] = [
  ['batch norm fwd (train)', (k, t) => k.batchNormForward(t.y, t.mean, t.invStd, t.runningMean, t.runningVar, t.x, t.gamma, t.beta, BLOCKS_BATCH, BLOCKS_WIDTH, MOMENTUM, EPS)],
  ['batch norm fwd, saved statistics', (k, t) => k.batchNormNormalize(t.y, t.x, t.mean, t.invStd, t.gamma, t.beta, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['batch norm fwd (eval)', (k, t) => k.batchNormInference(t.y, t.x, t.gamma, t.beta, t.runningMean, t.runningVar, BLOCKS_BATCH, BLOCKS_WIDTH, EPS)],
  ['batch norm bwd', (k, t) => k.batchNormBackward(t.dx, t.dgamma, t.dbeta, t.dy, t.x, t.mean, t.invStd, t.gamma, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['batch norm bwd, dγ dβ alone', (k, t) => k.batchNormAffineBackward(t.dgamma, t.dbeta, t.dy, t.x, t.mean, t.invStd, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['layer norm fwd', (k, t) => k.layerNormForward(t.y, t.mean, t.invStd, t.x, t.gamma, t.beta, BLOCKS_BATCH, BLOCKS_WIDTH, EPS)],
  ['layer norm fwd, saved statistics', (k, t) => k.layerNormNormalize(t.y, t.x, t.mean, t.invStd, t.gamma, t.beta, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['layer norm bwd', (k, t) => k.layerNormBackward(t.dx, t.dgamma, t.dbeta, t.dy, t.x, t.mean, t.invStd, t.gamma, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['layer norm bwd, dγ dβ alone', (k, t) => k.layerNormAffineBackward(t.dgamma, t.dbeta, t.dy, t.x, t.mean, t.invStd, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['layer norm bwd, dx alone', (k, t) => k.layerNormInputBackward(t.dx, t.dy, t.x, t.mean, t.invStd, t.gamma, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['selu fwd', (k, t) => k.activationForward('selu', t.y, t.x, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['selu bwd', (k, t) => k.activationBackward('selu', t.dx, t.dy, t.x, t.y, BLOCKS_BATCH, BLOCKS_WIDTH)],
  ['residual fwd', (k, t) => k.residualForward(t.y, t.x, t.branch, BLOCKS_BATCH * BLOCKS_WIDTH)],
  ['residual bwd', (k, t) => k.residualBackward(t.dx, t.dbranch, t.dy, BLOCKS_BATCH * BLOCKS_WIDTH)],
  ['rezero fwd', (k, t) => k.rezeroForward(t.y, t.x, t.branch, t.alpha, BLOCKS_BATCH * BLOCKS_WIDTH)],
  ['rezero bwd', (k, t) => k.rezeroBackward(t.dx, t.dbranch, t.dalpha, t.dy, t.branch, t.alpha, BLOCKS_BATCH * BLOCKS_WIDTH)],
  ['rezero gate bwd', (k, t) => k.rezeroGateBackward(t.dbranch, t.dalpha, t.dy, t.branch, t.alpha, BLOCKS_BATCH * BLOCKS_WIDTH)],
];

export async function runBlocksBench(opts: { time?: number } = {}): Promise<BlocksRow[]> {
  const reference = createRefKernels({ precision: 'f32' });
  const backends: Kernels[] = [reference, await createWasmKernels({ variant: 'scalar' }), await createWasmKernels({ variant: 'simd' })];
  const tensors = backends.map((k) => tensorsOn(k, new Rng(1)));
  const bench = new Bench({ time: opts.time ?? 300 });
  for (const [name, run] of CASES) {
    backends.forEach((k, b) => bench.add(`${name} ${k.name}`, () => run(k, tensors[b])));
  }
  await bench.run();
  const rows: BlocksRow[] = [];
  for (const [name] of CASES) {
    const referenceMs = medianMs(bench, `${name} ${reference.name}`);
    for (const k of backends) {
      const ms = medianMs(bench, `${name} ${k.name}`);
      rows.push({ name: `${name} ${k.name}`, medianMs: ms, ratio: referenceMs / ms });
    }
  }
  backends.forEach((k, b) => Object.values(tensors[b]).forEach((t: Tensor) => k.free(t)));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`block kernels on [${BLOCKS_BATCH}][${BLOCKS_WIDTH}] (ratio: speed-up over the plain-TypeScript reference)`);
  for (const row of await runBlocksBench()) {
    console.log(`${row.name.padEnd(40)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio.toFixed(1).padStart(6)}×`);
  }
}
