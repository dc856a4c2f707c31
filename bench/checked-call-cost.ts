/**
 * What a call of the exported (checked) kernels costs beyond the unchecked kernels the library's
 * layers call (src/checked-kernels.ts): the same call on one wasm-simd instance, through the
 * checking layer and not, alternated round by round; medians and tenth percentiles of the rounds,
 * and the median of the pairs' differences.
 *
 *   npx tsx bench/checked-call-cost.ts
 *
 * Read on an AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs; 2026-12-04 00:17, load 13–14, one run):
 * axpy n=16 20.2 → 63.9 ns (p10 19.3 → 56.6; +43 ns), denseForward 8×64→64 4.75 → 5.07 µs (+50 ns),
 * copyRows of 8 rows 280 → 565 ns (+225 ns: each row number is checked too); a second run at load
 * 14.4 gave +61, +305 and +461 ns. Tens of nanoseconds a call, not a few: the rest parameters, one
 * WeakSet lookup per tensor, the table's loops and an apply.
 */
import { checkedKernels } from '../src/checked-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { median } from './median.js';

const ROUNDS = 41;
const CALLS = 20_000;

const unchecked = await createWasmKernels({ variant: 'simd' });
const checked = checkedKernels(unchecked);
const x = checked.alloc(16);
const y = checked.alloc(16);
const w = checked.alloc(64 * 64);
const b = checked.alloc(64);
const z = checked.alloc(8 * 64);
const a = checked.alloc(8 * 64);
const rows = [0, 1, 2, 3, 4, 5, 6, 7];

/** Nanoseconds per call of `call`, over CALLS calls. */
function nsPerCall(call: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) call();
  return Number(process.hrtime.bigint() - start) / CALLS;
}

const tenth = (values: number[]) => [...values].sort((p, q) => p - q)[Math.floor(values.length / 10)];

const cases: [string, (k: typeof unchecked) => void][] = [
  ['axpy n=16', (k) => k.axpy(y, x, 16, 0)],
  ['denseForward 8×64→64', (k) => k.denseForward(z, a, w, b, 8, 64, 64)],
  ['copyRows 8 rows of 64', (k) => k.copyRows(a, z, rows, 0, 8, 64)],
];
for (const [name, call] of cases) {
  const plain: number[] = [];
  const held: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(nsPerCall(() => call(unchecked)));
    held.push(nsPerCall(() => call(checked)));
  }
  const difference = median(plain.map((ns, i) => held[i] - ns));
  console.log(`${name}: unchecked ${median(plain).toFixed(1)} ns (p10 ${tenth(plain).toFixed(1)}), checked ${median(held).toFixed(1)} ns (p10 ${tenth(held).toFixed(1)}); checking adds ${difference.toFixed(1)} ns (median of ${ROUNDS} pairs)`);
}
