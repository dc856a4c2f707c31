/**
 * A dense network's training step on two threads as one job per thread (src/dense-step.ts, the
 * threaded backend's DENSE_STEP): train() gives one thread's bits with it, for every hidden
 * activation, every output its losses take by rows and every loss, at batches 256, 200, 132 and 129
 * and a partial last batch, on train(dataset) and train(x, y) (a call of one batch in order runs its
 * first forward apart, for its input check: Engine.firstLayerFinite), traced or not; steps the backend does not take (batches under the fold's
 * 128 rows) and chains deeper than the bound on a job's calls (halfStepCalls, MAX_CALLS) run the split
 * step, a half the worker has not claimed runs on the main thread with the same bits, and a worker's
 * failure inside the job reaches the caller typed, the weights unchanged.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ACTIVATIONS, type Activation, type Loss, type OutputActivation } from '../../src/kernels.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { Rng } from '../../src/init/rng.js';
import { ARGS_AT, CONTROL, MAX_CALLS } from '../../src/wasm/threads/control.js';
import { halfStepCalls } from '../../src/wasm/threads/half-step.js';
import { ThreadPool } from '../../src/wasm/threads/pool.js';
import { createThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import { createWasmKernels, type WasmTensor } from '../../src/wasm/wasm-kernels.js';
import { expectError } from '../util/expect-error.js';

const one = await createWasmKernels({ variant: 'simd' });
// minFlops 0: the small networks here take the step as [784,100,100,10] does at the default.
const two = await createThreadedWasmKernels({ threads: 2, minFlops: 0 });
afterAll(() => two.close());

/** 721 rows: at batch 256 the last batch is 209 (the step's), at 200, 132 and 129 under the fold's 128 (the split step's). */
const ROWS = 721;
const SIZES = [23, 37, 18, 5];

interface Case {
  hidden: Activation;
  output: OutputActivation;
  loss: Loss;
}

function problem(output: OutputActivation) {
  const rng = new Rng(21);
  const x = Array.from({ length: ROWS }, () => Array.from({ length: SIZES[0] }, () => rng.normal()));
  const n = SIZES.at(-1)!;
  // One-hot rows for softmax (its targets sum to 1); values in [0, 1] for the others.
  const y = x.map((_, r) => Array.from({ length: n }, (_, c) => (output === 'softmax' ? (r % n === c ? 1 : 0) : rng.uniform())));
  return { x, y };
}

interface Run {
  losses: number[];
  parameters: number[][];
  halfStepJobs: number;
}

/** A network of the case on `backend`, trained as asked; its epoch losses, every parameter after, and the steps run as one job per thread. */
async function trained(c: Case, backend: typeof one | typeof two, batchSize: number, data: Data, traced: boolean): Promise<Run> {
  const net: Network = await createNetwork({ sizes: SIZES, activation: c.hidden, output: c.output, loss: c.loss, seed: 3, backend });
  const all = problem(c.output);
  const [x, y] = data === 'one batch' ? [all.x.slice(0, batchSize), all.y.slice(0, batchSize)] : [all.x, all.y];
  const before = backend === two ? two.halfStepJobs : 0;
  const options = { epochs: 2, batchSize, learningRate: 0.05, ...(traced ? { trace: { every: 1 } } : {}) };
  const set = data === 'dataset' ? net.dataset(x, y) : undefined;
  // One batch in order: two calls of one epoch (a call of more epochs is not read in place).
  const results = data === 'one batch' ? [0, 1].map(() => net.train(x, y, { ...options, epochs: 1, shuffle: false })) : [set ? net.train(set, options) : net.train(x, y, options)];
  set?.dispose();
  const run = {
    losses: results.flatMap((result) => result.epochs.map((e) => e.loss)),
    parameters: net.parameters().map((p) => Array.from(backend.view(p.value as WasmTensor))),
    halfStepJobs: backend === two ? two.halfStepJobs - before : 0,
  };
  net.dispose();
  return run;
}

