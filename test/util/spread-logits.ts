import { createNetwork, type Network } from '../../src/api/network.js';

/**
 * A softmax network on the float32 (wasm) backend whose logits are ±1e16 · x₀: a row x = [2e22, 0]
 * has logits 2e38 and −2e38, each finite, 4e38 apart, beyond float32's 3.4e38. Cross-entropy takes
 * class 1's log-probability as z₁ − max z, which overflows: its softmax output is 0, and a target that
 * gives class 1 any weight makes the loss infinite with every output and target finite. `create`
 * makes the network (a test that disposes what it made passes its own).
 */
export async function spreadLogits(create: (options: Parameters<typeof createNetwork>[0]) => Promise<Network> = createNetwork): Promise<Network> {
  const net = await create({ sizes: [2, 2], loss: 'cross-entropy', backend: 'wasm', seed: 1 });
  net.loadState([
    { name: '0.weight', values: [1e16, 0, -1e16, 0] },
    { name: '0.bias', values: [0, 0] },
  ]);
  return net;
}
