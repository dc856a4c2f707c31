/**
 * A diagnosis's headline (Diagnosis.headline): the verdict with its one key figure and the first
 * remedy, short enough to print before the tables (newuser42 #8, newuser43 #6: the answer sat under
 * ~60 lines of them). Every figure in it is one the summary or the first remedy states, in the same
 * words' functions: it adds no claim. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import type { TrainingProgress, TrainingState } from '../training-progress.js';
import { atChance } from '../training-progress.js';
import { API_REMEDY_TERMS, remedyChoices, type Remedy, type RemedyChoice, type RemedyTerms } from '../remedy.js';
import type { Diagnosis, Evidence, Severity, Verdict } from './diagnosis-types.js';
import { gapRecords, lastRecordName, medianOverRecords, percent, rowList, timesOf } from './diagnosis-words.js';
import { EVEN_RANGE, VANISHING_RATIO } from './diagnosis-thresholds.js';
import { type ChainEnds, chainEnds, decisiveGap, gapMeasure, gapSide, gatedBranchLayers, positiveFinite, readAtFirst } from './gap-measures.js';
import { aboutEven, learnsWords, NIELSEN_SPEED, speedAt, stepSizing, weightSpeedWords } from './learning-speed.js';
import { lossFigure } from './progress-readings.js';
import { explodingOnLoss, flowUndecided, flowUnread, gapClosed, trainedThrough } from './verdict-rules.js';
import { notLearntWords, speedClosedAtEnd } from './flow-sentences.js';
import { accuracyEndWords } from './progress-sentences.js';
import { numberText } from '../../number-text.js';
import { switchBound } from './init-remedies.js';

/** What a vanishing or exploding gap that closed during training (gapClosed) was: the verdict of the first records only. The summary's head and the verdict's heading (verdictHeading) say it so. */
export const CLOSED_GAP_WORDS = 'at the first step, closed during training';

/**
 * A vanishing or exploding verdict's severity as the summary's head and the tables' cells say it: 'severe', or where the gap closed
 * during training (gapClosed), 'severe at the first step, closed during training'.
 */
export function verdictDegree(verdict: Verdict, severity: Severity | undefined, e: Evidence): string | undefined {
  return gapClosed(verdict, e) ? `${severity} ${CLOSED_GAP_WORDS}` : severity;
}

/**
 * The verdict as the summary heads it ('Vanishing gradients (severe)', 'Healthy gradient flow'), without its colon: summarise and
 * the headline share it. A gap that closed during training decided the verdict at the first record only: its severity says so.
 */
export function verdictHead(verdict: Verdict, severity: Severity | undefined, e: Evidence): string {
  const degree = verdictDegree(verdict, severity, e);
  const head: Record<Verdict, string> = {
    vanishing: `Vanishing gradients (${degree})`,
    exploding: `Exploding gradients (${degree})`,
    dead: 'Dead units',
    saturated: 'Saturated units',
    'loss-rising': 'Loss rising',
    overfitting: 'Overfitting',
    healthy: flowUndecided(e) ? 'No fault found in the gradient flow' : 'Healthy gradient flow',
  };
  return head[verdict];
}

/** Where the run stands, as the summary's sentence on it begins ('A plateau', 'Still learning'), said after the flow's figure. */
const STATE_WORDS: Record<TrainingState, string> = {
  converged: 'training has converged',
  plateau: 'a plateau',
  learning: 'still learning',
  rising: 'the loss rose',
  overfitting: 'overfitting',
  unclear: 'whether training still makes progress is unclear',
};

/**
 * Where the run stands and the share of the rows it read right at the end, in the words the summary states them in, after a verdict on the
 * flow: a mild gap beside a network that learns well read as 'the fix broke something else' when the flow's verdict came alone
 * (newuser44 #8); a healthy flow beside a model at chance as 'the model is fine' (verdictHeading). '' for a verdict that is the
 * loss's, or without the epochs or records to tell.
 */
function stateClause(verdict: Verdict, p: TrainingProgress | undefined): string {
  if (!p || verdict === 'loss-rising' || verdict === 'overfitting') return '';
  // In the words the sentence on where the run stands uses (accuracyEndWords): a share of a subset or of batches' rows is not one of the training rows.
  const right = Number.isNaN(p.accuracyEnd) ? '' : `${atChance(p) ? ', at chance' : ''}, with ${accuracyEndWords(p)}`;
  // A held-out rise too brief to read (TrainingProgress.heldOutRiseEpochs) leaves unclear whether the network overfits, not whether it learns.
  const state = p.heldOutRiseEpochs !== undefined ? 'whether the network overfits is unclear' : STATE_WORDS[p.state];
  return `; ${state}${right}`;
}

