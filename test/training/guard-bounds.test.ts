// train()'s step guard asks the optimiser (keepsWithin) with one bounds array per network, made
// and registered as measured (measuredBounds) once, and set anew by every call
// (src/training/step-guard.ts boundsFor): each call's first question starts from the limit and the
// parameters as they are, never from what the last call carried, and every call trains as a
// network that never trained would from the same weights.
import { describe, expect, it, vi } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measuredBounds, STEP_BOUNDS } from '../../src/optim/optimizer.js';
import { RUNAWAY_PARAMETER } from '../../src/model-limits.js';
import { Sgd } from '../../src/optim/sgd.js';
import { createOptimizer } from '../../src/optim/index.js';
import { MODEL } from '../../src/model.js';
import { StepGuard } from '../../src/training/step-guard.js';
import { kernelBackends } from '../util/backends.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];

describe.each(await kernelBackends())("the step guard's bounds on $name", ({ kernels }) => {
  it('are one measured array per network, each call starting from the limit and the parameters measured', async () => {
    const make = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });
    const [net, other] = [await make(), await make()];
    const asked: { bounds: Float64Array; first: number[] }[] = [];
    const keepsWithin = Sgd.prototype.keepsWithin;
    const spy = vi.spyOn(Sgd.prototype, 'keepsWithin').mockImplementation(function (this: Sgd, bounds: Float64Array) {
      asked.push({ bounds, first: Array.from(bounds) });
      return keepsWithin.call(this, bounds);
    });
    try {
      const largest = (n: typeof net) => Math.max(...n.parameters().flatMap((p) => Array.from(n.kernels.view(p.value).subarray(0, p.length), Math.abs)));
      const starts: number[] = [];
      for (const n of [net, net, other, net]) {
        starts.push(asked.length);
        const before = largest(n);
        n.train(X, Y, { epochs: 2, batchSize: 2, learningRate: 0.5 });
        const first = asked[starts.at(-1)!].first;
        expect(first[STEP_BOUNDS.limit]).toBe(RUNAWAY_PARAMETER);
        expect(first[STEP_BOUNDS.weightMax]).toBe(before);
      }
      const arrays = starts.map((s) => asked[s].bounds);
      expect(arrays[1]).toBe(arrays[0]);
      expect(arrays[3]).toBe(arrays[0]);
      expect(arrays[2]).not.toBe(arrays[0]);
      expect(arrays.every((b) => measuredBounds.has(b))).toBe(true);
      // What the reset protects: the last call's gradientMax, still in the network's array, is no bound
      // on the next call's gradient (a refused step's advice reads it before the call measures one).
      expect(arrays[0][STEP_BOUNDS.gradientMax]).toBeGreaterThan(0);
      const next = new StepGuard(net[MODEL], createOptimizer(net, 'sgd'));
      expect(next.largestGradient).toBe(0);
      expect(arrays[0][STEP_BOUNDS.gradientMax]).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});
