/**
 * A diagnosis's summary, in paragraphs (Diagnosis.paragraphs): its heading sentence and the gradient flow's (flow-sentences.ts),
 * its causes, then where the run stands (progress-sentences.ts) and what else holds. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import type { Evidence, Severity, Verdict } from './diagnosis-types.js';
import { EVEN_RANGE } from './diagnosis-thresholds.js';
import { alikeInputsSentence, batchNormBlockingSentence, deadSentence, flatSentence, largeInputsSentence, residualSumSentence, gapSentence, learntGapSentence, skipCarriedSentence, noGradientSentence, notLearntWords, onLossSentence, saturatedSentence, trendSentence } from './flow-sentences.js';
import { inputsSaturating } from './evidence-readings.js';
import { inputsHold } from './offset-remedies.js';
import { chainEnds, decisiveGap, gapSeverity, gatedBranchLayers, PLAIN_ENDS, positiveFinite, readAtFirst } from './gap-measures.js';
import { accuracyEndWords, closedGapSentence, curvatureAsked, CURVATURE_QUESTION, noiseParagraph, progressSentence } from './progress-sentences.js';
import { aboutEven, learnsWords, SPEED_EVEN_RANGE } from './learning-speed.js';
import { skippedSentence } from './skipped-batches.js';
import { alsoGap, chainlessNotLearnt, explodingOnLoss, flowUnread, gapClosed, trainedThrough } from './verdict-rules.js';
import { verdictHead } from './headline.js';
import { numberText } from '../../number-text.js';
import type { TrainingProgress } from '../training-progress.js';

/**
 * The summary's paragraphs (Diagnosis.paragraphs; joined by spaces they are its summary), a reader's order: what the gradient flow
 * shows (beside a verdict on the loss, the loss first), what caused it where the evidence names a cause, where the run stands, the
 * question only its curvature answers (where it asks one), what the optimiser made of a gap, and what else holds. A lecturer read
 * the one paragraph these made, 400–600 words, as a wall (newuser49 #7).
 */
