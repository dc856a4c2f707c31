// Per-layer traces of the Gauss-Newton matrix by Hutchinson: G is positive semi-definite, so each
// layer's block G_ll is too and tr(G_ll) ≥ 0. Joint probes (one over every parameter) estimate
// tr(G_ll) without bias but their cross-layer terms can make a sample, and an estimate, negative;
// block probes (each layer on its own) give z_lᵀ·G_ll·z_l ≥ 0 on every probe. Checked here against
// the explicit matrix's block traces, on dense and block networks, ref and wasm.
import { describe, expect, it } from 'vitest';
import { curvatureTable } from '../../src/cli/commands/curvature.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { CurvatureOperators, type LinearOperator, type ParameterBlock } from '../../src/curvature/operators.js';
import { traceOf } from '../../src/curvature/matrix-trace.js';
import { Rng } from '../../src/init/rng.js';
import { blockSubjects, deepSigmoid, explicitBlockTraces, type TraceSubject } from '../util/trace-subjects.js';

const PROBES = 60;

/** Every product's per-layer parts Σ_{i∈l} v_i (A·v)_i, and the one layer the probe lay in (−1: several). */
function recording(operator: LinearOperator, blocks: readonly ParameterBlock[]) {
  const samples: { block: number; parts: number[] }[] = [];
  const recorded: LinearOperator = (out, v) => {
    operator(out, v);
    const touched = blocks.map((b, j) => (v.subarray(b.offset, b.offset + b.length).some((e) => e !== 0) ? j : -1)).filter((j) => j >= 0);
    const parts = blocks.map((b) => v.subarray(b.offset, b.offset + b.length).reduce((s, e, i) => s + e * out[b.offset + i], 0));
    samples.push({ block: touched.length === 1 ? touched[0] : -1, parts });
  };
  return { recorded, samples };
}

/** tr(G_ll) of every layer from the explicit float64 matrix (ref backend). */
async function exactBlockTraces(subject: TraceSubject): Promise<number[]> {
  const { net, x, y } = await subject.make('ref');
  const ops = new CurvatureOperators(net, x, y);
  const traces = explicitBlockTraces(ops.gaussNewton, ops.size, ops.blocks);
  ops.dispose();
  net.dispose();
  return traces;
}

describe.each(['ref', 'wasm'] as const)('per-layer Gauss-Newton traces on %s', (backend) => {
  it.each([deepSigmoid, ...blockSubjects].map((s) => [s.name, s] as const))('%s: every block-probe sample ≥ 0, each layer within 4 standard errors of the exact trace', async (_, subject) => {
    const want = await exactBlockTraces(subject);
    const { net, x, y } = await subject.make(backend);
    expect(net.parameterCount).toBeLessThanOrEqual(300);
    const ops = new CurvatureOperators(net, x, y);
    expect(ops.blocks.length).toBeGreaterThan(1);
    const { recorded, samples } = recording(ops.gaussNewton, ops.blocks);
    const result = traceOf(recorded, ops.size, ops.blocks, { probes: PROBES, exactLimit: 0, blockProbes: true, seed: 4 });
    expect(result.exact).toBe(false);
    expect(result.products).toBe(PROBES * ops.blocks.length);
    expect(samples).toHaveLength(PROBES * ops.blocks.length);
    for (const sample of samples) {
      expect(sample.block, 'each probe lies in one layer').toBeGreaterThanOrEqual(0);
      expect(sample.parts[sample.block], `layer ${sample.block}: z_lᵀ G_ll z_l`).toBeGreaterThanOrEqual(0);
    }
    result.blocks.forEach((got, l) => {
      expect(got.trace).toBeGreaterThanOrEqual(0);
      // an exact zero block (e.g. no curvature reaches it) has zero samples and zero error
      const allowed = Math.max(4 * got.standardError, 1e-6 * Math.abs(want[l]) + 1e-12);
      expect(Math.abs(got.trace - want[l]), `layer ${l}: ${got.trace} ± ${got.standardError} vs exact ${want[l]}`).toBeLessThanOrEqual(allowed);
    });
    const total = want.reduce((s, t) => s + t, 0);
    expect(result.trace).toBeCloseTo(result.blocks.reduce((s, b) => s + b.trace, 0), 12);
    expect(Math.abs(result.trace - total)).toBeLessThanOrEqual(Math.max(4 * result.standardError, 1e-12));
    ops.dispose();
    net.dispose();
  });
});

