/**
 * What a training step paid when a network was given the exported (checked) kernels as its backend
 * and ran them, against what it pays now that src/backend.ts unwraps them (uncheckedKernels): one
 * train(dataset) epoch per round on each network, alternated round by round, on one wasm instance
 * (both networks in the same memory; the checked network first on even rounds, second on odd ones).
 * Medians and tenth percentiles of µs per step, the median of the rounds' differences, and how many
 * checked calls the checked network made a step: the check's own cost is those calls times the cost of
 * one checked call (bench/checked-call-cost.ts), not the difference of two loaded medians.
 *
 * Read on an AMD EPYC Zen 5 (family 26 model 2; 2026-12-04 04:36, load 11.2–11.4, nice -n 19, 21
 * rounds): [16,32,32,4] batch 16, 39.2 checked calls a step (≈ 2–12 µs at +55 to +308 ns a call),
 * medians 86.6 vs 54.8 µs (p10 38.4 vs 14.4); [784,100,10] batch 64, 27.4 calls a step (≈ 1.5–8 µs),
 * medians 1,204 vs 1,124 µs (p10 498 vs 743: the order is not even stable). The small step's gap
 * read larger than its calls × cost there, on a loaded host. On a quieter one (session 30,
 * 2026-12-04 14:26–14:35, load 2.2–5.2) it is the calls × cost: this bench read p10 19.5 vs 12.3 µs
 * (+7.2; checked-call-cost in the same minutes +85 to +184 ns a call), and the step on four
 * networks in one run (rotated rounds, µs/step p10) 12.8 checked vs 8.8 unwrapped, where an object
 * of the same wrappers without the check (rest parameters and an apply) read 9.5 and the checked
 * object made fast (%ToFastProperties: it is in dictionary mode, 90 members) 12.9: of the 4.0 µs
 * gap the wrapper is 0.7 (17.5 %) and the checks themselves, ~100 ns a call, 3.3 (82.5 %); the slow
 * properties cost nothing measurable (12.9 fast against 12.8).
 * One owner lookup per tensor instead of two (checked-kernels.ts faultOf) took axpy's checked
 * call from 71.5 to 58.9 ns p10 (main against this change, alternated, load 3.7).
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
import { quantile } from '../src/median.js';

const ROUNDS = Number(option('--rounds', '61'));
const tenth = (values: number[]) => quantile(values, 0.1);

/** Checked kernel calls per step of `epoch` on `exported`: its own function members, counted for one epoch, then put back. */
function checkedCallsPerStep(epoch: () => void, steps: number): number {
  const members = exported as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = Object.keys(members).filter((key) => typeof Object.getOwnPropertyDescriptor(members, key)?.value === 'function');
  let calls = 0;
  const originals = names.map((name) => [name, members[name]] as const);
  for (const [name, call] of originals) members[name] = (...args) => (calls++, call(...args));
  try {
    epoch();
  } finally {
    for (const [name, call] of originals) members[name] = call;
  }
  return calls / steps;
}

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
  const calls = checkedCallsPerStep(() => checkedNet.train(checkedSet, train), steps);
  for (let warm = 0; warm < 3; warm++) [usPerStep(checkedNet, checkedSet), usPerStep(plainNet, plainSet)];
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated: whichever runs second may find the caches warm or the host quieter.
    if (round % 2 === 0) {
      before.push(usPerStep(checkedNet, checkedSet));
      after.push(usPerStep(plainNet, plainSet));
    } else {
      after.push(usPerStep(plainNet, plainSet));
      before.push(usPerStep(checkedNet, checkedSet));
    }
  }
  const saved = median(before.map((us, i) => us - after[i]));
  console.log(`${name}: on the checked kernels ${median(before).toFixed(2)} µs/step (p10 ${tenth(before).toFixed(2)}), unwrapped ${median(after).toFixed(2)} µs/step (p10 ${tenth(after).toFixed(2)}); unwrapping saves ${saved.toFixed(2)} µs a step (median of ${ROUNDS} pairs, ${((saved / median(before)) * 100).toFixed(1)} %); the checked network made ${calls.toFixed(1)} checked calls a step: the check's cost is that × one call's (bench/checked-call-cost.ts)`);
  for (const disposable of [checkedSet, plainSet, checkedNet, plainNet]) disposable.dispose();
}
