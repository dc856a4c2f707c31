/**
 * An optimiser used after its dispose() is refused (DISPOSED) by train(), saveModel and
 * restoreOptimizer before anything changes, as a disposed network or dataset is: before this, a
 * disposed Adam trained on with its moments back at zero and its step count carried on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { restoreOptimizer } from '../../src/io/checkpoint.js';
import { saveModel } from '../../src/io/files.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optim/index.js';
import { expectError } from '../util/expect-error.js';
import { leastSquaresProblem, ONE_OUTPUT } from './problems.js';

const { x, y } = leastSquaresProblem(5, 32, ONE_OUTPUT);

/** Every parameter and buffer value with the step and RNG: what a refused call must leave alone. */
function snapshot(net: Network): unknown {
  return { state: net.state().map((t) => [t.name, Array.from(t.values)]), step: net.step, rng: net.rng.getState() };
}

describe('a disposed optimiser', () => {
  it('covers every registered optimiser', () => {
    expect(OPTIMIZERS.map((d) => d.name)).toEqual(['sgd', 'lars', 'adagrad', 'rmsprop', 'adam', 'adamw', 'lbfgs', 'levenberg-marquardt', 'hessian-free', 'kfac']);
  });

  for (const { name } of OPTIMIZERS) {
    it(`${name}: trains, then after dispose() train(), saveModel, restoreOptimizer and its own step/state/restore refuse it (DISPOSED) and nothing changes`, async () => {
      const net = await createNetwork({ sizes: [3, 4, 1], activation: 'tanh', output: 'linear', loss: 'mse', seed: 2, backend: 'wasm' });
      const optimizer = createOptimizer(net, name);
      expect(optimizer.isDisposed).toBe(false);
      net.train(x, y, { optimizer, epochs: 1, batchSize: 32 });
      const state = optimizer.state();
      optimizer.dispose();
      expect(optimizer.isDisposed).toBe(true);
      const before = snapshot(net);
      const step = net.step;
      const where = new RegExp(`^optimizer: this '${name}' optimiser was disposed \\(its state is gone\\); create a new one$`);
      await expectError(() => net.train(x, y, { optimizer, epochs: 1, batchSize: 32 }), 'DISPOSED', where);
      await expectError(() => saveModel(net, join(mkdtempSync(join(tmpdir(), 'gradscope-')), 'm.json'), { optimizer }), 'DISPOSED', where);
      await expectError(() => restoreOptimizer(optimizer, state), 'DISPOSED', where);
      // Called directly too: no step on fresh zero buffers, no empty state.
      await expectError(() => optimizer.step(net[MODEL], 0.01, 32), 'DISPOSED', where);
      await expectError(() => optimizer.state(), 'DISPOSED', where);
      await expectError(() => optimizer.restore(state), 'DISPOSED', where);
      expect(snapshot(net)).toEqual(before);
      // A new optimiser takes the state back and trains.
      const fresh = createOptimizer(net, name);
      restoreOptimizer(fresh, state);
      net.train(x, y, { optimizer: fresh, epochs: 1, batchSize: 32 });
      expect(net.step).toBeGreaterThan(step);
      net.dispose();
    });
  }
});
