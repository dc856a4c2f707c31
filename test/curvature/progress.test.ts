// measureCurvature's onProgress counts operator products; a Lanczos run that converges early takes
// its untaken products off the total instead of jumping `done` to its planned end.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature, type CurvatureProgress } from '../../src/curvature/curvature.js';

describe('measureCurvature progress', () => {
  it('done rises by one per product, total falls by what early-converging runs did not take, and they meet at the end', async () => {
    // 8·12+12 + 12·3+3 = 147 parameters: beyond maxSteps 40, so every Lanczos run may stop early
    const net = await createNetwork({ sizes: [8, 12, 3], activation: 'sigmoid', seed: 2, backend: 'ref' });
    const rows = Array.from({ length: 6 }, (_, r) => Array.from({ length: 8 }, (_, j) => Math.sin(r * 5 + j)));
    const targets = rows.map((_, r) => [0, 1, 2].map((c) => (c === r % 3 ? 1 : 0)));
    const seen: CurvatureProgress[] = [];
    const report = measureCurvature(net, rows, targets, { k: 1, maxSteps: 40, onProgress: (p) => seen.push(p) });
    net.dispose();
    const first = seen[0].total;
    // traces exact (147 each), then Lanczos up to 40 steps on the whole network and each layer, for H and G
    expect(first).toBe(2 * 147 + 2 * (40 + 40 + 39));
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].done - seen[i - 1].done).toBeGreaterThanOrEqual(0);
      expect(seen[i].done - seen[i - 1].done).toBeLessThanOrEqual(1);
      expect(seen[i].total).toBeLessThanOrEqual(seen[i - 1].total);
      expect(seen[i].done).toBeLessThanOrEqual(seen[i].total);
    }
    const last = seen[seen.length - 1];
    expect(last.done).toBe(last.total);
    // some run converged early here, so the plan shrank; the products counted are the products taken
    const summaries = [report.hessian, report.gaussNewton, ...report.layers.flatMap((l) => [l.hessian, l.gaussNewton])];
    expect(summaries.some((s) => s.converged)).toBe(true);
    expect(last.total).toBeLessThan(first);
    const products = seen.filter((p, i) => i > 0 && p.done > seen[i - 1].done).length + (seen[0].done === 1 ? 1 : 0);
    expect(last.done).toBe(products);
  });
});
