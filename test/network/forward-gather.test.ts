// A batch drawn from a data set by number (shuffled, or any batch but the first rows in order) has
// its input rows gathered by the first layer's forward (Kernels.denseForwardGather: each row read
// from the data set once, by the product, instead of by a copy pass before it), its targets copied
// as before. The trained bits are the copy path's, and whoever reads the input rows between
// loadBatch and the forward (LSUV, a caller of the engine) gets them gathered first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import type { Kernels } from '../../src/kernels.js';
import { denseModelOf } from '../../src/model.js';
import { kernelBackends } from '../util/backends.js';
import { INPUTS, OUTPUTS, rowsOf } from '../util/rows-in-place.js';
import { stateHash } from '../util/state-hash.js';

afterEach(() => vi.restoreAllMocks());

const ROWS = 40;

describe.each(await kernelBackends())('the first layer gathers its batch, $name', ({ kernels }) => {
  const network = (): Promise<Network> => createNetwork({ sizes: [INPUTS, 7, 5, OUTPUTS], activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 9, backend: kernels });
  const k = kernels as Kernels;

  it('a shuffled call copies no input row before the forward: each batch is gathered by it, its targets copied', async () => {
    const net = await network();
    const { x, y } = rowsOf(5, ROWS);
    const data = net.dataset(x, y);
    const { inputs, targets } = data.resident();
    const copyRows = vi.spyOn(k, 'copyRows');
    const gather = vi.spyOn(k, 'denseForwardGather');
    net.train(data, { batchSize: 8, epochs: 2 });
    const copiedFrom = (tensor: unknown) => copyRows.mock.calls.filter(([, src]) => src === tensor).length;
    expect({ inputs: copiedFrom(inputs.tensor), targets: copiedFrom(targets.tensor), gathered: gather.mock.calls.length }).toEqual({ inputs: 0, targets: 10, gathered: 10 });
    data.dispose();
    net.dispose();
  });

  it('trains to the copy path\'s bits: the batch copied in, then the forward (what denseForwardGather is defined as)', async () => {
    const { x, y } = rowsOf(6, ROWS);
    const options = { batchSize: 6, epochs: 3, learningRate: 0.5 };
    const [fused, copied] = [await network(), await network()];
    const fusedData = fused.dataset(x, y);
    fused.train(fusedData, options);
    const copiedData = copied.dataset(x, y);
    vi.spyOn(k, 'denseForwardGather').mockImplementation((z, a, rowsOfX, rows, start, w, b, batch, nIn, nOut) => {
      k.copyRows(a, rowsOfX, rows, start, batch, nIn);
      k.denseForward(z, a, w, b, batch, nIn, nOut);
    });
    copied.train(copiedData, options);
    expect(stateHash(fused)).toBe(stateHash(copied));
    [fusedData, copiedData, fused, copied].forEach((d) => d.dispose());
  });

  it('the input rows read between loadBatch and the forward are the batch gathered; the forward then gathers nothing again', async () => {
    const net = await network();
    const { x, y } = rowsOf(7, ROWS);
    const data = net.dataset(x, y);
    const engine = denseModelOf(net, 'test');
    const order = Uint32Array.from([31, 2, 17, 17, 5]);
    engine.ensureCapacity(order.length);
    const { inputs, targets } = data.resident();
    engine.loadBatch(inputs, targets, order, 1, 3);
    const expected = [...x.data.subarray(2 * INPUTS, 3 * INPUTS), ...x.data.subarray(17 * INPUTS, 18 * INPUTS), ...x.data.subarray(17 * INPUTS, 18 * INPUTS)];
    // The caller's order changed after loadBatch: the rows asked for are the ones loaded.
    order.fill(0);
    expect(Array.from(k.view(engine.input).subarray(0, 3 * INPUTS))).toEqual(Array.from(Float32Array.from(expected)));
    const gather = vi.spyOn(k, 'denseForwardGather');
    engine.forward(3, 'train');
    expect(gather).not.toHaveBeenCalled();
    expect(Array.from(k.view(engine.activations[0]).subarray(0, 3 * INPUTS))).toEqual(Array.from(Float32Array.from(expected)));
    data.dispose();
    net.dispose();
  });
});
