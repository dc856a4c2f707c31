// measureCurvature's onProgress: `done` / `total` count operator products (a Lanczos run that
// converges early takes its untaken products off the total instead of jumping `done` to its planned
// end), and `fraction` is the share of the time, each product and each Lanczos step's
// reorthogonalisation priced at what they cost in this run, so that it tracks the time where the
// products alone do not (a late Lanczos step's basis work costs many products). Here the clock is
// the test's: a product takes `clock.product`, a step one per basis entry its passes read.
import { describe, expect, it, vi } from 'vitest';
import type { LanczosOptions, LanczosStep } from '../../src/curvature/lanczos.js';
import type { LinearOperator } from '../../src/curvature/operators.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from '../../src/curvature/negative-mass.js';

// Every Lanczos step measureCurvature takes, with the dimension of its run, seen through onStep; the
// test's clock moves on by the entries its passes read before measureCurvature's onStep sees it.
const { stepsSeen, clock } = vi.hoisted(() => ({ stepsSeen: [] as (LanczosStep & { n: number })[], clock: { now: 0, product: 0 } }));
vi.mock('../../src/curvature/lanczos.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/curvature/lanczos.js')>();
  return {
    ...original,
    lanczos: (operator: LinearOperator, n: number, options: LanczosOptions = {}) =>
      original.lanczos(operator, n, {
        ...options,
        onStep: (step) => {
          stepsSeen.push({ ...step, n });
          clock.now += (step.passes + (step.restarted ? 2 : 0)) * n * step.basis;
          options.onStep?.(step);
        },
      }),
  };
});
// Each product of H or G takes clock.product on the test's clock.
vi.mock('../../src/curvature/operators.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/curvature/operators.js')>();
  class TimedOperators extends original.CurvatureOperators {
    constructor(...args: ConstructorParameters<typeof original.CurvatureOperators>) {
      super(...args);
      const timed = (operator: LinearOperator): LinearOperator => (out, v) => {
        clock.now += clock.product;
        operator(out, v);
      };
      Object.assign(this, { hessian: timed(this.hessian), gaussNewton: timed(this.gaussNewton) });
    }
  }
  return { ...original, CurvatureOperators: TimedOperators };
});
const { createNetwork } = await import('../../src/api/network.js');
const { measureCurvature } = await import('../../src/curvature/curvature.js');
type CurvatureProgress = import('../../src/curvature/curvature-work.js').CurvatureProgress;

/** A sigmoid network's rows and one-hot targets, `rows` of them. */
function dataFor(inputs: number, outputs: number, rows: number) {
  const x = Array.from({ length: rows }, (_, r) => Array.from({ length: inputs }, (_, j) => Math.sin(r * 5 + j)));
  const y = x.map((_, r) => Array.from({ length: outputs }, (_, c) => (c === r % outputs ? 1 : 0)));
  return { x, y };
}

