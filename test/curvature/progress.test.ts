// measureCurvature's onProgress: `done` / `total` count operator products (a Lanczos run that
// converges early takes its untaken products off the total instead of jumping `done` to its planned
// end), and `fraction` is the share of the work, each product and each Lanczos step's
// reorthogonalisation weighed by its modelled cost, so that it tracks the work where the products
// alone do not (a late Lanczos step's basis work costs many products).
import { describe, expect, it, vi } from 'vitest';
import type { LanczosOptions, LanczosStep } from '../../src/curvature/lanczos.js';
import type { LinearOperator } from '../../src/curvature/operators.js';

// Every Lanczos step measureCurvature takes, with the dimension of its run, seen through onStep.
const { stepsSeen } = vi.hoisted(() => ({ stepsSeen: [] as (LanczosStep & { n: number })[] }));
vi.mock('../../src/curvature/lanczos.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/curvature/lanczos.js')>();
  return {
    ...original,
    lanczos: (operator: LinearOperator, n: number, options: LanczosOptions = {}) =>
      original.lanczos(operator, n, {
        ...options,
        onStep: (step) => {
          stepsSeen.push({ ...step, n });
          options.onStep?.(step);
        },
      }),
  };
});
const { createNetwork } = await import('../../src/api/network.js');
const { measureCurvature } = await import('../../src/curvature/curvature.js');
const { productCost } = await import('../../src/curvature/curvature-work.js');
type CurvatureProgress = import('../../src/curvature/curvature-work.js').CurvatureProgress;

/** A sigmoid network's rows and one-hot targets, `rows` of them. */
function dataFor(inputs: number, outputs: number, rows: number) {
  const x = Array.from({ length: rows }, (_, r) => Array.from({ length: inputs }, (_, j) => Math.sin(r * 5 + j)));
  const y = x.map((_, r) => Array.from({ length: outputs }, (_, c) => (c === r % outputs ? 1 : 0)));
  return { x, y };
}

describe('measureCurvature progress', () => {
  it('done rises by one per product, total falls by what early-converging runs did not take, and they meet at the end', async () => {
    // 8·12+12 + 12·3+3 = 147 parameters: beyond maxSteps 40, so every Lanczos run may stop early
    const net = await createNetwork({ sizes: [8, 12, 3], activation: 'sigmoid', seed: 2, backend: 'ref' });
    const { x, y } = dataFor(8, 3, 6);
    const seen: CurvatureProgress[] = [];
    const report = measureCurvature(net, x, y, { k: 1, maxSteps: 40, onProgress: (p) => seen.push(p) });
    net.dispose();
    const first = seen[0].total;
    // traces exact (147 each), then Lanczos up to 40 steps on the whole network and each layer, for H
    // and G, each run one product more, measuring the products' rounding
    expect(first).toBe(2 * 147 + 2 * (40 + 40 + 39 + 3));
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].done - seen[i - 1].done).toBeGreaterThanOrEqual(0);
      expect(seen[i].done - seen[i - 1].done).toBeLessThanOrEqual(1);
      expect(seen[i].total).toBeLessThanOrEqual(seen[i - 1].total);
      expect(seen[i].done).toBeLessThanOrEqual(seen[i].total);
      expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
      expect(seen[i].fraction).toBeLessThanOrEqual(1);
    }
    const last = seen[seen.length - 1];
    expect(last.done).toBe(last.total);
    expect(last.fraction).toBe(1);
    // some run converged early here, so the plan shrank; the products counted are the products taken
    const summaries = [report.hessian, report.gaussNewton, ...report.layers.flatMap((l) => [l.hessian, l.gaussNewton])];
    expect(summaries.some((s) => s.converged)).toBe(true);
    expect(last.total).toBeLessThan(first);
    const products = seen.filter((p, i) => i > 0 && p.done > seen[i - 1].done).length + (seen[0].done === 1 ? 1 : 0);
    expect(last.done).toBe(products);
  });

  it('fraction tracks the work counted, products and reorthogonalisation passes, where the share of products runs ahead', async () => {
    // [20, 60, 20] tanh: 2,480 parameters on 10 rows, the whole network only, traces by 2 probes:
    // nearly all the work is the two Lanczos runs, 100 steps each (H's k 50 are not met sooner; G's,
    // its largest alone, at its 100th step). From its 20th step on, a step's Gram-Schmidt pass (2,480 ×
    // its basis) outweighs a product over 10 rows.
    const net = await createNetwork({ sizes: [20, 60, 20], activation: 'tanh', seed: 3, backend: 'ref' });
    const { x, y } = dataFor(20, 20, 10);
    const product = productCost(net.kernels.name, 10, net.parameterCount);
    stepsSeen.length = 0;
    // The work done when each report is made, counted here: its products at their modelled cost, and
    // every pass the Lanczos steps so far reported (n·basis each; a restart's fresh vector, two more).
    const points: { work: number; fraction: number; products: number; total: number }[] = [];
    const basisWork = () => stepsSeen.reduce((sum, s) => sum + (s.passes + (s.restarted ? 2 : 0)) * s.n * s.basis, 0);
    measureCurvature(net, x, y, { k: 50, maxSteps: 100, layers: false, exactTraceLimit: 0, probes: 2, onProgress: (p) => points.push({ work: p.done * product + basisWork(), fraction: p.fraction, products: p.done, total: p.total }) });
    net.dispose();
    expect(stepsSeen).toHaveLength(200);
    const all = points[points.length - 1].work;
    expect(points[points.length - 1].fraction).toBe(1);
    // The plan foresaw every pass here (no restart, no second pass), so the fraction is the work's share.
    for (const point of points) expect(point.fraction).toBeCloseTo(point.work / all, 9);
    // A quarter of the work, half way through the Hessian's run by its work (its steps grow dearer):
    // the fraction says a quarter, the share of products (the old rule) over a third.
    const quarter = points.find((point) => point.work >= all / 4)!;
    expect(quarter.fraction).toBeGreaterThan(0.24);
    expect(quarter.fraction).toBeLessThan(0.26);
    expect(quarter.products / quarter.total).toBeGreaterThan(0.33);
  });

  it('a second pass or a restart adds its work to both the done and the plan: the fraction rises with every product, and ends at 1', async () => {
    // [8, 16, 4] sigmoid, 212 parameters on 4 rows: G's rank is at most 4 × 3 = 12 and H's little
    // more, so the runs over all 212 dimensions close their Krylov spaces and restart again and again.
    const net = await createNetwork({ sizes: [8, 16, 4], activation: 'sigmoid', seed: 3, backend: 'ref' });
    const { x, y } = dataFor(8, 4, 4);
    stepsSeen.length = 0;
    const seen: CurvatureProgress[] = [];
    measureCurvature(net, x, y, { k: 2, layers: false, exactTraceLimit: 0, probes: 2, onProgress: (p) => seen.push(p) });
    net.dispose();
    expect(stepsSeen.some((s) => s.restarted)).toBe(true);
    expect(stepsSeen.some((s) => s.passes === 2)).toBe(true);
    // Every product moves it on: work beyond the plan is not held at the run's planned end.
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
      if (seen[i].done > seen[i - 1].done) expect(seen[i].fraction, `product ${seen[i].done}`).toBeGreaterThan(seen[i - 1].fraction);
    }
    expect(seen[seen.length - 1].fraction).toBe(1);
  });
});
