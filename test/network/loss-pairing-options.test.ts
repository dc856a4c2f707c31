/**
 * createNetwork's refusal of a softmax output beside a loss that takes none names the two options that chose them and what to
 * give instead (researcher53 F10: it said "a softmax output goes with loss 'cross-entropy', not 'mse'" and no option).
 */
import { describe, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';

describe('a softmax output with mse', () => {
  it("names output or the last layer's activation, the loss, and the two ways out", async () => {
    const WAYS_OUT = "a softmax output goes with loss 'cross-entropy', not 'mse'; give loss 'cross-entropy' \\(one-hot targets\\), or keep 'mse' with another";
    await expectError(() => createNetwork({ sizes: [3, 4, 2], output: 'softmax', loss: 'mse', backend: 'ref' }), 'INVALID_OPTION', new RegExp(`^output 'softmax' with loss 'mse': ${WAYS_OUT} output \\('sigmoid' or 'linear'\\)$`));
    await expectError(
      () => createNetwork({ inputs: 3, layers: [{ units: 4 }, { units: 2, activation: 'softmax' }], loss: 'mse', backend: 'ref' }),
      'INVALID_OPTION',
      new RegExp(`^layers\\[1\\]\\.activation 'softmax' with loss 'mse': ${WAYS_OUT} layers\\[1\\]\\.activation \\('sigmoid' or 'linear'\\)$`),
    );
    await expectError(
      () => createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 2, activation: 'softmax' }], loss: 'mse', backend: 'ref' }),
      'INVALID_OPTION',
      new RegExp(`^layers\\[0\\]\\.activation 'softmax' with loss 'mse': ${WAYS_OUT} layers\\[0\\]\\.activation`),
    );
    // Another pairing keeps its own words, which name the output it needs.
    await expectError(() => createNetwork({ sizes: [3, 4, 2], output: 'softmax', loss: 'binary-cross-entropy', backend: 'ref' }), 'INVALID_OPTION', /^loss 'binary-cross-entropy' needs a 'sigmoid' output layer, got 'softmax'$/);
  });
});
