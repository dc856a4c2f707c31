/**
 * The one rule for per-layer learning rates that equalise the layers' steps, kept below both of its
 * users (they may not import each other): equalisingLayerRates (src/optim/layer-rates.ts: the
 * remedies study's and the visualizer's rates, from a network's gradient on probe rows) and
 * diagnose() (src/flow/vanishing-optimizer-remedies.ts: the rates a vanishing SGD run is offered, from its trace).
 */
import { printedRate } from './number-text.js';

/**
 * Per-layer learning-rate multipliers from each weight layer's ‖∂C/∂W‖ (Frobenius; `norms`, first
 * layer first, the output layer last): hidden layer l gets ‖∂C/∂W‖ of the last hidden layer over its
 * own, the output layer 1. A rate multiplies the layer's whole step, and SGD's step on W is
 * learningRate·∂C/∂W, so with these rates every hidden layer's weight step ‖ΔW‖ starts as large as
 * the last hidden layer's (the biases are one row of the layer's parameters, so ‖∂C/∂b‖ would
 * equalise a small share of the step). A layer whose rate cannot be measured (its own ‖∂C/∂W‖ or the
 * last hidden layer's 0, Inf or NaN) gets 1: its step is left as it is. Needs two or more layers.
 */
export function equalisingRates(norms: ArrayLike<number>): number[] {
  const reference = norms[norms.length - 2];
  return Array.from(norms, (norm, l) => {
    const rate = reference / norm;
    return l === norms.length - 1 || !(rate > 0 && Number.isFinite(rate)) ? 1 : rate;
  });
}

/**
 * The order of a list of rates (equalisingRates'), as every text that prints one says it: a list of
 * numbers alone leaves the reader to guess which end is the first layer, and why the last two are 1.
 */
export const RATES_ORDER = 'one per weight layer, hidden layer 1 first and the output layer last';

/**
 * Rates the library measured, as it prints them beside the optimiser they set: `[41.2, 7.5, 1] (one
 * per weight layer, hidden layer 1 first and the output layer last: the last hidden layer's ‖∂C/∂W‖ ÷
 * each hidden layer's, the output layer's 1; measured on …)`, each to 3 significant digits (as
 * diagnose()'s per-layer-rates remedy writes them); `measuredOn` says on which rows and weights.
 */
export function measuredRatesText(rates: readonly number[], measuredOn: string): string {
  return `[${rates.map(printedRate).join(', ')}] (${RATES_ORDER}: the last hidden layer's ‖∂C/∂W‖ ÷ each hidden layer's, the output layer's 1; measured on ${measuredOn})`;
}
