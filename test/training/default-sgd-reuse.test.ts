// train() without an optimiser steps a default SGD that each network keeps between its calls
// (trainingOptimizer), put back as new at each call's end (FirstOrderOptimizer.startOver): every
// call trains bit for bit as with a new SGD of the same settings, its velocity from 0, whether the
// last call ended normally or with an error; the options object may change between calls (its
// momentum and weightDecay are read again each call), and a change makes another SGD.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Adam } from '../../src/optim/adam.js';
import { Sgd } from '../../src/optim/sgd.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { kernelBackends } from '../util/backends.js';
import { stateHash } from '../util/state-hash.js';

const X = [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0, 1], [-1, 2, 0.5], [0.3, 0.3, -0.3], [2, -1, 0]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];

afterEach(() => vi.restoreAllMocks());

describe.each(await kernelBackends())('the default SGD kept between train() calls on $name', ({ kernels }) => {
  const make = () => createNetwork({ sizes: [3, 5, 2], activation: 'tanh', output: 'softmax', seed: 4, backend: kernels });
  /** Trains `net` with its default SGD and `twin` with a new Sgd of the same settings; whether both threw. */
  function both(net: Network, twin: Network, options: TrainOptions): boolean[] {
    const { momentum, weightDecay, ...rest } = options;
    return [
      () => net.train(X, Y, options),
      () => twin.train(X, Y, { ...rest, optimizer: new Sgd(twin, { momentum, weightDecay }) }),
    ].map((call) => {
      try {
        call();
        return false;
      } catch {
        return true;
      }
    });
  }

  it('steps every call as a new SGD would, the options object changed between calls or not', async () => {
    const [net, twin] = [await make(), await make()];
    const started: Sgd[] = [];
    const startOver = Sgd.prototype.startOver;
    vi.spyOn(Sgd.prototype, 'startOver').mockImplementation(function (this: Sgd) {
      started.push(this);
      startOver.call(this);
    });
    const options: TrainOptions = { epochs: 2, batchSize: 2, momentum: 0.9, weightDecay: 0.01 };
    for (let call = 0; call < 3; call++) {
      expect(both(net, twin, options)).toEqual([false, false]);
      expect(stateHash(net), `call ${call}`).toBe(stateHash(twin));
    }
    // Three calls, one SGD, velocity from 0 in each (the twin's new SGD's).
    expect(started).toHaveLength(3);
    expect(new Set(started).size).toBe(1);
    expect(started[0].momentum).toBe(0.9);
    // The same object, changed: its new momentum and weight decay are the ones stepped with.
    options.momentum = 0;
    expect(both(net, twin, options)).toEqual([false, false]);
    delete options.weightDecay;
    expect(both(net, twin, options)).toEqual([false, false]);
    expect(stateHash(net)).toBe(stateHash(twin));
    expect(started.slice(3).map((sgd) => [sgd.momentum, sgd.weightDecay])).toEqual([[0, 0.01], [0, 0]]);
    expect(new Set(started).size).toBe(3);
    net.dispose();
    twin.dispose();
  });

  it('after a call that ended with an error, the next steps as a new SGD would', async () => {
    const [net, twin] = [await make(), await make()];
    const startOver = vi.spyOn(Sgd.prototype, 'startOver');
    const options: TrainOptions = { epochs: 1, batchSize: 2, momentum: 0.9 };
    expect(both(net, twin, options)).toEqual([false, false]);
    // Stopped by its onBatch after two steps, the velocity not zero.
    const stop: TrainOptions['onBatch'] = ({ batch }) => {
      if (batch === 2) throw new Error('stop');
    };
    expect(both(net, twin, { ...options, onBatch: stop })).toEqual([true, true]);
    expect(stateHash(net)).toBe(stateHash(twin));
    expect(both(net, twin, options)).toEqual([false, false]);
    expect(stateHash(net)).toBe(stateHash(twin));
    // One SGD, put back after each of the three calls, the one that threw too.
    expect(new Set(startOver.mock.contexts)).toEqual(new Set([startOver.mock.contexts[0]]));
    expect(startOver).toHaveBeenCalledTimes(3);
    net.dispose();
    twin.dispose();
  });

  it('is put back, and a spec-made optimiser disposed, when the row order cannot be allocated', async () => {
    const net = await make();
    const startOver = vi.spyOn(Sgd.prototype, 'startOver');
    const dispose = vi.spyOn(Adam.prototype, 'dispose');
    // Out of memory on the row order of the network's first call (callScratch's Uint32Array of X's 6 rows): the only one so long.
    const Real = Uint32Array;
    vi.stubGlobal('Uint32Array', class extends Real {
      constructor(...args: unknown[]) {
        if (args[0] === X.length) throw new RangeError('out of memory');
        super(...(args as [ArrayBuffer, number?, number?])); // every other form, passed on as given
      }
    });
    try {
      expect(() => net.train(X, Y, { epochs: 1, batchSize: 2 })).toThrow('out of memory');
      expect(() => net.train(X, Y, { epochs: 1, batchSize: 2, optimizer: 'adam' })).toThrow('out of memory');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(startOver).toHaveBeenCalledTimes(1);
    expect(dispose).toHaveBeenCalledTimes(1);
    net.dispose();
  });
});
