// The visualizer's history keeps the whole run from its first step, decimated evenly into at most
// BUCKETS buckets, each with the true minimum, maximum and last value of its steps.
import { describe, expect, it } from 'vitest';
import { BUCKETS, History } from '../../demo/src/history.js';

describe('visualizer history', () => {
  it('keeps every step from the first in equal buckets with their min, max and last', () => {
    const history = new History();
    const steps = 5 * BUCKETS + 123;
    const loss = (s: number) => 1 + Math.sin(s / 7) + (s % 97 === 0 ? 5 : 0); // spikes a bucket must keep
    const grad = (s: number, l: number) => 10 ** -l * (1 + Math.cos(s / 11));
    for (let from = 1; from <= steps; from += 250) {
      const records = [];
      for (let s = from; s < Math.min(from + 250, steps + 1); s++) records.push({ step: s, loss: loss(s), gradB: Float64Array.from([0, 1, 2], (l) => grad(s, l)) });
      history.addSteps(records);
    }
    expect(history.buckets.length).toBeLessThanOrEqual(BUCKETS);
    expect(history.buckets.length).toBeGreaterThan(BUCKETS / 2);
    expect(history.range).toEqual([1, steps]);
    expect(history.width).toBe(8);
    let next = 1;
    for (const b of history.buckets) {
      // Contiguous, equal width (the last may be partial).
      expect(b.first).toBe(next);
      expect(b.last - b.first + 1).toBeLessThanOrEqual(history.width);
      next = b.last + 1;
      const values = Array.from({ length: b.last - b.first + 1 }, (_, i) => loss(b.first + i));
      expect(b.loss).toEqual({ min: Math.min(...values), max: Math.max(...values), last: loss(b.last) });
      const layer2 = Array.from({ length: b.last - b.first + 1 }, (_, i) => grad(b.first + i, 2));
      expect(b.gradB[2]).toEqual({ min: Math.min(...layer2), max: Math.max(...layer2), last: grad(b.last, 2) });
    }
    expect(next).toBe(steps + 1);
  });

  it('thins the snapshots evenly and keeps the latest', () => {
    const history = new History();
    for (let s = 1; s <= 3 * BUCKETS; s++) history.addSnapshot({ step: s, accuracy: 0.5, testAccuracy: 0.4, testLoss: 1 });
    expect(history.snapshots.length).toBeLessThanOrEqual(BUCKETS + 1);
    expect(history.snapshots[0].step).toBe(1);
    expect(history.snapshots[history.snapshots.length - 1].step).toBe(3 * BUCKETS);
  });
});