/**
 * The gap's figures, one measure to a clause, each saying what it is and when (newuser46 #4, newuser45 #12: "learns 3.80× faster
 * … a factor of 0.138 per layer" put Adam's step ratio beside the per-example δ's factor, under a verdict read from neither):
 * first the verdict's own, the per-example gap δ the thresholds are applied to (across norm layers the gap δ and the relative
 * gradient both show), at the record(s) it was read at, with its factor per layer and, beside a vanishing gap along sigmoid layers,
 * the ceiling of their σ'; then, where that reading is not where the run ended, where it went (closedOrCrossed); where an exploding
 * verdict turned on the loss, that (explodingOnLoss); then how much slower or faster the first hidden layer learns by the run's
 * speed measure (speedClause). No gradient at one end where the gap is 0 or Infinity; across norm layers whose two measures point
 * opposite ways, that (gapSentence). Undefined where no gap was read.
 */
function gapFigure(verdict: Verdict, e: Evidence, trace: Trace): string | undefined {
  const ends = chainEnds(trace, e);
  const gap = decisiveGap(e);
  if (gap === 0 || gap === Infinity) return `no gradient reached the ${gap === 0 ? ends.first : ends.last}`;
  if (e.normalisedBy && Number.isNaN(gap)) return `across the norm layers δ and the relative gradient point opposite ways, so no gap is read`;
  if (!positiveFinite(gap)) return undefined;
  const when = gapRecords(e);
  // The sigmoid's ceiling on σ' (VANISHING_RATIO) beside a vanishing gap, where every hidden layer of the chain is a sigmoid one, as the activation remedy's reason says it.
  const chain = e.chain ?? trace.activations.slice(0, e.hiddenLayers).map((_, l) => l);
  const capped = verdict === 'vanishing' && chain.every((l) => trace.activations[l] === 'sigmoid') ? `; the sigmoid's σ' is at most 1/${1 / VANISHING_RATIO}` : '';
  const factor = positiveFinite(e.meanChainFactor) ? `, a factor of ${numberText(e.meanChainFactor)} per layer${capped}` : '';
  const onLoss = explodingOnLoss(verdict, gap, e);
  const loss = onLoss ? `, opened from ${numberText(gapMeasure(e).first)}× at the first step: no fault in a run that trains well, but ${notLearntWords(onLoss, e.training!)}` : '';
  const grew = e.grewWhileLearning ? `, a gap that opened as the network learnt (${numberText(gapMeasure(e).first)}× at the first step)` : '';
  if (e.normalisedBy) return `a gap of ${numberText(gap)}× between the ${ends.first} and the ${ends.last} across the norm layers (${when}${factor})${closedOrCrossed(verdict, e, ends)}`;
  return `one example's gradient δ at the ${ends.first} is ${timesOf(gap)} the ${ends.last}'s (${when}${factor})${grew}${loss}${closedOrCrossed(verdict, e, ends)}${speedClause(e, ends, trace)}`;
}

/**
 * Where a vanishing or exploding gap read at the first step is not where the run ended, where it went, as the summary says it:
 * closed (gapClosed: its median over the records within 1/4–4×, which the heading's 'closed during training' is read from), or at the
 * last record outside the verdict's band, narrowed into 1/4–4× or crossed over (newuser45 #14: 'severe' for a tanh run whose gap
 * was 1.51× by its end, said only in the full text). '' elsewhere.
 */
function closedOrCrossed(verdict: Verdict, e: Evidence, ends: ChainEnds): string {
  if (verdict !== 'vanishing' && verdict !== 'exploding') return '';
  const { first, last, median } = gapMeasure(e);
  // Across norm rows the summary says the closed gap as the relative gradient's (closedGapSentence): so is it here.
  if (gapClosed(verdict, e)) return `; over the run ${e.normalisedBy ? "the relative gradient ‖∂C/∂W‖/‖W‖" : 'it'} was ${timesOf(median)} the ${ends.last}'s (${medianOverRecords(e)}), within ${EVEN_RANGE}`;
  if (e.normalisedBy || e.records < 2 || !positiveFinite(first) || !positiveFinite(last) || gapSide(last) === verdict) return '';
  return `; ${gapAtEndWords(e, ends, 'it')}`;
}

/**
 * Where a gap (`subject`: 'it', 'the gap') read before the last record had gone by it, narrowed or crossed over, as the headline says
 * it: 'by the last record it had crossed over to 2.00× the last hidden layer's'. The remedies of where the run stands say it too where
 * it ended within 1/4–4× (gapEvenAtEnd).
 */
export function gapAtEndWords(e: Evidence, ends: ChainEnds, subject: string): string {
  const { first, last } = gapMeasure(e);
  return `by ${lastRecordName(e)} ${subject} ${Math.log(first) * Math.log(last) < 0 ? 'had crossed over' : 'had narrowed'} to ${timesOf(last)} the ${ends.last}'s`;
}

