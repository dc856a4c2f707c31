/**
 * scripts/jacobian-spread.ts's smallest case: at 20 hidden layers, at initialisation, orthogonal weights
 * with tanh keep the input–output Jacobian's 10 singular values within a factor of 2 of each other, where
 * relu with He's and tanh with Glorot's spread them over more than 10× (Pennington et al. 2017). docs/studies.md
 * (study (c)) quotes the script's table at 20, 50 and 100 layers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { jacobianSpread, spreadDigits } from '../../scripts/jacobian-spread.js';
import type { Rows } from '../../src/data/matrix.js';

let x: Rows;
beforeAll(async () => {
  x = await spreadDigits();
});

describe("the Jacobian's singular values at initialisation, study (c)'s networks at 20 hidden layers", () => {
  it('orthogonal tanh keeps them within 2× of each other, relu-he and Glorot tanh spread them over more than 10×', async () => {
    // Measured (medians over 4 digits): orthogonal-tanh 0.32–0.45, relu-he 0.010–2.8, plain-tanh 0.041–1.4.
    const spread = async (remedy: Parameters<typeof jacobianSpread>[0]) => {
      const s = await jacobianSpread(remedy, 20, x);
      return s.largest / s.smallest;
    };
    expect(await spread('orthogonal-tanh')).toBeLessThan(2);
    expect(await spread('relu-he')).toBeGreaterThan(10);
    expect(await spread('plain-tanh')).toBeGreaterThan(10);
  }, 60_000);
});
