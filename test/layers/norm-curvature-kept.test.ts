/**
 * NormCurvature keeps what does not depend on the direction v (x̂, g = γ ⊙ dy, J·g, s·m spread
 * over each group) across repeated H·v at fixed weights: the first product after a pass of the
 * layer normalises x, the next ones do not, and every pass that rewrites the layer's state (a
 * forward after moved weights, a gradient, a G·v's backward, a larger batch, fewer rows) makes the
 * next product compute them again. Every product gives the bits of a stack that kept nothing (a
 * new stack with the same weights, whose product is its first).
 */
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Tensor } from '../../src/kernels.js';
import { StackGaussNewton } from '../../src/layers/gauss-newton.js';
import { StackHessian } from '../../src/layers/hessian.js';
import { allocVector, freeVector } from '../../src/optim/param-vector.js';
import { kernelBackends } from '../util/backends.js';
import { firstBitDifference } from '../util/bits.js';
import { fixedCases, flat, load, normalisationLayers, randomDirection, type Loaded } from '../util/block-stacks.js';

const SEED = 9700;

describe.each(await kernelBackends())('NormCurvature on $name', ({ name, kernels: k }) => {
  it('normalises once for repeated products and again after each pass of the layer, each product the bits of a stack that kept nothing', () => {
    const rng = new Rng(23);
    let casesWithKeptTerms = 0;
    fixedCases(new Rng(20)).forEach((c, n) => {
      const loaded = load(k, c, SEED + n) as Loaded<Tensor>;
      const { stack, x, y } = loaded;
      const norms = normalisationLayers(stack.layers);
      if (norms.length === 0) return stack.dispose();
      const lengths = stack.parameters.map((p) => p.value.length);
      const [u, w, out] = [allocVector(k, lengths), allocVector(k, lengths), allocVector(k, lengths)];
      for (const t of [u, w]) t.forEach((tensor, i) => k.write(tensor, randomDirection(rng, stack)[i]));
      const hessian = new StackHessian(k, stack, c.loss);
      const gaussNewton = new StackGaussNewton(k, stack, c.loss);
      const normalised = norms.map((layer) => vi.spyOn(layer, 'normalise'));
      const calls = () => normalised.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      const context = `${name} stack ${n} ${JSON.stringify(c.specs)}`;
      let batch = c.batch;
      /** The kept product along d at `batch` rows; x normalised `times` by it; the bits of a new stack with the same weights. */
      const expectProduct = (d: Tensor[], times: number, after: string) => {
        normalised.forEach((spy) => spy.mockClear());
        hessian.apply(out, d, x, y, batch);
        expect(calls(), `${context}: normalisations ${after}`).toBe(times);
        const got = flat(out.map((t, i) => k.view(t).subarray(0, lengths[i])));
        const fresh = load(k, c, SEED + n) as Loaded<Tensor>;
        fresh.stack.parameters.forEach((p, i) => k.write(p.value, k.view(stack.parameters[i].value).subarray(0, p.length)));
        fresh.stack.forward(fresh.x, batch, 'batch');
        const product = new StackHessian(k, fresh.stack, c.loss);
        product.apply(out, d, fresh.x, fresh.y, batch);
        const want = flat(out.map((t, i) => k.view(t).subarray(0, lengths[i])));
        expect(firstBitDifference(got, want), `${context}: ${after} (first index that differs from a stack that kept nothing)`).toBe(-1);
        product.dispose();
        fresh.stack.dispose();
      };
      hessian.apply(out, u, x, y, batch);
      const perProduct = calls();
      // A norm layer first in the stack has no R{x}: nothing of it is kept (R{dx} is not wanted either).
      if (perProduct === 0) expect(stack.layers[0], context).toBe(norms[0]);
      else casesWithKeptTerms++;
      expectProduct(w, 0, 'a repeated product');
      expectProduct(u, 0, 'another repeated product');
      const first = stack.parameters[0];
      k.write(first.value, Array.from(k.view(first.value).subarray(0, first.length), (p) => Math.fround(1.5 * p + 0.125)));
      stack.forward(x, batch, 'batch');
      expectProduct(w, perProduct, 'moved weights and a forward');
      expectProduct(u, 0, 'a repeated product after them');
      stack.zeroGradients();
      stack.lossBackward(c.loss, y, x, batch);
      expectProduct(u, perProduct, 'a gradient');
      gaussNewton.apply(out, w, x, y, batch);
      expectProduct(u, perProduct, 'a G·v');
      stack.reserve(batch + 3);
      stack.forward(x, batch, 'batch');
      expectProduct(w, perProduct, 'larger buffers');
      batch -= 1;
      stack.forward(x, batch, 'batch');
      expectProduct(u, perProduct, 'fewer rows');
      expectProduct(w, 0, 'a repeated product on fewer rows');
      normalised.forEach((spy) => spy.mockRestore());
      hessian.dispose();
      gaussNewton.dispose();
      for (const t of [u, w, out]) freeVector(k, t);
      stack.dispose();
    });
    expect(casesWithKeptTerms).toBeGreaterThan(5);
  });
});
