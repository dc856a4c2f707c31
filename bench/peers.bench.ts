/**
 * gradscope against other JavaScript trainers, side by side in one run, on the same network:
 * [784,100,100,10], sigmoid everywhere, mean squared error, plain SGD.
 *
 * - tfjs-wasm `trainOnBatch`: the Layers API, what a tfjs user writes (its promise is awaited, so
 *   the loss it reads back is part of the step, as gradscope's step returns its loss too).
 * - tfjs-wasm raw ops: `optimizer.minimize` over a hand-written forward pass (no Layers overhead),
 *   the fastest way tfjs trains this network.
 * - tfjs-cpu `trainOnBatch`: the same model on tfjs' plain-JavaScript backend.
 * - brain.js 1.6 `NeuralNetwork.train`: brain.js trains sample by sample (one update per sample),
 *   so one "step" is one epoch over the 64 samples; its per-sample throughput is what compares.
 *
 * Every row reports samples per second; `ratio` is gradscope wasm-simd's samples/s at the same
 * batch over the row's, measured in the same interleaved rounds. The goals (issue #5) are in
 * bench/goals.ts (PEER_GOALS).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../src/init/rng.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { interleaved, median, type RoundTask } from './median.js';
import { roundRatios, spreadOf, spreadText } from './spread.js';
import { times } from './report.js';
import { stepOn } from './step.bench.js';

export const PEER_SIZES = [784, 100, 100, 10];
export const PEER_BATCHES = [1, 8, 64];
/**
 * Interleaved rounds per group of rows. A row gets four calls a round and one to warm (brain.js and
 * tfjs-cpu, ~60 and ~30 ms a call, two), where one timing of each took tinybench's 64 calls and 16
 * to warm: the suite took 23.8 and 24.3 s against 32.1 and 31.2 s before (runs of each alternating,
 * 2026-12-01 10:29–10:31, load average 12–13).
 */
export const PEER_ROUNDS = 11;
const LEARNING_RATE = 0.01;

export interface PeerRow {
  name: string;
  batch: number;
  medianMs: number;
  samplesPerSecond: number;
  /**
   * gradscope wasm-simd samples/s at this batch over this row's: the median round's (1 for gradscope
   * itself). Every row's call trains on the batch's samples once, so it is the row's time over gradscope's.
   */
  ratio: number;
  /** That ratio in each round (the row's time over gradscope's in the same round); absent for gradscope's row. */
  ratios?: number[];
}

/** gradscope's step and `peers` in interleaved rounds: the rows, each peer's ratio the median of its per-round time over gradscope's. */
async function besideGradscope(batch: number, own: RoundTask, peers: readonly RoundTask[]): Promise<{ own: PeerRow; peers: PeerRow[] }> {
  const roundTimes = await interleaved([own, ...peers], PEER_ROUNDS);
  const ownMs = roundTimes.get(own.name)!;
  const row = (name: string, ratios?: number[]): PeerRow => {
    const ms = median(roundTimes.get(name)!);
    return { name, batch, medianMs: ms, samplesPerSecond: (batch * 1000) / ms, ratio: ratios ? median(ratios) : 1, ratios };
  };
  return { own: row(own.name), peers: peers.map(({ name }) => row(name, roundRatios(roundTimes.get(name)!, ownMs))) };
}

export interface PeerEnvironment {
  tfjsVersion: string;
  /** Threads tfjs-wasm ran with (it was asked for one, to compare one core with one core). */
  tfjsWasmThreads: number;
  tfjsWasmSimd: boolean;
  brainVersion: string;
}

/** The same batch of uniform inputs and targets for every trainer. */
function batchData(batch: number): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(2);
  const [nIn, nOut] = [PEER_SIZES[0], PEER_SIZES[PEER_SIZES.length - 1]];
  return {
    x: Float32Array.from({ length: batch * nIn }, () => rng.uniform()),
    y: Float32Array.from({ length: batch * nOut }, () => rng.uniform()),
  };
}

function layersModel(): tf.Sequential {
  const model = tf.sequential();
  PEER_SIZES.slice(1).forEach((units, l) => {
    model.add(tf.layers.dense({ units, activation: 'sigmoid', ...(l === 0 ? { inputShape: [PEER_SIZES[0]] } : {}) }));
  });
  model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError' });
  return model;
}

/** trainOnBatch of one batch, awaited; the tensors stay allocated across calls (no per-step upload). */
function trainOnBatchTask(batch: number): { step: () => Promise<unknown>; dispose: () => void } {
  const { x, y } = batchData(batch);
  const xs = tf.tensor2d(x, [batch, PEER_SIZES[0]]);
  const ys = tf.tensor2d(y, [batch, PEER_SIZES[PEER_SIZES.length - 1]]);
  const model = layersModel();
  return {
    step: () => model.trainOnBatch(xs, ys),
    dispose: () => {
      model.dispose();
      tf.dispose([xs, ys]);
    },
  };
}

/** The forward pass in raw ops and optimizer.minimize: tfjs without the Layers machinery. */
function rawOpsTask(batch: number): { step: () => void; dispose: () => void } {
  const { x, y } = batchData(batch);
  const xs = tf.tensor2d(x, [batch, PEER_SIZES[0]]);
  const ys = tf.tensor2d(y, [batch, PEER_SIZES[PEER_SIZES.length - 1]]);
  const weights = PEER_SIZES.slice(1).map((nOut, l) => tf.variable(tf.randomNormal([PEER_SIZES[l], nOut], 0, 1 / Math.sqrt(PEER_SIZES[l]))));
  const biases = PEER_SIZES.slice(1).map((nOut) => tf.variable(tf.zeros([nOut])));
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const loss = () =>
    tf.tidy(() => {
      let a: tf.Tensor = xs;
      for (let l = 0; l < weights.length; l++) a = tf.sigmoid(tf.add(tf.matMul(a, weights[l]), biases[l]));
      return tf.losses.meanSquaredError(ys, a) as tf.Scalar;
    });
  return {
    step: () => {
      const cost = optimizer.minimize(loss, true);
      cost?.dataSync();
      cost?.dispose();
    },
    dispose: () => {
      optimizer.dispose();
      tf.dispose([xs, ys, ...weights, ...biases]);
    },
  };
}