/** A [12, 10 ×(depth − 1), 4] tanh network trained two epochs of 256 rows at batch 256 on `backend`, with a sigmoid output for MSE, softmax for cross-entropy. */
async function deepTrained(depth: number, loss: 'mse' | 'cross-entropy', backend: typeof one | typeof two): Promise<Run> {
  const sizes = [12, ...Array<number>(depth - 1).fill(10), 4];
  const rng = new Rng(2);
  const x = Array.from({ length: 256 }, () => Array.from({ length: 12 }, () => rng.normal()));
  const y = x.map((_, r) => [0, 1, 2, 3].map((c) => (loss === 'mse' ? rng.uniform() : r % 4 === c ? 1 : 0)));
  const net = await createNetwork({ sizes, activation: 'tanh', output: loss === 'mse' ? 'sigmoid' : 'softmax', loss, seed: 3, backend });
  const before = backend === two ? two.halfStepJobs : 0;
  const result = net.train(x, y, { epochs: 2, batchSize: 256, learningRate: 0.05 });
  const run = {
    losses: result.epochs.map((e) => e.loss),
    parameters: net.parameters().map((p) => Array.from(backend.view(p.value as WasmTensor))),
    halfStepJobs: backend === two ? two.halfStepJobs - before : 0,
  };
  net.dispose();
  return run;
}

/** The rows trained on: a data set, or x and y (all ROWS of them, or one batch of them in order: its rows read where they lie, its first forward run apart by the input check). */
type Data = 'dataset' | 'rows' | 'one batch';

/** The steps of two epochs at `batch` the backend takes (from the fold's 128 rows): not a call's step of one batch in order, whose forward runs apart, for the input check, untraced. */
function stepsTaken(batch: number, data: Data, traced: boolean): number {
  if (data === 'one batch') return traced ? 2 : 0;
  const sizes = Array.from({ length: Math.ceil(ROWS / batch) }, (_, i) => Math.min(batch, ROWS - i * batch));
  return 2 * sizes.filter((s) => s >= 128).length;
}

const CASES: Case[] = [
  ...ACTIVATIONS.map((hidden): Case => ({ hidden, output: 'sigmoid', loss: 'mse' })),
  ...ACTIVATIONS.map((hidden): Case => ({ hidden, output: hidden, loss: 'mse' })),
  { hidden: 'relu', output: 'sigmoid', loss: 'binary-cross-entropy' },
  { hidden: 'tanh', output: 'softmax', loss: 'cross-entropy' },
  { hidden: 'selu', output: 'softmax', loss: 'cross-entropy' },
];

