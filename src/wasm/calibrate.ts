/**
 * Which SIMD binary is faster on this CPU: the one with separate f32x4 mul and add, or the relaxed
 * one whose dense microkernel fuses them into relaxed_madd (an Intel Xeon ran it faster, the AMD
 * EPYC Zen 5 1.03× slower in bench/RESULTS.md's runs of 2026-11-30 and 2026-12-01; same tile). Measured once per process, when `binary: 'fastest'` is first
 * asked for, on engines that have relaxed SIMD (Chrome ships it; Node 20 needs
 * --experimental-wasm-relaxed-simd).
 *
 * An engine runs a fresh module's functions in its baseline tier (V8: Liftoff, several times
 * slower) until its optimising tier has compiled them in the background, and which candidate gets
 * there first is luck. So rounds count only once every candidate is warm (a round within
 * STABLE of its own previous round, and within WARM_SPREAD of the others'): a tie measured with
 * one candidate still in baseline would pick the other by mistake. If that does not happen within
 * the budget (MIN_ROUNDS warm rounds), the default is kept. The engine's optimised code belongs to the compiled module,
 * which the kernels the caller then gets are instantiated from (loader.ts caches it), so the
 * warm-up is not lost.
 */

/** One candidate: its name and one call of the product it is judged on (wasm-kernels.ts: ~4 MFLOP). */
export interface Candidate<Name extends string> {
  name: Name;
  run: () => void;
}

/**
 * The product the binaries are judged on, a dense forward of [batch × nIn] by [nOut × nIn]: ~4 MFLOP
 * (~0.07 ms at the ~60 GFLOP/s of bench/RESULTS.md's run of 2026-12-01, AMD EPYC Zen 5).
 * bench/relaxed/binaries.ts times the same product to check the pick.
 */
export const CALIBRATION_PRODUCT = { batch: 64, nIn: 256, nOut: 128 } as const;

/** Calls per timed round: enough products (~17 MFLOP) to outlast a browser's coarsest clock step (0.1 ms) at the dense kernels' speed. */
const CALLS_PER_ROUND = 4;
/** Rounds per candidate compared once all are warm (the best of each is what counts). */
const ROUNDS = 8;
/** Fewer warm rounds than this within the budget are too few to leave the default for. */
const MIN_ROUNDS = 3;
/** A candidate is warm when a round takes at most this times its previous round, and vice versa. */
const STABLE = 1.25;
/**
 * ...and when no warm candidate's round is more than this times another's: the binaries differ by
 * a few per cent when both run optimised code, a baseline tier by several times.
 */
const WARM_SPREAD = 1.5;
/** Milliseconds of products at most: past it the rounds measured so far decide, or the default stays. */
export const CALIBRATION_BUDGET_MS = 15;
/** The relaxed binary must win by this much: a tie keeps the binary that rounds alike everywhere. */
export const RELAXED_MARGIN = 0.97;

/**
 * The fastest of `candidates` (the first is the default, kept unless another's best round is at
 * most `margin` of its best round, measured once all are warm). Rounds alternate, so a busy moment
 * slows both alike; the best round of each is compared, since interruptions only ever add time.
 */
export function fastest<Name extends string>(
  candidates: readonly Candidate<Name>[],
  { margin = RELAXED_MARGIN, budgetMs = CALIBRATION_BUDGET_MS, now = () => performance.now() }: { margin?: number; budgetMs?: number; now?: () => number } = {},
): Name {
  const previous = candidates.map(() => Infinity);
  const latest = candidates.map(() => Infinity);
  const best = candidates.map(() => Infinity);
  let counted = 0;
  const started = now();
  while (counted < ROUNDS && now() - started < budgetMs) {
    candidates.forEach((candidate, i) => {
      const roundStarted = now();
      for (let call = 0; call < CALLS_PER_ROUND; call++) candidate.run();
      previous[i] = latest[i];
      latest[i] = now() - roundStarted;
    });
    const stable = latest.every((ms, i) => ms <= STABLE * previous[i] && previous[i] <= STABLE * ms);
    if (!stable || Math.max(...latest) > WARM_SPREAD * Math.min(...latest)) continue;
    latest.forEach((ms, i) => (best[i] = Math.min(best[i], ms)));
    counted++;
  }
  let chosen = 0;
  if (counted < MIN_ROUNDS) return candidates[chosen].name;
  for (let i = 1; i < candidates.length; i++) if (best[i] <= margin * best[chosen]) chosen = i;
  return candidates[chosen].name;
}
