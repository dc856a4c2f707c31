/**
 * Glorot & Bengio's (2010) Figure 2 read from a traced sigmoid run: with their standard init, "the top
 * hidden layer quickly saturates at 0" (its mean activation falls to 0 while the layers below stay
 * near or above 0.5), then slowly desaturates. Their measure is each hidden layer's mean activation
 * over training; this reads the top hidden layer's from a trace (the first record, the last full
 * batch's, the lowest between, and the first at or below TOP_LAYER_AT_ZERO), and study (b)'s
 * sentence weighs it against the paper.
 */
import { PRIME_MAX } from '../flow/metrics.js';
import { VANISHING_RATIO } from '../flow/diagnosis/diagnosis-thresholds.js';
import type { Trace } from '../flow/trace.js';
import { grouped } from '../counted.js';
import { callEndSteps } from '../training/call-end-steps.js';
import type { ActivationStudyResult } from './activations.js';

/**
 * The mean activation ā at or below which a sigmoid layer reads as "at 0": ā(1 − ā) = 1/16, the
 * diagnosis' VANISHING_RATIO (1/4) of σ''s maximum PRIME_MAX (1/4), so ā = (1 − √(3/4))/2 ≈ 0.067.
 * σ' = a(1 − a) is concave in a, so the layer's mean σ' is at most ā(1 − ā) (Jensen), however its
 * activations spread: at or below this mean the layer passes on at most a quarter of what units at
 * σ'(0) would. The trace's saturatedFraction (within SATURATION_MARGIN, 0.01, of 0 or 1) counts none
 * of a layer whose units all sit at 0.03 (σ' 0.029, 12 % of its maximum): that band misses this.
 */
export const TOP_LAYER_AT_ZERO = (1 - Math.sqrt(1 - 4 * VANISHING_RATIO * PRIME_MAX.sigmoid)) / 2;

/** σ' at TOP_LAYER_AT_ZERO in words: '1/16, 25 % of its maximum'. */
export const AT_ZERO_PRIME_WORDS = `1/${Math.round(1 / (VANISHING_RATIO * PRIME_MAX.sigmoid))}, ${Math.round(100 * VANISHING_RATIO)} % of its maximum`;

/** The top hidden layer's mean activation at one record. */
export interface MeanAt {
  /** The network step of the record. */
  step: number;
  /** The top hidden layer's mean activation there. */
  mean: number;
}

/** The top hidden layer's mean activation over a sigmoid run (Glorot & Bengio's Figure 2 measure). */
export interface TopLayerSaturation {
  /** At the first record. */
  first: MeanAt;
  /** At the last full batch's record (Trace.lastFullBatchRecord: not an epoch's short last batch). */
  last: MeanAt;
  /** The lowest over the full batches' records up to the last. */
  lowest: MeanAt;
  /** The first full batch's record at or below TOP_LAYER_AT_ZERO; undefined where none is. */
  atZero?: MeanAt;
  /** The hidden layers below the top one at the last record: their lowest and highest mean activation (undefined with one hidden layer). */
  below?: { low: number; high: number };
}

/**
 * The top hidden layer's mean activation over `trace` (see TopLayerSaturation); undefined unless every
 * hidden layer is sigmoid (Figure 2's units, whose limit 0 the reading is about) in a dense network's
 * trace with a record.
 */
export function topLayerSaturation(trace: Trace): TopLayerSaturation | undefined {
  const hidden = trace.layers - 1;
  const last = trace.lastFullBatchRecord();
  if (trace.blocks || hidden < 1 || last === undefined || !trace.activations.slice(0, hidden).every((a) => a === 'sigmoid')) return undefined;
  const top = hidden - 1;
  const at = (r: number): MeanAt => ({ step: trace.steps[r], mean: trace.at('activationMean', r, top) });
  const records = trace.fullBatchRecords().filter((r) => r <= last);
  const lowest = records.map(at).reduce((low, m) => (m.mean < low.mean ? m : low));
  const zero = records.find((r) => trace.at('activationMean', r, top) <= TOP_LAYER_AT_ZERO);
  const belowMeans = Array.from({ length: top }, (_, l) => trace.at('activationMean', last, l));
  return {
    first: at(0),
    last: at(last),
    lowest,
    ...(zero !== undefined && { atZero: at(zero) }),
    ...(top > 0 && { below: { low: Math.min(...belowMeans), high: Math.max(...belowMeans) } }),
  };
}

