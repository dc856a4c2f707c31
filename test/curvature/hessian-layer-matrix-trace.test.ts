// Per-layer traces of the Hessian by Hutchinson, each layer probed on its own (what measureCurvature
// does with `layers`): against each layer's exact trace tr(H_ll), taken from the float64 ref
// network's central differences of its gradients (independent of the R-operator) and checked
// against the explicit diagonal e_iᵀ·H·e_i. The estimates converge with the probes, their standard
// errors cover the exact trace as often as a standard error should, and they are many times
// smaller than joint probes' (whose cross-layer terms made layer traces ±10× their value).
import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/api/network.js';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { CurvatureOperators, type ParameterBlock } from '../../src/curvature/operators.js';
import { traceOf, type TraceEstimate } from '../../src/curvature/matrix-trace.js';
import { blockSubjects, deepSigmoid, explicitBlockTraces, type TraceSubject } from '../util/trace-subjects.js';

const SUBJECTS = [deepSigmoid, ...blockSubjects];
/** The five-point stencil's step: truncation O(STEP⁴), rounding O(ε/STEP). */
const STEP = 1e-5;
/** Rounding allowed where an estimate has no sampling error (a one-parameter block, as ReZero's α: z²·H₁₁ = H₁₁): float32's H·v. */
const ROUNDING = { ref: 1e-9, wasm: 1e-4 };

/** ∂²C/∂θ_i² at θ by five-point central differences of the gradient, for every i, summed per block (ref, float64). */
function finiteDifferenceBlockTraces(net: Network, x: number[][], y: number[][], blocks: readonly ParameterBlock[]): number[] {
  const params = net.parameters();
  const gradient = () => {
    const point = net.gradients(x, y).parameters;
    return Float64Array.from(params.flatMap((p) => Array.from(point[p.name])));
  };
  const diagonal: number[] = [];
  for (const p of params) {
    const values = net.kernels.view(p.value);
    for (let j = 0; j < p.length; j++) {
      const i = diagonal.length;
      const saved = values[j];
      const at = (step: number) => {
        values[j] = saved + step;
        return gradient()[i];
      };
      diagonal.push((8 * (at(STEP) - at(-STEP)) - (at(2 * STEP) - at(-2 * STEP))) / (12 * STEP));
      values[j] = saved;
    }
  }
  return blocks.map((b) => diagonal.slice(b.offset, b.offset + b.length).reduce((s, d) => s + d, 0));
}

const exactTraces = new Map<TraceSubject, number[]>();

/** tr(H_ll) of every layer: central differences on the ref network, checked against the explicit diagonal. */
async function exactLayerTraces(subject: TraceSubject): Promise<number[]> {
  const known = exactTraces.get(subject);
  if (known) return known;
  const { net, x, y } = await subject.make('ref');
  const ops = new CurvatureOperators(net, x, y);
  const explicit = explicitBlockTraces(ops.hessian, ops.size, ops.blocks);
  const differences = finiteDifferenceBlockTraces(net, x, y, ops.blocks);
  differences.forEach((d, l) => expect(Math.abs(explicit[l] - d), `${subject.name}, layer ${l}: explicit ${explicit[l]} vs central differences ${d}`).toBeLessThanOrEqual(1e-6 * Math.abs(d) + 1e-9));
  ops.dispose();
  net.dispose();
  exactTraces.set(subject, differences);
  return differences;
}

/** |estimate − exact| in standard errors; a block without sampling error (SE 0) must be exact to rounding. */
function expectWithin(got: TraceEstimate, want: number, errors: number, rounding: number, label: string): void {
  const allowed = Math.max(errors * got.standardError, rounding * Math.abs(want) + 1e-12);
  expect(Math.abs(got.trace - want), `${label}: ${got.trace} ± ${got.standardError} vs exact ${want}`).toBeLessThanOrEqual(allowed);
}

