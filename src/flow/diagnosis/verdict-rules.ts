/**
 * The rules that turn the evidence into a verdict and its findings: which verdict, whether the flow
 * could be read, a gap beside dead units, a gap that closed, a gap that grew while the network
 * learnt. Part of diagnose() (diagnose.ts).
 */
import { atChance, type TrainingProgress } from '../training-progress.js';
import { EXPLODING_RATIO, SEVERE_RATIO, TRAINED_LOSS_FRACTION, VANISHING_RATIO } from './diagnosis-thresholds.js';
import type { Evidence, Verdict } from './diagnosis-types.js';
import { decisiveGap, even, gapMeasure, gapSide, positiveFinite } from './gap-measures.js';
import { stepSizing } from './learning-speed.js';
import type { TraceRun } from '../trace.js';

/**
 * The verdict from the evidence and its decisive gap (decisiveGap): the first that holds of Inf or NaN
 * values (exploding), dead layers, an exploding gap (unless it grew while the network learnt),
 * saturated layers, a vanishing gap, then where the run stands (a rising training loss, overfitting),
 * else healthy (docs/gradient-flow.md, "The diagnosis").
 */
export function verdictOf(gap: number, e: Evidence): Verdict {
  return e.nonFinite
    ? 'exploding'
    : e.deadLayers.length
      ? 'dead'
      : gap >= EXPLODING_RATIO && !e.grewWhileLearning && e.skipCarried === undefined
        ? 'exploding'
        : e.saturatedLayers.length
          ? 'saturated'
          : gap <= VANISHING_RATIO
            ? 'vanishing'
            : e.training?.state === 'rising'
              ? 'loss-rising'
              : e.training?.state === 'overfitting'
                ? 'overfitting'
                : 'healthy';
}

/** No gap read along the chain (0 ÷ 0 or NaN in every record; 0 and Inf are read, noGradientSentence): no fault found there, which is not a healthy flow measured. */
export function flowUnread(e: Evidence): boolean {
  const gap = decisiveGap(e);
  return e.hiddenLayers >= 2 && !e.normalisedBy && !positiveFinite(gap) && gap !== 0 && gap !== Infinity;
}

/**
 * A healthy verdict no measurement of the flow decided (Diagnosis.undecided): no gap read along the chain (flowUnread), or no
 * chain of two hidden layers to read one along (one hidden layer, or the rest in ReZero branches, off it) beside a run that did
 * not show it learnt (chainlessNotLearnt). There "healthy" came from the network's structure alone: ReZero on the visualizer's
 * spirals, on a plateau at 60 % of its rows, read "Healthy gradient flow" (newuser49 #16).
 */
export function flowUndecided(e: Evidence): boolean {
  return flowUnread(e) || chainlessNotLearnt(e) !== undefined;
}

/**
 * Of a network without a chain of two hidden layers, what keeps a healthy verdict on it undecided (flowUndecided): its progress
 * not read ('unread'), a model at chance, or a run neither converged nor still learning whose loss did not fall to
 * TRAINED_LOSS_FRACTION of its start (a plateau, or unclear). A run that converged, still learns, or trained that far off chance
 * shows the gradient reaching its weights; undefined then, and for a network with a chain.
 */
export function chainlessNotLearnt(e: Evidence): Extract<NotLearnt, 'loss fell too little' | 'at chance'> | 'unread' | undefined {
  if (e.hiddenLayers >= 2) return undefined;
  const p = e.training;
  if (p === undefined) return 'unread';
  if (atChance(p)) return 'at chance';
  return p.state === 'converged' || p.state === 'learning' || trainedWell(p) ? undefined : 'loss fell too little';
}

/**
 * No finding in the gradient flow beside the verdict: the flow was read, and no hidden layer has
 * DEAD_UNITS of its units dead or SATURATED_LAYER saturated. Only such a run is offered what where it
 * stands asks alone (a plateau's remedies, more epochs for a loss still falling): dead or saturated
 * units get remedies of their own first, a smaller rate among them, and the summary says which.
 */
export const flowClear = (e: Evidence) => !flowUnread(e) && e.layersWithDeadUnits.length === 0 && e.saturatedLayers.length === 0;

/**
 * Beside a dead verdict, the side of the thresholds a measured gap lies on (vanishing or exploding),
 * or undefined: dead units decide the verdict, but such a gap is a finding of its own (the live
 * units' gradient vanishes or explodes too), said in the summary and remedied after the dead units.
 */
export function alsoGap(verdict: Verdict, e: Evidence): 'vanishing' | 'exploding' | undefined {
  const gap = decisiveGap(e);
  return verdict === 'dead' && positiveFinite(gap) && !e.grewWhileLearning && e.skipCarried === undefined ? gapSide(gap) : undefined;
}

