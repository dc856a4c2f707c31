// The goals judged on one suite's rounds (bench/goals.ts): made-up rows and rounds, no timing.
import { describe, expect, it } from 'vitest';
import { elementwiseGoals, ingestGoal, peerGoals, stepPeakGoal } from '../../bench/goals.js';
import type { ElementwiseRow } from '../../bench/elementwise.bench.js';
import type { PeerRow } from '../../bench/peers.bench.js';
import type { ApiRow } from '../../bench/api.bench.js';
import type { ScalingRow } from '../../bench/scaling.bench.js';

describe('the exp-bound passes against a Math.exp loop (≥ 5×)', () => {
  const rows = (sigmoid: number[], softmax: number[]): ElementwiseRow[] => [
    { name: 'sigmoid ts', medianMs: 10, ratio: 1 },
    { name: 'sigmoid wasm-scalar', medianMs: 4.5, ratio: 2.2, ratios: [2.2, 2.2, 2.2] },
    { name: 'sigmoid wasm-simd', medianMs: 0.7, ratio: 15, ratios: sigmoid },
    { name: 'softmax n=10 ts', medianMs: 12, ratio: 1 },
    { name: 'softmax n=10 wasm-simd', medianMs: 2, ratio: 5, ratios: softmax },
  ];

  it('judges every wasm-simd row, and only those, on its median round', () => {
    const goals = elementwiseGoals(rows([14, 15, 16, 15, 13], [5.2, 5.1, 4.4, 5.3, 5.0]), 1_000_000);
    expect(goals.map((g) => g.goal)).toEqual(['sigmoid on 1,000,000 floats vs Math.exp loop', 'softmax n=10 on 1,000,000 floats vs Math.exp loop']);
    expect(goals[0]).toEqual({
      goal: 'sigmoid on 1,000,000 floats vs Math.exp loop',
      target: '≥ 5×',
      measured: '15× (5 rounds: middle half 14–15×, all 13–16×)',
      verdict: 'met',
    });
    // Median 5.1 meets 5×; the middle half 5.0–5.2 does not straddle it (the first quartile is 5.0 itself).
    expect(goals[1].verdict).toBe('met');
    expect(goals[1].measured).not.toMatch(/straddles/);
  });

  it('is NOT met when the median round falls short, and says when the middle half straddles 5×', () => {
    const [, softmax] = elementwiseGoals(rows([15, 15, 15], [4.6, 4.9, 4.8, 5.4, 4.7]), 1_000_000);
    expect(softmax.verdict).toBe('NOT met');
    expect(softmax.measured).toBe('4.80× (5 rounds: middle half 4.70–4.90×, all 4.60–5.40×)');
    const [, close] = elementwiseGoals(rows([15, 15, 15], [5.1, 4.6, 5.4, 4.9, 4.7]), 1_000_000);
    expect(close.verdict).toBe('NOT met');
    expect(close.measured).toBe('4.90× (5 rounds: middle half 4.70–5.10×, all 4.60–5.40×); its middle half straddles 5.00×');
  });

  it('refuses a wasm-simd row without rounds, and rows without any wasm-simd pass', () => {
    const once: ElementwiseRow[] = [{ name: 'tanh wasm-simd', medianMs: 1, ratio: 12 }];
    expect(() => elementwiseGoals(once, 1_000_000)).toThrow(/'tanh wasm-simd' has no rounds/);
    expect(() => elementwiseGoals([{ name: 'tanh ts', medianMs: 14, ratio: 1 }], 1_000_000)).toThrow(/no wasm-simd row/);
  });
});

