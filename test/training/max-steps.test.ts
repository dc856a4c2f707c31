// train()'s maxSteps, the step budget the remedies and autoencoder studies replay by (newuser50 #3): the call stops once it
// has taken that many steps, mid-epoch too, at the state a call of those steps alone leaves, shuffled as one that never
// stopped; beside maxSeconds whichever comes first; a count ≥ 1 or refused before any step.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { stateHash } from '../util/state-hash.js';
import { expectError } from '../util/expect-error.js';

const X = Array.from({ length: 8 }, (_, r) => [Math.sin(r), Math.cos(3 * r), (r % 3) / 3]);
const Y = X.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
const make = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4 });

describe('train() maxSteps', () => {
  it('stops after that many steps, within an epoch, at the state of those steps of a run that never stopped', async () => {
    const [stopped, whole] = [await make(), await make()];
    // 8 rows in batches of 3: 3 steps an epoch; 7 steps end after the first batch of the third epoch.
    const result = stopped.train(X, Y, { epochs: 10, batchSize: 3, maxSteps: 7 });
    expect(stopped.step).toBe(7);
    expect(result.epochs.map((e) => e.batches)).toEqual([3, 3, 1]);
    let atSeven = '';
    whole.train(X, Y, { epochs: 10, batchSize: 3, onBatch: (info) => { if (info.step === 7) atSeven = stateHash(whole); } });
    expect(stateHash(stopped)).toBe(atSeven);
    // Counted per call: the next call takes its own.
    stopped.train(X, Y, { epochs: 10, batchSize: 3, maxSteps: 2 });
    expect(stopped.step).toBe(9);
    // Beside maxSeconds, whichever comes first: a budget of seconds no run reaches leaves the steps' budget.
    const both = await make();
    both.train(X, Y, { epochs: 10, batchSize: 3, maxSteps: 4, maxSeconds: 1e9 });
    expect(both.step).toBe(4);
    for (const net of [stopped, whole, both]) net.dispose();
  });

  it('is a whole number ≥ 1, refused before any step otherwise', async () => {
    const net = await make();
    for (const bad of [0, 1.5, -1, '3', Infinity]) await expectError(() => net.train(X, Y, { maxSteps: bad as number }), 'INVALID_OPTION', /^maxSteps: expected a whole number ≥ 1, got /);
    expect(net.step).toBe(0);
    net.dispose();
  });
});