/**
 * How much slower or faster the first hidden layer learns than the last by the run's speed measure (speedAt, as the summary's speed
 * sentence says it), named, at the gap's record(s), which it names only where they are the first step: the batch gradient ‖∂C/∂b‖
 * (Nielsen's speed of learning), with how far the weights' own speed beside it (weightSpeedWords), or the steps taken, ‖ΔW‖/‖W‖, of an optimiser that sets each layer's step itself.
 * '' where that measure gives no ratio.
 */
function speedClause(e: Evidence, ends: ChainEnds, trace: Trace): string {
  const speed = speedAt(e);
  if (!positiveFinite(speed)) return '';
  const sizing = stepSizing(trace.run);
  const measure = e.speedMeasure === 'step' ? `by the steps taken, ‖ΔW‖/‖W‖${sizing ? `, which ${sizing.by} ${sizing.verb}` : ''}` : `by the batch gradient ‖∂C/∂b‖ (${NIELSEN_SPEED})`;
  // A batch-gradient gap that closed by the end says so here too, as the summary does (review49b #3: the headline kept '1.00e+4×
  // slower … (at the first step)' alone).
  const closed = e.speedMeasure !== 'step' && speedClosedAtEnd(e) ? `, about even by ${lastRecordName(e)}` : '';
  // ‖∂C/∂b‖ is a bias gradient: beside it, the weights' own speed, as the summary says it (lecturer52 #5).
  const weights = weightSpeedWords(e);
  // The gap's figure before it named the records: a median over them is not named again (prose54's left-alone 2: the headline said
  // '(median over 141 records)' twice), a first step's reading is, as in the summary's speed sentence (speedSentence).
  const when = readAtFirst(e) ? ' (at the first step)' : '';
  return `; ${measure}, the ${ends.first} learns ${learnsWords(speed)} the last${when}${closed}${weights && `${closed ? ';' : ','} its weights ${weights}`}`;
}

/**
 * Beside a gap the optimiser evens out in the steps (Evidence.compensated), that it does, as the summary says it, and when: its steps'
 * median over the records, which the gap's figure before it need not be (newuser45 #12); '' elsewhere.
 */
function compensation(e: Evidence): string {
  if (!e.compensated) return '';
  const step = e.updateFirstToLast;
  const verb = aboutEven(step) ? 'compensates' : step > 1 !== e.gradientFirstToLast > 1 ? 'over-compensates' : 'compensates in part';
  return `; the optimiser ${verb} (its steps' ${medianOverRecords(e)})`;
}

/** The key figure of a verdict on units: the largest share of a hidden layer's units dead or saturated, and which layer, as the summary's shares give it. */
function unitsFigure(verdict: 'dead' | 'saturated', e: Evidence, trace: Trace): string {
  const rows = verdict === 'dead' ? e.deadLayers : e.saturatedLayers;
  const shares = rows.map((l) => e.layers[l][verdict === 'dead' ? 'deadFraction' : 'saturatedFraction']);
  const most = shares.indexOf(Math.max(...shares));
  const what = verdict === 'dead' ? 'units have z ≤ 0 on every row of the batch, passing no gradient back' : "activations sit where σ'(z) ≈ 0";
  return `${percent(shares[most])} of ${rowList(trace, [rows[most]])}'s ${what} (${medianOverRecords(e)})`;
}

/**
 * The figure of a run without a chain of two hidden layers: how many there are, and where dense layers sit in ReZero branches, off
 * the chain, how many, as the summary says it (edges47 #2: 100 ReZero blocks, 200 dense layers in their branches, read '1 hidden
 * layer' in the headline alone).
 */
function noChainFigure(e: Evidence, trace: Trace): string {
  const gated = gatedBranchLayers(trace, e.hiddenLayers);
  const offChain = gated > 0 ? ` on the chain (the ${gated} dense layer${gated === 1 ? '' : 's'} in ReZero branches ${gated === 1 ? 'is' : 'are'} off it)` : '';
  return `${e.hiddenLayers} hidden layer${e.hiddenLayers === 1 ? '' : 's'}${offChain}, no chain to vanish or explode along`;
}

/** How many remedies a headline's 'Try' chooses from: 'the first of 7 remedies', 'the one remedy'. */
const remediesCounted = (remedies: readonly Remedy[]) => (remedies.length === 1 ? 'the one remedy' : `the first of ${remedies.length} remedies`);

/**
 * A rate the first remedy's switch to relu or leaky-relu carries, said to be the careful bound it is, as the remedy's reason says
 * (switchBound): '0.002 is a careful bound, the largest rate at which every relu network measured held, not the rate that trains
 * one best'; '' where it carries none.
 */
function carefulBound(remedy: Remedy): string {
  const bound = switchBound(remedy);
  return bound ? `${bound.rate} is a careful bound, the largest rate at which every ${bound.units} network measured held, not the rate that trains one best` : '';
}