/** The products of the negative mass' start vectors in a Hessian run beyond the step limit. */
const MASS = MASS_PROBES * MASS_PROBE_STEPS;

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
    // and G, each run one product more, measuring the products' rounding; and H's runs beyond the 40
    // steps (the whole network's 147 and the first layer's 108, not the output's 39) the negative
    // mass' start vectors
    expect(first).toBe(2 * 147 + 2 * (40 + 40 + 39 + 3) + 2 * MASS);
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

  /** measureCurvature's progress on the test's clock, each product taking `product`: every report with the time by then. */
  function timed<T>(product: number, run: (onProgress: (p: CurvatureProgress) => void) => T) {
    clock.now = 0;
    clock.product = product;
    const points: { time: number; fraction: number; products: number; total: number }[] = [];
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    try {
      run((p) => points.push({ time: clock.now, fraction: p.fraction, products: p.done, total: p.total }));
    } finally {
      now.mockRestore();
    }
    return points;
  }

  it('fraction tracks the time, products and reorthogonalisation passes, where the share of products runs ahead', async () => {
    // [20, 60, 20] tanh: 2,480 parameters, the whole network only, traces by 2 probes: nearly all the
    // time is the two Lanczos runs, 100 steps each (H's k 50 are not met sooner; G's, its largest
    // alone, at its 100th step). From its 20th step on, a step's Gram-Schmidt pass (2,480 × its
    // basis) outweighs a product of 2,000.
    const net = await createNetwork({ sizes: [20, 60, 20], activation: 'tanh', seed: 3, backend: 'ref' });
    const { x, y } = dataFor(20, 20, 10);
    stepsSeen.length = 0;
    const points = timed(2000, (onProgress) => measureCurvature(net, x, y, { k: 50, maxSteps: 100, layers: false, exactTraceLimit: 0, probes: 2, onProgress }));
    net.dispose();
    expect(stepsSeen).toHaveLength(200);
    const all = points[points.length - 1].time;
    expect(points[points.length - 1].fraction).toBe(1);
    // Every run took its step limit here, which is what they were expected to take, and no pass beyond
    // one per step: from the first step on, the fraction is the time's share.
    for (const point of points.slice(2)) expect(point.fraction).toBeCloseTo(point.time / all, 9);
    // A tenth of the time, under half way through the Hessian's steps (they grow dearer): the fraction
    // says a tenth, the share of products over 0.15. (The share is of every product planned, the
    // negative mass' start vectors after the Hessian's run among them: cheap here beside the passes.)
    const tenth = points.find((point) => point.time >= all / 10)!;
    expect(tenth.fraction).toBeGreaterThan(0.09);
    expect(tenth.fraction).toBeLessThan(0.11);
    expect(tenth.products / tenth.total).toBeGreaterThan(0.15);
  });

  it("prices the work at this run's own costs: products 1,000 times dearer beside the same passes move the fraction with them", async () => {
    // Two machines, one whose products cost 1,000 times another's beside the same reorthogonalisation:
    // on each the fraction is its own time's share. A fixed cost per product, one CPU's, fits one of
    // them at most: it gave both runs the same fractions.
    const net = await createNetwork({ sizes: [20, 60, 20], activation: 'tanh', seed: 3, backend: 'ref' });
    const { x, y } = dataFor(20, 20, 10);
    const at = (product: number) => timed(product, (onProgress) => measureCurvature(net, x, y, { k: 50, maxSteps: 100, layers: false, exactTraceLimit: 0, probes: 50, onProgress }));
    const [cheap, dear] = [at(100), at(100000)];
    net.dispose();
    for (const points of [cheap, dear]) {
      const all = points[points.length - 1].time;
      for (const point of points.slice(2)) expect(point.fraction).toBeCloseTo(point.time / all, 9);
    }
    // At the traces' first product (after both Lanczos runs' 202 and the Hessian's negative mass'
    // start vectors), the passes were nearly all of the cheap run's time and half of the dear one's:
    // its 100 trace products are still to come.
    const tracesStart = (points: typeof cheap) => points.find((p) => p.products === 202 + MASS + 1)!.fraction;
    expect(tracesStart(cheap)).toBeGreaterThan(0.99);
    expect(tracesStart(dear)).toBeLessThan(0.85);
  });

  it('a second pass or a restart adds its time to what is done: the fraction rises with every product from the first step on, and ends at 1', async () => {
    // [8, 16, 4] sigmoid, 212 parameters on 4 rows: G's rank is at most 4 × 3 = 12 and H's little
    // more, so the runs over all 212 dimensions close their Krylov spaces and restart again and again.
    const net = await createNetwork({ sizes: [8, 16, 4], activation: 'sigmoid', seed: 3, backend: 'ref' });
    const { x, y } = dataFor(8, 4, 4);
    stepsSeen.length = 0;
    const seen = timed(50, (onProgress) => measureCurvature(net, x, y, { k: 2, layers: false, exactTraceLimit: 0, probes: 2, onProgress })).map((p) => ({ ...p, done: p.products }));
    net.dispose();
    expect(stepsSeen.some((s) => s.restarted)).toBe(true);
    expect(stepsSeen.some((s) => s.passes === 2)).toBe(true);
    // Every product moves it on: work beyond the plan is not held at the run's planned end. (The first
    // two products come before any pass has been timed: 0.)
    for (let i = 3; i < seen.length; i++) {
      expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
      if (seen[i].done > seen[i - 1].done) expect(seen[i].fraction, `product ${seen[i].done}`).toBeGreaterThan(seen[i - 1].fraction);
    }
    expect(seen[seen.length - 1].fraction).toBe(1);
  });
});
