/**
 * The papers' own small experiments of the trainable-depth study (issue 14), run one after the
 * other: batch norm's §4.1, the SELU paper's Figure 1 shape, ReZero against a plain residual stack.
 */
import { runBatchNormPaper } from './paper-batch-norm.js';
import type { PaperExperiment, PaperOptions } from './paper-experiment.js';
import { runRezeroPaper } from './paper-rezero.js';
import { runSeluPaper } from './paper-selu.js';

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
