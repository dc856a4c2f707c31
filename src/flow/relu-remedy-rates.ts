/**
 * The learning rate that goes with diagnose()'s switch to relu units with He's weights. The run's
 * own rate is often one that suits sigmoid units (σ' ≤ 1/4 wants large steps: Nielsen's 0.5), and at
 * such a rate relu units die: one large step pushes a unit's z below 0 on every input, and it gets
 * no gradient after that (the visualizer showed a dead last layer after applying the remedy at 0.5).
 *
 * The rule: the largest rate of a grid at which every one of a set of relu + he-normal networks,
 * trained one epoch on the digits (loadMnist's), lowered its training loss and had no layer diagnose()
 * calls dead (RELU_RATE_SETUP; scripts/relu-remedy-rates.ts runs it and prints the table). The remedy
 * lowers a larger rate of the run's optimiser to it and keeps a smaller one.
 */

/** The set-up the rates were measured on: hidden layers of `width` relu units with he-normal weights, softmax output. */
export const RELU_RATE_SETUP = {
  /** Hidden layers of the networks (the README's [784, 30, 30, 30, 10] among them). */
  depths: [2, 3, 5, 8],
  /** Units per hidden layer. */
  width: 30,
  /** Seeds of each network's weights and batch order. */
  seeds: [1, 2, 3],
  /** Epochs over the training digits. */
  epochs: 1,
  /** Training digits (the first 9,000 of loadMnist's). */
  trainRows: 9000,
  /** Rows per batch (train()'s default). */
  batchSize: 32,
  /** The rates tried, per optimiser, ascending. */
  grids: {
    /** Plain SGD (no momentum). */
    sgd: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
    /** Adam with its default betas. */
    adam: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05],
  },
} as const;

/** An optimiser whose relu rate was measured: plain SGD (no momentum) and Adam. */
export type MeasuredOptimizer = keyof typeof RELU_RATE_SETUP.grids;

/**
 * The largest rate of each grid that passed (scripts/relu-remedy-rates.ts, 2026-12-01, 2-core AMD
 * EPYC; every smaller rate passed too): SGD 0.1 (at 0.2 the 8-layer network of seed 3 ended at a
 * loss of 5.85, from 2.38; at 0.5, 9 of the 12 networks had a dead layer and one diverged); Adam 0.005
 * (at 0.01, 4 of the 12 had a dead layer).
 */
export const RELU_REMEDY_RATES: Readonly<Record<MeasuredOptimizer, number>> = { sgd: 0.1, adam: 0.005 };

/**
 * The rate the relu remedy sets for a run of `optimizer` at `learningRate`: RELU_REMEDY_RATES' where
 * the run's is larger; undefined where the run's is no larger (it is kept), the run has no rate, or
 * its optimiser's rate was not measured (SGD with momentum is not plain SGD: at momentum 0.9 every
 * rate up to 0.05 passed, so its bound was not found).
 */
export function reluRemedyRate(run: { optimizer?: string; learningRate?: number; momentum?: number }): number | undefined {
  const name = run.optimizer ?? 'sgd';
  if (run.learningRate === undefined || run.momentum !== undefined || !(name in RELU_REMEDY_RATES)) return undefined;
  const bound = RELU_REMEDY_RATES[name as MeasuredOptimizer];
  return run.learningRate > bound ? bound : undefined;
}
