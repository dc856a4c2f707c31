/**
 * scripts/jacobian-spread.ts's smallest case: at 20 hidden layers, at initialisation, orthogonal weights
 * with tanh keep the input–output Jacobian's 10 singular values within a factor of 2 of each other, where
 * relu with He's and tanh with Glorot's spread them over more than 10× (Pennington et al. 2017). docs/studies.md
 * (study (c)) quotes the script's table at 20, 50 and 100 layers: its 20-layer row is held here (auditor54 #5c).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jacobianSpread, spreadDigits, spreadRange, SPREAD_REMEDIES, type JacobianSpread } from '../../scripts/jacobian-spread.js';
import { tableStarting } from '../util/markdown-tables.js';
import type { Rows } from '../../src/data/matrix.js';

let x: Rows;
beforeAll(async () => {
  x = await spreadDigits();
});

describe("the Jacobian's singular values at initialisation, study (c)'s networks at 20 hidden layers", () => {
  it("orthogonal tanh keeps them within 2× of each other, relu-he and Glorot tanh spread them over more than 10×; docs/studies.md's row is theirs", async () => {
    const measured = new Map<string, JacobianSpread>();
    for (const remedy of SPREAD_REMEDIES) measured.set(remedy, await jacobianSpread(remedy, 20, x));
    const spread = (remedy: (typeof SPREAD_REMEDIES)[number]) => measured.get(remedy)!.largest / measured.get(remedy)!.smallest;
    expect(spread('orthogonal-tanh')).toBeLessThan(2);
    expect(spread('relu-he')).toBeGreaterThan(10);
    expect(spread('plain-tanh')).toBeGreaterThan(10);
    const studies = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8');
    const table = tableStarting({ file: 'docs/studies.md', text: studies }, '| hidden layers | relu-he | plain-tanh | orthogonal-tanh | selu |');
    expect(table.rows.find((row) => row[0] === '20')).toEqual(['20', ...SPREAD_REMEDIES.map((remedy) => spreadRange(measured.get(remedy)!))]);
  }, 60_000);
});
