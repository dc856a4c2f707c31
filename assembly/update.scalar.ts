// Optimiser updates in scalar f32: the twins of update.simd.ts (no v128 in this file).

export function f32_sgd_update__scalar(
  w: usize, v: usize, g: usize, n: i32, learningRate: f32, momentum: f32, weightDecay: f32,
): void {
  // w, v, g are (n). SGD with momentum and L2 weight decay, PyTorch's convention:
  // v = momentum·v + g + weightDecay·w;  w −= learningRate·v  (momentum 0: v is the step itself)
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const vi = momentum * load<f32>(v + o) + load<f32>(g + o) + weightDecay * wi;
    store<f32>(v + o, vi);
    store<f32>(w + o, wi - learningRate * vi);
  }
}
