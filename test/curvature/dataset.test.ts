// measureCurvature takes a Dataset (net.dataset, createDataset) as train, evaluate and gradients do:
// its rows read in place, not copied, the same bits as the rows form, and the rows form's typed errors.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { createDataset } from '../../src/api/dataset.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const X = [[0.1, 0.2, 0.3], [0.3, -0.4, 1], [1, 0, -1], [0.5, 0.5, 0.5], [-0.2, 0.7, 0.1]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]];
const OPTIONS = { k: 2, probes: 3, exactTraceLimit: 10, seed: 3 };

describe.each(['ref', 'wasm'] as const)('measureCurvature on a Dataset (%s)', (backend) => {
  it('the same report, bit for bit, as on the rows it was made from; the dataset left to the caller', async () => {
    for (const net of [
      await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'binary-cross-entropy', backend, seed: 1 }),
      await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4 }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'sigmoid' }], loss: 'binary-cross-entropy', backend, seed: 2 }),
    ]) {
      const rows = measureCurvature(net, X, Y, OPTIONS);
      // The network's own, and one createDataset made on its kernels.
      for (const data of [net.dataset(X, Y), await createDataset(X, Y, { backend: net.kernels })]) {
        expect(measureCurvature(net, data, OPTIONS)).toEqual(rows);
        expect(measureCurvature(net, data)).toEqual(measureCurvature(net, X, Y));
        expect(data.isDisposed).toBe(false);
        data.dispose();
      }
      net.dispose();
    }
  });

  it('bad input: the typed errors of the rows form, before any product; nothing held changes', async () => {
    const net = await createNetwork({ sizes: [3, 4, 2], loss: 'binary-cross-entropy', backend, seed: 1 });
    const before = JSON.stringify(net.toJSON());
    const data = net.dataset(X, Y);
    // Targets beside it (or a fourth argument) would be ignored.
    await expectError(() => measureCurvature(net, data, Y as never), 'SHAPE_MISMATCH', /^targets: given beside a Dataset, which holds its own/);
    await expectError(() => (measureCurvature as (...args: unknown[]) => unknown)(net, data, Y, { k: 1 }), 'SHAPE_MISMATCH', /^targets: given beside a Dataset/);
    await expectError(() => (measureCurvature as (...args: unknown[]) => unknown)(net, data, { k: 1 }, { k: 1 }), 'SHAPE_MISMATCH', /^targets: given beside a Dataset/);
    await expectError(() => measureCurvature(net, data, { k: 99 }), 'INVALID_OPTION', /^measureCurvature: k: .*parameter count 26/);
    await expectError(() => measureCurvature(net, data, { kk: 1 } as never), 'INVALID_OPTION', /measureCurvature/);
    // Rows of other sizes, another backend's memory, targets the loss cannot take: as gradients(data) says them.
    const narrow = await createNetwork({ sizes: [2, 2], backend: net.kernels, seed: 1 });
    await expectError(() => measureCurvature(narrow, data), 'SHAPE_MISMATCH', /^dataset: rows of 3 inputs and 2 targets, but the network takes 2 and gives 2/);
    narrow.dispose();
    const other = await createDataset(X, Y, { backend: backend === 'ref' ? 'wasm' : 'ref' });
    await expectError(() => measureCurvature(net, other), 'INVALID_OPTION', /^dataset: its rows live in another backend's memory/);
    other.dispose();
    const outOfRange = net.dataset(X, Y.map(([a, b]) => [a * 2, b]));
    await expectError(() => measureCurvature(net, outOfRange), 'INVALID_TARGET', /targets/);
    outOfRange.dispose();
    data.dispose();
    await expectError(() => measureCurvature(net, data), 'DISPOSED', /./);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    net.dispose();
  });

  it('one row through batch norm: INVALID_OPTION naming the data, the weights unchanged', async () => {
    const net = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4 }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'sigmoid' }], loss: 'binary-cross-entropy', backend, seed: 2 });
    const before = JSON.stringify(net.toJSON());
    const one = net.dataset(X.slice(0, 1), Y.slice(0, 1));
    await expectError(() => measureCurvature(net, one), 'INVALID_OPTION', /^measureCurvature: data has 1 row, but batch norm in training needs at least 2 per batch/);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    one.dispose();
    net.dispose();
  });
});

describe('measureCurvature on a Dataset: no copy of its rows', () => {
  it('holds the rows form\'s memory less the rows\' copy while it measures', async () => {
    const kernels = await createWasmKernels();
    const net = await createNetwork({ sizes: [3, 4, 2], backend: kernels, seed: 1 });
    const data = net.dataset(X, Y);
    const peak = (measure: (onProgress: () => void) => void) => {
      const start = kernels.bytesInUse;
      let most = 0;
      measure(() => (most = Math.max(most, kernels.bytesInUse - start)));
      return most;
    };
    measureCurvature(net, X, Y, { k: 1 }); // the network's buffers grown to the rows (they stay)
    const rowsStart = kernels.bytesInUse;
    const copied = peak((onProgress) => measureCurvature(net, X, Y, { k: 1, onProgress }));
    expect(kernels.bytesInUse).toBe(rowsStart);
    const inPlace = peak((onProgress) => measureCurvature(net, data, { k: 1, onProgress }));
    const dataBytes = (() => {
      const before = kernels.bytesInUse;
      const again = net.dataset(X, Y);
      const bytes = kernels.bytesInUse - before;
      again.dispose();
      return bytes;
    })();
    expect(dataBytes).toBeGreaterThan(0);
    expect(inPlace).toBe(copied - dataBytes);
    data.dispose();
    net.dispose();
  });
});
