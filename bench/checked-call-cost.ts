/**
 * What a call of the exported (checked) kernels costs beyond the unchecked kernels the library's
 * layers call (src/checked-kernels.ts): the same call on one wasm-simd instance, through the
 * checking layer and not, alternated round by round; medians and tenth percentiles of the rounds,
 * and the median of the pairs' differences.
 *
 *   npx tsx bench/checked-call-cost.ts
 *
 * Read on an AMD EPYC Zen 5 (family 26 model 2, 2 vCPUs; 2026-12-04 04:33–04:35, load 13.5–14.6,
 * nice -n 19, three runs, checked and unchecked alternated, the checked first on odd rounds; ownership
 * one WeakMap lookup per tensor, src/tensor-owners.ts): axpy n=16 unchecked 20–37 ns, checking adds
 * +308, +55, +60 ns (the first run's unchecked side was slow too); denseForward 8×64→64 ~4–5 µs,
 * +564, +387, −214 ns (within its noise); copyRows of 8 rows +161, +355, +394 ns (each row number is
 * checked too). Tens to hundreds of nanoseconds a call: the rest parameters, the owner lookups, the
 * table's loops and an apply.
 */
import { checkedKernels } from '../src/checked-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { median } from './median.js';
import { quantile } from '../src/median.js';

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

const tenth = (values: number[]) => quantile(values, 0.1);

const cases: [string, (k: typeof unchecked) => void][] = [
  ['axpy n=16', (k) => k.axpy(y, x, 16, 0)],
  ['denseForward 8×64→64', (k) => k.denseForward(z, a, w, b, 8, 64, 64)],
  ['copyRows 8 rows of 64', (k) => k.copyRows(a, z, rows, 0, 8, 64)],
];
for (const [name, call] of cases) {
  const plain: number[] = [];
  const held: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated: the checked calls first on odd rounds, so neither side always runs second.
    if (round % 2 === 0) {
      plain.push(nsPerCall(() => call(unchecked)));
      held.push(nsPerCall(() => call(checked)));
    } else {
      held.push(nsPerCall(() => call(checked)));
      plain.push(nsPerCall(() => call(unchecked)));
    }
  }
  const difference = median(plain.map((ns, i) => held[i] - ns));
  console.log(`${name}: unchecked ${median(plain).toFixed(1)} ns (p10 ${tenth(plain).toFixed(1)}), checked ${median(held).toFixed(1)} ns (p10 ${tenth(held).toFixed(1)}); checking adds ${difference.toFixed(1)} ns (median of ${ROUNDS} pairs)`);
}
