/**
 * The gap in the gradient flow as diagnose() measures it: the chain of hidden layers it is read
 * along, the gap that decides (per-example δ, or the relative gradient across norm rows), its side
 * and severity. Part of diagnose() (diagnose.ts).
 */
import type { Trace } from '../trace.js';
import { EXPLODING_RATIO, SEVERE_RATIO, VANISHING_RATIO } from './diagnosis-thresholds.js';
import type { Evidence, FirstToLast, Severity } from './diagnosis-types.js';

/** Whether a measured ratio or factor can be read: > 0 and finite (a 0 ÷ 0 is NaN, an x ÷ 0 Infinity). */
export const positiveFinite = (v: number) => v > 0 && Number.isFinite(v);

/**
 * The hidden weight layers the gradient's gap is measured along, as trace rows in forward order:
 * every row but the output in a dense network's trace; the dense rows but the last row in a block
 * network's (its norm, activation and ReZero rows carry no δ = ∂C/∂z of a weight layer).
 */
export function hiddenChain(trace: Trace): number[] {
  const hidden = Array.from({ length: Math.max(0, trace.layers - 1) }, (_, l) => l);
  if (!trace.blocks) return hidden;
  // A ReZero branch's gradient is α times the block's (α starts at 0): its gap to the first layer measures the gate, not the chain.
  const gated = trace.blocks.residuals.filter((b) => b.gate === 'rezero').map((b) => `${b.name}.branch.`);
  const layers = trace.blocks.layers;
  return hidden.filter((l) => layers[l].type === 'dense' && !gated.some((prefix) => layers[l].name.startsWith(prefix)));
}

/** How many hidden dense rows the chain (hiddenChain, `chainLength` rows) leaves out because they sit in ReZero branches (0 in a dense network's trace). */
export function gatedBranchLayers(trace: Trace, chainLength: number): number {
  if (!trace.blocks) return 0;
  const dense = trace.blocks.layers.slice(0, Math.max(0, trace.layers - 1)).filter((l) => l.type === 'dense').length;
  return dense - chainLength;
}

/** The batch- and layer-norm rows between the chain's ends (none in a dense network's trace). */
export function normRows(trace: Trace, chain: number[]): number[] {
  if (!trace.blocks || chain.length < 2) return [];
  const type = (l: number) => trace.blocks!.layers[l].type;
  const first = chain[0];
  return Array.from({ length: chain[chain.length - 1] - first }, (_, i) => first + i).filter((l) => type(l) === 'batch-norm' || type(l) === 'layer-norm');
}

/** A vanishing or exploding gap's severity: severe at or past SEVERE_RATIO (or 1/SEVERE_RATIO), else mild. */
export const gapSeverity = (gap: number): Severity => (gap <= SEVERE_RATIO || gap >= 1 / SEVERE_RATIO ? 'severe' : 'mild');

/** Which side of the thresholds a first-to-last gap lies: vanishing (≤ VANISHING_RATIO), exploding (≥ EXPLODING_RATIO), or neither. */
export const gapSide = (gap: number): 'vanishing' | 'exploding' | undefined => (gap <= VANISHING_RATIO ? 'vanishing' : gap >= EXPLODING_RATIO ? 'exploding' : undefined);

/**
 * The per-example gap that decides vanishing or exploding, and which reading it is (Evidence.gap):
 * of the first record's and the median, the one further from 1 (a gap that closes later, often on a
 * plateau where every gradient has fallen, does not undo the slow start of the first layers; at a
 * tie, the first record's). NaN read at the median without two hidden layers, or where neither can
 * be read. The reading is carried, not found again by comparing values: the two can be equal (0 and
 * 0, Inf and Inf, a tie), and a NaN equals nothing.
 */
export function decisiveReading(e: Evidence): Evidence['gap'] {
  const median = (ratio: number) => ({ ratio, readAt: 'median' as const });
  if (e.hiddenLayers < 2) return median(NaN);
  const { first, median: mid } = gapMeasure(e);
  const atFirst = { ratio: first, readAt: 'first record' as const };
  // A ratio of 0 or Inf at the first record is one batch with no gradient at one end (dead units, which their verdict reads), not a gap; in
  // the median record, one end had none over most of the run: the widest gap there is (|log| infinite), said as such (noGradientSentence).
  if (!positiveFinite(first)) return median(mid);
  if (Number.isNaN(mid)) return atFirst;
  return Math.abs(Math.log(first)) >= Math.abs(Math.log(mid)) ? atFirst : median(mid);
}

/** The ratio of the decisive reading (decisiveReading). */
export const decisiveGap = (e: Evidence): number => decisiveReading(e).ratio;

/** Whether the decisive gap was read at the first record (decisiveReading), not as the median over the records. */
export const readAtFirst = (e: Evidence): boolean => decisiveReading(e).readAt === 'first record';

/** The ratio the gap is read from: per-example δ, or across norm layers the gap δ and ‖∂C/∂W‖/‖W‖ agree on (see agreedGap). */
export const gapMeasure = (e: Evidence): FirstToLast => e.normalisedGap ?? e.deltaFirstToLast;

/**
 * Of two first-to-last ratios, the gap both support: where they lie on the same side of 1, the one
 * nearer 1; where they point opposite ways (or either is 0, Inf or NaN), none (NaN).
 */
function agreedRatio(a: number, b: number): number {
  if (!(positiveFinite(a) && positiveFinite(b))) return NaN;
  const [la, lb] = [Math.log(a), Math.log(b)];
  if (la * lb < 0) return NaN;
  return Math.abs(la) <= Math.abs(lb) ? a : b;
}

/**
 * Across norm rows, the gap per-example δ and the relative gradient ‖∂C/∂W‖/‖W‖ agree on, at the
 * first record and over the records (agreedRatio). Neither alone means what the thresholds ask: a
 * norm divides δ by its input's spread, so a layer's δ follows its own weights' scale, and the
 * relative gradient follows each layer's fan-in and weight scale (on [784, 8 × (dense 30, batch norm,
 * sigmoid), 10] it read 6.17× with 'standard' weights, 3.12× with 'glorot-uniform', the same
 * function, while δ read 1.02× and 0.72×). A gap both show is one the chain and the learning speed share.
 */
export function agreedGap(delta: FirstToLast, relative: FirstToLast): FirstToLast {
  return { first: agreedRatio(delta.first, relative.first), last: agreedRatio(delta.last, relative.last), median: agreedRatio(delta.median, relative.median) };
}

/** How the summary names the ends of the hidden chain: 'first hidden layer', or in a block network "first hidden layer layers[0] ('0', dense)", by the row's name (Trace.layerLabel, whose type says dense). */
export interface ChainEnds {
  first: string;
  last: string;
}

/**
 * The chain's ends by their place alone: a dense network's names, and a block network's once the gap's sentence has named their
 * rows (chainEnds), for the sentences after it in its paragraph (prose54: "the first hidden layer layers[0] ('0', dense)" four
 * times in one paragraph of a residual network's).
 */
export const PLAIN_ENDS: ChainEnds = { first: 'first hidden layer', last: 'last hidden layer' };

export function chainEnds(trace: Trace, e: Evidence): ChainEnds {
  if (!trace.blocks || !e.chain?.length) return PLAIN_ENDS;
  return { first: `first hidden layer ${trace.layerLabel(e.chain[0])}`, last: `last hidden layer ${trace.layerLabel(e.chain[e.chain.length - 1])}` };
}

/** Within the thresholds: neither vanishing nor exploding. */
export const even = (ratio: number) => ratio > VANISHING_RATIO && ratio < EXPLODING_RATIO;