/**
 * Whether `p`'s training loss ended at most TRAINED_LOSS_FRACTION of its start, the start read as
 * low as its batch's noise allows (lossStart − startNoise): a first batch high by chance does not make
 * a run look trained.
 */
const trainedWell = (p: Pick<TrainingProgress, 'lossStart' | 'startNoise' | 'lossEnd'>) => p.lossEnd <= TRAINED_LOSS_FRACTION * (p.lossStart - p.startNoise);

/**
 * Whether a mild exploding gap (`gap` from EXPLODING_RATIO up to 1/SEVERE_RATIO) opened while the
 * network learnt, no fault to fix: the first record's gap within 1/4–4× (the weights it started from
 * passed the gradient on evenly), no Inf or NaN, and a run that trained well (TRAINED_LOSS_FRACTION),
 * off chance, whose loss did not rise: still learning, converged, on a plateau, or where the epochs
 * cannot tell whether it still makes progress ('unclear'), unless beside a held-out loss that rose.
 * Measured (2026-12-01, SGD): relu/he on the spirals (6 × 16, seeds 1–3) reached 95.0–97.5 % of its test points with its gap
 * 0.96–2.2× at the first record and 3.5–5.7× over the records (seed 1's 5.67× read EXPLODING (mild)); networks whose large initial weights explode
 * (relu N(0, 0.3²), tanh N(0, 0.4²), [784, 10 × 32, 10]) had theirs at the first record (4.5–7.3×),
 * and their gaps stay flagged. The visualizer's run of that remedy (newuser40, 2026-12-05) read healthy while learning and
 * EXPLODING (mild) wherever its flat loss made the epochs 'unclear' (steps 2,400, 3,200, 5,600, 12,200, 13,400 of 17,409, its
 * gap 5.85–7.13×, 97.9 % of its rows right): the same gap on the same learnt network, so 'unclear' no longer makes it a fault.
 */
export function grewWhileLearning(gap: number, e: Evidence): boolean {
  return openedFromEven(gap, e) && notLearnt(e.training!) === undefined;
}

/** A mild exploding gap (EXPLODING_RATIO up to 1/SEVERE_RATIO) whose first record lay within 1/4–4×, no Inf or NaN, in a run with its progress read: the gaps grewWhileLearning asks of the loss about. */
const openedFromEven = (gap: number, e: Evidence) => !e.nonFinite && gap >= EXPLODING_RATIO && gap < 1 / SEVERE_RATIO && even(gapMeasure(e).first) && e.training !== undefined;

/** What in a run's loss keeps a gap from having grown while the network learnt (grewWhileLearning), the first that holds. */
export type NotLearnt = 'loss rose' | 'overfitting' | 'held-out loss rose' | 'loss fell too little' | 'at chance';

/** Of a run's progress, what keeps a gap that opened from an even start from reading as grown while learning (NotLearnt); undefined where nothing does. */
function notLearnt(p: TrainingProgress): NotLearnt | undefined {
  if (p.state === 'rising') return 'loss rose';
  if (p.state === 'overfitting') return 'overfitting';
  if (p.state === 'unclear' && p.heldOutRose) return 'held-out loss rose';
  if (!trainedWell(p)) return 'loss fell too little';
  return atChance(p) ? 'at chance' : undefined;
}

/**
 * Where an exploding verdict's gap opened from an even first record (a gap that would read as grown while the network learnt, no
 * fault), what in the run's loss made it a fault (NotLearnt): the verdict turned on the loss, not on the gap's size, which the
 * headline and the summary say (newuser46 #4: a page run read 'healthy' at a gap of 7.60× and 'exploding (mild)' at 7.34×, once its
 * loss rose). Undefined for any other verdict or gap.
 */
export const explodingOnLoss = (verdict: Verdict, gap: number, e: Evidence): NotLearnt | undefined =>
  verdict === 'exploding' && !e.grewWhileLearning && e.skipCarried === undefined && openedFromEven(gap, e) ? notLearnt(e.training!) : undefined;

/**
 * A vanishing or exploding gap that closed during training (its median over the records within
 * EVEN_RANGE, so the verdict was read at the first record): the first hidden layers learnt too, and
 * what is left is no gap, so no remedy for it is offered: the run gets what a healthy flow in its
 * state gets (more epochs while the loss falls, a plateau's or a rising loss's remedies, none once
 * converged). Measured (2026-12-02): [784, 30, 30, 30, 10] sigmoid, Adam at 0.01 in batches of 32 on
 * 700 digits, 5 epochs (seed 1): 1/49.5 at the first record, 0.363× over the records, 1/2.49 at the
 * last, its loss still falling 16 % an epoch at 58 % of its batches' rows (test/flow/closed-gap.test.ts);
 * SGD at 6, 10 epochs: 1/49.5, then 0.472× over the records, on a plateau (it was offered every gap
 * remedy, and told the first hidden layer was the slow one). Across norm rows (evidence.normalisedBy)
 * only a converged or learning run's is read as closed: there a plateau's or a rising run's
 * first-record gap comes from its init's row lengths, and 'standard' was measured to bring it nearer 1
 * (explodingAcrossNorms; test/flow/diagnose-batch-norm-exploding.test.ts).
 */
