/**
 * The papers' own small experiments of the trainable-depth study (issue 14), run one after the
 * other: batch norm's §4.1, the SELU paper's Figure 1 shape, ReZero against a plain residual stack,
 * He et al.'s initialisation against Xavier's at 22 and 30 layers.
 */
import { checkCallback, checkKnownKeys, keysOf } from '../checks.js';
import type { BatchNormRun } from './batch-norm-rows.js';
import { BATCH_NORM_PAPER, runBatchNormPaper } from './paper-batch-norm.js';
import { checkPaperOptions, type PaperExperiment, type PaperOptions } from './paper-experiment.js';
import { runHeInitPaper } from './paper-he-init.js';
import { runRezeroPaper } from './paper-rezero.js';
import { runSeluPaper, SELU_PAPER } from './paper-selu.js';

/** The papers' runs that train with batch norm (batch norm's own, SELU's ReLU + batch norm), with their batch sizes. */
export const PAPER_BATCH_NORM_RUNS: readonly BatchNormRun[] = [
  { run: 'paper-batch-norm', batchSize: BATCH_NORM_PAPER.batchSize },
  { run: 'paper-selu (ReLU + batch norm)', batchSize: SELU_PAPER.batchSize },
];

/** Every experiment, in the order runPaperExperiments runs them. */
const EXPERIMENTS = [runBatchNormPaper, runSeluPaper, runRezeroPaper, runHeInitPaper];

/** Options of runPaperExperiments: those every experiment shares, and a call after each. */
export interface PaperExperimentsOptions extends PaperOptions {
  /** Called with each experiment's result as it finishes (default: none). */
  onExperiment?: (experiment: PaperExperiment) => void;
}

/**
 * Every paper experiment with the same options, in order: Ioffe & Szegedy's batch norm (§4.1),
 * Klambauer et al.'s SELU (Figure 1's shape), Bachlechner et al.'s ReZero, He et al.'s initialisation
 * (Figures 2–3). Each says how it differs from its paper and whether the paper's claim reproduces
 * here (docs/trainable-depth.md gives the documented run). Options are checked before any work: an
 * unknown key, a bad seed, backend, budget or callback is INVALID_OPTION naming it; the digits'
 * counts as they load, before the first network trains.
 */
export async function runPaperExperiments(options: PaperExperimentsOptions = {}): Promise<PaperExperiment[]> {
  checkKnownKeys(
    options,
    keysOf<PaperExperimentsOptions>({ trainRows: true, testRows: true, seed: true, backend: true, budget: true, onProgress: true, onExperiment: true }),
    'runPaperExperiments',
  );
  checkPaperOptions(options);
  checkCallback(options.onExperiment, 'onExperiment');
  const { onExperiment, ...shared } = options;
  const experiments: PaperExperiment[] = [];
  for (const run of EXPERIMENTS) {
    const experiment = await run(shared);
    experiments.push(experiment);
    onExperiment?.(experiment);
  }
  return experiments;
}