describe('a dense training step on two threads as one job per thread', () => {
  it.each(CASES)('$hidden hidden, $output output, $loss: one thread\'s bits at batches 256, 200, 132, 129 (partial last batches), train(dataset)', async (c) => {
    for (const batch of [256, 200, 132, 129]) {
      const expected = await trained(c, one, batch, 'dataset', false);
      const got = await trained(c, two, batch, 'dataset', false);
      expect(got.halfStepJobs, `batch ${batch}: steps run as one job per thread`).toBe(stepsTaken(batch, 'dataset', false));
      expect(got.losses, `batch ${batch}: epoch losses`).toEqual(expected.losses);
      expect(got.parameters, `batch ${batch}: parameters`).toEqual(expected.parameters);
    }
  });

  it.each([
    { hidden: 'sigmoid', output: 'sigmoid', loss: 'mse' },
    { hidden: 'relu', output: 'softmax', loss: 'cross-entropy' },
    { hidden: 'tanh', output: 'sigmoid', loss: 'binary-cross-entropy' },
  ] as Case[])('$hidden hidden, $output output, $loss: one thread\'s bits on train(x, y) (one batch in order too) and traced, at 256 and 129', async (c) => {
    for (const batch of [256, 129]) {
      for (const [data, traced] of [['rows', false], ['rows', true], ['one batch', false], ['one batch', true], ['dataset', true]] as const) {
        const label = `batch ${batch}, train(${data === 'dataset' ? 'dataset' : 'x, y'})${data === 'one batch' ? ' of one batch in order' : ''}${traced ? ', traced' : ''}`;
        const expected = await trained(c, one, batch, data, traced);
        const got = await trained(c, two, batch, data, traced);
        expect(got.halfStepJobs, `${label}: steps run as one job per thread`).toBe(stepsTaken(batch, data, traced));
        expect(got.losses, `${label}: epoch losses`).toEqual(expected.losses);
        expect(got.parameters, `${label}: parameters`).toEqual(expected.parameters);
      }
    }
  });

  it('takes no step under the fold\'s 128 rows, nor on three threads: their split steps give one thread\'s bits', async () => {
    const c: Case = { hidden: 'sigmoid', output: 'sigmoid', loss: 'mse' };
    const expected = await trained(c, one, 100, 'dataset', false);
    const got = await trained(c, two, 100, 'dataset', false);
    expect(got.halfStepJobs).toBe(0);
    expect(got.parameters).toEqual(expected.parameters);
    const three = await createThreadedWasmKernels({ threads: 3, minFlops: 0 });
    try {
      const net = await createNetwork({ sizes: SIZES, output: 'sigmoid', loss: 'mse', seed: 3, backend: three });
      const { x, y } = problem('sigmoid');
      net.train(x, y, { epochs: 1, batchSize: 256 });
      expect(three.halfStepJobs).toBe(0);
      expect(three.splitProducts).toBeGreaterThan(0);
      net.dispose();
    } finally {
      await three.close();
    }
  });

  it("takes no step where ∂W's fold has no cut (its second part longer than one K block of 384 rows: from batch 773), as train()'s step at batch 1024: the split step, one thread's bits", async () => {
    const rng = new Rng(5);
    const batch = 800;
    const x = Array.from({ length: batch }, () => Array.from({ length: SIZES[0] }, () => rng.normal()));
    const y = x.map(() => Array.from({ length: SIZES.at(-1)! }, () => rng.uniform()));
    const parameters: number[][][] = [];
    for (const backend of [one, two]) {
      const net = await createNetwork({ sizes: SIZES, output: 'sigmoid', loss: 'mse', seed: 3, backend });
      const jobs = two.halfStepJobs;
      const split = two.splitProducts;
      net.train(x, y, { epochs: 2, batchSize: batch, learningRate: 0.05 });
      if (backend === two) {
        expect(two.halfStepJobs, 'one job per thread').toBe(jobs);
        expect(two.splitProducts, 'the split step ran').toBeGreaterThan(split);
      }
      parameters.push(net.parameters().map((p) => Array.from(backend.view(p.value as WasmTensor))));
      net.dispose();
    }
    expect(parameters[1]).toEqual(parameters[0]);
  });

  it('at the deepest chain the bound admits (MAX_CALLS, by the main thread\'s calls) and at one weight layer, one thread\'s bits as one job per thread; one layer deeper, the split step\'s, same bits', async () => {
    let deepest = 1;
    while (halfStepCalls(deepest + 1) <= MAX_CALLS) deepest++;
    expect(deepest, 'the depth docs/benchmarks.md names ("at most nine weight layers")').toBe(9);
    for (const loss of ['mse', 'cross-entropy'] as const) {
      for (const [depth, jobs] of [[deepest, 2], [deepest + 1, 0], [1, 2]] as const) {
        const label = `${depth} weight layers, ${loss}`;
        const expected = await deepTrained(depth, loss, one);
        const splitBefore = two.splitProducts;
        const got = await deepTrained(depth, loss, two);
        expect(got.halfStepJobs, `${label}: steps run as one job per thread`).toBe(jobs);
        if (jobs === 0) expect(two.splitProducts, `${label}: the split step ran`).toBeGreaterThan(splitBefore);
        expect(got.losses, `${label}: epoch losses`).toEqual(expected.losses);
        expect(got.parameters, `${label}: parameters`).toEqual(expected.parameters);
      }
    }
  });

  it('a worker that has not claimed its half when the main thread\'s is done: the main thread runs it, one thread\'s bits', async () => {
    const c: Case = { hidden: 'tanh', output: 'sigmoid', loss: 'mse' };
    const expected = await trained(c, one, 256, 'dataset', false);
    let unseen = 0;
    // A half step's job (more calls than any split's) is set but the worker is never told: it stays unclaimed until ThreadPool.wait runs it here.
    const post = ThreadPool.prototype.post;
    const posted = vi.spyOn(ThreadPool.prototype, 'post').mockImplementation(function (this: ThreadPool, w: number, calls: number) {
      if (calls <= 2) return post.call(this, w, calls);
      const lane = (this as unknown as { lanes: { ctrl: Int32Array; job: number }[] }).lanes[w];
      Atomics.store(lane.ctrl, CONTROL.calls, calls);
      lane.job = (lane.job + 1) | 0;
      unseen++;
    });
    let got: Run;
    try {
      got = await trained(c, two, 256, 'dataset', false);
    } finally {
      posted.mockRestore();
    }
    expect(unseen, 'half steps the worker never saw').toBe(stepsTaken(256, 'dataset', false));
    expect(got.halfStepJobs).toBe(unseen);
    expect(got.losses).toEqual(expected.losses);
    expect(got.parameters).toEqual(expected.parameters);
  });

  it('a layer of 2¹⁵ weights or more: the worker adds its half of the layer\'s ∂W part beside the main thread\'s loss and biases, one thread\'s bits, claimed by the worker or run by the main thread', async () => {
    // [200, 170, 8]: the first layer's 34,000 weights reach threaded-kernels.ts' MIN_SPLIT_UPDATE (2¹⁵), the second's 1,360 do not; Adam, whose updates post no axpy.
    const rng = new Rng(5);
    const x = Array.from({ length: 300 }, () => Array.from({ length: 200 }, () => rng.normal()));
    const y = x.map(() => Array.from({ length: 8 }, () => rng.uniform()));
    const parametersAfter = async (backend: typeof one | typeof two) => {
      const net = await createNetwork({ sizes: [200, 170, 8], output: 'sigmoid', loss: 'mse', seed: 3, backend });
      const set = net.dataset(x, y);
      const losses = net.train(set, { epochs: 2, batchSize: 256, optimizer: 'adam', learningRate: 0.01 }).epochs.map((e) => e.loss);
      const parameters = net.parameters().map((p) => Array.from(backend.view(p.value as WasmTensor)));
      set.dispose();
      net.dispose();
      return { losses, parameters };
    };
    const expected = await parametersAfter(one);
    for (const claimed of [true, false]) {
      let adds = 0;
      const post = ThreadPool.prototype.post;
      const posted = vi.spyOn(ThreadPool.prototype, 'post').mockImplementation(function (this: ThreadPool, w: number, calls: number) {
        const pool = this as unknown as { names: readonly string[]; lanes: { ctrl: Int32Array; job: number }[] };
        const lane = pool.lanes[w];
        if (pool.names[lane.ctrl[CONTROL.fn]] === 'f32_axpy__simd') adds++;
        if (claimed) return post.call(this, w, calls);
        // Every job set but never told to the worker: ThreadPool.wait runs it on the main thread.
        Atomics.store(lane.ctrl, CONTROL.calls, calls);
        lane.job = (lane.job + 1) | 0;
      });
      const jobsBefore = two.halfStepJobs;
      let got: Awaited<ReturnType<typeof parametersAfter>>;
      try {
        got = await parametersAfter(two);
      } finally {
        posted.mockRestore();
      }
      const label = claimed ? 'claimed by the worker' : 'run by the main thread';
      // Two epochs of 300 rows: a step of 256 each (the last batch of 44 is the split step's, under the fold's 128).
      expect(two.halfStepJobs - jobsBefore, `${label}: steps run as one job per thread`).toBe(2);
      expect(adds, `${label}: the worker's halves of the first layer's ∂W part added, one job a step`).toBe(2);
      expect(got.losses, `${label}: epoch losses`).toEqual(expected.losses);
      expect(got.parameters, `${label}: parameters`).toEqual(expected.parameters);
    }
  });

  it('a worker that fails inside its half of the step: train() throws WASM_UNAVAILABLE, the weights unchanged', async () => {
    const net = await createNetwork({ sizes: SIZES, output: 'sigmoid', loss: 'mse', seed: 3, backend: two });
    const { x, y } = problem('sigmoid');
    const set = net.dataset(x, y);
    net.train(set, { epochs: 1, batchSize: 256 });
    const before = net.parameters().map((p) => Array.from(two.view(p.value as WasmTensor)));
    const jobsBefore = two.halfStepJobs;
    const post = ThreadPool.prototype.post;
    // A half step's job (more calls than any split's): its first call's output pointer moved past the memory's end, so the kernel traps wherever it runs.
    const posted = vi.spyOn(ThreadPool.prototype, 'post').mockImplementation(function (this: ThreadPool, w: number, calls: number) {
      if (calls > 2) (this as unknown as { lanes: { args: Float64Array }[] }).lanes[w].args[ARGS_AT] = 2 ** 32 - 64;
      post.call(this, w, calls);
    });
    try {
      await expectError(() => net.train(set, { epochs: 1, batchSize: 256 }), 'WASM_UNAVAILABLE', /threads: worker 0/);
    } finally {
      posted.mockRestore();
    }
    expect(two.halfStepJobs).toBe(jobsBefore);
    expect(net.parameters().map((p) => Array.from(two.view(p.value as WasmTensor)))).toEqual(before);
    // The pool still works: the next call steps as one job per thread again.
    net.train(set, { epochs: 1, batchSize: 256 });
    expect(two.halfStepJobs).toBeGreaterThan(jobsBefore);
    set.dispose();
    net.dispose();
  });
});
