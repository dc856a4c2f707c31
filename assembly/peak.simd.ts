// The in-run arithmetic peak on f32x4: the ceiling the dense kernels are quoted against.
//
// Twelve independent chains acc = acc·m + c, with a separate f32x4.mul and f32x4.add as in the
// microkernel. One chain step costs a mul and an add latency (about 6 cycles); twelve chains
// keep both the multiply and the add pipes busy, and 12 accumulators + m + c still fit the 15
// xmm registers V8 allocates.

export function f32_peak_madd__simd(out: usize, iterations: i32): f64 {
  // out is (16): the accumulators, folded, so the chains cannot be optimised away
  // m < 1 pulls every chain to the fixed point c/(1 − m) = 1: no overflow, no denormals.
  const m = f32x4.splat(0.999), c = f32x4.splat(0.001);
  let a0 = f32x4(0.0, 0.1, 0.2, 0.3), a1 = f32x4(0.4, 0.5, 0.6, 0.7);
  let a2 = f32x4(0.8, 0.9, 1.0, 1.1), a3 = f32x4(1.2, 1.3, 1.4, 1.5);
  let a4 = f32x4(1.6, 1.7, 1.8, 1.9), a5 = f32x4(2.0, 2.1, 2.2, 2.3);
  let a6 = f32x4(2.4, 2.5, 2.6, 2.7), a7 = f32x4(2.8, 2.9, 3.0, 3.1);
  let a8 = f32x4(3.2, 3.3, 3.4, 3.5), a9 = f32x4(3.6, 3.7, 3.8, 3.9);
  let a10 = f32x4(4.0, 4.1, 4.2, 4.3), a11 = f32x4(4.4, 4.5, 4.6, 4.7);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c);
    a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c);
    a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  v128.store(out, f32x4.add(f32x4.add(a0, a1), a2));
  v128.store(out, f32x4.add(f32x4.add(a3, a4), a5), 16);
  v128.store(out, f32x4.add(f32x4.add(a6, a7), a8), 32);
  v128.store(out, f32x4.add(f32x4.add(a9, a10), a11), 48);
  // 12 chains × 4 lanes × (mul + add)
  return <f64>iterations * 96;
}
