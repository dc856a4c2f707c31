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
 *
 * The call's JavaScript alone ('train() call: JavaScript', JS_GROUP) is measured on a second network
 * whose backend times every kernel call (timedKernels): a call's time less the time inside its
 * kernel calls, less what the timing itself added (its cost per kernel call, measured on a no-op in
 * the same round, times the calls); the median call of each round, the median of the rounds. That
 * is what docs/benchmarks.md's "µs of JavaScript per call" quotes. It grows with the batch though the call runs
 * no JavaScript per row (the rows are copied and checked in the core); its control,
 * 'train() call: JavaScript after a long kernel' (JS_AFTER_CORE_GROUP, at batch 1), times batch 1's
 * calls each right after as long in the core as the largest batch's call spends there (its
 * step's flops in the peak loop, which touches no memory): the same JavaScript, after the time
 * away from it that a large batch's kernels take.
 */
import { Bench } from 'tinybench';
import type { Activation, Kernels } from '../src/kernels.js';
import { Sgd } from '../src/optim/sgd.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { median, medianMs } from './median.js';
import { peakLoop } from './peak-loop.js';
import { STEP_LEARNING_RATE, STEP_SIZES, stepFlops, stepOn } from './step.bench.js';
import { denseModelOf } from '../src/model.js';

export const PROFILE_BATCHES = [1, 8, 64, 256];
const GROUPS = ['step', 'dense products', 'activation passes', 'small passes', 'SGD update', 'batch upload', 'train() call'] as const;
/** Alternating rounds of the groups (and of JS_GROUP's calls). */
export const PROFILE_ROUNDS = 5;
/** The derived row: a train() call's time outside the core (its JavaScript), in the same rounds. */
export const JS_GROUP = 'train() call: JavaScript' as const;
/** The control of JS_GROUP (see the file's comment), a row at batch 1 only. */
export const JS_AFTER_CORE_GROUP = 'train() call: JavaScript after a long kernel' as const;
/** train() calls per round of JS_GROUP's timing at batch `batch` (one batch each, as the 'train() call' group's): ~2,000 rows, at least 20 calls. */
const jsCalls = (batch: number) => Math.max(20, Math.round(2048 / batch));
/** Calls per round of JS_AFTER_CORE_GROUP's timing: as many as the largest batch's JS_GROUP times (each follows a long kernel). */
const AFTER_CORE_CALLS = jsCalls(Math.max(...PROFILE_BATCHES));

/**
 * `k` with every method call timed: `inside` sums the milliseconds spent in them, `calls` counts
 * them. A method calling another on its own backend is one call (it runs on the target, not the
 * proxy), so nothing is counted twice.
 */
export function timedKernels(k: Kernels): { kernels: Kernels; inside: number; calls: number } {
  const timed = { kernels: k, inside: 0, calls: 0 };
  timed.kernels = new Proxy(k, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          timed.inside += performance.now() - t0;
          timed.calls++;
        }
      };
    },
  });
  return timed;
}

/**
 * Milliseconds outside the kernels of the median of `calls` runs of `run` on `timed`'s network, each
 * run's time less its time inside kernel calls and the timing's own cost per kernel call
 * (`wrapperMs`, the time outside a timed no-op). The median run, so that a preempted run does not count.
 * `before` runs before each run, untimed.
 */
export function outsideKernelsMs(timed: { inside: number; calls: number }, run: () => void, calls: number, wrapperMs: number, before?: () => void): number {
  const outside: number[] = [];
  for (let i = 0; i < calls; i++) {
    before?.(); // untimed, e.g. a long kernel call (JS_AFTER_CORE_GROUP)
    const [inside0, calls0] = [timed.inside, timed.calls];
    const t0 = performance.now();
    run();
    const total = performance.now() - t0;
    outside.push(total - (timed.inside - inside0) - (timed.calls - calls0) * wrapperMs);
  }
  return median(outside);
}

/**
 * The time a timed kernel call adds outside the kernel itself, per call (ms): a no-op's, fetched
 * through the proxy at each call as the network fetches its kernels' methods; the median of
 * batches of calls, so that a preempted batch does not count.
 */
function wrapperCostMs(): number {
  const probe = timedKernels({ noop: () => undefined } as unknown as Kernels);
  const k = probe.kernels as unknown as { noop: () => void };
  const [batches, calls] = [21, 2000];
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    const inside0 = probe.inside;
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) k.noop();
    perCall.push((performance.now() - t0 - (probe.inside - inside0)) / calls);
  }
  return median(perCall);
}

export interface ProfileRow {
  batch: number;
  group: (typeof GROUPS)[number] | typeof JS_GROUP | typeof JS_AFTER_CORE_GROUP;
  medianMs: number;
  /** Median time over the whole step's (1 for the step). */
  share: number;
}

export async function runProfileBench(opts: { time?: number } = {}): Promise<ProfileRow[]> {
  const wasm = await createWasmKernels({ variant: 'simd' });
  const k: Kernels = wasm;
  const rows: ProfileRow[] = [];
  // JS_AFTER_CORE_GROUP's long kernel: the largest batch's step flops in the peak loop (registers only).
  const peak = peakLoop(wasm);
  const longKernel = peak.call(peak.tripsFor(stepFlops(STEP_SIZES, Math.max(...PROFILE_BATCHES))));
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
    const derived = B === 1 ? ([JS_GROUP, JS_AFTER_CORE_GROUP] as const) : ([JS_GROUP] as const);
    const times = new Map<string, number[]>([...GROUPS, ...derived].map((g) => [g, []]));
    const shares = new Map<string, number[]>([...GROUPS, ...derived].map((g) => [g, []]));
    const timed = timedKernels(k);
    const jsNet = (await stepOn(timed.kernels, STEP_SIZES, B)).net;
    const jsCall = () => void jsNet.train(data.x, data.y, callOptions);
    for (let i = 0; i < 20; i++) jsCall(); // warm the engine up on this network's calls
    for (let round = 0; round < PROFILE_ROUNDS; round++) {
      const bench = new Bench({ time: (opts.time ?? 400) / PROFILE_ROUNDS / GROUPS.length, warmupTime: round === 0 ? 50 : 0 });
      for (const g of GROUPS) bench.add(g, groups[g]);
      await bench.run();
      const stepMs = medianMs(bench, 'step');
      for (const g of GROUPS) {
        times.get(g)!.push(medianMs(bench, g));
        shares.get(g)!.push(medianMs(bench, g) / stepMs);
      }
      const wrapperMs = wrapperCostMs();
      const jsMs = outsideKernelsMs(timed, jsCall, jsCalls(B), wrapperMs);
      times.get(JS_GROUP)!.push(jsMs);
      shares.get(JS_GROUP)!.push(jsMs / stepMs);
      if (B !== 1) continue;
      const afterCoreMs = outsideKernelsMs(timed, jsCall, AFTER_CORE_CALLS, wrapperMs, longKernel);
      times.get(JS_AFTER_CORE_GROUP)!.push(afterCoreMs);
      shares.get(JS_AFTER_CORE_GROUP)!.push(afterCoreMs / stepMs);
    }
    sgd.dispose();
    net.dispose();
    jsNet.dispose();
    for (const g of [...GROUPS, ...derived]) rows.push({ batch: B, group: g, medianMs: median(times.get(g)!), share: median(shares.get(g)!) });
  }
  peak.free();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runProfileBench()) {
    console.log(`batch ${String(r.batch).padStart(3)}  ${r.group.padEnd(18)} ${(r.medianMs * 1000).toFixed(1).padStart(8)} µs  ${(100 * r.share).toFixed(1).padStart(5)} %`);
  }
}
