/**
 * The mini-batch training loop: shuffle, copy a batch in by index, feedforward, backprop, check,
 * update. The data set is copied into the backend's memory once, so a step allocates nothing.
 */
import type { Matrix, Rows } from '../data/matrix.js';
import { GradscopeError, invalidOption } from '../errors.js';
import type { Tensor } from '../kernels.js';
import type { Optimizer } from '../optim/optimizer.js';
import { Sgd } from '../optim/sgd.js';
import type { Evaluation, Network } from './network.js';

export interface BatchInfo {
  epoch: number;
  /** Index of the batch within the epoch. */
  batch: number;
  /** Steps taken by the network so far, this one included. */
  step: number;
  /** Mean loss over the batch, before the update. */
  loss: number;
  /** Rows in the batch. */
  size: number;
}

export interface EpochInfo {
  epoch: number;
  /** Mean of the batch losses (each before its update). */
  loss: number;
  seconds: number;
  validation?: Evaluation;
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** SGD momentum (ignored when `optimizer` is given). */
  momentum?: number;
  /** L2 weight decay (ignored when `optimizer` is given). */
  weightDecay?: number;
  /** Reshuffle the rows every epoch with the network's seeded RNG (default true). */
  shuffle?: boolean;
  /** An optimiser to use (and keep state in across calls); default: SGD from momentum/weightDecay. */
  optimizer?: Optimizer;
  /** Evaluated after every epoch. */
  validation?: { x: Rows; y: Rows };
  onBatch?: (info: BatchInfo) => void;
  onEpoch?: (info: EpochInfo) => void;
}

export interface TrainResult {
  epochs: EpochInfo[];
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidOption(`${name}: expected a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkLearningRate(value: unknown, fallback = 0.1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw invalidOption(`learningRate: expected a finite number > 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function runTraining(
  net: Network,
  x: Matrix,
  y: Matrix,
  options: TrainOptions,
  validation?: { x: Matrix; y: Matrix },
): TrainResult {
  const epochs = positiveInteger(options.epochs, 'epochs', 1);
  const batchSize = Math.min(positiveInteger(options.batchSize, 'batchSize', 32), x.rows);
  const learningRate = checkLearningRate(options.learningRate);
  const shuffle = options.shuffle ?? true;
  const optimizer = options.optimizer ?? new Sgd(net, { momentum: options.momentum, weightDecay: options.weightDecay });

  const k = net.kernels;
  const held: Tensor[] = [];
  try {
    const inputs = k.alloc(x.data.length);
    held.push(inputs);
    const targets = k.alloc(y.data.length);
    held.push(targets);
    k.write(inputs, x.data);
    k.write(targets, y.data);
    net.ensureCapacity(batchSize);

    const order = Uint32Array.from({ length: x.rows }, (_, i) => i);
    const history: EpochInfo[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = performance.now();
      if (shuffle) net.rng.shuffle(order);
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start < x.rows; start += batchSize) {
        const size = Math.min(batchSize, x.rows - start);
        k.copyRows(net.activations[0], inputs, order, start, size, x.cols);
        k.copyRows(net.targets!, targets, order, start, size, y.cols);
        net.feedforward(size);
        const loss = net.backprop(size);
        if (!Number.isFinite(loss)) {
          throw new GradscopeError(
            'DIVERGED',
            `epoch ${epoch}, batch ${batches}: the loss is ${loss}; the step was not applied (try a smaller learningRate)`,
          );
        }
        optimizer.step(net, learningRate, size);
        net.step++;
        lossSum += loss;
        options.onBatch?.({ epoch, batch: batches, step: net.step, loss, size });
        batches++;
      }
      const info: EpochInfo = { epoch, loss: lossSum / batches, seconds: (performance.now() - started) / 1000 };
      if (validation) info.validation = net.evaluateMatrices(validation.x, validation.y);
      history.push(info);
      options.onEpoch?.(info);
    }
    return { epochs: history };
  } finally {
    held.forEach((t) => k.free(t));
    if (!options.optimizer) optimizer.dispose();
  }
}
