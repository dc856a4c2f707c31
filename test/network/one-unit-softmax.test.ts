// A softmax output of one unit is 1 whatever its input: cross-entropy 0, gradient 0, accuracy 100 %
// (the argmax of one unit), so a network with one target and the default output (softmax for
// cross-entropy) trained nothing and reported a perfect fit. createNetwork refuses it in every form
// that names the output, saying where and what to use instead; one sigmoid unit with
// binary-cross-entropy, and a two-unit softmax, are made as before.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { expectError } from '../util/expect-error.js';

const ALWAYS_ONE = /a softmax output of 1 unit is always 1 \(loss 0, gradient 0: nothing trains\); for one target use output 'sigmoid' with loss 'binary-cross-entropy', or give the output 2 units$/;

describe('createNetwork: a softmax output of one unit', () => {
  it('is refused where it comes from: the default output, output, a { units } layer, a dense spec, a block network', async () => {
    const refused: [NetworkOptions, RegExp][] = [
      [{ sizes: [2, 3, 1] }, /^output: /],
      [{ sizes: [2, 1], output: 'softmax', loss: 'cross-entropy' }, /^output: /],
      [{ inputs: 2, layers: [{ units: 3 }, { units: 1, activation: 'softmax' }] }, /^layers\[1\]\.activation: /],
      [{ inputs: 2, layers: [{ type: 'dense', units: 1, activation: 'softmax' }] }, /^layers\[0\]: /],
      [{ inputs: 2, layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'layer-norm' }, { type: 'dense', units: 1, activation: 'softmax' }] }, /^layers\[2\]: /],
    ];
    for (const [options, where] of refused) {
      const error = await expectError(() => createNetwork({ ...options, backend: 'ref' }), 'INVALID_OPTION', where);
      expect(error.message).toMatch(ALWAYS_ONE);
    }
  });

  it('leaves one sigmoid unit with binary-cross-entropy and a two-unit softmax as they were', async () => {
    const binary = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'ref' });
    const pair = await createNetwork({ sizes: [2, 3, 2], backend: 'ref' });
    expect([binary.activationFunctions.at(-1), binary.loss, pair.activationFunctions.at(-1), pair.loss]).toEqual(['sigmoid', 'binary-cross-entropy', 'softmax', 'cross-entropy']);
    binary.dispose();
    pair.dispose();
  });
});