export const gapClosed = (verdict: Verdict, e: Evidence) =>
  (verdict === 'vanishing' || verdict === 'exploding') && !e.nonFinite && even(gapMeasure(e).median) && (!e.normalisedBy || e.training?.state === 'converged' || e.training?.state === 'learning');

/**
 * A vanishing or exploding gap that held over the run (not gapClosed: its median, or its first record, beyond EVEN_RANGE) but lay
 * within EVEN_RANGE at the last record: it had narrowed or crossed over into it by the end, as the headline says ('by the last
 * record it had crossed over to 1.51× the last hidden layer's'). The end shows no gap, so the run is also offered what where it stands
 * asks beside a closed gap (more epochs for a loss still falling, a plateau's remedies …), after the gap's own, which answer the
 * records before and stay first: newuser45's tanh run (#14: [8, 6 × 32, 3], 1/32.1 at the first step, 1/13.1 over the records, 1.51×
 * by the end, still learning) reached 83/80/83 % of its 100 held-out rows (seeds 1–3) made afresh with the first of them, glorot-uniform,
 * in its 10 epochs, and 79/79/80 % trained 20 epochs from its own weights (2026-12-06, docs/gradient-flow.md). Not across norm rows,
 * whose gap is not δ's alone (agreedGap), nor beside Inf or NaN. Nor where it crossed past the other threshold by the last record
 * (vanishing at the start, beyond 4× by the end, or the reverse), which keeps the verdict's remedies alone, decided so (trace49): its
 * end shows a gap too, of the other side, which diagnose() calls no fault only where it opened from within 1/4–4× as the network
 * learnt (grewWhileLearning), so a closed gap's remedies do not answer it; and the other side's pull against the verdict's (an
 * exploding end's smaller initial weights against a vanishing start's larger ones), measured on no such run. The headline says
 * where the gap went (gapAtEndWords), so the run's end is not unsaid (test/flow/gap-even-at-end).
 */
export function gapEvenAtEnd(verdict: Verdict, e: Evidence): boolean {
  const { first, last } = gapMeasure(e);
  return (verdict === 'vanishing' || verdict === 'exploding') && !e.nonFinite && !e.normalisedBy && !gapClosed(verdict, e) && e.records >= 2 && positiveFinite(first) && even(last);
}

/** Evidence.skipCarried: the skips' bound on the trunk's growth (skipGrowthBound of the chain's last row), where the gap is a mild exploding one, no Inf or NaN, and the bound is below EXPLODING_RATIO. */
export function skipCarried(gap: number, e: Evidence, bound: number | undefined): number | undefined {
  return !e.nonFinite && gap >= EXPLODING_RATIO && gap < 1 / SEVERE_RATIO && bound !== undefined && bound < EXPLODING_RATIO ? bound : undefined;
}

/** Whether the run's own progress says it learnt (notLearnt finds nothing against it), whatever its gradient read. */
export function runLearnt(e: Evidence): boolean {
  return e.training !== undefined && notLearnt(e.training) === undefined;
}

/**
 * A vanishing gap a second-order optimiser trained through: the verdict is the gradient's and stands (the gap as read), but the run's
 * optimiser rescales its steps by curvature (stepSizing 'curvature': K-FAC, Hessian-free, L-BFGS, Levenberg–Marquardt), and the run
 * trained well, nothing in its loss saying otherwise (notLearnt: trained to TRAINED_LOSS_FRACTION of its start, off chance, its loss
 * not rising). That is what second-order methods are for (Martens 2010: Hessian-free trained deep autoencoders whose gradients
 * vanish). Measured (2026-12-06, page48's leftover): on 5 × (dense 16 → layer norm → sigmoid) over 256 rows (scripts/remedy-setups'
 * layerNormSigmoid), Hessian-free with its batch over 64 epochs reached 95–99 %, and seeds 2–3 read "Vanishing gradients (severe)"
 * at the first step's gap (1/40, 1/17) with δ crossed over by the last record, and were offered Adam and LARS, which reached 23–30 %
 * and 47–64 % on that network. Such a run is offered no switch of optimiser and what where it stands asks (more epochs while its loss
 * falls) after the gap's own remedies, which would mend the gradient itself. Not where the gap closed during training (gapClosed).
 */
export function trainedThrough(verdict: Verdict, e: Evidence, run: TraceRun): boolean {
  return verdict === 'vanishing' && !gapClosed(verdict, e) && e.training !== undefined && stepSizing(run)?.per === 'curvature' && runLearnt(e);
}
