/**
 * The exp-bound activations on 1M floats: sigmoid, tanh and softmax (rows of 10 and of 100), as
 * wasm-simd, wasm-scalar and a plain TypeScript loop over a Float32Array calling Math.exp.
 * Each case's three passes run in ELEMENTWISE_ROUNDS interleaved rounds (the order rotated each
 * round); `ratio` is the median of the per-round speed-ups over that loop (the loop's time over the
 * row's in the same round). The goal for wasm-simd is in bench/goals.ts (ELEMENTWISE_TARGET).
 */
import { Rng } from '../src/init/rng.js';
import type { Kernels, OutputActivation } from '../src/kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { interleaved, median, type RoundTask } from './median.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { times } from './report.js';

export const ELEMENTWISE_LENGTH = 1_000_000;

/**
 * Rounds per case, as many as the dense products' (DENSE_ROUNDS). The passes share `time` between
 * them, and a round costs a pass four calls and one to warm where one timing of each cost tinybench's
 * 64 calls and 16 to warm: the suite took 13.5 and 14.5 s against 15.4 and 15.8 s before (runs of each
 * alternating, 2026-12-01 10:28–10:29, load average ~13).
 */
export const ELEMENTWISE_ROUNDS = 11;

export interface ElementwiseRow {
  name: string;
  /** The median of the rounds' times. */
  medianMs: number;
  /** Speed-up over the plain TypeScript Math.exp loop, the median round's (1 for that loop itself). */
  ratio?: number;
  /** The speed-up in each round (the loop's time over this row's in that round); absent for the loop itself. */
  ratios?: number[];
}

interface Case {
  name: string;
  f: OutputActivation;
  /** Row length (softmax); the elementwise ones run as one row of all the floats. */
  n: number;
  ts: (a: Float32Array, z: Float32Array) => void;
}

// ---- the plain TypeScript loops: what a network in JS would write ----

function sigmoidTs(a: Float32Array, z: Float32Array): void {
  for (let i = 0; i < z.length; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
}

function tanhTs(a: Float32Array, z: Float32Array): void {
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp(-2 * Math.abs(z[i]));
    const t = (1 - e) / (1 + e);
    a[i] = z[i] < 0 ? -t : t;
  }
}

function softmaxTs(n: number): (a: Float32Array, z: Float32Array) => void {
  return (a, z) => {
    for (let row = 0; row < z.length; row += n) {
      let max = -Infinity;
      for (let j = row; j < row + n; j++) max = Math.max(max, z[j]);
      let sum = 0;
      for (let j = row; j < row + n; j++) sum += a[j] = Math.exp(z[j] - max);
      const inv = 1 / sum;
      for (let j = row; j < row + n; j++) a[j] *= inv;
    }
  };
}

const CASES: Case[] = [
  { name: 'sigmoid', f: 'sigmoid', n: ELEMENTWISE_LENGTH, ts: sigmoidTs },
  { name: 'tanh', f: 'tanh', n: ELEMENTWISE_LENGTH, ts: tanhTs },
  { name: 'softmax n=10', f: 'softmax', n: 10, ts: softmaxTs(10) },
  { name: 'softmax n=100', f: 'softmax', n: 100, ts: softmaxTs(100) },
];

export async function runElementwiseBench(opts: { time?: number } = {}): Promise<ElementwiseRow[]> {
  const length = ELEMENTWISE_LENGTH;
  const rng = new Rng(1);
  const z = Float32Array.from({ length }, () => 3 * rng.normal());
  const a = new Float32Array(length);

  const backends: Kernels[] = [await createWasmKernels({ variant: 'scalar' }), await createWasmKernels({ variant: 'simd' })];
  const tensors = backends.map((k) => {
    const zt = k.alloc(length);
    k.write(zt, z);
    return { k, zt, at: k.alloc(length) };
  });

  // `time`: ms per pass over all rounds.
  const ms = (opts.time ?? 500) / ELEMENTWISE_ROUNDS;
  const rows: ElementwiseRow[] = [];
  for (const c of CASES) {
    const loop: RoundTask = { name: `${c.name} ts`, run: () => c.ts(a, z), ms };
    const passes: RoundTask[] = tensors.map(({ k, zt, at }) => ({ name: `${c.name} ${k.name}`, run: () => k.activationForward(c.f, at, zt, length / c.n, c.n), ms }));
    const roundTimes = await interleaved([loop, ...passes], ELEMENTWISE_ROUNDS);
    const loopMs = roundTimes.get(loop.name)!;
    rows.push({ name: loop.name, medianMs: median(loopMs), ratio: 1 });
    for (const { name } of passes) {
      const ratios = roundRatios(loopMs, roundTimes.get(name)!);
      rows.push({ name, medianMs: median(roundTimes.get(name)!), ratio: median(ratios), ratios });
    }
  }
  for (const { k, zt, at } of tensors) {
    k.free(zt);
    k.free(at);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`exp-bound activations on ${ELEMENTWISE_LENGTH.toLocaleString('en')} floats (ratio: speed-up over the TypeScript loop)`);
  for (const row of await runElementwiseBench()) {
    const speedUp = row.ratios ? spreadText(spreadOf(row.ratios), times) : times(row.ratio!);
    console.log(`${row.name.padEnd(28)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${speedUp}`);
  }
}
