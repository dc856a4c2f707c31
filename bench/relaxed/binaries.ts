/**
 * Child of bench/relaxed.bench.ts, run in `node --experimental-wasm-relaxed-simd`: a dense product
 * (JUDGED_PRODUCT), the check on what `binary: 'fastest'` picks from its microkernel probe
 * (src/wasm/calibrate.ts), timed in interleaved rounds on the default binary, on a second instance of it, and on the relaxed one.
 * The second instance is the noise reference: two instances of the same binary differ only by
 * chance (and by where their memory lies), so the spread of their per-round ratio says how close
 * two binaries can be measured here. Prints one JSON line: the per-round times by binary.
 */
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { interleaved } from '../median.js';

/**
 * The product the picks are judged on, a dense forward of [batch × nIn] by [nOut × nIn]: ~4 MFLOP
 * (0.13 ms on the default binary on the AMD EPYC Zen 3, 2026-12-01).
 */
const JUDGED_PRODUCT = { batch: 64, nIn: 256, nOut: 128 } as const;

/** Rounds, and ms per binary per round: a product is ~0.1 ms, so each round takes hundreds of calls. */
const ROUNDS = 11;
const MS_PER_ROUND = 60;

async function product(binary: 'simd' | 'simd-relaxed') {
  const k = await createWasmKernels({ binary });
  const { batch, nIn, nOut } = JUDGED_PRODUCT;
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
