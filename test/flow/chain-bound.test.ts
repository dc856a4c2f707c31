// What chainBound is: the product max σ'(zˡ)·‖Wˡ⁺¹‖₂ of one record (σ' maximised over the batch),
// which bounds the norm of diag(σ'(zˡₓ))·(Wˡ⁺¹)ᵀ for every example and so the measured factor; its
// ‖W‖₂ is a proved upper bound (src/flow/spectral-bound.ts), at least BOUND_MARGIN above spectralNorm, the
// estimate (test/flow/chain-bound-truth checks it against float64); its definition says that product, not the
// matrix norm it bounds. And a block network's trace, which measures no ‖W‖₂, has no refreshed record: its
// factors are shown as their own record's, unbounded.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { tableHeading, traceTable } from '../../src/cli/trace-table.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRICS } from '../../src/flow/metrics.js';
import { BOUND_MARGIN } from '../../src/flow/spectral-bound.js';

const x = Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(3 * i), Math.sin(0.7 * i)]);
const y = x.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1]));

describe('chainBound', () => {
  it("is maxPrime of layer l times a bound on ‖Wˡ⁺¹‖₂ just above spectralNorm, of the same record, and its definition says so", async () => {
    const net = await createNetwork({ sizes: [3, 7, 6, 5, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 3 });
    net.train(x, y, { epochs: 3, batchSize: 8, learningRate: 0.2, trace: { every: 1, refreshEvery: 2 } });
    const trace = net.trace!;
    let compared = 0;
    for (let r = 0; r < trace.length; r++) {
      for (let l = 0; l < trace.layers - 1; l++) {
        const estimated = trace.at('maxPrime', r, l) * trace.at('spectralNorm', r, l + 1);
        const bound = trace.at('chainBound', r, l);
        if (Number.isNaN(estimated)) expect(bound).toBeNaN();
        else {
          // Float64 weights, 7 × 6 at most: Lanczos reads ‖W‖₂ to float64's rounding (its steps span all of G, 6 × 6 at
          // most), so the first try passes and the bound is BOUND_MARGIN above ‖W‖₂; spectralNorm reads up to a few 1e-6
          // below ‖W‖₂ (2.3e-6 here: its 1e-6 rule stops short), the bound that much more above it.
          expect(bound / estimated - 1).toBeGreaterThanOrEqual(BOUND_MARGIN);
          expect(bound / estimated - 1).toBeLessThan(BOUND_MARGIN * 1.01 + 1e-5);
          expect(trace.at('chainFactor', r, l)).toBeLessThanOrEqual(bound);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
    net.dispose();
    expect(LAYER_METRICS.chainBound).toContain("max σ'(zˡ) · ‖Wˡ⁺¹‖₂");
    expect(LAYER_METRICS.chainBound).toContain('proves at least ‖W‖₂');
    expect(LAYER_METRICS.chainBound).toContain("the product that bounds ‖diag(σ'(zˡₓ))·(Wˡ⁺¹)ᵀ‖₂");
    expect(LAYER_METRICS.maxPrime).toContain('over the batch');
  });

  it("a dense trace's table shows the factor beside the bound of the latest refreshed record, named by its step", async () => {
    const net = await createNetwork({ sizes: [3, 6, 6, 2], activation: 'sigmoid', output: 'softmax', backend: 'ref', seed: 3 });
    net.train(x, y, { epochs: 1, batchSize: 8, learningRate: 0.2, trace: { every: 1, refreshEvery: 2 } });
    const trace = net.trace!;
    expect(trace.lastRefreshed(1)).toBe(0);
    expect(trace.lastRefreshed(2)).toBe(2);
    const header = traceTable(trace, 1).split('\n')[0];
    // The table is of step 2, its chain columns of step 1: the header says which, and why (a table of
    // step 96 headed '(step 91)' said nothing of why).
    expect(tableHeading('At the last traced step', trace, 1)).toBe(`At the last traced step (step ${trace.steps[1]}):`);
    expect(header).toContain(`factor ‖δˡ‖/‖δˡ⁺¹‖ (step ${trace.steps[0]}: the last with ‖W‖₂)`);
    expect(header).toContain(`bound max σ'·‖Wˡ⁺¹‖₂ (step ${trace.steps[0]})`);
    // Where the table's own record has ‖W‖₂, its columns are of its step, and say no other.
    expect(traceTable(trace, 2).split('\n')[0]).not.toContain('(step');
    net.dispose();
  });

  it("a block network's trace has no refreshed record: its table and diagnosis use each record's own factor, with no bound", async () => {
    const net = await createNetwork({
      inputs: 3,
      layers: [{ type: 'dense', units: 6 }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 6, activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }],
      loss: 'cross-entropy',
      backend: 'ref',
      seed: 5,
    });
    net.train(x, y, { epochs: 2, batchSize: 8, learningRate: 0.2, trace: { every: 1 } });
    const trace = net.trace!;
    const last = trace.length - 1;
    expect(trace.lastRefreshed()).toBeUndefined();
    const [header, , first] = traceTable(trace).split('\n');
    expect(header).not.toContain('(step');
    expect(header).not.toContain('bound');
    // Row layers[0] ('0', dense): its factor is the last record's (to the dense layer '4' after the norm), not the first's.
    const factor = trace.at('chainFactor', last, 0);
    expect(factor).not.toBe(trace.at('chainFactor', 0, 0));
    expect(first).toContain(factor.toExponential(2));
    const evidence = diagnose(trace).evidence.layers[0];
    expect(evidence.chainFactor).toBeGreaterThan(0);
    expect(evidence.chainBound).toBeNaN();
    net.dispose();
  });
});
