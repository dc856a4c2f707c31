// The spread of a per-round benchmark measurement (bench/spread.ts): pure arithmetic and text, no timing.
import { describe, expect, it } from 'vitest';
import { percentText } from '../../src/percent-text.js';
import { roundRatios, spreadOf, spreadText } from '../../bench/spread.js';
import { quantile } from '../../src/median.js';

const times = (ratio: number) => `${ratio.toFixed(2)}×`;

describe('the spread of a measurement over rounds', () => {
  it('takes quartiles by linear interpolation between ranks, as numpy does by default', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 0.25)).toBeCloseTo(1.75, 12); // numpy.quantile([1,2,3,4], 0.25)
    expect(quantile(sorted, 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile(sorted, 1)).toBe(4);
    expect(quantile([7], 0.75)).toBe(7);
  });

  it('reads the rounds in any order, and an odd count has its middle value as median', () => {
    const s = spreadOf([0.93, 0.88, 0.91, 0.95, 0.9, 0.79, 0.92, 0.94, 0.89, 0.91, 0.96]);
    expect(s).toEqual({ rounds: 11, min: 0.79, q1: 0.895, median: 0.91, q3: 0.935, max: 0.96 });
  });

  it('refuses no rounds and a round that measured NaN or Infinity, naming the round', () => {
    expect(() => spreadOf([])).toThrow(/no rounds/);
    expect(() => spreadOf([1.9, NaN, 1.8])).toThrow(/round 2 of 3 measured NaN/);
    expect(() => spreadOf([Infinity])).toThrow(/round 1 of 1 measured Infinity/);
  });

  it('prints the median, the middle half and the range, with the unit once per range', () => {
    const s = spreadOf([0.9, 0.91, 0.92, 0.93, 0.95]);
    expect(spreadText(s, percentText)).toBe('92.0 % (5 rounds: middle half 91.0–93.0 %, all 90.0–95.0 %)');
    expect(spreadText(spreadOf([1.8, 1.9, 1.9, 1.9, 2]), times)).toBe('1.90× (5 rounds: middle half 1.90×, all 1.80–2.00×)');
    expect(spreadText(spreadOf([4.5, 4.25]), (ms) => ms.toFixed(2))).toBe('4.38 (2 rounds: middle half 4.31–4.44, all 4.25–4.50)');
  });

  it('pairs two measurements round by round, and refuses rounds that do not pair up', () => {
    expect(roundRatios([10, 12, 9], [0.5, 0.6, 0.45])).toEqual([20, 20, 20]);
    expect(() => roundRatios([10, 12, 9], [0.5, 0.6])).toThrow(/3 rounds over 2/);
  });

  it('gives the same ratios, bit for bit, as the per-round formulas the trace, threads and dense suites wrote out before', () => {
    const a = [0.4213, 0.3977, 0.5121, 0.4402, 0.4019];
    const b = [0.3891, 0.4104, 0.4467, 0.3998, 0.3702];
    // trace.bench.ts: a case's time over the untraced step's; threads.bench.ts: one thread's over two threads'.
    expect(roundRatios(a, b)).toEqual(a.map((ms, i) => ms / b[i]));
    // dense.bench.ts: a product's GFLOP/s over its round's peak's, each flops / time / 1e6.
    const gflops = (flops: number, ms: number) => flops / ms / 1e6;
    const [productFlops, peakFlops] = [10_035_200, 10_240_000];
    expect(roundRatios(a.map((t) => gflops(productFlops, t)), b.map((t) => gflops(peakFlops, t)))).toEqual(
      a.map((t, i) => gflops(productFlops, t) / gflops(peakFlops, b[i])),
    );
  });
});
