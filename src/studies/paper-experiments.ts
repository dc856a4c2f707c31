/**
 * The papers' own small experiments of the trainable-depth study (issue 14), run one after the
 * other: batch norm's §4.1, the SELU paper's Figure 1 shape, ReZero against a plain residual stack.
 */
import type { BatchNormRun } from './batch-norm-rows.js';
import { BATCH_NORM_PAPER, runBatchNormPaper } from './paper-batch-norm.js';
import type { PaperExperiment, PaperOptions } from './paper-experiment.js';
import { runRezeroPaper } from './paper-rezero.js';
import { runSeluPaper, SELU_PAPER } from './paper-selu.js';

/** The papers' runs that train with batch norm (batch norm's own, SELU's ReLU + batch norm), with their batch sizes. */
export const PAPER_BATCH_NORM_RUNS: readonly BatchNormRun[] = [
  { run: 'paper-batch-norm', batchSize: BATCH_NORM_PAPER.batchSize },
  { run: 'paper-selu (ReLU + batch norm)', batchSize: SELU_PAPER.batchSize },
];

/** Every paper experiment with the same options; `onDone` after each. */
export async function runPaperExperiments(options: PaperOptions = {}, onDone?: (experiment: PaperExperiment) => void): Promise<PaperExperiment[]> {
  const experiments: PaperExperiment[] = [];
  for (const run of [runBatchNormPaper, runSeluPaper, runRezeroPaper]) {
    const experiment = await run(options);
    experiments.push(experiment);
    onDone?.(experiment);
  }
  return experiments;
}
