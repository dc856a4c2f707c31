// train() given `trace` options returns the trace it recorded, typed as present, so
// `diagnose(net.train(…, { trace }).trace)` type-checks under strict; without them there is none.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { Trace } from '../../src/flow/trace.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[1, 0], [0, 1], [0, 1], [1, 0]];

describe('TrainResult.trace', () => {
  it('is the trace net.trace holds when train() was given trace options, typed as present', async () => {
    const net = await createNetwork({ sizes: [2, 4, 2], seed: 3 });
    const traced = net.train(x, y, { epochs: 2, batchSize: 2, trace: { every: 1 } });
    expectTypeOf(traced.trace).toEqualTypeOf<Trace>();
    expect(traced.trace).toBe(net.trace);
    expect(traced.trace.length).toBe(4);
    net.dispose();
  });

  it('is absent, and typed as possibly absent, without them; on a Dataset too', async () => {
    const net = await createNetwork({ sizes: [2, 4, 2], seed: 3 });
    const plain = net.train(x, y, { epochs: 1 });
    expectTypeOf(plain.trace).toEqualTypeOf<Trace | undefined>();
    expect('trace' in plain).toBe(false);
    const data = net.dataset(x, y);
    const traced = net.train(data, { trace: { every: 2 } });
    expectTypeOf(traced.trace).toEqualTypeOf<Trace>();
    expect(traced.trace).toBe(net.trace);
    data.dispose();
    net.dispose();
  });
});
