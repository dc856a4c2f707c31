/**
 * The remedies' terms of the studies' runs: each run is one network of the study's recipe, and its
 * remedies read as the `gradscope train` line that makes that network with the change and trains it
 * as the study did (runs train cannot repeat, e.g. with Nielsen's weight decay, get the API's
 * options and why). What the trace does not record (epochs, seed, the digits) comes from the study.
 * `invoked` (each function's last): Terminal.invokedAs, which every line starts with.
 */
import type { RemedyTerms } from '../flow/remedy.js';
import type { ReportRun, ReportSection } from '../flow/report-html.js';
import type { Trace } from '../flow/trace.js';
import type { ActivationStudyResult } from '../studies/activations.js';
import { DEPTH_TRAINING_SEED, nielsenTraining, type DepthStudyResult } from '../studies/depth.js';
import type { PlateauResult } from '../studies/plateau.js';
import { fileSlug, remedyTerms } from './remedy-terms.js';
import { studyRun } from './run-command-line.js';

/** A file name for a study's run: `depth-784-30-30-10.json`. */
const fileName = (study: string, what: string) => `${study}-${fileSlug(what)}.json`;

/** A depth study network's terms: Nielsen's full batch of the first `rows` digits, unshuffled (nielsenTraining), seed DEPTH_TRAINING_SEED. */
export function depthRunTerms(result: DepthStudyResult, trace: Trace, invoked: string | undefined): RemedyTerms {
  const { shuffle } = nielsenTraining(result.rows, result.lambda);
  return remedyTerms(studyRun(trace, { epochs: result.epochs, seed: DEPTH_TRAINING_SEED, rows: { train: String(result.rows) }, name: fileName('depth', trace.sizes.join('-')), shuffle }, invoked), invoked);
}

/** An activations study run's terms: its --train and --test digits (train's, the same split), `seed`; `label` names it ('relu + he-normal'). */
export function activationRunTerms(result: ActivationStudyResult, seed: number, trace: Trace, label: string, invoked: string | undefined): RemedyTerms {
  return remedyTerms(studyRun(trace, { epochs: result.epochs, seed, rows: { train: String(result.trainRows), test: String(result.testRows) }, name: fileName('activations', label) }, invoked), invoked);
}

/** The plateau study's terms: all its epochs on the first `rows` digits, `seed`, Nielsen's training (unshuffled, as the depth study's). */
export function plateauRunTerms(result: PlateauResult, seed: number, trace: Trace, invoked: string | undefined): RemedyTerms {
  const { shuffle } = nielsenTraining(result.rows, result.lambda);
  return remedyTerms(studyRun(trace, { epochs: result.epochs, seed, rows: { train: String(result.rows) }, name: fileName('plateau', result.sizes.join('-')), shuffle }, invoked), invoked);
}

/** `section` with each run's remedies in `termsOf` its run. */
export function withRunTerms(section: ReportSection, termsOf: (run: ReportRun) => RemedyTerms): ReportSection {
  return { ...section, runs: section.runs?.map((run) => ({ ...run, remedyTerms: termsOf(run) })) };
}
