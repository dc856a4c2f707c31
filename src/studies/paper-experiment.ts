/**
 * What the papers' small experiments of the trainable-depth study (issue 14) share: their result as
 * plain data (set-up, where it differs from the paper, charts, findings with numbers), and the
 * helpers they train with. Each experiment lives in its own paper-*.ts file.
 */
import { checkBackendChoice, type BackendChoice } from '../backend.js';
import { checkCallback, checkPositive, checkSeed, checkWhole } from '../checks.js';
import { counted, grouped } from '../counted.js';
import type { Matrix } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import type { ReportChart } from '../flow/report-html.js';
import { invalidOption } from '../errors.js';
import { PAPER_EPOCHS_BOUND } from './study-bounds.js';

/** One paper's experiment, as run: what it did, how it differs from the paper, what it found. */
export interface PaperExperiment {
  /** Element id of its report section, e.g. 'paper-batch-norm'. */
  id: string;
  /** The paper and the experiment, e.g. "Ioffe & Szegedy (2015), §4.1". */
  title: string;
  /** The set-up as run, in words. */
  setup: string;
  /** Where it differs from the paper's set-up. */
  differences: string[];
  /** Its curves. */
  charts: ReportChart[];
  /** What it found, each with its numbers and whether the paper's claim reproduces here. */
  findings: string[];
}

/** Shared options of the paper experiments. */
export interface PaperOptions {
  /** Training digits (default 9,000). */
  trainRows?: number;
  /** Held-out digits (default 1,000). */
  testRows?: number;
  /** Seed of every network (default 1). */
  seed?: number;
  /** Backend (default 'wasm'). */
  backend?: BackendChoice;
  /** Scales every experiment's epochs (default 1; tests use less), at least one epoch each; not beside `epochs`. */
  budget?: number;
  /**
   * Every experiment's epochs, a whole number from 1 to 1,000 (default: each its own, its
   * *_PAPER.epochs: 67 for batch norm, 15 for SELU, 10 for ReZero and for He's); not beside `budget`.
   */
  epochs?: number;
  /** Called after every epoch of every network an experiment trains (default: none). */
  onProgress?: (progress: PaperProgress) => void;
}

/** Where a paper experiment has got to, after an epoch of one of its networks. */
export interface PaperProgress {
  /** The experiment's id, as PaperExperiment's (e.g. 'paper-batch-norm'). */
  id: string;
  /** The network that finished the epoch, e.g. 'with batch norm'. */
  network: string;
  /** Epochs done, over all the experiment's networks. */
  done: number;
  /** Epochs the experiment trains, over all its networks. */
  total: number;
}

/**
 * Counts an experiment's epochs for PaperOptions.onProgress: `total` epochs over all its networks;
 * `epochDone(network)` after each. A network that stops early (a numeric failure) leaves its epochs
 * uncounted, so the last call may say fewer than `total`.
 */
export function progressCounter(id: string, total: number, onProgress: PaperOptions['onProgress']): (network: string) => void {
  let done = 0;
  return (network) => onProgress?.({ id, network, done: ++done, total });
}

/** "1 epoch", "10 epochs". */
export const epochsText = (epochs: number) => counted(epochs, 'epoch');

/** `epochs` scaled by the budget, at least 1. */
export const scaled = (epochs: number, budget = 1) => Math.max(1, Math.round(epochs * budget));

/** The epochs an experiment whose own are `own` trains: options.epochs where given, else `own` scaled by options.budget. */
export const experimentEpochs = (own: number, options: PaperOptions) => options.epochs ?? scaled(own, options.budget);

/**
 * The options every paper experiment takes, checked before any work (INVALID_OPTION naming the
 * option): else createNetwork refused a bad seed or backend at each network, after the digits loaded.
 * The digits' counts are checked as they load (loadStudyDigits).
 */
export function checkPaperOptions(options: PaperOptions): void {
  if (options.seed !== undefined) checkSeed(options.seed, 'seed');
  checkBackendChoice(options.backend);
  if (options.budget !== undefined) checkPositive(options.budget, 'budget');
  if (options.epochs !== undefined) checkWhole(options.epochs, 'epochs', 1, PAPER_EPOCHS_BOUND);
  // Both say how long to train: which wins would be a guess.
  if (options.budget !== undefined && options.epochs !== undefined) throw invalidOption(`epochs and budget both set how long each experiment trains: give one, got epochs ${options.epochs} and budget ${options.budget}`);
  checkCallback(options.onProgress, 'onProgress');
}

/**
 * The message of a numeric failure: a training step that DIVERGED (a non-finite loss or gradient,
 * never applied), or a network whose outputs overflow float32 (NON_FINITE_INPUT). Any other error is
 * rethrown. The studies record these as results: a remedy that blows up has failed, not crashed.
 */
export function numericFailure(error: unknown): string {
  if (error instanceof GradscopeError && (error.code === 'DIVERGED' || error.code === 'NON_FINITE_INPUT')) return error.message;
  throw error;
}

/** Runs `epoch(e)` for e = 0 … epochs − 1 and stops at the first numeric failure (numericFailure), returning where and why; undefined when every epoch ran. */
export function epochsUntilFailure(epochs: number, epoch: (e: number) => void): string | undefined {
  for (let e = 0; e < epochs; e++) {
    try {
      epoch(e);
    } catch (error) {
      return `stopped in epoch ${grouped(e + 1)}: ${numericFailure(error)}`;
    }
  }
  return undefined;
}

/** Per-column standardisation (sklearn's StandardScaler): mean and standard deviation of `fit`'s columns, applied to `m`; a constant column is only centred. */
export function standardise(m: Matrix, fit: Matrix): Matrix {
  const { cols } = fit;
  const mean = new Float64Array(cols);
  const square = new Float64Array(cols);
  for (let r = 0; r < fit.rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = fit.data[r * cols + c];
      mean[c] += v;
      square[c] += v * v;
    }
  }
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    mean[c] /= fit.rows;
    const std = Math.sqrt(Math.max(0, square[c] / fit.rows - mean[c] * mean[c]));
    scale[c] = std > 0 ? std : 1;
  }
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (m.data[i] - mean[i % cols]) / scale[i % cols];
  return { data, rows: m.rows, cols };
}

