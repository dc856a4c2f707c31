// The process bench/instructions.ts runs under valgrind (plain JavaScript, so valgrind does not
// also count a TypeScript loader): instantiates one core binary from its raw exports, calls each
// dense product of each shape, and the peak loop with the same flops, a few times to have them
// compiled, then `calls` times each, calling os.loadavg() (libuv's uv_loadavg, where callgrind
// dumps its counts) before each phase and after the last. Prints the phases' names as JSON.
//
//   node --no-liftoff bench/instructions-child.mjs <binary.wasm> <calls> <batch,nIn,nOut>...
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const [path, callsText, ...shapes] = process.argv.slice(2);
const calls = Number(callsText);
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const core = instance.exports;
const PAGE = 65536;
let top = Math.ceil(core.heap_base() / 64) * 64;

/** `length` floats at a fresh 64-byte-aligned address, filled with values in [−1, 1) when seeded. */
function floats(length, seed) {
  const ptr = top;
  top += Math.ceil((length * 4) / 64) * 64;
  if (top > core.memory.buffer.byteLength) core.memory.grow(Math.ceil((top - core.memory.buffer.byteLength) / PAGE));
  if (seed) {
    const view = new Float32Array(core.memory.buffer, ptr, length);
    let x = seed;
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      view[i] = (x >>> 0) / 2 ** 31 - 1;
    }
  }
  return ptr;
}

const phases = [];
for (const shape of shapes) {
  const [batch, nIn, nOut] = shape.split(',').map(Number);
  const a = floats(batch * nIn, 1), w = floats(nOut * nIn, 2), b = floats(nOut, 3), dz = floats(batch * nOut, 4);
  const z = floats(batch * nOut), da = floats(batch * nIn), dw = floats(nOut * nIn), out = floats(16);
  const scratch = floats(Math.ceil(core.dense_scratch_bytes(batch, nIn, nOut) / 4));
  const trips = Math.round((2 * batch * nIn * nOut) / core.f32_peak_madd__simd(out, 1));
  phases.push([`${shape} peak`, () => core.f32_peak_madd__simd(out, trips)]);
  phases.push([`${shape} fwd`, () => core.f32_dense_fwd__simd(z, a, w, b, scratch, batch, nIn, nOut)]);
  phases.push([`${shape} bwd_input`, () => core.f32_dense_bwd_input__simd(da, dz, w, scratch, batch, nIn, nOut)]);
  phases.push([`${shape} bwd_weights`, () => core.f32_dense_bwd_weights__simd(dw, dz, a, scratch, batch, nIn, nOut, 1)]);
}
for (const [, run] of phases) for (let i = 0; i < 3; i++) run();
for (const [, run] of phases) {
  loadavg();
  for (let i = 0; i < calls; i++) run();
}
loadavg();
console.log(JSON.stringify(phases.map(([name]) => name)));
