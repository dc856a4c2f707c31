/**
 * What nobody reads is not computed: the network's first layer skips ∂L/∂x in backward and R{∂L/∂x}
 * in the R-operator's reverse pass (batch norm by its dγ, dβ kernel, a residual block by its
 * gate's backward alone, a ReZero block's second gate pass by it always). Skipping them changes no
 * bit: on every backend, each stack's first layer gives the same parameter gradients with dx (and
 * rdx) null as with a tensor to write them into, which is what the layer computed before.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import type { Kernels, Tensor } from '../../src/kernels.js';
import { StackHessian } from '../../src/layers/hessian.js';
import type { Layer } from '../../src/layers/layer.js';
import { allocVector, freeVector } from '../../src/optim/param-vector.js';
import { kernelBackends } from '../util/backends.js';
import { firstBitDifference } from '../util/bits.js';
import { allCases, load, randomDirection } from '../util/block-stacks.js';

/** The layer's parameter gradients after `run` from zero, as float64 arrays. */
function gradientsAfter<T extends Tensor>(k: Kernels<T>, layer: Layer<T>, run: () => void): Float64Array[] {
  for (const p of layer.parameters) k.zero(p.grad);
  run();
  return layer.parameters.map((p) => Float64Array.from(k.view(p.grad).subarray(0, p.length)));
}

describe.each(await kernelBackends())('the first layer on $name', ({ name, kernels: k }) => {
  it('gives the same parameter gradients, bit for bit, whether ∂L/∂x and R{∂L/∂x} are wanted or not', () => {
    const rng = new Rng(21);
    const kinds = new Set<string>();
    allCases(55).forEach((c, n) => {
      const { stack, x, y } = load(k, c, 9900 + n);
      const first = stack.layers[0];
      if (first.parameters.length === 0) return stack.dispose();
      kinds.add(first.type === 'residual' ? JSON.stringify(c.specs[0]).includes('rezero') ? 'rezero' : 'residual' : first.type);
      const lengths = stack.parameters.map((p) => p.value.length);
      const [v, out] = [allocVector(k, lengths), allocVector(k, lengths)];
      randomDirection(rng, stack).forEach((values, i) => k.write(v[i], values));
      // A product leaves every layer's dy and the R-forward's state behind, as the reverse pass reads them.
      const hessian = new StackHessian(k, stack, c.loss);
      hessian.apply(out, v, x, y, c.batch);
      const size = c.batch * first.units;
      const [dy, rdy] = [0, 1].map(() => k.alloc(size));
      k.write(dy, Array.from({ length: size }, () => Math.fround(rng.normal())));
      k.write(rdy, Array.from({ length: size }, () => Math.fround(rng.normal())));
      const dx = k.alloc(c.batch * c.inputs);
      const label = `${name} stack ${n} ${JSON.stringify(c.specs[0])}`;
      const pairs = [
        ['backward', () => first.backward(dy, null, x, c.batch), () => first.backward(dy, dx, x, c.batch)],
        ['rBackward', () => first.rBackward(dy, rdy, null, null, v, 0, x, c.batch), () => first.rBackward(dy, rdy, dx, null, v, 0, x, c.batch)],
      ] as const;
      for (const [what, skipped, written] of pairs) {
        const [a, b] = [gradientsAfter(k, first, skipped), gradientsAfter(k, first, written)];
        a.forEach((grad, i) => expect(firstBitDifference(grad, b[i]), `${label} ${what} ${first.parameters[i].name} (first index that differs)`).toBe(-1));
      }
      hessian.dispose();
      for (const t of [dy, rdy, dx]) k.free(t);
      for (const t of [v, out]) freeVector(k, t);
      stack.dispose();
    });
    for (const kind of ['batch-norm', 'layer-norm', 'dense', 'residual', 'rezero']) expect(kinds.has(kind), `a stack that starts with ${kind}`).toBe(true);
  });
});
