// CurvatureWork's fraction against the work the measurement turns out to take: Lanczos runs end
// when their values converge, which nothing tells before they run, so each run not ended is
// expected to take as many steps as the longest of its kind so far that stopped before its step
// limit (a run cut off there tells only that it did not converge). Played here on plans whose runs
// take the steps real runs took (each plan's comment names its network: the wasm backend's Lanczos
// runs on it, seed 1, inputs N(0, 1) and one-hot targets as curvatureCostRows makes them, counted on
// 2026-12-02), the work known only at the end. A product costs 0.08 basis-entry reads per row and
// parameter here (an AMD Zen 3's), at half and 18× that too; the measured run prices its own.
import { describe, expect, it } from 'vitest';
import { CurvatureWork, curvatureStages, PROGRESS_TOLERANCE, type CurvatureProgress, type PlannedRun } from '../../src/curvature/curvature-work.js';
import { ROUNDING_PRODUCTS } from '../../src/curvature/lanczos.js';

/** A measurement's runs: each layer's block size and its H and G runs' steps, the whole network's, the trace products. */
interface Plan {
  blocks: number[];
  /** Steps each Lanczos run takes, in curvatureStages' order: per layer H then G, then the whole network's H and G. */
  steps: number[];
  traceProducts: number;
  /** Cost of a product, in basis-entry reads. */
  product: number;
  limit: number;
}

/**
 * Plays the plan through a CurvatureWork: every report's fraction beside the share of the work done
 * by then. The clock reads the work, or with a `tick` only its whole ticks (a browser's coarse clock).
 */
function play({ blocks, steps, traceProducts, product, limit }: Plan, tick = 0) {
  const n = blocks.reduce((sum, b) => sum + b, 0);
  const stages = curvatureStages(blocks.length, true);
  const sizeOf = (layer?: number) => (layer === undefined ? n : blocks[layer]);
  const planned = stages.map((what): PlannedRun => (what.measuring === 'trace' ? { what, n, measuring: 'trace', products: traceProducts } : { what, n: sizeOf(what.layer), measuring: 'eigenvalues', limit: Math.min(sizeOf(what.layer), limit) }));
  // The time: a product takes `product`, a step's pass one per basis entry it reads.
  let work = 0;
  const points: { work: number; progress: CurvatureProgress }[] = [];
  const tracker = new CurvatureWork(planned, (progress) => points.push({ work, progress }), () => (tick ? Math.floor(work / tick) * tick : work));
  const operator = () => (work += product);
  let run = 0;
  for (const what of stages) {
    const size = sizeOf(what.layer);
    tracker.stage(
      (op, onStep) => {
        const o = op as (out: Float64Array, v: Float64Array) => void;
        const none = new Float64Array(0);
        if (what.measuring === 'trace') for (let i = 0; i < traceProducts; i++) o(none, none);
        else {
          const taken = steps[run++];
          for (let step = 0; step < taken; step++) {
            o(none, none);
            if (step === 0) for (let i = 0; i < ROUNDING_PRODUCTS; i++) o(none, none);
            work += size * (step + 1);
            onStep!({ step, basis: step + 1, passes: 1, restarted: false });
          }
        }
      },
      operator,
    );
  }
  return points.map(({ work: done, progress }) => ({ work: done, share: done / work, fraction: progress.fraction, done: progress.done, total: progress.total }));
}

/** The largest distance of the fraction from the share of the work done, ahead and behind. */
function distance(points: ReturnType<typeof play>) {
  return { ahead: Math.max(...points.map((p) => p.fraction - p.share)), behind: Math.max(...points.map((p) => p.share - p.fraction)) };
}

function expectHonest(points: ReturnType<typeof play>) {
  for (let i = 1; i < points.length; i++) expect(points[i].fraction).toBeGreaterThanOrEqual(points[i - 1].fraction);
  for (const p of points) if (p.share < 1) expect(p.fraction).toBeLessThan(1);
  expect(points[points.length - 1].fraction).toBe(1);
  expect(points[points.length - 1].done).toBe(points[points.length - 1].total);
}

// [64, 9 × 60, 10] sigmoid, 33,790 parameters on 100 rows, --k 3 (CURVATURE_COST_RUN): every run stops early.
const deep: Plan = {
  blocks: [3900, ...Array<number>(8).fill(3660), 610],
  steps: [70, 50, 40, 15, 35, 15, 40, 15, 40, 15, 40, 15, 35, 14, 35, 14, 35, 14, 17, 17, 145, 14],
  traceProducts: 1000,
  product: Math.round(0.08 * 100 * 33790),
  limit: 300,
};
// [784, 64, 64, 10] sigmoid on 500 rows, k 5: the output block's H run takes its 300 steps, more than any before it.
const digits: Plan = { blocks: [50240, 4160, 650], steps: [130, 95, 45, 15, 300, 15, 185, 15], traceProducts: 300, product: Math.round(0.08 * 500 * 55050), limit: 300 };
// [20, 60, 20] tanh on 10 rows, k 5: hidden 2's H run takes 210 steps after hidden 1's 80, and the whole network's 210.
const tanh: Plan = { blocks: [1260, 1220], steps: [80, 45, 210, 55, 210, 55], traceProducts: 200, product: Math.round(0.08 * 10 * 2480), limit: 300 };
// [32, 40 ×4, 10] sigmoid on 50 rows, k 5: the whole network's H run takes 135 steps where no block's took more than 100.
const wide: Plan = { blocks: [1320, 1640, 1640, 1640, 410], steps: [70, 40, 40, 15, 40, 15, 40, 15, 100, 15, 135, 15], traceProducts: 500, product: Math.round(0.08 * 50 * 6650), limit: 300 };

