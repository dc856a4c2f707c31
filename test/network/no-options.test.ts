/**
 * evaluate and gradients take (x, y) or a Dataset, and no options: a third argument (a JavaScript
 * caller's { batchSize }, as Keras' evaluate takes one) is refused, not dropped unsaid.
 */
import { expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { expectError } from '../util/expect-error.js';

it.each(['evaluate', 'gradients'] as const)('%s refuses a third argument, and takes (x, y)', async (method) => {
  const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref' });
  const [x, y] = [[[0.1, 0.2]], [[1, 0]]];
  const call = net[method].bind(net) as (...args: unknown[]) => unknown;
  await expectError(() => call(x, y, { batchSize: 16 }), 'INVALID_OPTION', new RegExp(`^${method}: takes \\(x, y\\) or a Dataset and no options, got 3 arguments$`));
  expect(call(x, y)).toHaveProperty('loss');
  net.dispose();
});
