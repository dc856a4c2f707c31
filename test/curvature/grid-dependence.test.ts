// How far the saddle rule's grids move the ratio it weighs (docs/curvature.md: "How far, measured where the Hessian is
// small enough to write out"): ±v's best mean drop and the slope's, scanned at DENSE_LENGTHS lengths over the grids'
// own ranges on the points the docs place the factor between (the stiff-bias saddle of critical-point.test.ts and
// docs/cli.md's tanh point), against what measureCurvature reads on its grids.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { bestAlongV, curvatureDrop, meanDrop, OUTWEIGHS, saddleProbes, slopeDrop } from '../../src/curvature/critical-point.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import type { Rows } from '../../src/data/matrix.js';
import { denseCurvatureDrop, denseSlopeDrop, smallestEigenvector, DENSE_LENGTHS } from '../util/dense-drops.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';

const PAGE = 'docs/curvature.md';
const inputs = [[-1], [-0.5], [0.5], [1]];

/** The tanh unit at zero weights with its output bias `bias` off the targets' mean (critical-point.test.ts' fixture). */
async function stiff(bias: number): Promise<Network> {
  const net = await createNetwork({ sizes: [1, 1, 1], activation: 'tanh', output: 'linear', loss: 'mse', seed: 1, backend: 'ref' });
  net.loadState(net.state().map((t) => ({ name: t.name, values: t.name === '2.bias' ? [bias] : new Array(t.values.length).fill(0) })));
  return net;
}

/** The grid's ratio and verdict (measureCurvature's), and the scanned drops, at the network's point. */
function read(net: Network, x: Rows, y: Rows) {
  const report = measureCurvature(net, x, y, { k: 1 });
  const ops = new CurvatureOperators(net, x, y);
  try {
    const v = smallestEigenvector(ops);
    // v is measureCurvature's: the loss along it at the grid's steps is the report's, to float64's rounding
    const probes = saddleProbes((t) => ops.lossAlong(v, t) - ops.loss);
    probes.forEach((p, i) => {
      expect(p.plus).toBeCloseTo(report.probes[i].plus, 9);
      expect(p.minus).toBeCloseTo(report.probes[i].minus, 9);
    });
    const curvature = denseCurvatureDrop(ops, v);
    const slope = denseSlopeDrop(ops);
    const grid = { curvature: curvatureDrop(report.probes), slope: slopeDrop(report.descent, report.gradientNorm) };
    // a parabola through the grid's best mean drop and its neighbours, where they bracket it: ±v's drop at its vertex
    const means = probes.map(meanDrop);
    const i = probes.indexOf(bestAlongV(probes)!);
    let parabola = grid.curvature;
    if (i > 0 && i < probes.length - 1 && means[i] > means[i - 1] && means[i] > means[i + 1]) {
      const [a, b, c] = [i - 1, i, i + 1].map((j) => ({ t: probes[j].step, f: -means[j] }));
      const p = (b.t - a.t) * (b.f - c.f);
      const q = (b.t - c.t) * (b.f - a.f);
      const t = b.t - ((b.t - a.t) * p - (b.t - c.t) * q) / (2 * (p - q));
      const [plus, minus] = [ops.lossAlong(v, t) - ops.loss, ops.lossAlong(v, -t) - ops.loss];
      if (plus < 0 && minus < 0) parabola = Math.max(parabola, -(plus + minus) / 2);
    }
    return { report, grid, curvature, slope, parabolaRatio: parabola / grid.slope, gridRatio: grid.curvature / grid.slope, denseRatio: curvature.drop / slope.drop, gridBest: bestAlongV(report.probes)! };
  } finally {
    ops.dispose();
  }
}

describe('the saddle rule on its grids and scanned (docs/curvature.md)', () => {
  const [atHalf, atT, share, edgeRatio, edgeOffset, tanhRatio, tanhT] = quotedOn(
    PAGE,
    /the stiff-bias saddle reads ([\d.]+)× \(±v's best at t = ([\d.]+), where\s+the grid's best, t = 1, gives (\d+) % of it\), ([\d.]+)× at ([\d.]+) off, and the tanh point ([\d.]+)× \(its best at\s+t = ([\d.]+)\)/,
  );

  it(`the stiff-bias saddle: ±v's steps read its margin low, and the scan moves its edge (${DENSE_LENGTHS} lengths)`, async () => {
    const net = await stiff(0.5);
    const half = read(net, inputs, inputs);
    net.dispose();
    expect(half.report.verdict).toBe('saddle');
    expect(atHalf).toBe(asWritten(atHalf, half.denseRatio));
    expect(atT).toBe(asWritten(atT, half.curvature.at));
    expect(half.gridBest.step).toBe(1);
    expect(share).toBe(asWritten(share, (100 * half.grid.curvature) / half.curvature.drop));
    // "The slope's drop moves by under 0.1 % on each"
    expect(Math.abs(half.slope.drop / half.grid.slope - 1)).toBeLessThan(1e-3);
    // "A parabola through ±v's best three steps, as the slope's has, finds the stiff saddle's (3.20×)"
    const [parabola] = quotedOn(PAGE, /A parabola through ±v's best three steps, as the slope's has, finds the stiff\s+saddle's \(([\d.]+)×\)/);
    expect(parabola).toBe(asWritten(parabola, half.parabolaRatio));

    const edge = await stiff(Number(edgeOffset));
    const beyond = read(edge, inputs, inputs);
    edge.dispose();
    expect(edgeRatio).toBe(asWritten(edgeRatio, beyond.denseRatio));
    expect(Math.abs(beyond.slope.drop / beyond.grid.slope - 1)).toBeLessThan(1e-3);
    // "of these three points only the one 0.52 off reads otherwise: a saddle"
    expect(beyond.gridRatio).toBeLessThan(OUTWEIGHS);
    expect(beyond.report.verdict).toBe('strong negative curvature');
    expect(beyond.denseRatio).toBeGreaterThanOrEqual(OUTWEIGHS);

    // "Scanned, the stiff fixture's edge lies near 0.7 off (1.97×)"
    const [offset, ratio] = quotedOn(PAGE, /Scanned, the stiff fixture's edge lies near ([\d.]+) off\s+\(([\d.]+)×\)/);
    const near = await stiff(Number(offset));
    const there = read(near, inputs, inputs);
    near.dispose();
    expect(ratio).toBe(asWritten(ratio, there.denseRatio));
    expect(Math.abs(there.denseRatio - OUTWEIGHS)).toBeLessThan(0.05);
  });

  it("docs/cli.md's tanh point: both pay comparably on the grid and scanned, ±v's best past its grid's best", async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 5, backend: 'ref' });
    const point = read(net, [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 2, 1]], [[1, 0], [0, 1], [0, 1]]);
    net.dispose();
    expect(point.report.verdict).toBe('strong negative curvature');
    expect(tanhRatio).toBe(asWritten(tanhRatio, point.denseRatio));
    expect(tanhT).toBe(asWritten(tanhT, point.curvature.at));
    expect(Math.abs(point.slope.drop / point.grid.slope - 1)).toBeLessThan(1e-3);
    // within the factor either way on both readings
    for (const r of [point.gridRatio, point.denseRatio]) expect(r < OUTWEIGHS && r * OUTWEIGHS > 1).toBe(true);
    // "whose grid's best is its longest step": a parabola through the best three steps would bracket nothing
    expect(point.gridBest.step).toBe(3);
    expect(point.parabolaRatio).toBe(point.gridRatio);
  });
});
