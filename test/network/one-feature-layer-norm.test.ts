// A layer norm over one feature outputs its shift β whatever its input (x − μ is 0 over one value):
// the network's output ignores whatever comes before it, and no gradient reaches those layers (measured
// before the refusal: [4 → dense 1 relu, layer-norm, dense 3 softmax] predicted 1/3 for every row, and
// ∂C/∂0.weight was 0 everywhere). createNetwork refuses it where it sits, as it refuses a softmax of 1
// unit, and so does every reader of block models (they check specs with the same function); a layer
// norm of 2 features and a batch norm of 1 (each feature over the batch's rows) are made as before.
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { expectError } from '../util/expect-error.js';

const IGNORES_INPUT = /a layer norm over 1 feature outputs its shift β whatever its input \(x − μ is 0\): its output ignores the input and no gradient reaches the layers before it; normalise 2 or more features, or use 'batch-norm' \(each feature over the batch's rows\)$/;

describe('a layer norm over one feature', () => {
  it('is refused by createNetwork where it sits: after a 1-unit dense layer, on 1 input, inside a residual branch', async () => {
    const refused: [NetworkOptions, RegExp][] = [
      [{ inputs: 4, layers: [{ type: 'dense', units: 1, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'softmax' }] }, /^layers\[1\]: /],
      [{ inputs: 1, loss: 'mse', layers: [{ type: 'layer-norm', epsilon: 0.001 }, { type: 'dense', units: 2 }] }, /^layers\[0\]: /],
      [{ inputs: 3, loss: 'mse', layers: [{ type: 'dense', units: 1 }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 1, activation: 'tanh' }, { type: 'layer-norm' }] }] }, /^layers\[1\]\.layers\[1\]: /],
    ];
    for (const [options, where] of refused) {
      const error = await expectError(() => createNetwork({ ...options, backend: 'ref' }), 'INVALID_OPTION', where);
      expect(error.message).toMatch(IGNORES_INPUT);
    }
  });

  it('is refused as a model file is read (BAD_MODEL_FILE naming the layer)', async () => {
    const net = await createNetwork({ inputs: 4, layers: [{ type: 'dense', units: 2, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref' });
    const file = JSON.parse(JSON.stringify(net.toJSON())) as { layers: { units?: number }[] };
    file.layers[0].units = 1;
    const error = await expectError(() => Network.fromJSON(file, { backend: 'ref' }), 'BAD_MODEL_FILE', /layers\[1\]: a layer norm over 1 feature/);
    expect(error.message).toMatch(IGNORES_INPUT);
    net.dispose();
  });

  it('leaves a layer norm of 2 features and a batch norm of 1 feature as they were', async () => {
    const two = await createNetwork({ inputs: 2, loss: 'mse', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 1 }], backend: 'ref' });
    const batch = await createNetwork({ inputs: 1, loss: 'mse', layers: [{ type: 'batch-norm' }, { type: 'dense', units: 1 }], backend: 'ref' });
    expect([two.layers[0].type, batch.layers[0].type]).toEqual(['layer-norm', 'batch-norm']);
    two.dispose();
    batch.dispose();
  });
});
