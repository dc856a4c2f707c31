// CurvatureOperators' construction is all or nothing: an allocation that throws after the rows are
// uploaded (out of memory, a size the backend refuses) gives back every byte taken before it, the
// rows' copy, the parameter vectors and the products (wasm memory is not collected). Rows given as a
// Dataset are read in place, not copied, and left to the caller.
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { CurvatureOperators } from '../../src/curvature/operators.js';
import { GradscopeError } from '../../src/errors.js';
import { createWasmKernels, type WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const X = [[0.1, 0.2, 0.3], [0.3, -0.4, 1], [1, 0, -1], [0.5, 0.5, 0.5]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];

/** Operators made, used (H and G) and disposed: the network's buffers, a block stack's R-operator ones too, grown to the rows (they stay). */
function warmUp(net: Network): void {
  const ops = new CurvatureOperators(net, X, Y);
  const v = new Float64Array(ops.size).fill(1);
  ops.hessian(new Float64Array(ops.size), v);
  ops.gaussNewton(new Float64Array(ops.size), v);
  ops.dispose();
}

/** The kernels, with both allocations counted and the `failing`-th (from 1; 0: none) refused with OUT_OF_MEMORY. */
function failingKernels(kernels: WasmKernels) {
  const control = { calls: 0, failing: 0 };
  const refuse = <R>(allocate: () => R): R => {
    if (++control.calls === control.failing) throw new GradscopeError('OUT_OF_MEMORY', 'no room (a test)');
    return allocate();
  };
  const backend = Object.create(kernels, {
    alloc: { value: (length: number) => refuse(() => kernels.alloc(length)) },
    allocUninitialized: { value: (length: number) => refuse(() => kernels.allocUninitialized(length)) },
  }) as WasmKernels;
  return { backend, control };
}

const NETWORKS: [string, (backend: WasmKernels) => Promise<Network>][] = [
  ['dense', (backend) => createNetwork({ sizes: [3, 4, 2], activation: 'tanh', backend, seed: 1 })],
  [
    'block',
    (backend) =>
      createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], loss: 'cross-entropy', backend, seed: 1 }),
  ],
];

describe.each(NETWORKS)('CurvatureOperators on a %s network (wasm)', (_kind, make) => {
  it('an allocation refused at any point of the construction: the error, and the bytes in use as before', async () => {
    const kernels = await createWasmKernels();
    const { backend, control } = failingKernels(kernels);
    const net = await make(backend);
    warmUp(net);
    const before = kernels.bytesInUse;
    control.calls = 0;
    const whole = new CurvatureOperators(net, X, Y);
    const allocations = control.calls;
    const hessian = new Float64Array(whole.size);
    whole.hessian(hessian, new Float64Array(whole.size).fill(1));
    whole.dispose();
    expect(kernels.bytesInUse).toBe(before);
    // The rows (2), the parameter vectors (2 × 4) and the products' buffers at least.
    expect(allocations).toBeGreaterThan(10);
    for (let failing = 1; failing <= allocations; failing++) {
      control.calls = 0;
      control.failing = failing;
      await expectError(() => new CurvatureOperators(net, X, Y), 'OUT_OF_MEMORY', /^no room \(a test\)$/);
      expect(kernels.bytesInUse, `failing at allocation ${failing} of ${allocations}`).toBe(before);
    }
    // Rows given as a Dataset stay the caller's when the construction fails.
    const dataset = net.dataset(X, Y);
    control.calls = 0;
    control.failing = 1;
    await expectError(() => new CurvatureOperators(net, dataset), 'OUT_OF_MEMORY', /^no room \(a test\)$/);
    expect(dataset.isDisposed).toBe(false);
    dataset.dispose();
    control.failing = 0;
    // And the memory is whole: the operators made after them take what the first did, and give the same product.
    const again = new CurvatureOperators(net, X, Y);
    const product = new Float64Array(again.size);
    again.hessian(product, new Float64Array(again.size).fill(1));
    expect(product).toEqual(hessian);
    again.dispose();
    expect(kernels.bytesInUse).toBe(before);
    net.dispose();
  });

  it('a Dataset: read in place (no copy of its rows), left to the caller, refused once disposed', async () => {
    const kernels = await createWasmKernels();
    const net = await make(kernels);
    warmUp(net);
    const start = kernels.bytesInUse;
    const dataset = net.dataset(X, Y);
    const rowBytes = kernels.bytesInUse - start;
    const withDataset = new CurvatureOperators(net, dataset);
    const operatorBytes = kernels.bytesInUse - start - rowBytes;
    const copied = new CurvatureOperators(net, X, Y);
    expect(kernels.bytesInUse - start - rowBytes - operatorBytes).toBe(operatorBytes + rowBytes);
    const [a, b] = [new Float64Array(copied.size), new Float64Array(copied.size)];
    const v = new Float64Array(copied.size).map((_, i) => Math.sin(i + 1));
    copied.gaussNewton(a, v);
    net.predict([[2, 2, 2]]); // a pass on other rows: the next product takes its point again, from the dataset
    withDataset.gaussNewton(b, v);
    expect(b).toEqual(a);
    copied.dispose();
    withDataset.dispose();
    expect(dataset.isDisposed).toBe(false);
    expect(kernels.bytesInUse - start).toBe(rowBytes);
    // Disposed before the operators: every product refuses, a pass before it or not.
    const orphaned = new CurvatureOperators(net, dataset);
    dataset.dispose();
    await expectError(() => orphaned.hessian(a, v), 'DISPOSED', /^curvature: the Dataset the curvature operators were made on was disposed; dispose it after the operators$/);
    orphaned.dispose();
    expect(kernels.bytesInUse).toBe(start);
    // Targets beside a Dataset would be ignored: refused, nothing allocated.
    const held = net.dataset(X, Y);
    const withHeld = kernels.bytesInUse;
    await expectError(() => new (CurvatureOperators as new (...args: unknown[]) => unknown)(net, held, Y), 'SHAPE_MISMATCH', /^targets: given beside a Dataset, which holds its own/);
    expect(kernels.bytesInUse).toBe(withHeld);
    held.dispose();
    net.dispose();
  });
});
