/**
 * The exp-bound activations on 1M floats: sigmoid, tanh and softmax (rows of 10 and of 100), as
 * wasm-simd, wasm-scalar and a plain TypeScript loop over a Float32Array calling Math.exp.
 * `ratio` is the speed-up over that loop (its median time over this row's); the goal is ≥ 5 for
 * wasm-simd on all three.
 */
import { Bench } from 'tinybench';
import { Rng } from '../src/init/rng.js';
import type { Kernels, OutputActivation } from '../src/kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { medianMs } from './median.js';

export const ELEMENTWISE_LENGTH = 1_000_000;

export interface ElementwiseRow {
  name: string;
  medianMs: number;
  /** Speed-up over the plain TypeScript Math.exp loop (1 for that loop itself). */
  ratio?: number;
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

  const bench = new Bench({ time: opts.time ?? 500 });
  for (const c of CASES) {
    bench.add(`${c.name} ts`, () => c.ts(a, z));
    for (const { k, zt, at } of tensors) {
      bench.add(`${c.name} ${k.name}`, () => k.activationForward(c.f, at, zt, length / c.n, c.n));
    }
  }
  await bench.run();

  const rows: ElementwiseRow[] = [];
  for (const c of CASES) {
    const ts = medianMs(bench, `${c.name} ts`);
    rows.push({ name: `${c.name} ts`, medianMs: ts, ratio: 1 });
    for (const { k } of tensors) {
      const ms = medianMs(bench, `${c.name} ${k.name}`);
      rows.push({ name: `${c.name} ${k.name}`, medianMs: ms, ratio: ts / ms });
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
    console.log(`${row.name.padEnd(28)} ${row.medianMs.toFixed(3).padStart(8)} ms  ${row.ratio!.toFixed(1).padStart(6)}×`);
  }
}
