// isOneHotRow, the one rule for targets that name classes (src/data/one-hot.ts): of a row, or of a
// range of a batch's values, as the recorder asks it of every row of every traced batch (noteTargets)
// without a view per row.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOneHotRow } from '../../src/data/one-hot.js';
import { noteTargets } from '../../src/flow/layer-statistics.js';
import { Trace } from '../../src/flow/trace.js';
import { createRefKernels } from '../../src/ref/ref-kernels.js';

afterEach(() => vi.restoreAllMocks());

describe('isOneHotRow', () => {
  it('is a single 1 among 0s, of 2 values or more', () => {
    expect(isOneHotRow([0, 1, 0])).toBe(true);
    expect(isOneHotRow([1, 0])).toBe(true);
    expect(isOneHotRow([1])).toBe(false);
    expect(isOneHotRow([])).toBe(false);
    expect(isOneHotRow([1, 1, 0])).toBe(false);
    expect(isOneHotRow([0, 0, 0])).toBe(false);
    expect(isOneHotRow([0, 0.5, 0.5])).toBe(false);
    expect(isOneHotRow([0, NaN, 1])).toBe(false);
  });

  it('reads values[from, to) alone where given a range', () => {
    const batch = Float32Array.of(0, 1, 0, 1, 0.5, 0, 0, 0, 1);
    expect([0, 3, 6].map((from) => isOneHotRow(batch, from, from + 3))).toEqual([true, false, true]);
    expect(isOneHotRow(batch, 2, 3)).toBe(false);
  });
});

describe('noteTargets', () => {
  it("records a traced batch's one-hot targets without a view per row", () => {
    const k = createRefKernels();
    const [n, batch] = [10, 64];
    const targets = k.alloc(n * batch);
    k.write(targets, Float64Array.from({ length: n * batch }, (_, i) => (i % n === Math.floor(i / n) % n ? 1 : 0)));
    const trace = new Trace({ sizes: [4, n], activations: ['softmax'], loss: 'cross-entropy', every: 1 });
    const views = [Float32Array, Float64Array].map((type) => vi.spyOn(type.prototype, 'subarray'));
    noteTargets(trace, 0, k, targets, n, batch);
    expect(trace.run.targets).toBe('one-hot');
    expect(views.map((view) => view.mock.calls.length)).toEqual([0, 0]);
    k.free(targets);
  });
});
