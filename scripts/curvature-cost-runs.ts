/**
 * The runs docs/curvature.md (Cost) quotes as what a curvature run costs: their setup, which
 * scripts/curvature-cost.ts runs, and what was measured. One source for the docs' numbers
 * (test/docs/curvature-cost.test.ts) and the scripts that measure them; `gradscope curvature --help` points to the doc.
 * It serves the docs and the scripts, not the command line (no command imports it), so it lives
 * here beside them, out of the package's src/ (it was src/cli/commands/curvature-cost.ts).
 */
import { Rng } from '../src/init/rng.js';

/** A measureCurvature run's CPU time (process.cpuUsage, user + system), its wall time and the operator products it took. */
export interface MeasuredTime {
  /** Seconds of CPU. */
  cpuSeconds: number;
  /** Seconds of wall-clock time. */
  wallSeconds: number;
  /** Operator products taken: the progress counter `done` at the end (fewer than planned when Lanczos runs end early). */
  products: number;
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
  /** The run without --no-layers (whole network and each layer): measureCurvature's, in the script's process. */
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
  date: '2026-12-06 17:45–17:47 UTC',
  machine: 'Intel Xeon, /proc/cpuinfo family 6 model 207, 2 cores shared with other jobs, load 3.6–6.4, under nice -n 19; medians of 3, each beside a run of main just before',
  commit: '6f4759cb plus the negative mass\' start vectors',
  layers: { cpuSeconds: 11.4, wallSeconds: 12, products: 3552 },
  noLayers: { cpuSeconds: 5.9, wallSeconds: 6, products: 441 },
};

/**
 * A `gradscope curvature` run on the digits default, timed as the whole command (under /usr/bin/time):
 * the model `gradscope train --epochs 0` makes (digitsModelSizes in curvature.ts: sigmoid, seed 1, as initialised),
 * no --data (the --train digits, STUDY_DIGITS.trainRows rows), every flag at its default.
 */
export interface DigitsCurvatureRun {
  /** When: the UTC date and time span. */
  date: string;
  /** The machine: CPU model, cores, and the 1-minute load averages seen during the run. */
  machine: string;
  /** The commit the run was made on. */
  commit: string;
  /** Seconds of CPU (user + system) and of wall-clock time. */
  cpuSeconds: number;
  wallSeconds: number;
}

/** What the digits default's run took (see DigitsCurvatureRun). */
export const CURVATURE_DIGITS_RUN: DigitsCurvatureRun = {
  date: '2026-12-02 14:59–15:10 UTC',
  machine: 'AMD EPYC Zen 4, /proc/cpuinfo family 25 model 17, 2 cores shared with other jobs, load 16 → 9.6, under nice -n 19, through tsx',
  commit: 'dcb5965',
  cpuSeconds: 100.3,
  wallSeconds: 676,
};

/** A measured time as docs/curvature.md gives it: '97 s of CPU (9.0 min wall)'. */
export function measuredTimeText(time: Pick<MeasuredTime, 'cpuSeconds' | 'wallSeconds'>): string {
  return `${Math.round(time.cpuSeconds)} s of CPU (${(time.wallSeconds / 60).toFixed(1)} min wall)`;
}

/** The run's rows: `rows` inputs of N(0, 1) entries from Rng(seed), and one-hot targets, row r of class r mod the outputs. */
export function curvatureCostRows(run: CurvatureCostRun): { x: number[][]; y: number[][] } {
  const rng = new Rng(run.seed);
  const outputs = run.sizes[run.sizes.length - 1];
  const x = Array.from({ length: run.rows }, () => Array.from({ length: run.sizes[0] }, () => rng.normal()));
  const y = Array.from({ length: run.rows }, (_, r) => Array.from({ length: outputs }, (_, c) => (c === r % outputs ? 1 : 0)));
  return { x, y };
}
