/**
 * A SHA-256 of everything a failing call must leave untouched: every parameter, the state tensors
 * (batch norm's running statistics and counters), the optimiser's state, the RNG state and the step
 * count. Equal hashes before and after = nothing changed.
 */
import { createHash } from 'node:crypto';
import type { Network } from '../../src/api/network.js';
import { MODEL } from '../../src/model.js';
import type { Optimizer } from '../../src/optim/optimizer.js';

export function stateHash(net: Network, optimizer?: Optimizer): string {
  const hash = createHash('sha256');
  const k = net.kernels;
  const model = net[MODEL];
  const floats = (values: ArrayLike<number>) => hash.update(new Uint8Array(Float64Array.from(values).buffer));
  for (const p of model.parameters()) floats(k.view(p.value));
  for (const t of model.stateTensors()) floats(k.view(t));
  hash.update(JSON.stringify({ step: net.step, rng: net.rng.getState() }));
  if (optimizer) {
    const state = optimizer.state();
    hash.update(JSON.stringify({ name: state.name, scalars: state.scalars }));
    state.tensors.forEach(floats);
  }
  return hash.digest('hex');
}
