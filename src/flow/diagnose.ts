/**
 * diagnose(trace): vanishing, exploding or healthy, with the evidence that decided it and the
 * remedies that fit, by the names gradscope's options take. Worded for a learner.
 */
import type { Activation, OutputActivation } from '../kernels.js';
import type { LayerMetric } from './metrics.js';
import type { Trace } from './trace.js';

export type Verdict = 'vanishing' | 'exploding' | 'healthy';

/**
 * First hidden layer learning this many times slower than the last, at the first step or for most
 * of the run (the median over the records): vanishing; this many times faster: exploding.
 */
export const VANISHING_RATIO = 0.1;
export const EXPLODING_RATIO = 10;
/** A layer counts as saturated when more than this fraction of its units' σ' is below 1 % of its max. */
export const SATURATED_LAYER = 0.5;
/** The last hidden layer's gradient falling below this fraction of its start: a plateau. */
export const PLATEAU_DROP = 0.01;
/** Largest per-layer learning-rate multiplier a remedy suggests. */
const MAX_LAYER_RATE = 1000;

export interface LayerEvidence {
  layer: number;
  activation: OutputActivation;
  /** Median over the records of ‖∂C/∂b‖. */
  biasGradNorm: number;
  /** That median over the last hidden layer's. */
  ratioToLast: number;
  /** ‖∂C/∂b‖ over the last hidden layer's at the first record. */
  ratioToLastAtStart: number;
  /** Median measured ‖δ^l‖/‖δ^{l+1}‖ and its chain-rule bound ‖W^{l+1}‖₂·max σ'(z^l) (NaN for the output layer). */
  chainFactor: number;
  chainBound: number;
  /** At the last record. */
  saturatedFraction: number;
  deadFraction: number;
  /** Median ‖ΔW‖/‖W‖. */
  updateRatio: number;
}

export interface Diagnosis {
  verdict: Verdict;
  /** One paragraph: what was measured and what it means. */
  summary: string;
  evidence: {
    hiddenLayers: number;
    records: number;
    /** ‖∂C/∂b‖ of the first hidden layer over the last hidden layer's: at the first record, the last, and the median. */
    firstToLast: { first: number; last: number; median: number };
    /** log10(last/first) of that ratio: negative means the gap between the layers widened during training. */
    trendDecades: number;
    /** Geometric mean of the hidden layers' chain factors: the shrink (< 1) or growth per layer. */
    meanChainFactor: number;
    /** ‖∂C/∂b‖ of the last hidden layer at the last record over the first: far below 1 on a plateau. */
    lastHiddenChange: number;
    layers: LayerEvidence[];
    /** Hidden layers whose saturated fraction exceeds SATURATED_LAYER at the last record. */
    saturatedLayers: number[];
    nonFinite: boolean;
  };
  /** What to change, by gradscope's option names, and why. */
  remedies: { option: string; why: string }[];
}

const median = (values: number[]): number => {
  const finite = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
};

const saturating = (f: OutputActivation) => f === 'sigmoid' || f === 'tanh' || f === 'softsign';
const fmt = (v: number) => (Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toPrecision(3) : v.toExponential(2));

