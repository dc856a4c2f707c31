/**
 * A SHA-256 of everything a failing call must leave untouched: weights, biases, the optimiser's
 * state, the RNG state and the step count. Equal hashes before and after = nothing changed.
 */
import { createHash } from 'node:crypto';
import type { Network } from '../../src/api/network.js';
import type { Optimizer } from '../../src/optim/optimizer.js';

export function stateHash(net: Network, optimizer?: Optimizer): string {
  const hash = createHash('sha256');
  const k = net.kernels;
  const floats = (values: ArrayLike<number>) => hash.update(new Uint8Array(Float64Array.from(values).buffer));
  for (let l = 0; l < net.depth; l++) {
    floats(k.view(net.weights[l]));
    floats(k.view(net.biases[l]));
  }
  hash.update(JSON.stringify({ step: net.step, rng: net.rng.getState() }));
  if (optimizer) {
    const state = optimizer.state();
    hash.update(JSON.stringify({ name: state.name, scalars: state.scalars }));
    state.tensors.forEach(floats);
  }
  return hash.digest('hex');
}
