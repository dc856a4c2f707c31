// train, evaluate and gradients name the first of x and y that is missing: train() with no
// arguments said "targets: missing" though the inputs were missing too (newuser28).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';

describe('a call given no rows names the first argument missing', async () => {
  const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'ref', seed: 1 });
  const call = net as unknown as Record<'train' | 'evaluate' | 'gradients', (...args: unknown[]) => unknown>;

  it.each(['train', 'evaluate', 'gradients'] as const)('%s() says the inputs are missing, %s(x) the targets', async (method) => {
    await expectError(() => call[method](), 'SHAPE_MISMATCH', /^inputs: missing \(pass x and y, or a Dataset\)$/);
    await expectError(() => call[method](undefined, [[1]]), 'SHAPE_MISMATCH', /^inputs: missing \(pass x and y, or a Dataset\)$/);
    await expectError(() => call[method]([[1, 2]]), 'SHAPE_MISMATCH', /^targets: missing \(pass x and y, or a Dataset\)$/);
    expect(net.step).toBe(0);
  });
});
