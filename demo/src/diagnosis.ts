/**
 * The explanation panel's words: a verdict on the current gradients, the evidence for it and the
 * remedies worth trying, from the per-layer statistics alone.
 */
import { firstLastRatio, type LayerStats } from './layer-stats.js';
import type { Settings } from './settings.js';

/** A first/last gradient ratio beyond this factor either way is called vanishing or exploding. */
export const IMBALANCE = 100;
/** A hidden layer with more than this fraction of saturated units is named in the evidence. */
const SATURATED_LAYER = 0.5;

export type Verdict = 'vanishing' | 'exploding' | 'healthy';

export interface Diagnosis {
  verdict: Verdict;
  headline: string;
  evidence: string[];
  remedies: string[];
  ratio: number;
}

const SQUASHING = new Set(['sigmoid', 'tanh', 'softsign']);

export function diagnose(stats: LayerStats, settings: Settings): Diagnosis {
  const ratio = firstLastRatio(stats);
  const L = stats.gradW.length;
  const hidden = Array.from(stats.chainFactor.subarray(0, L - 1));
  const product = hidden.reduce((p, g) => p * g, 1);
  const mean = hidden.length > 0 ? product ** (1 / hidden.length) : 1;
  const evidence = [
    `‖∂C/∂W‖ of layer 1 is ${fmt(ratio)} × that of layer ${L} (the output layer).`,
  ];
  if (hidden.length > 0) {
    evidence.push(
      `Going back through each hidden layer multiplies ‖δ‖ by ${fmt(mean)} on average (the chain rule's factor σ'(z)·W); over ${hidden.length} layer${hidden.length > 1 ? 's' : ''} that is ${fmt(product)}.`,
    );
  }
  const saturated = Array.from(stats.saturation.subarray(0, L - 1))
    .map((s, l) => ({ s, l }))
    .filter(({ s }) => s > SATURATED_LAYER);
  if (saturated.length > 0) {
    evidence.push(
      `f′(z) ≈ 0 (saturated or inactive) for most units of layer${saturated.length > 1 ? 's' : ''} ${saturated.map(({ l }) => l + 1).join(', ')}.`,
    );
  }
  if (!Number.isFinite(ratio)) {
    return { verdict: 'vanishing', headline: 'No gradient reaches the output layer or the first layer.', evidence, remedies: remediesFor('vanishing', settings), ratio };
  }
  const verdict: Verdict = ratio < 1 / IMBALANCE ? 'vanishing' : ratio > IMBALANCE ? 'exploding' : 'healthy';
  const headline =
    verdict === 'vanishing'
      ? `Vanishing gradient: the first layer learns ${fmt(1 / ratio)} × slower than the last.`
      : verdict === 'exploding'
        ? `Exploding gradient: the first layer's gradient is ${fmt(ratio)} × the last one's.`
        : 'Gradients reach every layer at comparable strength.';
  return { verdict, headline, evidence, remedies: remediesFor(verdict, settings), ratio };
}

function remediesFor(verdict: Verdict, settings: Settings): string[] {
  if (verdict === 'healthy') return [];
  const remedies: string[] = [];
  if (verdict === 'vanishing') {
    if (SQUASHING.has(settings.activation)) {
      remedies.push(`Use relu or leaky-relu: their slope is 1 where active, ${settings.activation}'s is at most ${settings.activation === 'sigmoid' ? '¼' : '1 and falls fast'}.`);
    }
    if (settings.init !== 'he-normal' && settings.activation.includes('relu')) remedies.push('Use he-normal init: it keeps ‖Wᵀδ‖ ≈ ‖δ‖ for relu layers.');
    if (settings.init === 'standard') remedies.push("Use glorot or he init: 'standard' makes each layer shrink δ.");
    if (settings.optimizer === 'sgd') remedies.push('Use an optimiser that rescales each parameter’s or layer’s step (adam, rmsprop, adagrad, lars).');
    if (settings.depth > 2) remedies.push('Use fewer hidden layers.');
  } else {
    remedies.push('Use a smaller learning rate.');
    if (settings.init !== 'glorot-uniform' && settings.init !== 'orthogonal') remedies.push('Use glorot-uniform or orthogonal init to keep each layer’s gain near 1.');
  }
  return remedies;
}

/** A number for prose: 3 significant digits, exponent form when very large or small. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-2 || a >= 1e4)) return x.toExponential(1);
  const text = x.toPrecision(3);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
