/**
 * Σ over rows of each row's share of the batch gradient, squared (Layer.squaredGradients): the
 * diagonal of Hessian-free's preconditioner on block networks. Where rows are independent (no
 * batch norm) a row's share is its own example's gradient / batch: checked against one-row
 * backward passes in float64; every backend against float64 on stacks with batch norm too.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { LOSSES, type Kernels, type Tensor } from '../../src/kernels.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';
import { backendsUnderTest, tensorOf } from '../util/backends.js';
import { relativeError } from '../util/close.js';
import { asWritten, quotedOn } from '../util/page-numbers.js';
import { blockStackOf, randomBlockCase, type BlockCase } from '../util/random-blocks.js';

const LIMITS = { maxLayers: 4, maxWidth: 6, minBatch: 3, maxBatch: 7 };

/** lossSquaredGradients after a 'batch' forward and lossBackward of the whole batch, flat. */
function squaredGradientsOf<T extends Tensor>(k: Kernels<T>, c: BlockCase, seed: number): Float64Array {
  const { stack, x, y } = blockStackOf(k, c, seed);
  stack.zeroGradients();
  stack.forward(x, c.batch, 'batch');
  stack.lossBackward(c.loss, y, x, c.batch);
  const out = stack.parameters.map((p) => k.alloc(p.value.length));
  stack.lossSquaredGradients(x, c.batch, out);
  const flat = Float64Array.from(out.flatMap((t) => Array.from(k.view(t))));
  out.forEach((t) => k.free(t));
  stack.dispose();
  return flat;
}

/** Σ_x (g_x / batch)², g_x the gradient of row x's loss alone (a forward and backward of that row). */
function perExampleSquares(c: BlockCase, seed: number): Float64Array {
  const k = createRefKernels({ precision: 'f64' });
  const { stack, y } = blockStackOf(k, c, seed);
  const n = c.inputs;
  const m = y.length / c.batch;
  let sum: Float64Array | null = null;
  for (let r = 0; r < c.batch; r++) {
    const xr = tensorOf(k, c.x.subarray(r * n, (r + 1) * n)) as Float64Array;
    const yr = tensorOf(k, c.y.subarray(r * m, (r + 1) * m)) as Float64Array;
    stack.zeroGradients();
    stack.forward(xr, 1, 'batch');
    stack.lossBackward(c.loss, yr, xr, 1);
    const g = Float64Array.from(stack.parameters.flatMap((p) => Array.from(k.view(p.grad))));
    sum ??= new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) sum[i] += (g[i] / c.batch) ** 2;
  }
  stack.dispose();
  return sum!;
}

// docs/second-order.md quotes the largest errors these tests measure; each test compares its own with the page's.
const PAGE = 'docs/second-order.md';

describe('squared gradient shares of layer stacks', () => {
  it('equal Σ (per-example gradient / batch)² on 60 random stacks without batch norm (float64)', () => {
    const k = createRefKernels({ precision: 'f64' });
    const rng = new Rng(21);
    let worst = 0;
    let compared = 0;
    const types = new Set<string>();
    while (compared < 60) {
      const c = randomBlockCase(rng, LIMITS, LOSSES[compared % LOSSES.length]);
      if (JSON.stringify(c.specs).includes('batch-norm')) continue;
      JSON.stringify(c.specs).match(/"(type|gate)":"[a-z-]+"/g)?.forEach((t) => types.add(t));
      const seed = rng.nextU32();
      const error = relativeError(squaredGradientsOf(k, c, seed), perExampleSquares(c, seed));
      worst = Math.max(worst, error);
      expect(error, `stack ${compared} (${c.loss}) ${JSON.stringify(c.specs)}`).toBeLessThanOrEqual(1e-10);
      compared++;
    }
    console.log(`squared shares vs per-example gradients: largest relative error ${worst.toExponential(2)}; ${[...types].join(' ')}`);
    const [quoted] = quotedOn(PAGE, /on 60 random stacks without batch norm \(float64, largest relative error \*\*(\S+)\*\*\)/);
    expect(quoted, `${PAGE}: float64`).toBe(asWritten(quoted, worst));
    for (const t of ['"type":"dense"', '"type":"layer-norm"', '"type":"activation"', '"type":"residual"', '"gate":"rezero"', '"gate":"none"']) expect(types.has(t), t).toBe(true);
  });
});

describe.each(await backendsUnderTest())('squared gradient shares on $name', ({ name, kernels: k }) => {
  it('are within 1e-4 of the float64 reference on 60 random block stacks (batch norm included)', () => {
    const oracle = createRefKernels({ precision: 'f64' });
    const rng = new Rng(22);
    let worst = 0;
    for (let n = 0; n < 60; n++) {
      const c = randomBlockCase(rng, LIMITS);
      const seed = rng.nextU32();
      const error = relativeError(squaredGradientsOf(k, c, seed), squaredGradientsOf(oracle, c, seed));
      worst = Math.max(worst, error);
      expect(error, `${name} stack ${n} (${c.loss}) ${JSON.stringify(c.specs)}`).toBeLessThanOrEqual(1e-4);
    }
    console.log(`squared shares on ${name} vs float64: largest relative error ${worst.toExponential(2)}`);
    const [wasm, refF32] = quotedOn(PAGE, /wasm-simd and wasm-scalar \(both binaries\) within \*\*(\S+)\*\* and ref-f32 within \*\*(\S+)\*\* of float64 on 60 random stacks with batch norm/);
    // The relaxed-SIMD binary's multiply-adds are fused or not as the engine and the CPU choose: held to the bound alone.
    if (name !== 'wasm-simd-relaxed') {
      const quoted = name === 'ref-f32' ? refF32 : wasm;
      expect(quoted, `${PAGE}: ${name}`).toBe(asWritten(quoted, worst));
    }
  });
});
