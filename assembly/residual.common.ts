// What residual.scalar.ts and residual.simd.ts share. No v128 here (the scalar binary compiles this
// file); nothing here is a module export.

/**
 * The rest of rezero's backward, shared with the SIMD twin: dx (only `withDx`), dbranch over
 * [from, n) (the SIMD twin has done [0, from)), and dalpha += sum + Σ dy·branch over [tail, n).
 */
@inline export function rezeroTail(
  dx: usize, dbranch: usize, dalpha: usize, dy: usize, branch: usize, a: f32, sum: f64, from: i32, tail: i32, n: i32, withDx: bool,
): void {
  for (let i = tail; i < n; i++) {
    const o = <usize>i << 2;
    sum += <f64>load<f32>(dy + o) * <f64>load<f32>(branch + o);
  }
  for (let i = from; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(dy + o);
    if (withDx) store<f32>(dx + o, load<f32>(dx + o) + d);
    store<f32>(dbranch + o, load<f32>(dbranch + o) + a * d);
  }
  store<f32>(dalpha, <f32>(<f64>load<f32>(dalpha) + sum));
}
