// The in-run arithmetic ceiling on f32x4, which the dense kernels are quoted against: the
// microkernel's own instruction mix (per trip 6 vector loads, 8 multiply-adds into 8 independent
// accumulators, through madd.simd.ts as the microkernel's, so f32x4.relaxed_madd in the relaxed
// binary) in the microkernel's loop shape (nested, peak.common.ts), with its operands in L1, so
// nothing but the arithmetic and the instructions' issue limits it.
//
// Why not chains acc = acc·m + c: each trip of such a chain waits for a mul and then an add, so
// the 13 chains that fit in V8's 15 xmm registers cannot keep the pipes busy, and that ceiling
// read below what the GEMM itself reaches. Here only the add is on the loop-carried path, as in a
// GEMM: 8 accumulators + 6 operands + 1 product = 15 xmm registers, no spill (V8 11.3).

import { min32 } from './gemm.pack';
import { madd } from './madd.simd';
import { PEAK_INNER_TRIPS } from './peak.common';

export function f32_peak_madd__simd(out: usize, iterations: i32): f64 {
  // out is (16): the operands (written here, so none is NaN or denormal), then the accumulators
  // folded into 16 floats so the work cannot be optimised away.
  for (let i = 0; i < 16; i++) store<f32>(out + (<usize>i << 2), 1 + <f32>i / 16);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let left = iterations; left > 0; left -= PEAK_INNER_TRIPS) {
    const trips = min32(left, PEAK_INNER_TRIPS);
    for (let i = 0; i < trips; i++) {
      // Six distinct (overlapping) vectors, so no two products are the same and none can be shared.
      const b0 = v128.load(out), b1 = v128.load(out, 16);
      let a = v128.load(out, 4);
      c00 = madd(c00, a, b0);
      c01 = madd(c01, a, b1);
      a = v128.load(out, 12);
      c10 = madd(c10, a, b0);
      c11 = madd(c11, a, b1);
      a = v128.load(out, 20);
      c20 = madd(c20, a, b0);
      c21 = madd(c21, a, b1);
      a = v128.load(out, 28);
      c30 = madd(c30, a, b0);
      c31 = madd(c31, a, b1);
    }
  }
  v128.store(out, f32x4.add(c00, c01));
  v128.store(out, f32x4.add(c10, c11), 16);
  v128.store(out, f32x4.add(c20, c21), 32);
  v128.store(out, f32x4.add(c30, c31), 48);
  // 8 accumulators × 4 lanes × (mul + add)
  return <f64>max(iterations, 0) * 64;
}
