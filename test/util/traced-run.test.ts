/**
 * tracedRun disposes the network it made even when train() throws: a refused run in one diagnosis
 * test must not leave a network (and its backend memory) held for the rest of the file.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Network } from '../../src/api/network.js';

// The networks tracedRun makes, seen through createNetwork (tracedRun keeps them to itself).
const { made } = vi.hoisted(() => ({ made: [] as Network[] }));
vi.mock('../../src/api/network.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/api/network.js')>();
  return {
    ...original,
    createNetwork: async (...args: Parameters<typeof original.createNetwork>) => {
      const net = await original.createNetwork(...args);
      made.push(net);
      return net;
    },
  };
});
const { tracedRun } = await import('./traced-run.js');
const { GradscopeError } = await import('../../src/errors.js');

describe('tracedRun', () => {
  const network = { sizes: [2, 3, 1], loss: 'mse', output: 'linear', backend: 'ref' } as const;
  const rows = { x: [[0, 1], [1, 0]], y: [[1], [0]] };

  it('disposes the network after a run', async () => {
    const { trace } = await tracedRun(network, rows, { epochs: 1, batchSize: 2, trace: {} });
    expect(trace.length).toBeGreaterThan(0);
    expect(made.at(-1)!.isDisposed).toBe(true);
  });

  it('disposes the network when train() throws, and the error reaches the caller', async () => {
    const before = made.length;
    await expect(tracedRun(network, rows, { epochs: 0, trace: {} })).rejects.toBeInstanceOf(GradscopeError);
    expect(made.length).toBe(before + 1);
    expect(made.at(-1)!.isDisposed).toBe(true);
  });
});