describe('why block probes: joint probes and measureCurvature', () => {
  it("joint probes' per-layer samples go negative on the deep sigmoid chain; block probes' never do", async () => {
    const { net, x, y } = await deepSigmoid.make('ref');
    const ops = new CurvatureOperators(net, x, y);
    const { recorded, samples } = recording(ops.gaussNewton, ops.blocks);
    traceOf(recorded, ops.size, ops.blocks, { probes: PROBES, exactLimit: 0, seed: 4 });
    expect(samples.every((s) => s.block === -1), 'joint probes span every layer').toBe(true);
    const negative = samples.flatMap((s) => s.parts).filter((part) => part < 0).length;
    expect(negative).toBeGreaterThan(0);
    ops.dispose();
    net.dispose();
  });

  it('measureCurvature: beyond the exact limit every G trace is ≥ 0 and within 4 standard errors of the exact one; H keeps its error', async () => {
    const want = await exactBlockTraces(deepSigmoid);
    const { net, x, y } = await deepSigmoid.make('wasm');
    const report = measureCurvature(net, x, y, { k: 1, exactTraceLimit: 0, probes: PROBES });
    expect(report.traceExact).toBe(false);
    report.layers.forEach((layer, l) => {
      expect(layer.gaussNewton.trace).toBeGreaterThanOrEqual(0);
      expect(Math.abs(layer.gaussNewton.trace - want[l])).toBeLessThanOrEqual(4 * layer.gaussNewton.traceStdError + 1e-6 * want[l]);
      expect(layer.hessian.traceStdError).toBeGreaterThan(0);
    });
    expect(report.gaussNewton.trace).toBeGreaterThanOrEqual(0);
    // The table prints every G trace with its error, and says why G rows cannot be negative and H rows can.
    const table = curvatureTable(report);
    expect(table).toMatch(/^hidden 1 \(\d+\) G .* \d\.\d+e[-+]\d+ ± \d\.\d+e[-+]\d+ +none: G is PSD *$/m);
    expect(table).not.toMatch(/^\S.* G .* -\d\.\d+e[-+]\d+ ± /m);
    expect(table).toMatch(/G traces are never negative .* H's may be/m);
    const exact = measureCurvature(net, x, y, { k: 1 });
    expect(exact.traceExact).toBe(true);
    expect(curvatureTable(exact)).not.toMatch(/never negative/);
    net.dispose();
  });
});

describe('traceOf with blockProbes', () => {
  // A PSD operator diag(d) + u·uᵀ, 40 dimensions, two blocks leaving entries 10..14 and 35..39 uncovered.
  const n = 40;
  const rng = new Rng(2);
  const d = Float64Array.from({ length: n }, () => rng.uniformIn(0, 2));
  const u = Float64Array.from({ length: n }, () => rng.normal());
  const operator: LinearOperator = (out, v) => {
    const projection = v.reduce((s, e, i) => s + e * u[i], 0);
    for (let i = 0; i < n; i++) out[i] = d[i] * v[i] + u[i] * projection;
  };
  const exactOn = (from: number, to: number) => d.subarray(from, to).reduce((s, e, i) => s + e + u[from + i] ** 2, 0);
  const blocks = [{ offset: 0, length: 10 }, { offset: 15, length: 20 }];

  it('probes the uncovered entries as one more part: the whole is every part summed, within 4 standard errors', () => {
    const result = traceOf(operator, n, blocks, { probes: 200, exactLimit: 0, blockProbes: true });
    expect(result.products).toBe(200 * 3);
    expect(Math.abs(result.blocks[0].trace - exactOn(0, 10))).toBeLessThanOrEqual(4 * result.blocks[0].standardError);
    expect(Math.abs(result.blocks[1].trace - exactOn(15, 35))).toBeLessThanOrEqual(4 * result.blocks[1].standardError);
    expect(Math.abs(result.trace - exactOn(0, n))).toBeLessThanOrEqual(4 * result.standardError);
    expect(result.standardError).toBeGreaterThan(Math.hypot(result.blocks[0].standardError, result.blocks[1].standardError));
  });

  it('INVALID_OPTION for overlapping or out-of-range blocks and a non-boolean, before any product', () => {
    let products = 0;
    const counted: LinearOperator = (out, v) => {
      products++;
      operator(out, v);
    };
    const bad: [{ offset: number; length: number }[], RegExp][] = [
      [[{ offset: 0, length: 10 }, { offset: 5, length: 10 }], /blockProbes needs blocks that do not overlap/],
      [[{ offset: 35, length: 10 }], /blocks\[0\]: .* within 0\.\.40/],
      [[{ offset: -1, length: 3 }], /blocks\[0\]: .* within 0\.\.40/],
    ];
    for (const [b, message] of bad) expect(() => traceOf(counted, n, b, { exactLimit: 0, blockProbes: true })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }));
    expect(() => traceOf(counted, n, blocks, { exactLimit: 0, blockProbes: 'yes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(products).toBe(0);
    // overlapping blocks stay fine for joint probes
    expect(traceOf(counted, n, bad[0][0], { exactLimit: 0, probes: 2 }).blocks).toHaveLength(2);
  });
});
