// acc + a·b, the dense microkernels' one arithmetic step (dense.simd.ts, row-dots.simd.ts). The
// relaxed binary (asconfig target 'relaxed', built with relaxed-simd) fuses it into
// f32x4.relaxed_madd, which some CPUs run faster (an Intel Xeon did) and others slower (the AMD
// EPYC Zen 5: 1.03×, bench/RESULTS.md at commit 7e4b013, 2026-11-30 and 2026-12-01); `binary: 'fastest'` picks the
// faster per CPU (src/wasm/calibrate.ts). Every other
// binary keeps the separate mul and add, rounded the same on every engine.
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
