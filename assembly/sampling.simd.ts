// Target sampling on f32x4: the elementwise draws (Bernoulli, Gaussian) four lanes at a time with
// the same f32 operations as sampling.scalar.ts; the categorical draw walks each row's cumulative
// sum, which is sequential, so it shares the scalar code (sampling.common.ts).

import { f32_sample_targets__scalar } from './sampling.scalar';
import { SAMPLE_BERNOULLI, SAMPLE_CATEGORICAL, sampleCategoricalRows } from './sampling.common';

export function f32_sample_targets__simd(y: usize, a: usize, u: usize, kind: i32, batch: i32, n: i32): void {
  // y, a are (batch, n); u is (batch) for categorical, else (batch, n). Overwrites y.
  if (kind == SAMPLE_CATEGORICAL) {
    sampleCategoricalRows(y, a, u, batch, n);
    return;
  }
  const count = batch * n;
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    const uv = v128.load(u + o);
    // lt gives all-ones lanes where u < a; and-ing with 1.0's bits leaves exactly 1.0 or 0.0
    v128.store(y + o, kind == SAMPLE_BERNOULLI ? v128.and(f32x4.lt(uv, av), one) : f32x4.add(av, uv));
  }
  // the last count mod 4 elements as one row of the scalar twin
  const o = <usize>i << 2;
  f32_sample_targets__scalar(y + o, a + o, u + o, kind, 1, count - i);
}
