/**
 * The training loop allocates nothing: over 10,000 steps the WASM memory does not grow and the JS
 * heap neither grows nor churns, on one thread and on two (∂W by batch rows, and by columns or beside ∂input), for a dense network and a block network. Measured in child processes
 * (steady-memory.run.ts, one per backend) started with --expose-gc and a 64 MiB young generation,
 * so every byte the loop allocates is still counted when it ends (no scavenge ran in between; the
 * run checks that too), and without V8's memory reducer, whose timer (8 s after start) otherwise
 * schedules a collection into a loop that a loaded machine has slowed past it.
 *
 * The children also optimise on the main thread (--no-concurrent-recompilation): the warm-up's
 * 2,000 steps make the loop's functions hot, and the measurement assumes their optimised code is
 * in place when it starts. Compiled on a background thread, that code arrives whenever the thread
 * gets a core: on a loaded machine after the measured loop has begun, which then runs unoptimised
 * code that boxes its doubles (456–1,857 bytes a step and a scavenge, reproduced with
 * --concurrent-recompilation-delay=200 or 1000; 16–17 bytes with this flag and that delay).
 * Optimised code is the same either way; only when it arrives no longer depends on the load.
 *
 * What a step allocates is judged by the median over ten windows of 1,000 steps, not by the total:
 * code that is reoptimised during the loop leaves a few KB in one or two windows, once. On two
 * threads a step's worker jobs are mostly run by the main thread itself (pool.ts, wait: it claims
 * the jobs a worker has not started); the first time a worker claims one in the measured loop, the
 * products whose inlined wait() had never spun deoptimise ('Insufficient type feedback', under
 * --trace-deopt) and are optimised again. Measured 2026-11-30 (2-core AMD EPYC, load 4–5): windows
 * of 16.13 bytes a step beside a first one of 16.8–23.1; the total 16.3–17.0 a step in runs without a
 * deoptimisation in the loop, 24.26 once under heavier load. A per-step allocation shows in every
 * window, and so in the median (one empty array a step: a median of 48.13).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./steady-memory.run.ts', import.meta.url));

/**
 * Heap bytes a step may allocate: the one double it returns (the loss), which V8 boxes in a
 * 16-byte HeapNumber when it comes back from a call it did not inline. A typed-array view per step
 * costs ~100 bytes more, a closure 32, an empty array 16: any of them fails this bound.
 */
const STEP_BYTES = 24;
/**
 * Retained heap growth allowed over a 10,000-step train() call: a view or a small array kept per
 * step would be over 1 MB. Below it is noise: 14–330 KB were seen between identical calls after a
 * full collection (code and type feedback V8 compiles at its own pace). The per-step allocation
 * bound above is the precise check; this one catches leaks.
 */
const TRAIN_HEAP_BYTES = 1024 * 1024;
/**
 * Heap bytes a one-batch train() call of a Dataset may allocate (steady-memory.run.ts part 3), per network
 * kind: the call's setup and result, its closures, one step. Its JavaScript runs after kernels that pushed
 * its code and data out of the caches, so what it touches costs time (issue #16's jax-js goal calls it at
 * batch 256). Measured 2026-12-03 (AMD EPYC Zen 4, Node 20, run with tsx): 2.7 KB dense and 6.3 KB block,
 * where a new row order (an ArrayBuffer outside the heap), RNG state, SGD buffer lists, result spreads and
 * closures per call made 5.1 and 9.3 KB. Not measured here, being outside the heap: the row order callScratch keeps per network, 4 bytes a row of its longest call (~240 KB after a 60,000-row call) until the network is collected.
 */
const CALL_BYTES = { dense: 4_000, block: 8_000 };

