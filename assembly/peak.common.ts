// The peak loops' shape (peak.simd.ts, peak.scalar.ts): an inner loop of at most PEAK_INNER_TRIPS
// trips nested in an outer one. V8 unrolls a loop of the peak's size (by two, the second copy
// without a stack check) only where it is nested in another (its budget grows with the depth:
// compiler/loop-unrolling.h), and the dense microkernels' loops are nested (dense.simd.ts,
// row-dots.simd.ts): a flat peak loop ran more instructions per flop than the products it bounds,
// and they measured 102–112 % of it (AMD EPYC Zen 3, 2026-12-01).
//
// Written as a counted for loop: as a do-while, V8 11.3 hoisted the loop-invariant loads and
// multiplies out of it and spilled the accumulators, which measures nothing.

/** Trips of a peak loop's inner loop per outer trip: enough that the outer loop's ~10 instructions are noise. */
export const PEAK_INNER_TRIPS: i32 = 256;
