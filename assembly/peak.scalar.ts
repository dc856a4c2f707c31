// The in-run arithmetic ceiling on scalar f32, which the scalar kernels are quoted against: the
// scalar microkernel's instruction mix (per trip 6 loads, 8 multiplies, 8 adds into 8 independent
// accumulators) with its operands in L1, in the same nested loop as peak.simd.ts (peak.common.ts).
// As there, only the add is on the loop-carried path: chains acc = acc·m + c wait for a mul and an
// add every trip and measure the latency, not the ceiling.

import { min32 } from './gemm.pack';
import { PEAK_INNER_TRIPS } from './peak.common';

export function f32_peak_madd__scalar(out: usize, iterations: i32): f64 {
  // out is (16): the operands (written here, so none is NaN or denormal), then the accumulators,
  // so the work cannot be optimised away.
  for (let i = 0; i < 16; i++) store<f32>(out + (<usize>i << 2), 1 + <f32>i / 16);
  let c00: f32 = 0, c01: f32 = 0;
  let c10: f32 = 0, c11: f32 = 0;
  let c20: f32 = 0, c21: f32 = 0;
  let c30: f32 = 0, c31: f32 = 0;
  for (let left = iterations; left > 0; left -= PEAK_INNER_TRIPS) {
    const trips = min32(left, PEAK_INNER_TRIPS);
    for (let i = 0; i < trips; i++) {
      const b0 = load<f32>(out), b1 = load<f32>(out, 4);
      let a = load<f32>(out, 8);
      c00 += a * b0; c01 += a * b1;
      a = load<f32>(out, 12);
      c10 += a * b0; c11 += a * b1;
      a = load<f32>(out, 16);
      c20 += a * b0; c21 += a * b1;
      a = load<f32>(out, 20);
      c30 += a * b0; c31 += a * b1;
    }
  }
  store<f32>(out, c00);
  store<f32>(out, c01, 4);
  store<f32>(out, c10, 8);
  store<f32>(out, c11, 12);
  store<f32>(out, c20, 16);
  store<f32>(out, c21, 20);
  store<f32>(out, c30, 24);
  store<f32>(out, c31, 28);
  // 8 accumulators × (mul + add)
  return <f64>max(iterations, 0) * 16;
}