describe('measureCurvature progress against the work it turns out to take', () => {
  it('runs that stop early: at most 0.08 ahead and 0.03 behind the share of the work done', () => {
    const points = play(deep);
    expectHonest(points);
    const { ahead, behind } = distance(points);
    expect(ahead).toBeLessThan(0.08);
    expect(behind).toBeLessThan(0.03);
  });

  it('a run that hits its step limit after shorter ones, the whole network after it: at most 0.04 ahead and 0.14 behind', () => {
    // The whole network's Hessian run (185 steps) is expected to take the output block's 130 that converged, not its 300 cut off at the limit (0.23 behind, 0.30 at half the product's cost).
    for (const scale of [0.5, 1]) {
      const points = play({ ...digits, product: Math.round(digits.product * scale) });
      expectHonest(points);
      const { ahead, behind } = distance(points);
      expect(ahead).toBeLessThan(0.05);
      expect(behind).toBeLessThan(0.14);
    }
  });

  it('later runs far longer than any before them: ahead, by at most 0.33 (tanh) and 0.13', () => {
    for (const [plan, most] of [[tanh, 0.33], [wide, 0.13]] as const) {
      const points = play(plan);
      expectHonest(points);
      const { ahead, behind } = distance(points);
      expect(ahead).toBeLessThan(most);
      expect(behind).toBeLessThan(0.05);
    }
  });

  it(`within PROGRESS_TOLERANCE (${PROGRESS_TOLERANCE.toFixed(2)}) of the work done on every plan here, at half and 18× the product's cost too`, () => {
    for (const plan of [deep, digits, tanh, wide]) {
      for (const scale of [0.5, 1, 18]) {
        const { ahead, behind } = distance(play({ ...plan, product: Math.round(plan.product * scale) }));
        expect(Math.max(ahead, behind), `${plan.blocks.join(',')} ×${scale}`).toBeLessThanOrEqual(PROGRESS_TOLERANCE);
      }
    }
  });

  it("a clock coarser than a product and a step (a browser's): the fraction moves from the first step on", () => {
    for (const plan of [deep, digits, tanh, wide]) {
      // A tick of 1000 products: on deep, digits and wide more than the first stage's work, whose end the bar waited for (23–47 % of the work at 0).
      const tick = 1000 * plan.product;
      const points = play(plan, tick);
      expectHonest(points);
      // from the first step on (its product and the rounding's reported before it)
      expect(points[ROUNDING_PRODUCTS + 1].fraction, plan.blocks.join(',')).toBeGreaterThan(0);
      // until the clock has seen both a product and a step take time, the share of the products
      const untimed = points.slice(ROUNDING_PRODUCTS + 1).filter((p) => p.work < tick);
      expect(untimed.length).toBeGreaterThan(0);
      for (const p of untimed) expect(p.fraction).toBeCloseTo(p.done / p.total, 12);
    }
    // A tick of 100 products: within the tolerance, as with a fine clock.
    for (const plan of [deep, digits, tanh, wide]) {
      const { ahead, behind } = distance(play(plan, 100 * plan.product));
      expect(Math.max(ahead, behind), plan.blocks.join(',')).toBeLessThanOrEqual(PROGRESS_TOLERANCE);
    }
  });

  it('every run at its step limit: what is expected is what it takes, so the fraction is the share of the work', () => {
    const points = play({ ...deep, steps: [...deep.blocks.flatMap((b) => [Math.min(b, 300), Math.min(b, 300)]), 300, 300] });
    expectHonest(points);
    // from the first step on, when both a product and a pass have been timed
    for (const p of points.slice(ROUNDING_PRODUCTS + 1)) expect(p.fraction).toBeCloseTo(p.share, 9);
  });

  it('takes the traces last, after every Lanczos run: their work is known before they start', () => {
    expect(curvatureStages(2, true)).toEqual([
      { matrix: 'hessian', measuring: 'eigenvalues', layer: 0 },
      { matrix: 'gaussNewton', measuring: 'eigenvalues', layer: 0 },
      { matrix: 'hessian', measuring: 'eigenvalues', layer: 1 },
      { matrix: 'gaussNewton', measuring: 'eigenvalues', layer: 1 },
      { matrix: 'hessian', measuring: 'eigenvalues' },
      { matrix: 'gaussNewton', measuring: 'eigenvalues' },
      { matrix: 'hessian', measuring: 'trace' },
      { matrix: 'gaussNewton', measuring: 'trace' },
    ]);
    expect(curvatureStages(2, false).map((s) => s.layer)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

