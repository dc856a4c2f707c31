import { afterAll } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';

/**
 * createNetwork for one test file, each network it makes disposed when the file's tests end (the
 * tests that quote a page's refusals make one per call). Call it at the file's top level: it
 * registers the file's afterAll.
 */
export function networksDisposedAfterAll(): (options: Parameters<typeof createNetwork>[0]) => Promise<Network> {
  const networks: Network[] = [];
  afterAll(() => networks.forEach((net) => net.dispose()));
  return async (options) => {
    const net = await createNetwork(options);
    networks.push(net);
    return net;
  };
}
