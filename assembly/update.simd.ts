// Optimiser updates on f32x4: the same f32 operations as update.scalar.ts, four lanes at a time,
// so both variants give the same bits; the last n mod 4 elements go to the scalar twin.

import { f32_sgd_update__scalar } from './update.scalar';

export function f32_sgd_update__simd(
  w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // w, v, g are (n). v = momentum·v + g + weightDecay·w;  w −= learningRate·v
  const lr = f32x4.splat(learningRate), mu = f32x4.splat(momentum), lambda = f32x4.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const wi = v128.load(w + o);
    const vi = f32x4.add(f32x4.add(f32x4.mul(mu, v128.load(v + o)), v128.load(g + o)), f32x4.mul(lambda, wi));
    v128.store(v + o, vi);
    v128.store(w + o, f32x4.sub(wi, f32x4.mul(lr, vi)));
  }
  const o = <usize>i << 2;
  f32_sgd_update__scalar(w + o, v + o, g + o, n - i, learningRate, momentum, weightDecay);
}
