/**
 * docs/reliability.md's Lifecycle measurement: WebAssembly memory filled towards its 4 GiB by networks of [12000,12000,2]
 * (1,098.9 MiB each, weights and gradients), a [12000,8000,2] trained on 3,000 rows of 12,000 (its rows above 2 GiB)
 * and disposed, until one is refused; then a small network made at the top of that memory predicts beside the ref
 * backend's. Each line: the seconds since the start, the step, WebAssembly memory's size, the bytes in use and what
 * the backend says is left (bytesAvailable).
 *
 *   nice -n 19 npx tsx scripts/wasm-memory-top.ts   (2026-12-06: 12 minutes on a loaded 2-core AMD EPYC Zen 5, 4 GB of memory)
 */
import { createNetwork } from '../src/api/network.js';
import { GradscopeError } from '../src/errors.js';
import { createRefKernels } from '../src/ref/ref-kernels.js';
import { createWasmKernels, type WasmBackend } from '../src/wasm/wasm-kernels.js';

const kernels = await createWasmKernels();
const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const start = Date.now();
const log = (step: string) =>
  console.log(
    `${((Date.now() - start) / 1000).toFixed(0)} s  ${step}: memory ${mebibytes((kernels as WasmBackend).exports.memory.buffer.byteLength)}, ` +
      `in use ${mebibytes(kernels.bytesInUse)}, left ${mebibytes(kernels.bytesAvailable!())}`,
  );

const wide = (seed: number) => createNetwork({ sizes: [12000, 12000, 2], backend: kernels, seed });
const networks = [await wide(1)];
log('[12000,12000,2]');
const trained = await createNetwork({ sizes: [12000, 8000, 2], backend: kernels, seed: 2 });
log('[12000,8000,2]');
const rows = 3000;
const x = Array.from({ length: rows }, (_, r) => Float32Array.from({ length: 12000 }, (_, i) => Math.sin(r * 0.37 + i * 0.011)));
const y = Array.from({ length: rows }, (_, r) => Float32Array.of(r % 2, 1 - (r % 2)));
trained.train(x, y, { epochs: 1 });
log('trained on 3,000 rows');
const predicted = trained.predict(x.slice(0, 4));
log(`predicted 4 rows, all finite: ${predicted.every((row) => Array.from(row).every(Number.isFinite))}`);
trained.dispose();
log('[12000,8000,2] disposed');
for (let seed = 3; ; seed++) {
  try {
    networks.push(await wide(seed));
    log('another [12000,12000,2]');
  } catch (error) {
    if (!(error instanceof GradscopeError)) throw error;
    console.log(`refused: ${error.code}: ${error.message}`);
    break;
  }
}
const small = await createNetwork({ sizes: [4, 3, 2], backend: kernels, seed: 5 });
const ref = await createNetwork({ sizes: [4, 3, 2], backend: createRefKernels(), seed: 5 });
const row = [[0.1, 0.2, 0.3, 0.4]];
console.log(`a [4,3,2] network at the top predicts ${Array.from(small.predict(row)[0]).join(', ')}; the ref backend ${Array.from(ref.predict(row)[0]).join(', ')}`);
for (const net of [...networks, small, ref]) net.dispose();
