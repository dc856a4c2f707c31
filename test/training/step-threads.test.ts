/**
 * TrainResult.threads and threadsNote (researcher53 F7): the threads train()'s steps ran on, read from the threaded kernels'
 * counters of split work, and why one where the network was given two. Validation rows, evaluated at their own size,
 * are not counted: at batch 32 their 600-row forward splits while no step does.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { StepThreadsCount } from '../../src/training/step-threads.js';
import type { ThreadedWasmKernels } from '../../src/wasm/threads/threaded-kernels.js';
import type { Kernels } from '../../src/kernels.js';
import { threadsLines } from '../../src/cli/threads-note.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { codeQuoteOn } from '../util/page-quotes.js';

// The digits' shape, whose products split at batch 256 (each above 2²¹ flops there).
const SIZES = [784, 100, 100, 10];

function problem(rows: number, sizes: readonly number[]) {
  const rng = new Rng(5);
  const classes = sizes[sizes.length - 1];
  const x = Array.from({ length: rows }, () => Array.from({ length: sizes[0] }, () => rng.normal()));
  const y = x.map((_, i) => Array.from({ length: classes }, (_, k) => (k === i % classes ? 1 : 0)));
  return { x, y };
}

async function trained(sizes: readonly number[], threads: number, batchSize: number) {
  const { x, y } = problem(600, sizes);
  const net = await createNetwork({ sizes: [...sizes], seed: 3, threads });
  try {
    const before = (net.kernels as Partial<ThreadedWasmKernels>).splitProducts ?? 0;
    const result = net.train(x, y, { epochs: 1, batchSize, validation: { x, y } });
    const split = ((net.kernels as Partial<ThreadedWasmKernels>).splitProducts ?? 0) - before;
    return { result, split };
  } finally {
    net.dispose();
  }
}

describe('TrainResult.threads', () => {
  it('is 1 at batch 32 on two threads, saying that batches of 32 rows are too small to split; the validation rows split all the same', async () => {
    const { result, split } = await trained(SIZES, 2, 32);
    expect(result.threads).toBe(1);
    expect(result.threadsNote).toBe('batches of 32 rows are too small to split (a step is split across 2 threads only where each gets at least 20 of its rows: batches of 40 or more)');
    expect(result.threadsNote).toContain(codeQuoteOn('docs/api.md', 'batches of 32 rows'));
    expect(split, "the epoch's validation forward of 600 rows split (so it was left out of the count)").toBeGreaterThan(0);
  });

  it('is 2 at batch 256 on two threads, without a note, and 1 without a note on one thread', async () => {
    const two = await trained(SIZES, 2, 256);
    expect(two.result.threads).toBe(2);
    expect(two.result).not.toHaveProperty('threadsNote');
    const one = await trained(SIZES, 1, 256);
    expect(one.result.threads).toBe(1);
    expect(one.result).not.toHaveProperty('threadsNote');
    expect(two.result.epochs[0].loss).toBeCloseTo(one.result.epochs[0].loss, 5);
  });

  it('says when no product is large enough, at a batch large enough', async () => {
    const { result } = await trained([3, 4, 2], 2, 256);
    expect(result.threads).toBe(1);
    expect(result.threadsNote).toBe('no product of these layers at batches of 256 rows is large enough to be worth splitting across 2 threads');
  });

  it("gives threadsFallback's reason where threads could not run, and nothing where one thread was asked for", () => {
    const counters = { splitProducts: 0, splitCopies: 0, splitPasses: 0, pairedProducts: 0, halfStepJobs: 0, minRowsPerThread: 20, threads: 1 };
    const fell = new StepThreadsCount({ ...counters, threadsFallback: 'this page is not cross-origin isolated' } as unknown as Kernels);
    expect(fell.result(256)).toEqual({ threads: 1, threadsNote: 'this page is not cross-origin isolated' });
    const asked = new StepThreadsCount({ ...counters, threadsFallback: 'one thread was asked for' } as unknown as Kernels);
    expect(asked.result(256)).toEqual({ threads: 1 });
  });

  it('counts no split work done between pause() and resume()', () => {
    const k = { splitProducts: 0, splitCopies: 0, splitPasses: 0, pairedProducts: 0, halfStepJobs: 0, minRowsPerThread: 20, threads: 2, threadsFallback: null };
    const count = new StepThreadsCount(k as unknown as Kernels);
    count.pause();
    k.splitProducts += 3;
    count.resume();
    expect(count.result(32).threads).toBe(1);
    k.halfStepJobs++;
    expect(count.result(256)).toEqual({ threads: 2 });
  });
});

describe('the CLI line', () => {
  it('is said where --threads asked for more than the steps ran on, and only then', () => {
    const note = 'batches of 32 rows are too small to split (…)';
    expect(threadsLines(2, { threads: 1, threadsNote: note })).toEqual([`--threads 2: every step ran on one thread, as with --threads 1: ${note}.`]);
    expect(threadsLines(2, { threads: 2 })).toEqual([]);
    expect(threadsLines(1, { threads: 1 })).toEqual([]);
  });

  it('is printed once by gradscope train --threads 2 at its default batch of 32, and not at --batch-size 64', async () => {
    const said = 'every step ran on one thread, as with --threads 1: batches of 32 rows are too small to split';
    const small = await runCliInProcess(['train', '--train', '256', '--test', '64', '--layers', '784,100,10', '--epochs', '1', '--threads', '2']);
    expect(small.code, small.stderr).toBe(0);
    expect(flat(small.stdout).split(said).length - 1).toBe(1);
    const large = await runCliInProcess(['train', '--train', '256', '--test', '64', '--layers', '784,100,10', '--epochs', '1', '--threads', '2', '--batch-size', '64']);
    expect(large.code, large.stderr).toBe(0);
    expect(flat(large.stdout)).not.toContain('every step ran on one thread');
  });
});
