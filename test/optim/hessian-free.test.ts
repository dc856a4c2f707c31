// Hessian-free on problems with known answers, on the float64 reference and on wasm (f32).
import { describe, expect, it } from 'vitest';
import type { BackendChoice } from '../../src/backend.js';
import { createNetwork, Network } from '../../src/api/network.js';
import { backtrackSchedule, HessianFree, type HessianFreeReport } from '../../src/optim/hessian-free.js';
import { predictionReadable, UNIT_ROUNDOFF } from '../../src/optim/damping.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { findOptimizer } from '../../src/optim/index.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';
import { leastSquaresProblem, logisticOptimum, normalEquations, overlappingClasses, separableClasses, XOR, type Problem } from './problems.js';

function parameters(net: Network): { weights: number[]; biases: number[] } {
  const k = net.kernels;
  return { weights: Array.from(k.view(net.weights[0])), biases: Array.from(k.view(net.biases[0])) };
}

function train(net: Network, p: Problem, optimizer: HessianFree, epochs: number): number {
  net.train(p.x, p.y, { optimizer, epochs, batchSize: p.x.length, shuffle: false });
  return net.evaluate(p.x, p.y).loss;
}

// docs/second-order.md quotes what these runs reach, ref's then wasm's ("**2.6·10⁻⁸** (ref f64) / **2.5·10⁻⁵** (wasm f32)"); each run compares its own with the page's.
const PAGE = 'docs/second-order.md';
const QUOTED = {
  leastSquares: /least squares \(linear net, MSE\) reaches the normal-equation solution to \*\*(\S+)\*\* \(ref f64\) \/ \*\*(\S+)\*\* \(wasm f32\)/,
  logistic: /logistic regression reaches Newton's optimum on overlapping classes to \*\*(\S+)\*\* \/ \*\*(\S+)\*\*;/,
  xor: /XOR \(\[2,4,1\] sigmoid, BCE\): loss \*\*(\S+)\*\* \/ \*\*(\S+)\*\* after 60 full-batch steps/,
};
function expectQuoted(result: keyof typeof QUOTED, backend: BackendChoice, measured: number): void {
  const quoted = quotedOn(PAGE, QUOTED[result])[backend === 'ref' ? 0 : 1];
  expect(quoted, `${PAGE}: ${result} on ${backend}`).toBe(asWritten(quoted, measured));
}

const BACKENDS: { backend: BackendChoice; tolerance: number }[] = [
  { backend: 'ref', tolerance: 1e-7 },
  { backend: 'wasm', tolerance: 2e-4 },
];

describe.each(BACKENDS)('Hessian-free on $backend', ({ backend, tolerance }) => {
  it('reaches the least-squares solution of the normal equations (linear net, MSE)', async () => {
    const p = leastSquaresProblem(5);
    const net = await createNetwork({ sizes: [3, 2], output: 'linear', loss: 'mse', backend, seed: 2 });
    const hf = new HessianFree(net, { damping: 1e-2 });
    train(net, p, hf, 12);
    const want = normalEquations(p);
    const got = parameters(net);
    const error = Math.max(
      ...want.weights.flat().map((w, i) => Math.abs(got.weights[i] - w)),
      ...want.biases.map((b, i) => Math.abs(got.biases[i] - b)),
    );
    console.log(`least squares on ${backend}: largest |θ − θ*| ${error.toExponential(2)}, λ ${hf.lambda.toExponential(2)}`);
    expect(error).toBeLessThanOrEqual(tolerance);
    expectQuoted('leastSquares', backend, error);
    net.dispose();
  });

  it("reaches Newton's logistic-regression optimum on overlapping classes", async () => {
    const p = overlappingClasses(8);
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend, seed: 3 });
    const hf = new HessianFree(net, { damping: 1e-2 });
    train(net, p, hf, 25);
    const want = logisticOptimum(p);
    const got = parameters(net);
    const error = Math.max(Math.abs(got.weights[0] - want[0]), Math.abs(got.weights[1] - want[1]), Math.abs(got.biases[0] - want[2]));
    console.log(`logistic regression on ${backend}: largest |θ − θ*| ${error.toExponential(2)}`);
    expect(error).toBeLessThanOrEqual(10 * tolerance);
    expectQuoted('logistic', backend, error);
    net.dispose();
  });

  it('drives the loss on separable data with a margin below 1e-3, every point right', async () => {
    const p = separableClasses(4);
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend, seed: 4 });
    const loss = train(net, p, new HessianFree(net), 40);
    expect(loss).toBeLessThan(1e-3);
    expect(net.evaluate(p.x, p.y).accuracy).toBe(1);
    net.dispose();
  });

  it('solves XOR (loss < 0.01)', async () => {
    const net = await createNetwork({ sizes: [2, 4, 1], activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy', backend, seed: 1 });
    const hf = new HessianFree(net);
    const loss = train(net, XOR, hf, 60);
    console.log(`XOR on ${backend}: loss ${loss.toExponential(2)} after 60 steps, λ ${hf.lambda.toExponential(2)}`);
    expect(loss).toBeLessThan(0.01);
    expectQuoted('xor', backend, loss);
    net.dispose();
  });
});

