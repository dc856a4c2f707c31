// The in-run arithmetic peak on scalar f32: the ceiling the scalar kernels are quoted against.
//
// Twelve independent chains acc = acc·m + c (a mul then an add, as in the scalar microkernel):
// enough chains to cover the mul + add latency on two pipes; 12 accumulators + m + c fit the 15
// xmm registers V8 allocates.

export function f32_peak_madd__scalar(out: usize, iterations: i32): f64 {
  // out is (16): the 12 accumulators, so the chains cannot be optimised away
  // m < 1 pulls every chain to the fixed point c/(1 − m) = 1: no overflow, no denormals.
  const m: f32 = 0.999, c: f32 = 0.001;
  let a0: f32 = 0.0, a1: f32 = 0.4, a2: f32 = 0.8, a3: f32 = 1.2;
  let a4: f32 = 1.6, a5: f32 = 2.0, a6: f32 = 2.4, a7: f32 = 2.8;
  let a8: f32 = 3.2, a9: f32 = 3.6, a10: f32 = 4.0, a11: f32 = 4.4;
  for (let i = 0; i < iterations; i++) {
    a0 = a0 * m + c;
    a1 = a1 * m + c;
    a2 = a2 * m + c;
    a3 = a3 * m + c;
    a4 = a4 * m + c;
    a5 = a5 * m + c;
    a6 = a6 * m + c;
    a7 = a7 * m + c;
    a8 = a8 * m + c;
    a9 = a9 * m + c;
    a10 = a10 * m + c;
    a11 = a11 * m + c;
  }
  store<f32>(out, a0);
  store<f32>(out, a1, 4);
  store<f32>(out, a2, 8);
  store<f32>(out, a3, 12);
  store<f32>(out, a4, 16);
  store<f32>(out, a5, 20);
  store<f32>(out, a6, 24);
  store<f32>(out, a7, 28);
  store<f32>(out, a8, 32);
  store<f32>(out, a9, 36);
  store<f32>(out, a10, 40);
  store<f32>(out, a11, 44);
  // 12 chains × (mul + add)
  return <f64>iterations * 24;
}
