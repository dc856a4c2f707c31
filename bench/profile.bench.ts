/**
 * Where a wasm-simd training step's time goes, to decide what fusing would earn: the step of
 * [784,100,100,10] (sigmoid, MSE, SGD) beside the same kernel calls the step makes, in groups:
 * the dense products (forward, ∂W, ∂input), the activation passes, the small passes (zeroing,
 * loss and output gradient, bias gradient, activation derivative) and the SGD update. Beside them,
 * what a public call adds to the step: the call itself, `net.train(x, y)` on the same rows as one
 * batch (what bench/jax.bench.ts times against jax-js), and the copy of those rows into the
 * network's buffers that the call makes first (batch upload); the call's share less the step's and
 * the upload's is its checks and JavaScript. Each group is a share of the whole step, measured side
 * by side in alternating rounds, at batches 1, 8, 64 and 256 (jax-js' largest).
 */
import { Bench } from 'tinybench';
import type { Activation, Kernels } from '../src/kernels.js';
import { Sgd } from '../src/optim/sgd.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { median, medianMs } from './median.js';
import { STEP_LEARNING_RATE, STEP_SIZES, stepOn } from './step.bench.js';
import { denseModelOf } from '../src/model.js';

export const PROFILE_BATCHES = [1, 8, 64, 256];
const GROUPS = ['step', 'dense products', 'activation passes', 'small passes', 'SGD update', 'batch upload', 'train() call'] as const;
const ROUNDS = 5;

export interface ProfileRow {
  batch: number;
  group: (typeof GROUPS)[number];
  medianMs: number;
  /** Median time over the whole step's (1 for the step). */
  share: number;
}

export async function runProfileBench(opts: { time?: number } = {}): Promise<ProfileRow[]> {
  const k: Kernels = await createWasmKernels({ variant: 'simd' });
  const rows: ProfileRow[] = [];
  for (const B of PROFILE_BATCHES) {
    const { net, step, data } = await stepOn(k, STEP_SIZES, B);
    const callOptions = { epochs: 1, batchSize: B, learningRate: STEP_LEARNING_RATE, shuffle: false };
    const s = net.sizes;
    const L = net.depth;
    const f = net.activationFunctions;
    const sgd = new Sgd(net);
    // The calls of Network.feedforward and Network.backprop, grouped (same order, same tensors).
    const groups: Record<(typeof GROUPS)[number], () => void> = {
      step,
      'dense products': () => {
        for (let l = 0; l < L; l++) k.denseForward(denseModelOf(net, 'test').zs[l], denseModelOf(net, 'test').activations[l], net.weights[l], net.biases[l], B, s[l], s[l + 1]);
        for (let l = L - 1; l >= 0; l--) {
          k.denseBackwardWeights(denseModelOf(net, 'test').nablaW[l], denseModelOf(net, 'test').deltas[l], denseModelOf(net, 'test').activations[l], B, s[l], s[l + 1]);
          if (l > 0) k.denseBackwardInput(denseModelOf(net, 'test').deltas[l - 1], denseModelOf(net, 'test').deltas[l], net.weights[l], B, s[l], s[l + 1]);
        }
      },
      'activation passes': () => {
        for (let l = 0; l < L; l++) k.activationForward(f[l], denseModelOf(net, 'test').activations[l + 1], denseModelOf(net, 'test').zs[l], B, s[l + 1]);
      },
      'small passes': () => {
        for (let l = 0; l < L; l++) {
          k.zero(denseModelOf(net, 'test').nablaW[l]);
          k.zero(denseModelOf(net, 'test').nablaB[l]);
          k.zero(denseModelOf(net, 'test').deltas[l], B * s[l + 1]);
        }
        k.lossBackward(net.loss, f[L - 1], denseModelOf(net, 'test').deltas[L - 1], denseModelOf(net, 'test').zs[L - 1], denseModelOf(net, 'test').activations[L], denseModelOf(net, 'test').targets!, B, s[L]);
        for (let l = L - 1; l >= 0; l--) {
          k.denseBackwardBias(denseModelOf(net, 'test').nablaB[l], denseModelOf(net, 'test').deltas[l], B, s[l + 1]);
          if (l > 0) k.activationBackward(f[l - 1] as Activation, denseModelOf(net, 'test').deltas[l - 1], denseModelOf(net, 'test').deltas[l - 1], denseModelOf(net, 'test').zs[l - 1], denseModelOf(net, 'test').activations[l], B, s[l]);
        }
      },
      'SGD update': () => sgd.step(denseModelOf(net, 'test'), STEP_LEARNING_RATE, B),
      'batch upload': () => {
        k.write(denseModelOf(net, 'test').input, data.x.data);
        k.write(denseModelOf(net, 'test').targets, data.y.data);
      },
      'train() call': () => void net.train(data.x, data.y, callOptions),
    };
    const times = new Map<string, number[]>(GROUPS.map((g) => [g, []]));
    const shares = new Map<string, number[]>(GROUPS.map((g) => [g, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({ time: (opts.time ?? 400) / ROUNDS / GROUPS.length, warmupTime: round === 0 ? 50 : 0 });
      for (const g of GROUPS) bench.add(g, groups[g]);
      await bench.run();
      const stepMs = medianMs(bench, 'step');
      for (const g of GROUPS) {
        times.get(g)!.push(medianMs(bench, g));
        shares.get(g)!.push(medianMs(bench, g) / stepMs);
      }
    }
    sgd.dispose();
    net.dispose();
    for (const g of GROUPS) rows.push({ batch: B, group: g, medianMs: median(times.get(g)!), share: median(shares.get(g)!) });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runProfileBench()) {
    console.log(`batch ${String(r.batch).padStart(3)}  ${r.group.padEnd(18)} ${(r.medianMs * 1000).toFixed(1).padStart(8)} µs  ${(100 * r.share).toFixed(1).padStart(5)} %`);
  }
}
