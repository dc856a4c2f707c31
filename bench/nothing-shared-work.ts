/**
 * The halves of a nothing-shared pair (bench/nothing-shared.ts), built alike on the main thread and
 * in its worker, each on its own thread's kernels: the inner step of half a batch (bench/step.bench.ts'
 * step on a one-thread wasm-simd network, the batch resident), or train() of one epoch over one half
 * of the digits at half the batch size, on a network made as threads.bench.ts' one-thread train()
 * row makes its own (`threads: 1`): the same number of steps as that row's epoch, each on half the
 * rows, on a dataset uploaded once ('dataset') or on the rows uploaded by each call ('rows', train(x, y)),
 * or a side of an exchanged pair (bench/exchanged-half.ts: the step's half plus the least exchange).
 */
import { createNetwork } from '../src/api/network.js';
import { loadMnist } from '../src/data/mnist.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { stepOn } from './step.bench.js';
import { makeExchangeHalf, type ExchangeWork } from './exchanged-half.js';

/** What one half does per hand-off; `batch` is the half's (half the whole work's). Posted to the worker (plain data, and an exchanged pair's shared memories). */
export type HalfWork =
  | { kind: 'step'; sizes: number[]; batch: number }
  | { kind: 'train'; data: 'dataset' | 'rows'; sizes: number[]; rows: number; batch: number; learningRate: number; half: 0 | 1 }
  | ExchangeWork;

export interface Half {
  run(): void;
  dispose(): void;
}

export async function makeHalf(work: HalfWork): Promise<Half> {
  if (work.kind === 'exchange') return makeExchangeHalf(work);
  if (work.kind === 'step') {
    const { net, step } = await stepOn(await createWasmKernels({ variant: 'simd' }), work.sizes, work.batch);
    return { run: step, dispose: () => net.dispose() };
  }
  const { train } = await loadMnist({ train: work.rows, test: 0 });
  const rows = Math.floor(work.rows / 2);
  const part = ({ data, cols }: { data: Float32Array; cols: number }) => ({ data: data.slice(work.half * rows * cols, (work.half + 1) * rows * cols), rows, cols });
  const [x, y] = [part(train.x), part(train.y)];
  const net = await createNetwork({ sizes: work.sizes, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, threads: 1 });
  const options = { epochs: 1, batchSize: work.batch, learningRate: work.learningRate };
  if (work.data === 'rows') return { run: () => void net.train(x, y, options), dispose: () => net.dispose() };
  const dataset = net.dataset(x, y);
  return {
    run: () => void net.train(dataset, options),
    dispose: () => {
      dataset.dispose();
      net.dispose();
    },
  };
}
