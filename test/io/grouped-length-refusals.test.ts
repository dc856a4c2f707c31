/**
 * A model's tensor of the wrong length is refused with its counts grouped by thousands, as every
 * other count gradscope prints (grouped(), src/counted.ts): a dense model's weights said
 * 'expected 2000 values' where a block model's said '2,000' (the final read of 56aa3d1).
 */
import { describe, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { modelOf, networkFromModel } from '../../src/io/model-data.js';
import { expectError } from '../util/expect-error.js';

describe('a model tensor of the wrong length', () => {
  it('says the expected and the given counts grouped by thousands', async () => {
    const net = await createNetwork({ sizes: [1000, 2, 2], backend: 'ref', seed: 1 });
    const model = modelOf(net);
    net.dispose();
    const short = { ...model, weights: [model.weights[0].slice(0, 1999), ...model.weights.slice(1)] };
    await expectError(() => networkFromModel(short, { backend: 'ref' }), 'BAD_MODEL_FILE', /model\.weights\[0\]: expected 2,000 values, got 1,999/);
  });
});
