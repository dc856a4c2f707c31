/**
 * Child of bench/relaxed.bench.ts, run in `node --experimental-wasm-relaxed-simd`: the product that
 * `binary: 'fastest'` judges the binaries on (src/wasm/calibrate.ts CALIBRATION_PRODUCT), timed
 * in interleaved rounds on the default binary, on a second instance of it, and on the relaxed one.
 * The second instance is the noise reference: two instances of the same binary differ only by
 * chance (and by where their memory lies), so the spread of their per-round ratio says how close
 * two binaries can be measured here. Prints one JSON line: the per-round times by binary.
 */
import { CALIBRATION_PRODUCT } from '../../src/wasm/calibrate.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { interleaved } from '../median.js';

/** Rounds, and ms per binary per round: a product is ~0.07 ms, so each round takes hundreds of calls. */
const ROUNDS = 11;
const MS_PER_ROUND = 60;

async function product(binary: 'simd' | 'simd-relaxed') {
  const k = await createWasmKernels({ binary });
  const { batch, nIn, nOut } = CALIBRATION_PRODUCT;
  const [z, a, w, b] = [k.alloc(batch * nOut), k.alloc(batch * nIn), k.alloc(nOut * nIn), k.alloc(nOut)];
  for (const t of [a, w, b]) k.write(t, new Float32Array(t.length).fill(0.5));
  return () => k.denseForward(z, a, w, b, batch, nIn, nOut);
}

const times = await interleaved(
  [
    { name: 'simd', run: await product('simd'), ms: MS_PER_ROUND },
    { name: 'simd again', run: await product('simd'), ms: MS_PER_ROUND },
    { name: 'simd-relaxed', run: await product('simd-relaxed'), ms: MS_PER_ROUND },
  ],
  ROUNDS,
);
console.log(JSON.stringify(Object.fromEntries(times)));
