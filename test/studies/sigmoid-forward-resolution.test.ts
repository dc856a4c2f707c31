/**
 * The forward half of the vanishing gradient: the factor σ'·W that shrinks δ on the way down also shrinks
 * the digit-to-digit variation of each hidden layer on the way up (in the ordered phase both decay at depth
 * scales set by χ: Poole et al. 2016, Schoenholz et al. 2017). On study (c)'s plain sigmoid net at
 * initialisation (seed 1, 1,000 digits), each hidden layer varies about 0.14 as much as the one below,
 * and at 10 hidden layers the top ones reach float32's resolution: their units take a handful of values
 * over all the digits. docs/studies.md ("Why, in short") and docs/trainable-depth.md quote these numbers.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { firstRows } from '../../src/studies/depth.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../../src/studies/trainable-depth-remedies.js';

const ROWS = 1000;
/** docs/studies.md's sentence on these counts (auditor54 #7d: it quotes 824, which the test held only as > 500). */
const STUDIES_SENTENCE = /each unit of hidden\s+layers 9 and 10 takes at most (\d+) values, against (\d+) for the last hidden layer at 5 layers/;
const studiesCounts = () => {
  const match = readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8').match(STUDIES_SENTENCE);
  expect(match, `docs/studies.md: ${STUDIES_SENTENCE.source}`).not.toBeNull();
  return { top: Number(match![1]), atFive: Number(match![2]) };
};
const plainSigmoid = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === 'plain-sigmoid')!;
let digits: ReturnType<typeof firstRows>;
beforeAll(async () => {
  const { train } = await loadMnist({ train: ROWS, test: 1 });
  digits = firstRows(train.x, train.y, ROWS);
});

/** Per hidden layer of the net with `depth` hidden layers: the RMS over units of each unit's std over the digits, and the most distinct values any unit takes. */
async function hiddenSpread(depth: number): Promise<{ spread: number[]; distinct: number[] }> {
  const net = await createNetwork({ ...plainSigmoid.network(depth, 64), seed: 1 });
  try {
    const hidden = net.layerOutputs(digits.x).layers.slice(0, depth);
    const spread = hidden.map(({ units, values }) => {
      let sum = 0;
      for (let u = 0; u < units; u++) {
        let mean = 0, square = 0;
        for (let r = 0; r < ROWS; r++) { const v = values[r * units + u]; mean += v; square += v * v; }
        mean /= ROWS;
        sum += Math.max(0, square / ROWS - mean * mean);
      }
      return Math.sqrt(sum / units);
    });
    const distinct = hidden.map(({ units, values }) =>
      Math.max(...Array.from({ length: units }, (_, u) => new Set(Array.from({ length: ROWS }, (_, r) => values[r * units + u])).size)));
    return { spread, distinct };
  } finally {
    net.dispose();
  }
}

describe("the forward signal of study (c)'s plain sigmoid net at initialisation (seed 1, 1,000 digits)", () => {
  it('shrinks by about 0.14 per hidden layer, the backward factor σ′(0)·√(1/3)', async () => {
    const { spread } = await hiddenSpread(10);
    // Measured: 3.7e-2, 5.2e-3, 7.6e-4, 1.1e-4, 1.6e-5, 2.3e-6, 3.1e-7, 4.4e-8, then 2.4e-8 twice (rounding).
    const factor = Math.pow(spread[6] / spread[0], 1 / 6);
    expect(factor).toBeGreaterThan(0.13);
    expect(factor).toBeLessThan(0.16);
  }, 60_000);

  it('at 10 hidden layers reaches float32: each unit of hidden layers 9 and 10 takes at most 4 values over the 1,000 digits', async () => {
    const { distinct } = await hiddenSpread(10);
    // Measured, the most distinct values of any unit, hidden layers 1–10: 1,000, 1,000, 1,000, 975, 824, 402, 88, 17, 4, 4.
    expect(distinct[0]).toBe(ROWS);
    expect(distinct[8]).toBeLessThanOrEqual(4);
    expect(distinct[9]).toBeLessThanOrEqual(4);
    expect(Math.max(distinct[8], distinct[9])).toBe(studiesCounts().top);
  }, 60_000);

  it('at 5 hidden layers the last still tells the digits apart', async () => {
    const { spread, distinct } = await hiddenSpread(5);
    // Measured: 1.6e-5 and 824 distinct values.
    expect(spread[4]).toBeGreaterThan(1e-6);
    expect(distinct[4]).toBeGreaterThan(500);
    expect(distinct[4]).toBe(studiesCounts().atFive);
  }, 60_000);
});
