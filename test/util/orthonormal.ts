import { Rng } from '../../src/init/rng.js';

/**
 * `count` random orthonormal vectors of R^n: normal draws from Rng(seed), each orthogonalised
 * against those before it by two passes of Gram–Schmidt (one pass leaves rounding-size overlaps),
 * then normalised. The test operators of known spectrum (Σ λ_i u_i u_iᵀ) are built on them.
 */
export function randomOrthonormal(n: number, count: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const vectors: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const u = Float64Array.from({ length: n }, () => rng.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (const v of vectors) {
        const c = u.reduce((s, x, i) => s + x * v[i], 0);
        for (let i = 0; i < n; i++) u[i] -= c * v[i];
      }
    }
    const norm = Math.hypot(...u);
    vectors.push(u.map((x) => x / norm));
  }
  return vectors;
}