/**
 * The first remedy's first choice in `terms`, as the printer's list of remedies says it (remedyChoices: every printer's one
 * source of a remedy's words), how many remedies there are, and what a rate it carries is (carefulBound).
 */
function firstChoice(remedies: readonly Remedy[], terms: RemedyTerms): HeadlineTry {
  return { choice: remedyChoices(remedies[0], terms)[0], of: remediesCounted(remedies), careful: carefulBound(remedies[0]) };
}

/**
 * The 'Try' clause of Diagnosis.headline, in the API's terms: ' Try activation: 'relu', init: 'he-normal' (the first of 7 remedies).';
 * '' without a remedy. A rate the switch to relu carries is said to be the careful bound it is: ' Try activation: 'relu', init:
 * 'he-normal', learningRate: 0.002 (0.002 is a careful bound, the largest rate at which every relu network measured held, not the
 * rate that trains one best; the first of 7 remedies).'
 */
function tryClause(remedies: readonly Remedy[]): string {
  if (remedies.length === 0) return '';
  const { choice, of, careful } = firstChoice(remedies, API_REMEDY_TERMS);
  return ` Try ${choice.text} (${careful ? `${careful}; ` : ''}${of}).`;
}

/** The first remedy of a headline in a printer's terms (HeadlineInTerms.tried). */
export interface HeadlineTry {
  /** The first remedy's first choice, as the printer's list says it: its command line (and note), or its options. */
  choice: RemedyChoice;
  /** How many remedies there are: 'the first of 7 remedies', 'the one remedy'. */
  of: string;
  /** What a rate the choice's switch to relu or leaky-relu carries is (carefulBound: '0.002 is a careful bound, …'); '' where it carries none. */
  careful: string;
}

/**
 * What a printer whose remedies are command lines says after 'Try', before the command: 'the first of 7 remedies', and where the
 * command carries a switch's rate, what that rate is, as the API's headline says it: 'the first of 7 remedies (0.002 is a careful
 * bound, the largest rate at which every relu network measured held, not the rate that trains one best)'.
 */
export const triedWords = (tried: HeadlineTry): string => (tried.careful ? `${tried.of} (${tried.careful})` : tried.of);

/** A headline as a printer whose remedies are command lines says it: what it says before 'Try', and what to try. */
export interface HeadlineInTerms {
  /** The headline before 'Try': the whole Diagnosis.headline where `tried` is absent. */
  said: string;
  /** The first remedy in the printer's terms; absent where the headline is said as it is. */
  tried?: HeadlineTry;
}

/**
 * Diagnosis.headline in a printer's `terms` (review44 #9): in the 'command' form its 'Try' names the first remedy as the
 * printer's list does, a command line (`gradscope study --model` printed `Try activation: 'relu' …` above a list of
 * `gradscope train --activation relu …` lines); in the API's form, or where the headline does not end with its remedies'
 * 'Try' (one not made by diagnose() of these remedies), the headline is said as it is.
 */
export function headlineInTerms(d: Pick<Diagnosis, 'headline' | 'remedies'>, terms: RemedyTerms): HeadlineInTerms {
  const apiTry = tryClause(d.remedies);
  if (terms.form === 'api' || apiTry === '' || !d.headline.endsWith(apiTry)) return { said: d.headline };
  return { said: d.headline.slice(0, -apiTry.length), tried: firstChoice(d.remedies, terms) };
}

/** The headline of a diagnosis with these parts (see Diagnosis.headline). */
export function headline(verdict: Verdict, severity: Severity | undefined, e: Evidence, remedies: readonly Remedy[], trace: Trace): string {
  if (e.records === 0) return 'The trace is empty.';
  const head = verdictHead(verdict, severity, e);
  const p = e.training;
  let figure: string | undefined;
  if (e.nonFinite && severity) figure = 'some gradients or weights became Infinity or NaN';
  else if (verdict === 'dead' || verdict === 'saturated') figure = unitsFigure(verdict, e, trace);
  else if ((verdict === 'loss-rising' || verdict === 'overfitting') && p) figure = lossFigure(p, verdict === 'loss-rising' ? 'rising' : 'overfitting');
  else if (verdict === 'healthy' && flowUnread(e)) figure = 'no gap between the ends of the chain could be read';
  else if (e.hiddenLayers < 2) figure = noChainFigure(e, trace);
  else figure = gapFigure(verdict, e, trace);
  const through = trainedThrough(verdict, e, trace.run) ? `; ${trace.run.optimizer} trained through it, its steps rescaled by curvature` : '';
  return `${head}${figure === undefined ? '' : `: ${figure}`}${compensation(e)}${through}${stateClause(verdict, p)}.${tryClause(remedies)}`;
}
