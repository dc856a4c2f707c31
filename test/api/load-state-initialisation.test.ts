/**
 * net.loadState(tensors) puts someone else's parameters into a network: after it, net.initialisation
 * says how those were drawn (the record given with them: a file's ModelData.initialisation), or
 * nothing (unknown) when none is given, never the network's own init, which drew weights it no longer
 * holds. Saving writes what it says, and a network created with init 'lsuv' no longer waits for LSUV
 * (the orthonormal weights it waited with are gone).
 */
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';
import { blockModelOf, modelOf } from '../../src/io/model-data.js';
import type { Initialisation } from '../../src/init/initialisation.js';

const X = [
  [0.1, -0.2, 0.3, 0.5],
  [-0.4, 0.2, 0.1, -0.3],
  [0.3, 0.3, -0.1, 0.2],
  [-0.2, -0.5, 0.4, 0.1],
];
const Y = [[1], [0], [1], [0]];

const DENSE = { sizes: [4, 5, 1], activation: 'relu', output: 'sigmoid', loss: 'mse' } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse' } as const;

function refusal(run: () => unknown): GradscopeError {
  try {
    run();
  } catch (error) {
    if (error instanceof GradscopeError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe.each([
  ['dense', DENSE],
  ['blocks', BLOCKS],
] as const)('loadState on a %s network', (_kind, architecture) => {
  const own = (net: Network) => (net.kind === 'dense' ? modelOf(net).initialisation : blockModelOf(net).initialisation);

  it("forgets the network's own init: the loaded weights' is unknown, in net.initialisation, in what saving writes and in a trace", async () => {
    const donor = await createNetwork({ ...architecture, init: 'glorot-uniform', seed: 2, backend: 'ref' });
    const net = await createNetwork({ ...architecture, init: 'he-normal', biasInit: { name: 'constant', value: 0.1 }, backend: 'ref' });
    expect(net.initialisation).toEqual({ init: 'he-normal', biasInit: { name: 'constant', value: 0.1 } });
    net.loadState(donor.state());
    expect(net.initialisation).toBeUndefined();
    expect(own(net)).toBeUndefined();
    expect('initialisation' in net.toJSON()).toBe(false);
    net.train(X, Y, { epochs: 1, batchSize: 4, trace: { every: 1 } });
    expect([net.trace!.run.init, net.trace!.run.biasInit, net.trace!.run.lsuv]).toEqual([undefined, undefined, undefined]);
  });

  it("takes the loaded weights' record where one is given with them, lsuv included", async () => {
    const donor = await createNetwork({ ...architecture, init: 'lsuv', seed: 2, backend: 'ref' });
    donor.initLsuv(X);
    const recorded: Initialisation = { init: 'orthogonal', biasInit: 'zero', lsuv: true };
    expect(donor.initialisation).toEqual(recorded);
    const net = await createNetwork({ ...architecture, init: 'he-normal', backend: 'ref' });
    net.loadState(donor.state(), { initialisation: donor.initialisation });
    expect(net.initialisation).toEqual(recorded);
    expect(own(net)).toEqual(recorded);
    expect((net.toJSON() as { initialisation?: unknown }).initialisation).toEqual(recorded);
    net.train(X, Y, { epochs: 1, batchSize: 4, trace: { every: 1 } });
    expect([net.trace!.run.init, net.trace!.run.biasInit, net.trace!.run.lsuv]).toEqual(['orthogonal', 'zero', true]);
    // A later load without a record forgets it again.
    net.loadState(donor.state());
    expect(net.initialisation).toBeUndefined();
  });

  it("a network created with init 'lsuv' no longer waits for it once it holds loaded weights", async () => {
    const donor = await createNetwork({ ...architecture, seed: 2, backend: 'ref' });
    const net = await createNetwork({ ...architecture, init: 'lsuv', backend: 'ref' });
    expect(net.awaitingLsuv).toBe(true);
    net.loadState(donor.state(), { initialisation: donor.initialisation });
    expect(net.awaitingLsuv).toBe(false);
    expect(net.initialisation).toEqual({ init: 'standard', biasInit: 'zero' });
    expect(() => net.train(X, Y, { epochs: 1, batchSize: 4 })).not.toThrow();
  });

  it('refuses a record it cannot read (BAD_MODEL_FILE naming the field) or an unknown option (INVALID_OPTION), and changes nothing', async () => {
    const donor = await createNetwork({ ...architecture, seed: 2, backend: 'ref' });
    const net = await createNetwork({ ...architecture, init: 'he-normal', backend: 'ref' });
    const before = net.state();
    const bad = refusal(() => net.loadState(donor.state(), { initialisation: { init: 'he', biasInit: 'zero' } as unknown as Initialisation }));
    expect(bad.code).toBe('BAD_MODEL_FILE');
    expect(bad.message).toMatch(/^initialisation\.init: expected one of standard, .*got "he"; did you mean "he-normal"\?$/);
    const missing = refusal(() => net.loadState(donor.state(), { initialisation: { init: 'standard' } as unknown as Initialisation }));
    expect([missing.code, missing.message]).toEqual(['BAD_MODEL_FILE', 'initialisation.biasInit: missing']);
    const stray = refusal(() => net.loadState(donor.state(), { init: 'standard' } as never));
    expect(stray.code).toBe('INVALID_OPTION');
    expect(stray.message).toContain('init');
    expect(net.state()).toEqual(before);
    expect(net.initialisation).toEqual({ init: 'he-normal', biasInit: 'zero' });
  });
});

it("a network loaded from a file that records its init forgets it when other weights are loaded into it", async () => {
  const saved = await createNetwork({ ...DENSE, init: 'lecun-normal', backend: 'ref' });
  const loaded = await Network.fromJSON(saved.toJSON(), { backend: 'ref' });
  expect(loaded.initialisation).toEqual({ init: 'lecun-normal', biasInit: 'zero' });
  loaded.loadState((await createNetwork({ ...DENSE, seed: 3, backend: 'ref' })).state());
  expect(loaded.initialisation).toBeUndefined();
  expect('initialisation' in loaded.toJSON()).toBe(false);
});
