/** ‖v‖₂ summed in float64 (the kernels' sumSquares squares in float32, which overflows for an entry beyond 1.8e19). */
export function euclideanNorm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
}
