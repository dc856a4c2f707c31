/**
 * What docs/studies.md's table of study (a)'s remedies measured of two optimiser remedies the diagnosis offers its deepest
 * network: Nielsen's [784, 30 × 4, 10] sigmoid net trained as the study trains it (one batch of the first 1,000 digits, SGD at
 * η 0.1 with weight decay λ/n = 5/1,000 on the weights, 500 epochs, seed 1), each remedy applied by its settings
 * (`npx tsx scripts/study-a-remedies.ts`): Adam at its offered rate and the offered per-layer rates both stayed at chance,
 * 10.5 % of the test digits, as did layer norm, the batch-norm remedy's alternative, where batch norm reached 82.0 %. Written out (flow/ sits below studies/): test/flow/study-a-evidence ties the set-up to
 * src/studies/study-defaults.ts and the accuracies to the page's table. Said only to a run of that set-up (isStudyASetup),
 * as the offer is the one measured there; on another network or training they say nothing of the offer.
 */
import type { Trace } from '../trace.js';
import { percentText } from '../../percent-text.js';

export const STUDY_A_DEEPEST = {
  /** The network's units, input to output (sigmoid hidden and output units). */
  sizes: [784, 30, 30, 30, 30, 10],
  /** Training rows, all in one batch. */
  rows: 1000,
  /** SGD's learning rate and its weight decay on the weights (λ/n). */
  learningRate: 0.1,
  weightDecay: 0.005,
  /** Epochs each remedy trained. */
  epochs: 500,
  /** Held-out accuracy (0–1, the 1,000 test digits) of Adam at its offered rate and of the offered per-layer rates. */
  accuracy: { adam: 0.105, layerRates: 0.105 },
  /**
   * Held-out accuracy (0–1) of the norm remedy offered to it, batch norm after each dense layer (read healthy), and of its
   * alternative, layer norm there (read vanishing, severe): the layer-norm alternative's words (architecture-remedies.ts).
   */
  norms: { batchNorm: 0.82, layerNorm: 0.105 },
} as const;

/** A remedy of STUDY_A_DEEPEST.accuracy. */
export type StudyAMeasuredRemedy = keyof typeof STUDY_A_DEEPEST.accuracy;

/**
 * Whether `trace` is study (a)'s deepest run as the table's was trained: a dense net of STUDY_A_DEEPEST.sizes with sigmoid
 * hidden units, plain SGD (no momentum, no rates of its own) at its learning rate held (no schedule) and weight decay, every
 * step one batch of all its rows. The epochs are not read: the words say how many the measurement ran.
 */
export function isStudyASetup(trace: Trace): boolean {
  const { sizes, rows, learningRate, weightDecay } = STUDY_A_DEEPEST;
  const run = trace.run;
  return (
    !trace.blocks &&
    trace.sizes.length === sizes.length &&
    trace.sizes.every((n, i) => n === sizes[i]) &&
    trace.activations.slice(0, -1).every((f) => f === 'sigmoid') &&
    (run.optimizer ?? 'sgd') === 'sgd' &&
    run.momentum === undefined &&
    run.layerRates === undefined &&
    run.learningRate === learningRate &&
    run.schedule === undefined &&
    run.weightDecay === weightDecay &&
    run.rows === rows &&
    run.batchSize === rows
  );
}

/**
 * ' On this very set-up …': what `remedy` did on study (a)'s deepest net, to a run of that set-up ('' to any other run).
 */
export function studyAWords(trace: Trace, remedy: StudyAMeasuredRemedy): string {
  if (!isStudyASetup(trace)) return '';
  const { accuracy, epochs } = STUDY_A_DEEPEST;
  const what = remedy === 'adam' ? 'Adam at this rate' : 'the per-layer rates offered to it';
  return ` On this set-up, study (a)'s deepest net as the study trains it, ${what} stayed at chance: ${percentText(accuracy[remedy])} of the test digits after ${epochs} epochs.`;
}
