/** ‖v‖₂ of values in host memory (gradients() results, a study's copies), summed in float64. */
export function euclideanNorm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
}
