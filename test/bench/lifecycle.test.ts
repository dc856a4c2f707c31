// bench/lifecycle.bench.ts: each phase (allocating, releasing) is timed by the clock given; the
// default is the process's CPU time (bench/ab-rounds.ts cpuMs), as the dense bench's.
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_LAYERS, runLifecycleBench } from '../../bench/lifecycle.bench.js';

describe('the lifecycle bench', () => {
  it('times allocating and releasing by the clock given', () => {
    // Reads 0, 1, 3, 6, 10, …: the k-th read returns the sum 0 + 1 + … + k, so each phase's time names its reads.
    let reads = 0;
    let now = 0;
    const rows = runLifecycleBench(() => (now += reads++));
    expect(rows.map((r) => r.layers)).toEqual(LIFECYCLE_LAYERS);
    // Three reads per size: before allocating, between the phases, after releasing.
    rows.forEach((row, i) => {
      expect(row.allocateMs, `${row.layers} layers`).toBe(3 * i + 1);
      expect(row.releaseMs, `${row.layers} layers`).toBe(3 * i + 2);
    });
  });
});
