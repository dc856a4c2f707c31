/**
 * The run `gradscope curvature --help` (Cost) and docs/curvature.md quote as what a curvature run
 * costs: its setup, which scripts/curvature-cost.ts runs, and what that script measured. One source
 * for the help text, the docs' numbers (test/docs/curvature-cost.test.ts) and the script.
 */

/** A run's CPU time (user + system, of the command's process and its children) and its wall time. */
export interface MeasuredTime {
  /** Seconds of CPU. */
  cpuSeconds: number;
  /** Seconds of wall-clock time. */
  wallSeconds: number;
}

/** The measured `gradscope curvature` run: the network, the data, the flags, and the times taken. */
export interface CurvatureCostRun {
  /** The dense network's layer sizes (createNetwork's `sizes`; sigmoid, softmax and cross-entropy, seed `seed`). */
  sizes: readonly number[];
  /** Its hidden layers' activation. */
  activation: 'sigmoid';
  /** Seed of the network and of the data (normal inputs, one-hot targets: row r of class r mod the outputs). */
  seed: number;
  /** Rows of --data. */
  rows: number;
  /** --k. */
  k: number;
  /** When: the UTC date and time span of the two runs. */
  date: string;
  /** The machine: CPU model, cores, and the 1-minute load averages seen during the runs. */
  machine: string;
  /** The commit the runs were made on. */
  commit: string;
  /** The run without --no-layers (whole network and each layer). */
  layers: MeasuredTime;
  /** The same run with --no-layers, just before it. */
  noLayers: MeasuredTime;
}

/** What scripts/curvature-cost.ts measured (see CurvatureCostRun). */
export const CURVATURE_COST_RUN: CurvatureCostRun = {
  sizes: [64, 60, 60, 60, 60, 60, 60, 60, 60, 60, 10],
  activation: 'sigmoid',
  seed: 1,
  rows: 100,
  k: 3,
  date: '2026-12-02 01:21–01:38 UTC',
  machine: 'AMD EPYC Zen 3, 2 cores shared with other jobs, load 9–16, under nice -n 19',
  commit: 'bafecda',
  layers: { cpuSeconds: 96.5, wallSeconds: 541 },
  noLayers: { cpuSeconds: 65.3, wallSeconds: 449 },
};

/** A measured time as --help and docs/curvature.md give it: '97 s of CPU (9.0 min wall)'. */
export function measuredTimeText(time: MeasuredTime): string {
  return `${Math.round(time.cpuSeconds)} s of CPU (${(time.wallSeconds / 60).toFixed(1)} min wall)`;
}
