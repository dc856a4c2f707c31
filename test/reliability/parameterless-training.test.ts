// A network without parameters (activation layers only) has nothing to train: train() refuses it
// (INVALID_OPTION) before any work, where it ran every epoch changing nothing and `gradscope study
// --model` of it reported "Healthy gradient flow".
import { describe, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';

const x = [[1, 2], [3, 4], [0, 0]];
const y = [[1, 0], [0, 1], [1, 0]];
const NOTHING = /^train: the network has no parameters \(its layers are activations only\), so there is nothing to train$/;

describe('train() of a network without parameters', () => {
  it.each(['ref', 'wasm'] as const)('is refused on %s, with rows and with a dataset', async (backend) => {
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'activation', activation: 'softmax' }], seed: 1, backend });
    await expectError(() => net.train(x, y, { epochs: 10 }), 'INVALID_OPTION', NOTHING);
    await expectError(() => net.train(net.dataset(x, y)), 'INVALID_OPTION', NOTHING);
    net.dispose();
  });
});