interface Measurements {
  backend: string;
  steps: number;
  faults: number;
  /** The median over the windows. */
  bytesPerStep: number;
  /** Bytes allocated per step in each window of 1,000 steps. */
  windows: number[];
  collections: number;
  pages: [number, number];
  splitProducts: number;
  pairedProducts: number;
  train?: { steps: number; finalLoss: number; pages: [number, number]; heapGrowth: number };
  /** One-batch train() calls: the median over the windows, and each window's bytes per call; absent when a scavenge ran among them. */
  bytesPerCall?: number;
  callWindows?: number[];
}

function measure(backend: 'wasm' | 'threads' | 'threads-pairs' | 'blocks'): () => Measurements {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--no-memory-reducer', '--no-concurrent-recompilation', '--min-semi-space-size=64', '--max-semi-space-size=64', '--import', 'tsx', SCRIPT, backend],
    { cwd: ROOT, encoding: 'utf8', timeout: 110_000 },
  );
  return () => {
    expect(run.status, `child (${backend}) failed: ${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measurements;
  };
}

function expectQuietLoop(m: Measurements): void {
  expect(m.faults).toBe(0);
  // A scavenge during the loop would hide allocations: the measurement is only valid without one.
  expect(m.collections, 'a garbage collection ran during the measured loop').toBe(0);
  expect(m.bytesPerStep, `JS heap bytes allocated per step (${m.backend}), the median of the windows ${m.windows.map((b) => b.toFixed(2)).join(', ')}`).toBeLessThan(STEP_BYTES);
  expect(m.pages[1], `WASM pages after 10,000 steps (${m.backend})`).toBe(m.pages[0]);
}

describe('steady memory over 10,000 training steps', () => {
  const one = measure('wasm');
  const two = measure('threads');
  const pairs = measure('threads-pairs');
  const blocks = measure('blocks');

  it('the step loop (copy, feedforward, backprop, check, SGD) allocates at most the returned loss', () => {
    expectQuietLoop(one());
  });

  it('the same loop on two threads at batch 128 allocates no more, with every product split, ∂W by batch rows', () => {
    const m = two();
    expectQuietLoop(m);
    // Each step one job per thread (the backend's dense step, src/dense-step.ts): its 3 forward products, 3 ∂W and the two
    // later layers' ∂input split by batch rows, none paired: the pool really ran, the partial sums added every step.
    expect(m.splitProducts).toBe(10_000 * 8);
    expect(m.pairedProducts).toBe(0);
  });

  it('the same loop on two threads at batch 32 allocates no more, with ∂W split by columns or run beside its ∂input', () => {
    const m = pairs();
    expectQuietLoop(m);
    // 3 forward products and the first layer's ∂W (by columns) split per step; the other two layers' ∂W on the worker beside
    // their ∂input on the main thread (denseBackwardWeightsAndInput, below the fold's 128 rows): the pool really ran.
    expect(m.splitProducts).toBe(10_000 * 4);
    expect(m.pairedProducts).toBe(10_000 * 2);
  });

  it('a block network (batch and layer norm, ReZero, an activation layer) allocates no more per step', () => {
    expectQuietLoop(blocks());
  });

  it.each([['dense', one], ['block', blocks]] as const)('train() of a %s network for 10,000 steps keeps WASM pages and the collected JS heap flat', (_kind, measured) => {
    const t = measured().train!;
    expect(t.steps).toBe(10_000);
    expect(Number.isFinite(t.finalLoss)).toBe(true);
    expect(t.pages[1], 'WASM pages after train()').toBe(t.pages[0]);
    expect(t.heapGrowth, 'JS heap retained by train()').toBeLessThan(TRAIN_HEAP_BYTES);
  });

  it.each([['dense', one], ['block', blocks]] as const)('a one-batch train() call of a %s network allocates no more than its setup needs', (kind, measured) => {
    const m = measured();
    expect(m.callWindows, 'a garbage collection ran among the measured calls').toBeDefined();
    expect(m.bytesPerCall, `JS heap bytes per call (${kind}), the median of the windows ${m.callWindows!.map((b) => b.toFixed(0)).join(', ')}`).toBeLessThan(CALL_BYTES[kind]);
  });
});
