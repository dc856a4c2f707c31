/**
 * Which SIMD binary is faster on this CPU: the one with separate f32x4 mul and add, or the relaxed
 * one whose dense microkernel fuses them into relaxed_madd (an Intel Xeon ran it 1.19× faster, an
 * AMD Zen 5 1.03× slower, same tile). Measured once per process, when `binary: 'fastest'` is first
 * asked for, on engines that have relaxed SIMD (Chrome ships it; Node 20 needs
 * --experimental-wasm-relaxed-simd).
 */

/** One candidate: its name and one call of the product it is judged on (~0.1 ms). */
export interface Candidate<Name extends string> {
  name: Name;
  run: () => void;
}

/**
 * Calls per timed round and rounds per candidate: 17 ms in all for two, measured. The products may
 * still run in V8's baseline tier that early, so a difference of a few per cent can be missed.
 */
const CALLS_PER_ROUND = 16;
const ROUNDS = 4;
/** The relaxed binary must win by this much: a tie keeps the binary that rounds alike everywhere. */
export const RELAXED_MARGIN = 0.97;

/**
 * The fastest of `candidates` (the first is the default, kept unless another's best round is at
 * most `margin` of its best round). Rounds alternate, so a busy moment slows both alike; the best
 * round of each is compared, since interruptions only ever add time.
 */
export function fastest<Name extends string>(
  candidates: readonly Candidate<Name>[],
  { margin = RELAXED_MARGIN, now = () => performance.now() }: { margin?: number; now?: () => number } = {},
): Name {
  const best = candidates.map(() => Infinity);
  for (const candidate of candidates) candidate.run(); // compile tiers and warm caches
  for (let round = 0; round < ROUNDS; round++) {
    candidates.forEach((candidate, i) => {
      const started = now();
      for (let call = 0; call < CALLS_PER_ROUND; call++) candidate.run();
      best[i] = Math.min(best[i], now() - started);
    });
  }
  let chosen = 0;
  for (let i = 1; i < candidates.length; i++) if (best[i] <= margin * best[chosen]) chosen = i;
  return candidates[chosen].name;
}