export function summarise(verdict: Verdict, severity: Severity | undefined, e: Evidence, trace: Trace): string[] {
  if (e.records === 0) return ['The trace is empty: train with { trace: { every: k } } to record one.'];
  const run = trace.run;
  const ends = chainEnds(trace, e);
  const gap = decisiveGap(e);
  const gapUnread = flowUnread(e);
  // Each paragraph's sentences; parts.push adds to the paragraph begun last (paragraph()).
  const paragraphs: string[][] = [];
  let parts: string[] = [];
  const paragraph = () => {
    if (parts.length > 0) paragraphs.push(parts);
    parts = [];
  };
  // Where the run stands (an epoch-read one's start noise and unread held-out rise in it: they qualify that reading), then on its own
  // the question its curvature answers (curvatureAsked: a plateau whose curvature was not given; test/flow/start-noise pins the order).
  const standing = (p: TrainingProgress) => {
    paragraph();
    parts.push(progressSentence(p, verdict, e, ends, trace));
    paragraph();
    // What a noisy batch gradient leaves unanswered of that reading, on its own (noiseParagraph).
    const noise = noiseParagraph(e, ends);
    if (noise) parts.push(noise);
    paragraph();
    if (curvatureAsked(e, trace)) parts.push(CURVATURE_QUESTION);
    paragraph();
  };
  // These two verdicts are the loss's, not the gradient flow's: its sentence comes first, the flow's evidence after it.
  const lossVerdict = verdict === 'loss-rising' || verdict === 'overfitting';
  if (lossVerdict && e.training) standing(e.training);
  const flowFine = lossVerdict ? 'the gradient flow itself shows no fault: ' : '';
  if (verdict === 'dead') parts.push(deadSentence(e, trace, e.deadLayers));
  if (verdict === 'saturated') parts.push(saturatedSentence(e, trace));
  if (e.hiddenLayers < 2) {
    const gated = gatedBranchLayers(trace, e.hiddenLayers);
    const offChain = gated > 0 ? ` on the chain (the ${gated} dense layer${gated === 1 ? '' : 's'} in ReZero branches ${gated === 1 ? 'is' : 'are'} off it: a branch's gradient is α times its block's, and the skips carry the gradient past it)` : '';
    // A healthy verdict read from that structure alone (chainlessNotLearnt) says what left it undecided.
    const notLearnt = verdict === 'healthy' ? chainlessNotLearnt(e) : undefined;
    const unshown = notLearnt && `, and nothing measured shows the gradient reaching the weights: ${notLearnt === 'unread' ? 'the trace holds too little to read whether the run learnt' : notLearntWords(notLearnt, e.training!)}`;
    parts.push(`${flowFine}with ${e.hiddenLayers} hidden layer${e.hiddenLayers === 1 ? '' : 's'}${offChain} there is no chain of hidden layers for the gradient to vanish or explode along${unshown ?? ''}.`);
  } else if (verdict !== 'dead' && (positiveFinite(gap) || e.normalisedBy)) {
    // A saturated verdict's sentence named the median over the records just before (saturatedSentence): not named again.
    parts.push(flowFine + gapSentence(gap, e, ends, trace, gapClosed(verdict, e), verdict === 'saturated'));
    // The gap's sentence named the ends' rows: the sentences after it in its paragraph name them by their place (PLAIN_ENDS).
    const sum = (verdict === 'exploding' || e.skipCarried !== undefined) && !e.normalisedBy ? residualSumSentence(trace, PLAIN_ENDS) : '';
    if (sum) parts.push(sum);
    if (verdict === 'vanishing' && e.batchNormBlocking) parts.push(batchNormBlockingSentence(e.batchNormBlocking, trace));
    const trend = trendSentence(e, PLAIN_ENDS);
    if (trend) parts.push(trend);
    if (e.grewWhileLearning) parts.push(learntGapSentence(gap, e));
    const onLoss = explodingOnLoss(verdict, gap, e);
    if (onLoss) parts.push(onLossSentence(onLoss, e));
    if (e.skipCarried !== undefined) parts.push(skipCarriedSentence(gap, e, ends));
  } else if (verdict !== 'dead' && (gap === 0 || gap === Infinity)) {
    parts.push(flowFine + noGradientSentence(gap, e, ends));
  } else if (verdict !== 'dead' && gapUnread) {
    parts.push(
      `${flowFine}no gap between the ${ends.first} and the ${ends.last} could be read: the ratio of their per-example δ was 0 ÷ 0 (no gradient at either end) or not a number in every record, ` +
        'so whether the gradient vanishes or explodes along the chain this trace cannot tell.',
    );
  } else if (alsoGap(verdict, e)) {
    // A second finding of the flow, beside dead units: a paragraph of its own, as the later findings have (the first paragraph holds the verdict's).
    paragraph();
    parts.push(`also ${alsoGap(verdict, e)} gradients (${gapSeverity(gap)}): ${gapSentence(gap, e, ends, trace)}`);
    const trend = trendSentence(e, PLAIN_ENDS);
    if (trend) parts.push(trend);
  }
  paragraph();
  // Input rows alike: the cause of whatever the flow shows, said before the flat batch norms it makes and where the run stands.
  if (trace.run.inputs === 'alike') parts.push(alikeInputsSentence());
  // Inputs far from standardised that saturated the first hidden layer or left the run at chance (inputsHold), and the saturation where
  // they caused it: said before where the run stands.
  if (inputsHold(trace, e)) parts.push(largeInputsSentence(trace, inputsSaturating(trace)));
  // The batch norms whose input did not vary: the cause of dead units after them and of a gap across them, said before where the run stands.
  if (e.flatNorms) parts.push(flatSentence(e, trace, verdict === 'vanishing' || verdict === 'exploding'));
  if (e.training && !lossVerdict) standing(e.training);
  const closed = closedGapSentence(verdict, e, ends);
  if (closed) parts.push(closed);
  if (trainedThrough(verdict, e, run)) parts.push(trainedThroughSentence(run.optimizer!, e.training!));
  // Beside where the run stands: the losses it was read from are over the applied batches alone.
  if (e.skippedBatches) parts.push(skippedSentence(e.skippedBatches));
  if (e.compensated) {
    // Where the speed sentence read the steps over the records, it gave this median already: said once.
    const stepsSaid = e.speedMeasure === 'step' && !readAtFirst(e);
    const step = e.updateFirstToLast;
    const optimiser = `The optimiser${run.optimizer ? ` (${run.optimizer}${run.layerRates ? ' with per-layer rates' : ''})` : ''}`;
    // One band per word: 'about even' is SPEED_EVEN's (the speed words'), the gap's EVEN_RANGE is what the steps were brought within.
    if (aboutEven(step)) {
      const steps = stepsSaid ? `those steps lie within ${SPEED_EVEN_RANGE} of each other` : `the ${ends.first}'s steps relative to its weights (‖ΔW‖/‖W‖) are ${numberText(step)}× the ${ends.last}'s (median), within ${SPEED_EVEN_RANGE}`;
      parts.push(`${optimiser} compensates: ${steps}, about even, so every layer still takes steps of a similar size despite the gap in its gradient.`);
    } else {
      // Steps the other way round from the gradient's gap (the first hidden layer the faster where its gradient was the smaller) over-compensate it.
      const over = step > 1 !== e.gradientFirstToLast > 1;
      const steps = stepsSaid ? 'its steps (above)' : `the ${ends.first}'s steps relative to its weights (‖ΔW‖/‖W‖) are ${numberText(step)}× the ${ends.last}'s (median)`;
      const gap = over ? `the gap in its steps is the other way round from the gradient's` : 'the gap in its steps is narrower than in its gradient';
      parts.push(
        `${optimiser} ${over ? 'over-compensates' : 'compensates in part'}: ${steps}, where steps that followed the gradient would be ${numberText(e.gradientFirstToLast)}× the ${ends.last}'s (‖∂C/∂W‖/‖W‖, median): ` +
          `${gap}, within the ${EVEN_RANGE} past which this diagnosis reads a gap but beyond the ${SPEED_EVEN_RANGE} it calls about even: the ${ends.first} learns ${learnsWords(step)} the last${stepsSaid ? ' (above)' : ''}.`,
      );
    }
  }
  if (e.evenedByDecay) {
    parts.push(
      `the ${ends.first}'s steps relative to its weights (‖ΔW‖/‖W‖) are ${numberText(e.updateFirstToLast)}× the ${ends.last}'s (median), ${aboutEven(e.updateFirstToLast) ? 'about even' : `within ${EVEN_RANGE}`}, ` +
        `but by the weight decay, not the optimiser: L2 decay (λ = ${numberText(run.weightDecay!)}) shrinks every layer's weights by the same fraction each step, ` +
        `and in the ${ends.first} its pull λ·‖W‖ is ${numberText(e.decayToGradient)}× the gradient ‖∂C/∂W‖ (median), so that layer's steps are mostly the decay's and the gap in its gradient stays uncompensated.`,
    );
  }
  paragraph();
  // The verdict is the first finding that holds (docs/gradient-flow.md, "The diagnosis"); the later ones the evidence also holds are named after it.
  if (verdict !== 'dead' && e.layersWithDeadUnits.length) parts.push(`also dead units: ${deadSentence(e, trace, e.layersWithDeadUnits)}`);
  if (verdict !== 'saturated' && e.saturatedLayers.length) parts.push(`also saturated units: ${saturatedSentence(e, trace)}`);
  if (e.nonFinite) parts.push('Some gradients or weights became Infinity or NaN.');
  paragraph();
  // Every sentence but the heading's first begins with a capital (the flow's are written to follow the heading's colon).
  const texts = paragraphs.map((sentences, k) => sentences.map((p, i) => (k === 0 && i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join(' '));
  return [`${verdictHead(verdict, severity, e)}: ${texts[0] ?? ''}`, ...texts.slice(1)];
}

/**
 * Beside a vanishing gap a second-order optimiser trained through (trainedThrough): that both are true, the gradient's gap and the
 * training, with how far it trained (the share right at the end, of the rows it was read from: accuracyEndWords; or where the
 * network has no classes its loss against the first step's); and what the remedies then are.
 */
function trainedThroughSentence(optimizer: string, p: TrainingProgress): string {
  const trained = Number.isNaN(p.accuracyEnd) ? `its loss down to ${numberText(p.lossEnd / p.lossStart)}× the first step's` : `to ${accuracyEndWords(p)}`;
  return (
    `${optimizer} trained through the gap, ${trained}: it rescales its steps by curvature, not by the gradient's size (second-order steps reach what a vanishing gradient leaves small: Martens 2010). ` +
    `The gradient still vanishes: the gap's remedies mend it, and none switches away from ${optimizer}.`
  );
}