describe('the step against its peers (issue #5)', () => {
  const peer = (batch: number, name: string, ratios?: number[]): PeerRow => ({ name, batch, medianMs: 1, samplesPerSecond: 1, ratio: 1, ratios });
  const all = (brain: number[]): PeerRow[] => [
    peer(1, 'gradscope wasm-simd'),
    peer(1, 'tfjs-wasm trainOnBatch', [22, 23, 24]),
    peer(8, 'tfjs-wasm trainOnBatch', [23, 21, 25]),
    peer(64, 'tfjs-wasm trainOnBatch', [18, 17, 19, 18]),
    peer(64, 'tfjs-wasm raw ops (minimize)', [1, 1, 1]),
    peer(64, 'brain.js 1.6 train (per sample)', brain),
    peer(64, 'tfjs-cpu trainOnBatch', [70, 71, 69]),
  ];

  it('judges tfjs-wasm trainOnBatch at batches 64, 1 and 8 and brain.js at 64 on their rounds', () => {
    const goals = peerGoals(all([139, 140, 138]));
    expect(goals.map((g) => [g.goal, g.target, g.verdict])).toEqual([
      ['step vs tfjs-wasm trainOnBatch, batch 64', '≥ 8×', 'met'],
      ['step vs brain.js, batch 64', '≥ 50×', 'met'],
      ['step vs tfjs-wasm trainOnBatch, batch 1', '≥ 10×', 'met'],
      ['step vs tfjs-wasm trainOnBatch, batch 8', '≥ 10×', 'met'],
    ]);
    expect(goals[0].measured).toBe('18× (4 rounds: middle half 18×, all 17–19×)');
  });

  it('is NOT met on a slow median round even when one round read far above the target', () => {
    const brain = peerGoals(all([40, 45, 300]))[1];
    expect(brain.verdict).toBe('NOT met');
    expect(brain.measured).toMatch(/^45× \(3 rounds: middle half 43–173×, all 40–300×\); its middle half straddles 50×$/);
  });

  it('refuses a missing row or a row measured without rounds', () => {
    expect(() => peerGoals(all([139]).filter((r) => r.batch !== 8))).toThrow(/no 'tfjs-wasm trainOnBatch' row at batch 8/);
    expect(() => peerGoals(all(undefined as unknown as number[]))).toThrow(/'brain\.js 1\.6 train \(per sample\)' has no rounds/);
  });
});

describe('the ingest of 9,000 rows (≤ 5 ms, issue #16)', () => {
  const ingest = (roundsMs?: number[]): ApiRow => ({ task: 'ingest: net.dataset() of 9,000 rows', medianMs: 0, steps: 0, roundsMs });

  it('is met on a median round at or under 5 ms, printed in ms', () => {
    const goal = ingestGoal(ingest([2.1, 2.3, 2.2, 9.5, 2.0]), 784);
    expect(goal).toEqual({
      goal: 'ingest: net.dataset() of 9,000 rows×784 from Float32Array (issue #16)',
      target: '≤ 5 ms',
      measured: '2.20 ms (5 rounds: middle half 2.10–2.30 ms, all 2.00–9.50 ms)',
      verdict: 'met',
    });
  });

  it('is NOT met above 5 ms, and says when the middle half straddles it', () => {
    const goal = ingestGoal(ingest([4.8, 5.3, 5.1, 4.9, 5.6]), 784);
    expect(goal.verdict).toBe('NOT met');
    expect(goal.measured).toBe('5.10 ms (5 rounds: middle half 4.90–5.30 ms, all 4.80–5.60 ms); its middle half straddles 5.00 ms');
  });

  it('refuses a row timed once', () => {
    expect(() => ingestGoal(ingest(), 784)).toThrow(/has no rounds/);
  });
});

describe("the training step's share of the FLOP limit (≥ 60 %)", () => {
  const row = (ofPeakRounds: number[]): ScalingRow => ({
    axis: 'batch',
    value: 64,
    sizes: [784, 100, 100, 10],
    batch: 64,
    medianMs: 0.42,
    samplesPerSecond: 152_226.4,
    gflops: 57.8,
    ofPeak: 0,
    ofPeakRounds,
  });

  it("is judged on the median round's fraction of that round's peak, with the samples per second", () => {
    expect(stepPeakGoal(row([0.86, 0.85, 0.87, 0.84, 0.88]))).toEqual({
      goal: 'training step [784,100,100,10] batch 64, one thread',
      target: '≥ 60 % of the FLOP limit',
      measured: '86.0 % (5 rounds: middle half 85.0–87.0 %, all 84.0–88.0 %); 152,226 samples/s',
      verdict: 'met',
    });
  });

  it('is NOT met below 60 %, and says when the middle half straddles it', () => {
    const goal = stepPeakGoal(row([0.55, 0.58, 0.62, 0.59, 0.7]));
    expect(goal.verdict).toBe('NOT met');
    expect(goal.measured).toMatch(/^59\.0 % \(5 rounds: middle half 58\.0–62\.0 %, all 55\.0–70\.0 %\); its middle half straddles 60\.0 %; /);
  });
});