export function diagnose(trace: Trace): Diagnosis {
  const L = trace.layers;
  const hidden = L - 1;
  const records = trace.length;
  const series = (metric: LayerMetric, l: number) => (records === 0 ? [] : Array.from(trace.series(metric, l)));
  const lastOf = (metric: LayerMetric, l: number) => (records === 0 ? NaN : trace.at(metric, records - 1, l));
  const lastHidden = Math.max(0, hidden - 1);

  const layers: LayerEvidence[] = Array.from({ length: L }, (_, l) => ({
    layer: l,
    activation: trace.activations[l],
    biasGradNorm: median(series('biasGradNorm', l)),
    ratioToLast: NaN,
    ratioToLastAtStart: records === 0 ? NaN : trace.at('biasGradNorm', 0, l) / trace.at('biasGradNorm', 0, lastHidden),
    chainFactor: median(series('chainFactor', l)),
    chainBound: median(series('chainBound', l)),
    saturatedFraction: lastOf('saturatedFraction', l),
    deadFraction: lastOf('deadFraction', l),
    updateRatio: median(series('updateRatio', l)),
  }));
  layers.forEach((e) => (e.ratioToLast = e.biasGradNorm / layers[lastHidden].biasGradNorm));

  const ratios = Array.from({ length: records }, (_, r) => trace.at('biasGradNorm', r, 0) / trace.at('biasGradNorm', r, lastHidden));
  const firstToLast = { first: ratios[0] ?? NaN, last: ratios[records - 1] ?? NaN, median: median(ratios) };
  const trendDecades = Math.log10(firstToLast.last / firstToLast.first);
  const factors = layers.slice(0, Math.max(0, hidden - 1)).map((e) => e.chainFactor).filter((f) => f > 0);
  const meanChainFactor = factors.length ? Math.exp(factors.reduce((s, f) => s + Math.log(f), 0) / factors.length) : NaN;
  const saturatedLayers = layers.slice(0, hidden).filter((e) => e.saturatedFraction > SATURATED_LAYER).map((e) => e.layer);
  let nonFinite = false;
  for (const metric of ['weightGradNorm', 'biasGradNorm', 'weightNorm'] as const) {
    if (records > 0 && !Array.from(trace.metric(metric)).every(Number.isFinite)) nonFinite = true;
  }

  // At the start or for most of the run: a gap that closes later (often because every layer's
  // gradient has fallen onto a plateau) does not undo the slow start of the first layers.
  const worstLow = Math.min(firstToLast.first, firstToLast.median);
  const worstHigh = Math.max(firstToLast.first, firstToLast.median);
  const verdict: Verdict =
    nonFinite || worstHigh > EXPLODING_RATIO ? 'exploding' : hidden >= 2 && worstLow < VANISHING_RATIO ? 'vanishing' : 'healthy';
  const lastHiddenChange = records === 0 ? NaN : trace.at('biasGradNorm', records - 1, lastHidden) / trace.at('biasGradNorm', 0, lastHidden);
  const evidence = { hiddenLayers: hidden, records, firstToLast, trendDecades, meanChainFactor, lastHiddenChange, layers, saturatedLayers, nonFinite };
  return { verdict, summary: summarise(verdict, evidence), evidence, remedies: remediesFor(verdict, trace, evidence) };
}

function summarise(verdict: Verdict, e: Diagnosis['evidence']): string {
  if (e.records === 0) return 'The trace is empty: train with { trace: { every: k } } to record one.';
  if (e.hiddenLayers < 2) {
    return `With ${e.hiddenLayers} hidden layer${e.hiddenLayers === 1 ? '' : 's'} there is no chain of hidden layers for the gradient to vanish along.`;
  }
  // The figure that decided the verdict: the start when it is the more extreme one.
  const ratio = Math.abs(Math.log10(e.firstToLast.first)) > Math.abs(Math.log10(e.firstToLast.median)) ? e.firstToLast.first : e.firstToLast.median;
  const when = ratio === e.firstToLast.first ? 'at the first step' : `median over ${e.records} records`;
  const speed =
    ratio < 1
      ? `the first hidden layer learns ${fmt(1 / ratio)}× slower than the last one`
      : `the first hidden layer learns ${fmt(ratio)}× faster than the last one`;
  const trend =
    Math.abs(e.trendDecades) < 0.3
      ? 'and the gap stayed about the same during training'
      : e.trendDecades < 0
        ? `and the gap widened ${fmt(10 ** -e.trendDecades)}× during training`
        : `and the gap narrowed ${fmt(10 ** e.trendDecades)}× during training`;
  const plateau =
    e.lastHiddenChange < PLATEAU_DROP
      ? `, while the last hidden layer's own gradient fell ${fmt(1 / e.lastHiddenChange)}× (a plateau: every layer now learns slowly)`
      : '';
  const chain = Number.isFinite(e.meanChainFactor)
    ? ` Passing back through one hidden layer multiplies the gradient by ${fmt(e.meanChainFactor)} on average (the chain-rule factor σ'(z)·W).`
    : '';
  const saturated = e.saturatedLayers.length
    ? ` Hidden layer${e.saturatedLayers.length > 1 ? 's' : ''} ${e.saturatedLayers.map((l) => l + 1).join(', ')} ${e.saturatedLayers.length > 1 ? 'are' : 'is'} saturated: most units sit where σ' ≈ 0 and pass almost no gradient back.`
    : '';
  const head =
    verdict === 'vanishing' ? 'Vanishing gradients: ' : verdict === 'exploding' ? 'Exploding gradients: ' : 'Healthy gradient flow: ';
  const nonFinite = e.nonFinite ? ' Some gradients or weights became Inf or NaN.' : '';
  return `${head}${speed} (‖∂C/∂b‖ of the first over the last hidden layer, ${when}: ${fmt(ratio)}), ${trend}${plateau}.${chain}${saturated}${nonFinite}`;
}

