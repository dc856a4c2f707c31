/**
 * The check on what `binary: 'fastest'` picks from its microkernel probe (src/wasm/calibrate.ts):
 * a dense product (JUDGED_PRODUCT) timed in interleaved rounds on the default binary, on a second
 * instance of it, and on the relaxed one, in the process that picked (bench/relaxed/calibration.ts),
 * right after its pick. The second instance is the noise reference: two instances of the same
 * binary differ only by chance (and by where their memory lies), so the spread of their per-round
 * ratio says how close two binaries can be measured here.
 *
 * In the process that picked, because the host moves the two binaries' ratio: on the AMD EPYC Zen 5
 * (family 26 model 2, 2026-12-03, load 13–19) the relaxed probe ran 1.004–1.043× the default's in
 * 104 of 139 fresh processes and 0.70–0.96× in 34 (the other one 0.984×), steadily within each for 60 ms, and the dense
 * product went with it (0.87–0.91× in the seconds the probe read 0.90–0.95×, else 1.00–1.01×;
 * src/wasm/calibrate.ts). Timed in another process, as this was before, a pick that was right
 * when it was made could read as a wrong one: the quiet run of 18:08 judged 2 relaxed picks of 11
 * against a product timed later in a process of its own (1.010×).
 */
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { interleaved } from '../median.js';

/**
 * The product the picks are judged on, a dense forward of [batch × nIn] by [nOut × nIn]: ~4 MFLOP
 * (0.13 ms on the default binary on the AMD EPYC Zen 3, 2026-12-01).
 */
const JUDGED_PRODUCT = { batch: 64, nIn: 256, nOut: 128 } as const;

/** Rounds, and ms per binary per round: a product is ~0.1 ms, so each round takes ~150 calls. */
export const JUDGED_ROUNDS = 11;
const MS_PER_ROUND = 15;

async function product(binary: 'simd' | 'simd-relaxed') {
  const k = await createWasmKernels({ binary });
  const { batch, nIn, nOut } = JUDGED_PRODUCT;
  const [z, a, w, b] = [k.alloc(batch * nOut), k.alloc(batch * nIn), k.alloc(nOut * nIn), k.alloc(nOut)];
  for (const t of [a, w, b]) k.write(t, new Float32Array(t.length).fill(0.5));
  return () => k.denseForward(z, a, w, b, batch, nIn, nOut);
}

/** Per round: the relaxed binary's time over the default's, and a second instance of the default's over the first. */
export async function timeBinaries(): Promise<{ relaxedOverDefault: number[]; defaultAgain: number[] }> {
  const ms = await interleaved(
    [
      { name: 'simd', run: await product('simd'), ms: MS_PER_ROUND },
      { name: 'simd again', run: await product('simd'), ms: MS_PER_ROUND },
      { name: 'simd-relaxed', run: await product('simd-relaxed'), ms: MS_PER_ROUND },
    ],
    JUDGED_ROUNDS,
  );
  const [simd, again, relaxed] = [ms.get('simd')!, ms.get('simd again')!, ms.get('simd-relaxed')!];
  return { relaxedOverDefault: relaxed.map((t, i) => t / simd[i]), defaultAgain: again.map((t, i) => t / simd[i]) };
}
