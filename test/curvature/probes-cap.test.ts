// measureCurvature's probes are capped where the trace is estimated: at the parameter count n (n
// products give the exact trace, exactTraceLimit ≥ n), or the default 100 where that is more, so the
// default is taken on any network. Any count ran to its end before (probes 1e9: a billion products).
// Refused before any product, in measureCurvature's name, nothing held changed.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

/** An onProgress that ends the case at its first call: a product run would be the refusal missed. */
const noProduct = () => {
  throw new Error('a product ran');
};

describe("measureCurvature's probes", () => {
  it('at most the parameter count where that is over 100, saying why', async () => {
    // 20 × 10 + 10 + 10 + 1 = 221 parameters.
    const net = await createNetwork({ sizes: [20, 10, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'ref', seed: 1 });
    expect(net.parameterCount).toBe(221);
    const x = [Array.from({ length: 20 }, (_, i) => i / 20), Array.from({ length: 20 }, (_, i) => 1 - i / 20)];
    const y = [[1], [0]];
    const before = stateHash(net);
    for (const probes of [222, 1e9]) {
      await expectError(
        () => measureCurvature(net, x, y, { k: 1, exactTraceLimit: 0, probes, onProgress: noProduct }),
        'INVALID_OPTION',
        new RegExp(`^measureCurvature: probes: at most 221 \\(the parameter count: 221 products give the exact trace, which exactTraceLimit ≥ 221 takes\\), got ${probes}$`),
      );
    }
    // One parameter past exactTraceLimit, the trace is estimated: the cap holds.
    await expectError(() => measureCurvature(net, x, y, { k: 1, exactTraceLimit: 220, probes: 222, onProgress: noProduct }), 'INVALID_OPTION', /^measureCurvature: probes: at most 221 /);
    expect(stateHash(net)).toBe(before);
    // Within exactTraceLimit (the default): a trace that is exact draws no probes, so any count is taken.
    const exact = measureCurvature(net, x, y, { k: 1, probes: 1e9, layers: false });
    expect([exact.traceExact, exact.hessian.traceStdError]).toEqual([true, 0]);
    net.dispose();
  });

  it('the default 100 on a network of fewer parameters, saying the exact trace costs fewer there', async () => {
    const net = await createNetwork({ sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'ref', seed: 3 });
    expect(net.parameterCount).toBe(21);
    const [x, y] = [[[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]];
    const before = stateHash(net);
    await expectError(
      () => measureCurvature(net, x, y, { k: 1, exactTraceLimit: 0, probes: 101, onProgress: noProduct }),
      'INVALID_OPTION',
      /^measureCurvature: probes: at most 100 \(the default; on this network of 21 parameters 21 products give the exact trace, which exactTraceLimit ≥ 21 takes\), got 101$/,
    );
    expect(stateHash(net)).toBe(before);
    // The default and the bound itself are taken: Hutchinson's estimate, with a standard error.
    for (const probes of [undefined, 100]) {
      const report = measureCurvature(net, x, y, { k: 1, exactTraceLimit: 0, layers: false, ...(probes !== undefined && { probes }) });
      expect(report.traceExact).toBe(false);
      expect(report.hessian.traceStdError).toBeGreaterThan(0);
    }
    net.dispose();
  });
});