function remediesFor(verdict: Verdict, trace: Trace, e: Diagnosis['evidence']): Diagnosis['remedies'] {
  const hiddenActivations = trace.activations.slice(0, -1) as Activation[];
  const anySigmoid = hiddenActivations.includes('sigmoid');
  const allRelu = hiddenActivations.every((f) => f === 'relu' || f === 'leaky-relu');
  const remedies: Diagnosis['remedies'] = [];
  if (verdict === 'vanishing') {
    if (anySigmoid) {
      remedies.push({
        option: "activation: 'tanh' (or 'relu' / 'leaky-relu')",
        why: "σ' of the sigmoid is at most 1/4, so every sigmoid layer shrinks the gradient at least 4×; tanh's σ' reaches 1 and relu's is exactly 1 where the unit is active.",
      });
    } else if (hiddenActivations.some(saturating)) {
      remedies.push({ option: "activation: 'relu' or 'leaky-relu'", why: "relu's σ' is exactly 1 on active units, so it cannot shrink the gradient by saturating." });
    }
    remedies.push({
      option: allRelu ? "init: 'he-normal'" : "init: 'glorot-uniform' (for relu: 'he-normal')",
      why: 'these scale the initial weights so that activations and back-propagated gradients keep the same variance from layer to layer, making the chain-rule factor close to 1.',
    });
    const rates = e.layers.slice(0, -1).map((l) => Math.min(MAX_LAYER_RATE, Math.max(1, Math.round(1 / Math.min(l.ratioToLast, l.ratioToLastAtStart)))));
    rates.push(1);
    remedies.push({ option: "optimizer: 'adam' (or 'rmsprop')", why: 'divides each weight\'s step by the size of its recent gradients, so a small gradient still gives a normal-sized step.' });
    remedies.push({ option: "optimizer: 'lars'", why: 'scales each layer\'s step by its trust ratio ‖W‖/‖∇W‖, so the update-to-weight ratio is the same in every layer.' });
    remedies.push({
      option: `optimizer: { name: 'sgd', layerRates: [${rates.join(', ')}] }`,
      why:
        'a larger step for the layers with the smaller gradients, in proportion to the gap measured now. Fixed rates fit only the gradients of this moment: ' +
        'once those shift they can overshoot (in `gradscope study remedies` they did not leave the plateau), so prefer lars, which re-measures the ratio every step.',
    });
    remedies.push({
      option: "optimizer: 'kfac' or 'hessian-free'",
      why: 'second-order methods use curvature to rescale the gradient of each direction, undoing the shrinking that the chain rule applied.',
    });
  } else if (verdict === 'exploding') {
    remedies.push({
      option: allRelu ? "init: 'he-normal'" : "init: 'glorot-uniform' or 'orthogonal'",
      why: `the weights are too large: passing back through one layer multiplies the gradient by ${fmt(e.meanChainFactor)}; these inits make that factor about 1.`,
    });
    remedies.push({ option: 'learningRate: a smaller value', why: 'large gradients times a normal step size give steps that overshoot; see updateRatio in the trace (about 1e-3 is typical).' });
    remedies.push({ option: "optimizer: 'lars' or 'adam'", why: 'both bound the size of each step whatever the size of the gradient.' });
  } else if (e.saturatedLayers.length) {
    remedies.push({
      option: "init: 'glorot-uniform', biasInit: 'zero'",
      why: 'saturated units start with large |z|; smaller initial weights and biases keep z where σ\' is large.',
    });
  }
  return remedies;
}
