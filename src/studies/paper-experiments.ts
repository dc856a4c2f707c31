/**
 * The papers' own small experiments of the trainable-depth study (issue 14), run one after the
 * other: batch norm's §4.1, the SELU paper's Figure 1 shape, ReZero against a plain residual stack,
 * He et al.'s initialisation against Xavier's at 22 and 30 layers.
 */
import { checkCallback, checkChoice, checkDistinctList, checkKnownKeys, keysOf } from '../checks.js';
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

/** Every experiment by its id (PaperExperiment.id), in the order runPaperExperiments runs them. */
const EXPERIMENTS = { 'paper-batch-norm': runBatchNormPaper, 'paper-selu': runSeluPaper, 'paper-rezero': runRezeroPaper, 'paper-he-init': runHeInitPaper } as const;

/** The experiments' ids, in the order they run. */
export const PAPER_IDS = Object.keys(EXPERIMENTS) as (keyof typeof EXPERIMENTS)[];
/** An experiment's id: 'paper-batch-norm', 'paper-selu', 'paper-rezero' or 'paper-he-init'. */
export type PaperId = keyof typeof EXPERIMENTS;

/** Options of runPaperExperiments: those every experiment shares, which experiments to run, and a call after each. */
export interface PaperExperimentsOptions extends PaperOptions {
  /** The experiments to run, by id, each once; they run in the order the study lists them (batch norm, SELU, ReZero, He's) whatever the list's (default: all four). */
  ids?: PaperId[];
  /** Called with each experiment's result as it finishes (default: none). */
  onExperiment?: (experiment: PaperExperiment) => void;
}

/**
 * Every paper experiment with the same options, in order: Ioffe & Szegedy's batch norm (§4.1),
 * Klambauer et al.'s SELU (Figure 1's shape), Bachlechner et al.'s ReZero, He et al.'s initialisation
 * (Figures 2–3). Each says how it differs from its paper and whether the paper's claim reproduces
 * here (docs/trainable-depth.md gives the documented run). Options are checked before any work: an
 * unknown key, a bad seed, backend, budget, epochs, id or callback is INVALID_OPTION naming it; the digits'
 * counts as they load, before the first network trains.
 */
export async function runPaperExperiments(options: PaperExperimentsOptions = {}): Promise<PaperExperiment[]> {
  checkKnownKeys(
    options,
    keysOf<PaperExperimentsOptions>({ trainRows: true, testRows: true, seed: true, backend: true, budget: true, epochs: true, ids: true, onProgress: true, onExperiment: true }),
    'runPaperExperiments',
  );
  checkPaperOptions(options);
  checkCallback(options.onExperiment, 'onExperiment');
  const { onExperiment, ids, ...shared } = options;
  const chosen = ids === undefined ? PAPER_IDS : checkDistinctList(ids, 'ids', 'experiment ids', (id, i) => checkChoice(id, PAPER_IDS, `ids[${i}]`));
  const experiments: PaperExperiment[] = [];
  for (const id of PAPER_IDS.filter((id) => chosen.includes(id))) {
    const experiment = await EXPERIMENTS[id](shared);
    experiments.push(experiment);
    onExperiment?.(experiment);
  }
  return experiments;
}
