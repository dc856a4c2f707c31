/**
 * One training step (feedforward, backprop, SGD update) of [784,100,100,10] sigmoid with MSE at
 * batch 64, on each backend: samples per second, measured side by side in one run.
 */
import { Bench } from 'tinybench';
import { Rng } from '../src/init/rng.js';
import type { Kernels } from '../src/kernels.js';
import { createNetwork, type Network } from '../src/api/network.js';
import { Sgd } from '../src/optim/sgd.js';
import { createRefKernels } from '../src/ref/ref-kernels.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { medianMs } from './median.js';
import { denseModelOf } from '../src/model.js';
import { toMatrix, type Matrix } from '../src/data/matrix.js';

export const STEP_SIZES = [784, 100, 100, 10];
export const STEP_BATCH = 64;
/** The step's SGD learning rate. */
export const STEP_LEARNING_RATE = 0.01;

/**
 * Floating-point operations of one step: per layer the forward product and ∂W, 2·in·out·batch
 * each, and ∂input for every layer but the first (backprop never computes ∂C/∂x of the inputs).
 * [784,100,100,10] at batch 64: 24.3 MFLOP. Elementwise work and the update are not counted.
 */
export function stepFlops(sizes: readonly number[], batch: number): number {
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) flops += (l === 0 ? 2 : 3) * 2 * sizes[l] * sizes[l + 1] * batch;
  return flops;
}

export interface StepRow {
  name: string;
  medianMs: number;
  samplesPerSecond: number;
}

/** A step's three phases, in order (bench/step-phases.ts times them apart). */
export interface StepPhases {
  forward(): void;
  backward(): void;
  update(): void;
}

/**
 * A network with one batch loaded (`data`, the same rows as a caller's) and two ways to run one
 * training step on it: `step`, its `phases` one after the other (feedforward, then backprop: on two
 * threads the split step, each product and pass handed off apart), and `trainStep`, as train() runs
 * it (forward(batch, 'train'), then backprop: on a backend with a dense step, src/dense-step.ts, one
 * call, on two threads one job per thread), each then the update. On one thread both run the same kernels.
 */
export async function stepOn(kernels: Kernels, sizes = STEP_SIZES, batch = STEP_BATCH): Promise<{ net: Network; step: () => void; trainStep: () => void; phases: StepPhases; data: { x: Matrix; y: Matrix } }> {
  const net = await createNetwork({ sizes, activation: 'sigmoid', output: 'sigmoid', loss: 'mse', seed: 1, backend: kernels });
  const rng = new Rng(2);
  const x = Array.from({ length: batch }, () => Array.from({ length: sizes[0] }, () => rng.uniform()));
  const y = Array.from({ length: batch }, () => Array.from({ length: sizes[sizes.length - 1] }, () => rng.uniform()));
  const data = { x: toMatrix(x, net.inputSize, 'inputs'), y: toMatrix(y, net.outputSize, 'targets') };
  denseModelOf(net, 'test').ensureCapacity(batch);
  kernels.write(denseModelOf(net, 'test').activations[0], data.x.data);
  kernels.write(denseModelOf(net, 'test').targets!, data.y.data);
  const sgd = new Sgd(net);
  const phases = {
    forward: () => denseModelOf(net, 'test').feedforward(batch),
    backward: () => void denseModelOf(net, 'test').backprop(batch),
    update: () => sgd.step(denseModelOf(net, 'test'), STEP_LEARNING_RATE, batch),
  };
  return {
    net,
    data,
    phases,
    step: () => {
      phases.forward();
      phases.backward();
      phases.update();
    },
    trainStep: () => {
      denseModelOf(net, 'test').forward(batch, 'train');
      phases.backward();
      phases.update();
    },
  };
}

export async function runStepBench(opts: { time?: number } = {}): Promise<StepRow[]> {
  const backends: Kernels[] = [
    createRefKernels({ precision: 'f32' }),
    await createWasmKernels({ variant: 'scalar' }),
    await createWasmKernels({ variant: 'simd' }),
  ];
  const bench = new Bench({ time: opts.time ?? 1000 });
  for (const kernels of backends) {
    const { step } = await stepOn(kernels);
    bench.add(`step ${kernels.name}`, step);
  }
  await bench.run();
  return backends.map((kernels) => {
    const ms = medianMs(bench, `step ${kernels.name}`);
    return { name: `step ${kernels.name}`, medianMs: ms, samplesPerSecond: (STEP_BATCH * 1000) / ms };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await runStepBench()) {
    console.log(`${row.name.padEnd(24)} ${row.medianMs.toFixed(3)} ms  ${Math.round(row.samplesPerSecond)} samples/s`);
  }
}
