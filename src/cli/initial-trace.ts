/**
 * `study --model M --epochs 0`: the gradient flow at the model's weights as they are, without
 * training. train() takes at least one epoch and every step it takes updates the weights, so this is
 * the API's own way to trace a step train() does not make (TraceRecorder's class comment): one
 * backward pass, net.gradients(), on one batch, recorded and never applied. diagnose() reads it as a
 * trace of one step, whose update ratio is not measured (no update was made).
 */
import type { Network } from '../api/network.js';
import { leadingRows, type Rows } from '../data/matrix.js';
import { TraceRecorder } from '../flow/recorder.js';
import type { Trace } from '../flow/trace.js';
import type { Optimizer } from '../optim/index.js';
import { cappedBatch } from '../training/batch-rows.js';
import { startingLearningRate } from '../training/optimizer-settings.js';
import { reportedRate } from '../training/step-faults.js';
import { describeRun } from '../training/trace-run.js';
import type { TrainingSettings } from './training-flags.js';

/**
 * The trace of one step at `net`'s weights as they are: the gradients of the first batch of
 * `rows` (--batch-size of them, capped at the rows, in the rows' order: no shuffling draws them), no
 * update. The run it records is the one the flags would train (`optimizer`, its rate, the batch,
 * clipping), as train() records it (its rate too, by train()'s rule: startingLearningRate, reportedRate), so that diagnose() suggests nothing the run already uses.
 * The rows the batch holds, for the printer to say.
 */
export function traceAtInitialWeights(net: Network, optimizer: Optimizer, settings: TrainingSettings, rows: { x: Rows; y: Rows; count: number }): { trace: Trace; batch: number } {
  const batch = cappedBatch(settings.batchSize, rows.count);
  const learningRate = reportedRate(startingLearningRate(optimizer, settings.learningRate), optimizer.choosesOwnSteps === true);
  const initialisation = net.initialisation;
  const run = describeRun({ initialisation, lsuvApplied: initialisation?.lsuv === true }, optimizer, { clipNorm: settings.clipNorm, batchSize: batch, learningRate });
  const recorder = new TraceRecorder(net, { every: 1 }, run);
  try {
    const gradients = net.gradients(leadingRows(rows.x, batch), leadingRows(rows.y, batch));
    recorder.afterBackprop(batch, gradients.loss);
  } finally {
    recorder.close();
  }
  return { trace: recorder.trace, batch };
}
