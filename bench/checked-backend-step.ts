/**
 * What a training step paid when a network was given the exported (checked) kernels as its backend
 * and ran them, against what it pays now that src/backend.ts unwraps them (uncheckedKernels): one
 * train(dataset) epoch per round on each network, alternated round by round, on one wasm instance
 * (both networks in the same memory). Medians and tenth percentiles of µs per step, and the median
 * of the rounds' differences.
 *
 *   npx tsx bench/checked-backend-step.ts [--rounds 61]
 */
import { Network, createNetwork } from '../src/api/network.js';
import { Rng } from '../src/init/rng.js';
import * as entry from '../src/index.js';
import { resolveNetwork } from '../src/network/config.js';
import type { NetworkOptions } from '../src/network/config.js';
import { option } from './ab-args.js';
import { median } from './median.js';

const ROUNDS = Number(option('--rounds', '61'));
const tenth = (values: number[]) => [...values].sort((p, q) => p - q)[Math.floor(values.length / 10)];

const cases: { name: string; options: NetworkOptions; batch: number; steps: number }[] = [
  { name: '[16,32,32,4] batch 16', options: { sizes: [16, 32, 32, 4], activation: 'sigmoid', seed: 1 }, batch: 16, steps: 200 },
  { name: '[784,100,10] batch 64', options: { sizes: [784, 100, 10], activation: 'sigmoid', seed: 1 }, batch: 64, steps: 20 },
];

const exported = await entry.createWasmKernels();
for (const { name, options, batch, steps } of cases) {
  const rng = new Rng(2);
  const [inputs, outputs] = [options.sizes![0], options.sizes![options.sizes!.length - 1]];
  const x = Array.from({ length: batch * steps }, () => Float32Array.from({ length: inputs }, () => rng.uniform()));
  const y = Array.from({ length: batch * steps }, (_, r) => Float32Array.from({ length: outputs }, (_, j) => (j === r % outputs ? 1 : 0)));
  // Before: the network's engine ran the checked kernels themselves.
  const checkedNet = new Network(exported, resolveNetwork(options).config);
  // Now: createNetwork unwraps them.
  const plainNet = await createNetwork({ ...options, backend: exported });
  const train = { epochs: 1, batchSize: batch, learningRate: 0.1, shuffle: false };
  const [checkedSet, plainSet] = [checkedNet.dataset(x, y), plainNet.dataset(x, y)];
  const usPerStep = (net: Network, set: ReturnType<Network["dataset"]>) => {
    const start = process.hrtime.bigint();
    net.train(set, train);
    return Number(process.hrtime.bigint() - start) / 1000 / steps;
  };
  for (let warm = 0; warm < 3; warm++) [usPerStep(checkedNet, checkedSet), usPerStep(plainNet, plainSet)];
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    before.push(usPerStep(checkedNet, checkedSet));
    after.push(usPerStep(plainNet, plainSet));
  }
  const saved = median(before.map((us, i) => us - after[i]));
  console.log(`${name}: on the checked kernels ${median(before).toFixed(2)} µs/step (p10 ${tenth(before).toFixed(2)}), unwrapped ${median(after).toFixed(2)} µs/step (p10 ${tenth(after).toFixed(2)}); unwrapping saves ${saved.toFixed(2)} µs a step (median of ${ROUNDS} pairs, ${((saved / median(before)) * 100).toFixed(1)} %)`);
  for (const disposable of [checkedSet, plainSet, checkedNet, plainNet]) disposable.dispose();
}
