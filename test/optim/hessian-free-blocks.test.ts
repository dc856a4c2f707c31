/**
 * Hessian-free on networks built from layer specs: its Gauss-Newton products run through the
 * layers' R-operator (src/layers/gauss-newton.ts; tested against finite differences in
 * test/layers/gauss-newton.test.ts), batch norm in 'batch' mode through its batch statistics.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { HessianFree, type HessianFreeReport } from '../../src/optim/hessian-free.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { countingAllocations } from '../util/counting-kernels.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';

/** Batch norm, a ReZero and a plain residual block, layer norm and SELU, on 2 inputs. */
const LAYERS: LayerSpec[] = [
  { type: 'dense', units: 8, activation: 'tanh' },
  { type: 'batch-norm' },
  { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 8, activation: 'tanh' }, { type: 'batch-norm' }] },
  { type: 'residual', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 8, activation: 'selu' }] },
  { type: 'dense', units: 1, activation: 'sigmoid' },
];

/** 64 points of [−2, 2]², class 1 where x₀·x₁ > 0 (XOR by quadrant: no linear model separates it). */
function quadrants(seed: number): { x: number[][]; y: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: 64 }, () => [rng.uniformIn(-2, 2), rng.uniformIn(-2, 2)]);
  return { x, y: x.map(([a, b]) => [a * b > 0 ? 1 : 0]) };
}

const PAGE = 'docs/second-order.md';

// curvatureFraction 0.25 takes 32 of the 64 rows (a forward of those rows alone, with their own
// batch statistics, before the products); 1 takes the whole batch.
describe.each(['ref', 'wasm'] as const)('Hessian-free on a block network (%s)', (backend) => {
  it.each([
    { curvatureFraction: 0.25, preconditioner: true },
    { curvatureFraction: 1, preconditioner: true },
    { curvatureFraction: 0.25, preconditioner: false },
  ])('never raises the batch loss and lowers it fivefold in 20 full-batch steps (curvatureFraction $curvatureFraction, preconditioner $preconditioner)', async ({ curvatureFraction, preconditioner }) => {
    const net = await createNetwork({ inputs: 2, loss: 'binary-cross-entropy', layers: LAYERS, backend, seed: 3 });
    const { x, y } = quadrants(5);
    const hf = new HessianFree(net, { maxIterations: 50, curvatureFraction, preconditioner });
    const reports: HessianFreeReport[] = [];
    net.train(x, y, { optimizer: hf, epochs: 20, batchSize: 64, shuffle: false, onBatch: () => reports.push(hf.lastReport!) });
    for (const r of reports) expect(r.lossAfter).toBeLessThanOrEqual(r.lossBefore);
    expect(reports[0].curvatureRows).toBe(curvatureFraction === 1 ? 64 : 32);
    const [first, last] = [reports[0].lossBefore, reports[reports.length - 1].lossAfter];
    console.log(`block network on ${backend}, curvature on ${reports[0].curvatureRows} rows, preconditioner ${preconditioner}: batch loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${reports.length} steps, ${reports.filter((r) => r.accepted).length} accepted, λ ${hf.lambda.toExponential(2)}`);
    expect(last).toBeLessThanOrEqual(0.2 * first);
    // docs/second-order.md: "from **0.734** to **0.037** / **0.025** (ref; curvature on 32 / 64 rows) and **0.037** / **0.030** (wasm) with the preconditioner, **0.038** / **0.037** (ref / wasm, 32 rows) without"
    const [start, ref32, ref64, wasm32, wasm64, refWithout, wasmWithout] = quotedOn(PAGE, /20 steps take it from \*\*(\S+)\*\* to \*\*(\S+)\*\* \/ \*\*(\S+)\*\* \(ref; curvature on 32 \/ 64 rows\) and \*\*(\S+)\*\* \/ \*\*(\S+)\*\* \(wasm\) with the preconditioner, \*\*(\S+)\*\* \/ \*\*(\S+)\*\* \(ref \/ wasm, 32 rows\) without/);
    const quoted = preconditioner ? { ref: [ref32, ref64], wasm: [wasm32, wasm64] }[backend][curvatureFraction === 1 ? 1 : 0] : { ref: refWithout, wasm: wasmWithout }[backend];
    expect([start, quoted], PAGE).toEqual([asWritten(start, first), asWritten(quoted, last)]);
    net.dispose();
  });
});

describe('Hessian-free on a block network: state and memory', () => {
  // On wasm: OptimizerState holds float32 tensors, which round-trip f32 state exactly; the model
  // JSON carries batch norm's running statistics.
  it('state() and restore() continue a run bit for bit', async () => {
    const { x, y } = quadrants(6);
    const a = await createNetwork({ inputs: 2, loss: 'binary-cross-entropy', layers: LAYERS, backend: 'wasm', seed: 8 });
    const hfA = new HessianFree(a, { maxIterations: 20 });
    a.train(x, y, { optimizer: hfA, epochs: 3, batchSize: 64, shuffle: false });
    const b = await Network.fromJSON(a.toJSON(), { backend: 'wasm' });
    const hfB = new HessianFree(b, { maxIterations: 20 });
    hfB.restore(hfA.state());
    a.train(x, y, { optimizer: hfA, epochs: 2, batchSize: 64, shuffle: false });
    b.train(x, y, { optimizer: hfB, epochs: 2, batchSize: 64, shuffle: false });
    const values = (net: Network) => net.parameters().map((p) => Array.from(net.kernels.view(p.value)));
    expect(values(b)).toEqual(values(a));
    expect(hfB.lambda).toBe(hfA.lambda);
    a.dispose();
    b.dispose();
  });

  it('allocates no backend memory after its first step', async () => {
    const { kernels: counting, allocations } = countingAllocations(createRefKernels({ precision: 'f64' }));
    const net = await createNetwork({ inputs: 2, loss: 'binary-cross-entropy', layers: LAYERS, backend: counting, seed: 3 });
    const { x, y } = quadrants(5);
    const data = net.dataset(x, y);
    const hf = new HessianFree(net, { maxIterations: 20 });
    const counts: number[] = [];
    net.train(data, { optimizer: hf, epochs: 4, batchSize: 64, shuffle: false, onBatch: () => counts.push(allocations()) });
    expect(counts.slice(1).map((n) => n - counts[0])).toEqual([0, 0, 0]);
    net.dispose();
  });
});
