/** Three Gaussian blobs in 4 dimensions with one-hot targets: a small classification set for block-network tests. */
import { Rng } from '../../src/init/rng.js';

/** `rows` rows, class r mod 3 centred at 2 on axis (r mod 3), noise 0.5; the same rows for the same seed. */
export function blobs(rows: number, seed: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const c = r % 3;
    x.push(Array.from({ length: 4 }, (_, j) => (j === c ? 2 : 0) + 0.5 * rng.normal()));
    y.push([0, 1, 2].map((j) => (j === c ? 1 : 0)));
  }
  return { x, y };
}
