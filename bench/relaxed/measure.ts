/**
 * Child of bench/relaxed.bench.ts, run under `node --experimental-wasm-relaxed-simd` (Node 20
 * keeps relaxed SIMD behind that flag): the mul+add and the relaxed_madd 4×8 tile side by side on
 * the same packed panels. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { median, medianMs } from '../median.js';

const KC = 256;
const REPS = 2000;

const bytes = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
const x = instance.exports as unknown as {
  memory: WebAssembly.Memory;
  heap_base(): number;
  tile_mul_add(c: number, ap: number, bp: number, kc: number, reps: number): number;
  tile_relaxed_madd(c: number, ap: number, bp: number, kc: number, reps: number): number;
};
const base = (x.heap_base() + 63) & ~63;
const c = base;
const ap = c + 128;
const bp = ap + KC * 64;
const need = bp + KC * 32;
if (need > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((need - x.memory.buffer.byteLength) / 65536));
const f32 = new Float32Array(x.memory.buffer);
// Values in [0.5, 1): sums stay far from overflow and denormals.
for (let i = ap >> 2; i < (bp >> 2) + KC * 8; i++) f32[i] = 0.5 + ((i * 2654435761) % 1000) / 2000;
const flops = x.tile_mul_add(c, ap, bp, KC, 1) * REPS;
const plain = Float32Array.from(new Float32Array(x.memory.buffer, c, 32));
x.tile_relaxed_madd(c, ap, bp, KC, 1);
const fused = new Float32Array(x.memory.buffer, c, 32);
let maxRelDiff = 0;
for (let i = 0; i < 32; i++) maxRelDiff = Math.max(maxRelDiff, Math.abs(fused[i] - plain[i]) / Math.abs(plain[i]));

const rounds: { mulAdd: number; relaxed: number }[] = [];
for (let round = 0; round < 5; round++) {
  const bench = new Bench({ time: 150, warmupTime: round === 0 ? 100 : 0 });
  bench.add('mul+add', () => x.tile_mul_add(c, ap, bp, KC, REPS));
  bench.add('relaxed_madd', () => x.tile_relaxed_madd(c, ap, bp, KC, REPS));
  await bench.run();
  rounds.push({ mulAdd: medianMs(bench, 'mul+add'), relaxed: medianMs(bench, 'relaxed_madd') });
}
console.log(
  JSON.stringify({
    mulAddMs: median(rounds.map((r) => r.mulAdd)),
    relaxedMs: median(rounds.map((r) => r.relaxed)),
    /** relaxed time over mul+add time, median of the rounds (< 1: relaxed is faster). */
    ratio: median(rounds.map((r) => r.relaxed / r.mulAdd)),
    flopsPerCall: flops,
    maxRelDiff,
  }),
);
