/**
 * Child of bench/relaxed.bench.ts, run in a fresh `node --experimental-wasm-relaxed-simd`: what
 * `binary: 'fastest'` costs once per process on top of loading the default binary (compiling and
 * instantiating the relaxed binary, and the calibration's products on both), and what it picks.
 * Prints one JSON line.
 */
import { createWasmKernels, fastestSimdBinary } from '../../src/wasm/wasm-kernels.js';

const started = performance.now();
await createWasmKernels();
const loaded = performance.now();
const chosen = await fastestSimdBinary();
console.log(JSON.stringify({ defaultMs: loaded - started, calibrationMs: performance.now() - loaded, chosen }));