interface BrainNetwork {
  train(data: { input: number[]; output: number[] }[], options: object): { error: number; iterations: number };
}

/** brain.js: one call of train() for one epoch over the batch (one update per sample). */
function brainTask(batch: number): { step: () => void } {
  const require = createRequire(import.meta.url);
  const brain = require('brain.js') as { NeuralNetwork: new (options: object) => BrainNetwork };
  const { x, y } = batchData(batch);
  const [nIn, nOut] = [PEER_SIZES[0], PEER_SIZES[PEER_SIZES.length - 1]];
  const data = Array.from({ length: batch }, (_, r) => ({
    input: Array.from(x.subarray(r * nIn, (r + 1) * nIn)),
    output: Array.from(y.subarray(r * nOut, (r + 1) * nOut)),
  }));
  // brain.js refuses momentum 0 and always applies momentum, so it keeps its default (0.1): a
  // little more work per weight than plain SGD, far too little to change the comparison.
  const net = new brain.NeuralNetwork({ hiddenLayers: PEER_SIZES.slice(1, -1), activation: 'sigmoid', learningRate: LEARNING_RATE });
  // The first call sizes and initialises the network; the timed calls train only.
  const options = { iterations: 1, errorThresh: 1e-9, log: false };
  net.train(data, options);
  return { step: () => net.train(data, options) };
}

/** tfjs prints a hint to install tfjs-node when it starts in Node; that is not a result. */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    return await run();
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

let wasmReady: Promise<boolean> | undefined;

async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm') {
    wasmReady ??= quietly(async () => {
      const require = createRequire(import.meta.url);
      const dist = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/[^/]+$/, '');
      setWasmPaths(dist);
      setThreadsCount(1);
      return tf.setBackend('wasm');
    });
    if (!(await wasmReady)) throw new Error('tfjs: the wasm backend did not start');
  }
  if (!(await quietly(() => tf.setBackend(name)))) throw new Error(`tfjs: the ${name} backend did not start`);
  await tf.ready();
}

/**
 * Each batch's rows in PEER_ROUNDS interleaved rounds (the order rotated each round): gradscope with
 * the peers on tfjs' wasm backend and brain.js, then, as tfjs' backend is global (a tensor read on
 * another backend is moved there first), tfjs-cpu in rounds of its own beside gradscope again.
 * `time`: ms per row over all rounds.
 */
export async function runPeersBench(opts: { time?: number; batches?: number[] } = {}): Promise<{ rows: PeerRow[]; environment: PeerEnvironment }> {
  const ms = (opts.time ?? 1000) / PEER_ROUNDS;
  const batches = opts.batches ?? PEER_BATCHES;
  const kernels = await createWasmKernels({ variant: 'simd' });
  const rows: PeerRow[] = [];

  for (const batch of batches) {
    const gradscope = await stepOn(kernels, PEER_SIZES, batch);
    const own: RoundTask = { name: 'gradscope wasm-simd', run: gradscope.step, ms };

    await useBackend('wasm');
    const tfWasm = trainOnBatchTask(batch);
    const raw = rawOpsTask(batch);
    const onWasm: RoundTask[] = [
      { name: 'tfjs-wasm trainOnBatch', run: tfWasm.step, ms },
      { name: 'tfjs-wasm raw ops (minimize)', run: raw.step, ms },
    ];
    // One brain.js call is 64 updates (~60 ms): two calls a round give its median, four would double the suite's time for it.
    if (batch === 64) onWasm.push({ name: 'brain.js 1.6 train (per sample)', run: brainTask(batch).step, ms, calls: 2 });
    const first = await besideGradscope(batch, own, onWasm);
    rows.push(first.own, ...first.peers);
    tfWasm.dispose();
    raw.dispose();

    if (batch === 64) {
      await useBackend('cpu');
      const tfCpu = trainOnBatchTask(batch);
      rows.push(...(await besideGradscope(batch, own, [{ name: 'tfjs-cpu trainOnBatch', run: tfCpu.step, ms, calls: 2 }])).peers);
      tfCpu.dispose();
    }
    gradscope.net.dispose();
  }

  await useBackend('wasm');
  const require = createRequire(import.meta.url);
  return {
    rows,
    environment: {
      tfjsVersion: tf.version.tfjs,
      tfjsWasmThreads: getThreadsCount(),
      tfjsWasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT') as boolean,
      brainVersion: (require('brain.js/package.json') as { version: string }).version,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, environment } = await runPeersBench();
  console.log(`peers on [${PEER_SIZES.join(',')}] sigmoid/MSE/SGD; ${JSON.stringify(environment)}`);
  for (const row of rows) {
    console.log(
      `batch ${String(row.batch).padStart(3)}  ${row.name.padEnd(34)} ${row.medianMs.toFixed(3).padStart(9)} ms  ` +
        `${Math.round(row.samplesPerSecond).toString().padStart(8)} samples/s  ${row.ratios ? spreadText(spreadOf(row.ratios), times) : times(row.ratio)}`,
    );
  }
}