describe.each(['ref', 'wasm'] as const)('per-layer Hessian traces on %s', (backend) => {
  it.each(SUBJECTS.map((s) => [s.name, s] as const))('%s: each layer within 4 standard errors of tr(H_ll) at 20 and 320 probes, the error shrinking ~1/√probes', async (_, subject) => {
    const want = await exactLayerTraces(subject);
    const { net, x, y } = await subject.make(backend);
    const ops = new CurvatureOperators(net, x, y);
    const [few, many] = [20, 320].map((probes) => traceOf(ops.hessian, ops.size, ops.blocks, { probes, exactLimit: 0, blockProbes: true, seed: 4 }));
    expect(many.products).toBe(320 * ops.blocks.length);
    for (const [result, probes] of [[few, 20], [many, 320]] as const) {
      result.blocks.forEach((got, l) => expectWithin(got, want[l], 4, ROUNDING[backend], `${probes} probes, layer ${l}`));
    }
    // 16× the probes: the standard error ÷ 4 in expectation (÷ 2 allowed: each is itself estimated from the samples)
    many.blocks.forEach((got, l) => expect(got.standardError, `layer ${l}`).toBeLessThanOrEqual(few.blocks[l].standardError / 2));
    ops.dispose();
    net.dispose();
  });
});

describe('the printed ± of per-layer Hessian traces', () => {
  it('covers tr(H_ll) as a standard error does: within 1 SE in 50–80 % of 40 seeds × every layer, within 2 SE in ≥ 85 % (wasm, 20 probes)', async () => {
    let [trials, withinOne, withinTwo] = [0, 0, 0];
    for (const subject of SUBJECTS) {
      const want = await exactLayerTraces(subject);
      const { net, x, y } = await subject.make('wasm');
      const ops = new CurvatureOperators(net, x, y);
      for (let seed = 1; seed <= 40; seed++) {
        traceOf(ops.hessian, ops.size, ops.blocks, { probes: 20, exactLimit: 0, blockProbes: true, seed }).blocks.forEach((got, l) => {
          if (got.standardError === 0) return expectWithin(got, want[l], 0, ROUNDING.wasm, `seed ${seed}, layer ${l} (no sampling error)`);
          const errors = Math.abs(got.trace - want[l]) / got.standardError;
          trials++;
          if (errors <= 1) withinOne++;
          if (errors <= 2) withinTwo++;
        });
      }
      ops.dispose();
      net.dispose();
    }
    expect(trials).toBeGreaterThan(800);
    // A mean of 20 samples: Student's t with 19 degrees of freedom gives 67 % and 94 %.
    expect(withinOne / trials).toBeGreaterThanOrEqual(0.5);
    expect(withinOne / trials).toBeLessThanOrEqual(0.8);
    expect(withinTwo / trials).toBeGreaterThanOrEqual(0.85);
  });

  it("joint probes' layer errors are ≥ 5× the per-layer probes' on every hidden layer of the deep sigmoid chain, and measureCurvature prints the per-layer ones", async () => {
    const want = await exactLayerTraces(deepSigmoid);
    const { net, x, y } = await deepSigmoid.make('wasm');
    const ops = new CurvatureOperators(net, x, y);
    const [joint, perLayer] = [false, true].map((blockProbes) => traceOf(ops.hessian, ops.size, ops.blocks, { probes: 60, exactLimit: 0, blockProbes, seed: 4 }));
    for (let l = 0; l < 4; l++) {
      expect(joint.blocks[l].standardError, `hidden layer ${l + 1}`).toBeGreaterThanOrEqual(5 * perLayer.blocks[l].standardError);
      // joint probes' error is larger than the first layer's own trace: the ±10× of the report
      if (l === 0) expect(joint.blocks[l].standardError).toBeGreaterThan(Math.abs(want[l]));
    }
    ops.dispose();
    const report = measureCurvature(net, x, y, { k: 1, exactTraceLimit: 0, probes: 60, seed: 4 });
    report.layers.forEach((layer, l) => {
      expect(layer.hessian.trace, `layer ${l}`).toBe(perLayer.blocks[l].trace);
      expect(layer.hessian.traceStdError, `layer ${l}`).toBe(perLayer.blocks[l].standardError);
      expectWithin({ trace: layer.hessian.trace, standardError: layer.hessian.traceStdError }, want[l], 4, ROUNDING.wasm, `measureCurvature, layer ${l}`);
    });
    // The whole H's trace is the layers' summed, their errors in quadrature.
    expect(report.hessian.trace).toBeCloseTo(report.layers.reduce((s, layer) => s + layer.hessian.trace, 0), 12);
    expect(report.hessian.traceStdError).toBeCloseTo(Math.hypot(...report.layers.map((layer) => layer.hessian.traceStdError)), 12);
    const table = curvatureTable(report);
    expect(table).toMatch(/^hidden 1 \(\d+\) H .* -?\d\.\d+e[-+]\d+ ± \d\.\d+e[-+]\d+ /m);
    expect(table).toMatch(/^each layer's traces probe that layer alone/m);
    net.dispose();
  });
});
