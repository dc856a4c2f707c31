/** Random network configurations and data for the parity suites, from a seeded Rng. */
import { Rng } from '../../src/init/rng.js';
import type { WeightInitName } from '../../src/init/initializers.js';
import { ACTIVATIONS, LOSSES, type Loss, type OutputActivation } from '../../src/kernels.js';
import type { LayerOptions, NetworkOptions } from '../../src/network/config.js';

/**
 * The named inits the random networks draw from: the six there were when the suites' worst errors were measured and
 * quoted (docs/second-order.md), fixed here so a new init ('he-normal-fan-out') does not redraw every network after the
 * first that picks one. A new init's draws are another scale of the same normal (test/network/initialisation checks
 * its bits on every backend).
 */
const RANDOM_INITS: readonly WeightInitName[] = ['standard', 'glorot-uniform', 'glorot-normal', 'he-normal', 'lecun-normal', 'orthogonal'];

export interface RandomCase {
  options: Omit<NetworkOptions, 'layers'> & { layers?: LayerOptions[] };
  x: number[][];
  y: number[][];
}

export interface CaseLimits {
  maxDepth: number;
  maxWidth: number;
  maxBatch: number;
}

/** A network of 1..maxDepth layers with random widths, activations, loss and init, and a batch for it. */
export function randomCase(rng: Rng, limits: CaseLimits, loss: Loss = LOSSES[rng.below(LOSSES.length)]): RandomCase {
  const depth = 1 + rng.below(limits.maxDepth);
  const width = () => 1 + rng.below(limits.maxWidth);
  const sizes = [width(), ...Array.from({ length: depth - 1 }, width)];
  const output: OutputActivation =
    loss === 'cross-entropy' ? 'softmax' : loss === 'binary-cross-entropy' ? 'sigmoid' : ACTIVATIONS[rng.below(ACTIVATIONS.length)];
  // softmax over one unit is constant: give cross-entropy at least two classes.
  sizes.push(loss === 'cross-entropy' ? 2 + rng.below(limits.maxWidth - 1) : width());
  const layers = sizes.slice(1).map((units, l) => ({
    units,
    activation: l === depth - 1 ? output : ACTIVATIONS[rng.below(ACTIVATIONS.length)],
  }));
  const batch = 1 + rng.below(limits.maxBatch);
  const nOut = sizes[depth];
  const x = Array.from({ length: batch }, () => Array.from({ length: sizes[0] }, () => rng.normal()));
  const y = Array.from({ length: batch }, () => randomTarget(rng, loss, nOut));
  return {
    options: {
      inputs: sizes[0],
      layers,
      loss,
      init: RANDOM_INITS[rng.below(RANDOM_INITS.length)],
      biasInit: { name: 'normal', std: 0.5 },
      seed: rng.nextU32(),
    },
    x,
    y,
  };
}

/** A target row for `loss`: one-hot, probabilities, or N(0, 1) values. */
export function randomTarget(rng: Rng, loss: Loss, n: number): number[] {
  if (loss === 'cross-entropy') {
    const y = new Array(n).fill(0);
    y[rng.below(n)] = 1;
    return y;
  }
  if (loss === 'binary-cross-entropy') return Array.from({ length: n }, () => rng.uniform());
  return Array.from({ length: n }, () => rng.normal());
}

/**
 * Cross-entropy targets whose rows need not sum to 1 (values in [0, 1]), for `rows` rows of n, for
 * tests below the public API, which refuses such rows (src/training/target-rules.ts) while the
 * kernels take any row (as PyTorch's CrossEntropyLoss does): the loss's gradient is then a·Σy − y
 * and its curvature Σy·(diag(a) − a·aᵀ), which one-hot rows (Σy = 1) cannot tell from a − y and
 * diag(a) − a·aᵀ.
 */
export function unnormalisedTargets(rng: Rng, rows: number, n: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: n }, () => rng.uniform()));
}

/**
 * Cross-entropy soft labels, `rows` rows of n: each row's mass spread over every class (uniform
 * draws, then divided by their sum), the kind of target a one-hot row never exercises (every y_j
 * weighs its own class's log-probability). Rows that do not sum to 1 are refused as targets
 * (src/training/target-rules.ts).
 */
export function softTargets(rng: Rng, rows: number, n: number): number[][] {
  return Array.from({ length: rows }, () => {
    const row = Array.from({ length: n }, () => 0.05 + rng.uniform());
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((value) => value / sum);
  });
}
