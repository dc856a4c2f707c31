/**
 * Child of bench/relaxed.bench.ts, run in a fresh `node --experimental-wasm-relaxed-simd`: what
 * `binary: 'fastest'` makes a caller wait for once per process on top of loading the default
 * binary (compiling and instantiating the relaxed binary, the calibration's rounds, instantiating
 * the binary picked), what it picks, on what ratio of its probes, whether its rounds decided or its
 * budget ran out, and then, in the same process, the dense product and the probes its pick is
 * judged on (binaries.ts). Prints one JSON line.
 */
import { calibrateSimdBinaries, createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { timeBinaries } from './binaries.js';

const started = performance.now();
await createWasmKernels();
const loaded = performance.now();
const kernels = await createWasmKernels({ binary: 'fastest' });
const calibrationMs = performance.now() - loaded;
const { rounds, by, ratio } = await calibrateSimdBinaries();
const judged = await timeBinaries();
console.log(JSON.stringify({ defaultMs: loaded - started, calibrationMs, chosen: kernels.binary, rounds, by, pickRatio: ratio, ...judged }));
