/** An optimiser that refuses chosen steps, for tests of the step guard and what the trace records of it. */
import type { Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer } from '../../src/optim/optimizer.js';

/**
 * Plain SGD, but the attempts numbered in `refused` (1 = the first call) take a step of learning rate
 * 1e30, which the step guard refuses and takes back (no keepsWithin: the guard keeps a copy); under
 * 'halve', a halving.
 */
export function sabotaged(net: Network, refused: Set<number>): Optimizer {
  const sgd = createOptimizer(net, 'sgd');
  let attempt = 0;
  return {
    name: 'sgd',
    model: net[MODEL],
    step: (model, rate, batch) => sgd.step(model, refused.has(++attempt) ? 1e30 : rate, batch),
    state: () => sgd.state(),
    restore: (state) => sgd.restore(state),
    dispose: () => sgd.dispose(),
  };
}
