// What the restore tests share (restore-every-setting, restore-advice): optimiser states saved on XOR,
// a refusal's advice read back as options, and the check that following it restores.
import { expect } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { Optimizer, OptimizerState } from '../../src/optim/optimizer.js';
import { expectError } from '../util/expect-error.js';

export const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const y = [[0], [1], [1], [0]];
const config = { sizes: [2, 5, 1], activation: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy', seed: 3, backend: 'ref' } as const;
/** Levenberg–Marquardt and Hessian-free are tried on the quadratic cost. */
export const configOf = (name: string) => (name === 'levenberg-marquardt' || name === 'hessian-free' ? { ...config, loss: 'mse' as const } : config);

/** An optimiser spec: its name and options. */
export type Spec = Record<string, unknown> & { name: string };

/** What a refused restore must leave as it was: the optimiser's state, the network's weights, step and RNG. */
export const held = (o: Optimizer, net?: Network) =>
  JSON.stringify({
    ...o.state(),
    tensors: o.state().tensors.map((t) => Array.from(t)),
    ...(net && { weights: net.state().map((t) => [t.name, Array.from(t.values)]), step: net.step, rng: Array.from(net.rng.getState()) }),
  });

/** The optimiser `spec` makes after 2 epochs of XOR, and its state. */
export async function trained(spec: Spec): Promise<OptimizerState> {
  const net = await createNetwork(configOf(spec.name));
  const optimizer = createOptimizer(net, spec);
  net.train(x, y, { epochs: 2, batchSize: 4, optimizer });
  return optimizer.state();
}

/** The options a refusal's advice names ("create it with { name: 'lbfgs', c1: 0.5, c2: 0.6 }"), or undefined where it gives none. */
export function advised(message: string): Spec | undefined {
  // A state saved at every default but the one this optimiser was given otherwise is advised its name alone.
  const found = /create it with \{ name: '([^']+)'(?:, (.*))? \} to resume that run/.exec(message);
  if (!found) return undefined;
  const entries = (found[2] === undefined ? [] : found[2].split(', ')).map((entry) => entry.split(': '));
  return { name: found[1], ...Object.fromEntries(entries.map(([key, value]) => [key, value === 'true' || value === 'false' ? value === 'true' : Number(value)])) };
}

/** `restore(state)` into a fresh optimiser of `spec` on a network trained an epoch: the refusal's message, nothing held changed by it. */
export async function refusal(spec: Spec, state: OptimizerState): Promise<string> {
  const net = await createNetwork(configOf(spec.name));
  const optimizer = createOptimizer(net, spec);
  net.train(x, y, { epochs: 1, batchSize: 4, optimizer });
  const before = held(optimizer, net);
  const error = await expectError(() => optimizer.restore(state), 'INVALID_OPTION', new RegExp(`^${spec.name}: restore: `));
  expect(held(optimizer, net)).toBe(before);
  return error.message;
}

/** Creates the optimiser `message` advises on `net` (a fresh one if none) and restores `state` into it: both must succeed. */
export async function takesIt(message: string, state: OptimizerState, net?: Network): Promise<void> {
  const options = advised(message);
  expect(options, message).toBeDefined();
  const optimizer = createOptimizer(net ?? (await createNetwork(configOf(String(options?.name)))), options as Spec);
  optimizer.restore(state);
  optimizer.dispose();
}