describe('Hessian-free mechanics', () => {
  it("is in the optimiser registry as 'hessian-free'", async () => {
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', backend: 'ref' });
    const hf = findOptimizer('hessian-free').create(net, { damping: 0.5 });
    expect(hf).toBeInstanceOf(HessianFree);
    expect((hf as HessianFree).lambda).toBe(0.5);
    net.dispose();
  });

  it("starts from Martens' λ₀ = 45 (initlambda in his nnet_train_2.m)", async () => {
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', backend: 'ref' });
    expect(new HessianFree(net).lambda).toBe(45);
    net.dispose();
  });

  // On a quadratic loss (linear net, MSE, curvature on the whole batch) the undamped model is the
  // loss itself, so Martens' ρ is 1 whatever λ is; a ρ divided by the damped model would be
  // q₀/(q₀ + ½λ‖p‖²), far below 1 at λ = 45.
  it('divides ρ by the undamped quadratic model', async () => {
    const p = leastSquaresProblem(5);
    const net = await createNetwork({ sizes: [3, 2], output: 'linear', loss: 'mse', backend: 'ref', seed: 2 });
    const hf = new HessianFree(net, { damping: 45, backtracking: false, curvatureFraction: 1 });
    const rhos: number[] = [];
    net.train(p.x, p.y, { optimizer: hf, epochs: 4, batchSize: p.x.length, shuffle: false, onBatch: () => rhos.push(hf.lastReport!.rho) });
    expect(hf.lastReport!.lambda).toBeGreaterThan(1);
    for (const rho of rhos) expect(rho).toBeCloseTo(1, 9);
    net.dispose();
  });

  it('stores iterates at ⌈1.3^j⌉', () => {
    expect(backtrackSchedule(20)).toEqual([2, 3, 4, 5, 7, 9, 11, 14, 18]);
  });

  it('never raises the batch loss, and moves λ by Levenberg-Marquardt', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'mse', backend: 'ref', seed: 9 });
    const hf = new HessianFree(net, { maxIterations: 3, damping: 1e-6, backtracking: false });
    net.train(XOR.x, XOR.y, {
      optimizer: hf,
      epochs: 15,
      batchSize: 4,
      onBatch: () => {
        const r = hf.lastReport!;
        expect(r.lossAfter).toBeLessThanOrEqual(r.lossBefore);
        if (!predictionReadable(r.predicted, r.lossBefore, 'f64')) expect(r.nextLambda).toBeCloseTo((r.lambda * 2) / 3, 12);
        else if (r.rho < 0.25) expect(r.nextLambda).toBeCloseTo(r.lambda * 1.5, 12);
        else if (r.rho > 0.75) expect(r.nextLambda).toBeCloseTo((r.lambda * 2) / 3, 12);
        else expect(r.nextLambda).toBe(r.lambda);
      },
    });
    net.dispose();
  });

  // Martens' nnet_train_2.m: the rate × 0.8 until f(θ + rate·p) ≤ f(θ) + 10⁻²·rate·gᵀp. With λ near 0 the first Gauss-Newton
  // steps on XOR overshoot: the whole step raises the loss, so without the search every one is refused while λ grows ×3/2 a step.
  it("shortens a step whose whole length raises the loss (Martens' line search), where without it the step is not taken", async () => {
    const run = async (lineSearch: boolean) => {
      const net = await createNetwork({ sizes: [2, 3, 1], activation: 'sigmoid', output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'ref', seed: 1 });
      const hf = new HessianFree(net, { damping: 1e-6, backtracking: false, lineSearch });
      const reports: HessianFreeReport[] = [];
      net.train(XOR.x, XOR.y, { optimizer: hf, epochs: 6, batchSize: 4, shuffle: false, onBatch: () => reports.push({ ...hf.lastReport! }) });
      const loss = net.evaluate(XOR.x, XOR.y).loss;
      net.dispose();
      return { reports, loss };
    };
    const searched = await run(true);
    const whole = await run(false);
    // The first step: the same CG iterate in both runs, refused whole and taken at a rate 0.8ʲ < 1.
    expect(whole.reports[0].accepted).toBe(false);
    expect(whole.reports[0].rate).toBe(0);
    const first = searched.reports[0];
    expect(first.accepted).toBe(true);
    expect(first.rate).toBeLessThan(1);
    const reductions = Math.log(first.rate) / Math.log(0.8);
    expect(Math.abs(reductions - Math.round(reductions))).toBeLessThan(1e-9);
    expect(first.lossAfter).toBeLessThan(first.lossBefore);
    expect(first.rho).toBe(whole.reports[0].rho);
    // Six steps: off the plateau with the search; at ln 2 without it, every step refused.
    expect(whole.reports.every((r) => !r.accepted)).toBe(true);
    expect(whole.loss).toBeCloseTo(Math.LN2, 2);
    expect(searched.loss).toBeLessThan(0.1);
  });

  it('refuses bad options with INVALID_OPTION before touching the network', async () => {
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', backend: 'ref' });
    for (const options of [{ damping: 0 }, { maxIterations: 0.5 }, { decay: 2 }, { curvatureFraction: 0 }, { preconditoner: true }]) {
      expect(() => new HessianFree(net, options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    net.dispose();
  });

  // On wasm: OptimizerState holds float32 tensors, which round-trip f32 state exactly.
  it('state() and restore() continue a run bit for bit', async () => {
    const make = () => createNetwork({ sizes: [2, 4, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'wasm', seed: 6 });
    const a = await make();
    const hfA = new HessianFree(a);
    a.train(XOR.x, XOR.y, { optimizer: hfA, epochs: 3, batchSize: 4, shuffle: false });
    const b = await Network.fromJSON(a.toJSON(), { backend: 'wasm' });
    const hfB = new HessianFree(b);
    hfB.restore(hfA.state());
    a.train(XOR.x, XOR.y, { optimizer: hfA, epochs: 2, batchSize: 4, shuffle: false });
    b.train(XOR.x, XOR.y, { optimizer: hfB, epochs: 2, batchSize: 4, shuffle: false });
    expect(Array.from(b.kernels.view(b.weights[1]))).toEqual(Array.from(a.kernels.view(a.weights[1])));
    a.dispose();
    b.dispose();
  });
});

// At an optimum (or on a plateau) the model's predicted change falls below the float32 rounding of
// the loss, and the loss measured after a step differs from the one before by rounding alone: ρ is
// that noise over the prediction (here −1004), which grew λ ×3/2 a step to its bound of 1e8 and froze
// float32 runs where float64 ones went on (the visualizer's spirals at batch 280: docs/second-order.md).
describe('Hessian-free below the loss’s rounding (float32 reference)', () => {
  it('does not read ρ where the predicted change is below the loss’s rounding: λ shrinks as after a good prediction', async () => {
    const p = overlappingClasses(8);
    const net = await createNetwork({ sizes: [2, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend: createRefKernels({ precision: 'f32' }), seed: 3 });
    const hf = new HessianFree(net, { damping: 1e-2 });
    const reports: HessianFreeReport[] = [];
    net.train(p.x, p.y, { optimizer: hf, epochs: 40, batchSize: p.x.length, shuffle: false, onBatch: () => reports.push({ ...hf.lastReport! }) });
    const unread = reports.filter((r) => !predictionReadable(r.predicted, r.lossBefore, 'f32'));
    expect(unread.length, 'steps at the optimum, predicting less than the loss’s rounding').toBeGreaterThan(10);
    for (const r of unread) {
      expect(Math.abs(r.predicted)).toBeLessThanOrEqual(UNIT_ROUNDOFF.f32 * r.lossBefore);
      expect(r.nextLambda / Math.max((r.lambda * 2) / 3, 1e-8)).toBeCloseTo(1, 12);
    }
    expect(hf.lambda).toBeLessThan(1e-2);
    net.dispose();
  });
});