const two = (x: number) => x.toFixed(2);

/** One run's reading: first → last, where it reached 0 (or its lowest, where that was before the end), and the layers below at the end. */
function runReading(label: string, s: TopLayerSaturation): string {
  const notes = [
    ...(s.atZero ? [`at 0 from step ${grouped(s.atZero.step)}`] : s.lowest.step === s.last.step ? [] : [`lowest ${two(s.lowest.mean)} at step ${grouped(s.lowest.step)}`]),
    ...(s.below ? [`layers below ${two(s.below.low)}${two(s.below.high) === two(s.below.low) ? '' : `–${two(s.below.high)}`}`] : []),
  ];
  return `${label} ${two(s.first.mean)} → ${two(s.last.mean)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * Study (b)'s reading of its sigmoid runs against Glorot & Bengio's Figure 2: each sigmoid run's top
 * hidden layer's mean activation, first → last, and whether the standard-init run's (their figure's)
 * reached 0 (TOP_LAYER_AT_ZERO) within the run, with where the set-up differs. '' when the result
 * has no traced sigmoid run.
 */
export function glorotSaturationReading(result: ActivationStudyResult): string {
  const read = result.runs.flatMap((r) => {
    const s = r.activation === 'sigmoid' && r.trace ? topLayerSaturation(r.trace) : undefined;
    return s ? [{ run: r, s }] : [];
  });
  if (read.length === 0) return '';
  const updates = callEndSteps(0, result.epochs, result.trainRows, result.batchSize)?.last ?? 0;
  // The study records the run's last step (runActivationStudy's extraSteps): where every run's end is it, that is what the words say.
  const end = read.every(({ s }) => s.last.step === updates) ? 'last step' : "last full batch's traced step";
  const theirs = read.find(({ run }) => run.init === 'standard');
  const verdict = !theirs
    ? 'Their figure is of the standard init, which this run left out.'
    : theirs.s.atZero
      ? `Reproduced: the standard init's top hidden layer reached 0 (a mean ≤ ${TOP_LAYER_AT_ZERO.toFixed(3)}) at step ${grouped(theirs.s.atZero.step)}.`
      : `Not reproduced in ${grouped(updates)} updates: the standard init's top hidden layer did not reach 0 (a mean ≤ ${TOP_LAYER_AT_ZERO.toFixed(3)}) by its ${end}` +
        (theirs.s.last.mean < theirs.s.first.mean ? ', though it fell towards it.' : '.');
  const hidden = result.sizes.length - 2;
  return (
    `Glorot & Bengio (2010, Figure 2: sigmoid, standard init, 4 hidden layers of 1,000 units on Shapeset-3×2): "the top hidden layer quickly saturates at 0", ` +
    `its mean activation (their measure) falling to 0 while the layers below stay near or above 0.5. The top hidden layer's mean activation here, at the first step → the ${end}: ` +
    `${read.map(({ run, s }) => runReading(`${run.label}`, s)).join('; ')}. ${verdict} ` +
    `Here: ${hidden} hidden layers of ${grouped(result.sizes[1])} units, ${grouped(updates)} updates on ${grouped(result.trainRows)} MNIST digits. ` +
    `"At 0": a mean ≤ ${TOP_LAYER_AT_ZERO.toFixed(3)}, where the layer's mean σ' is at most ${AT_ZERO_PRIME_WORDS}.`
  );
}
