/** What the training loop trains: an engine as it sees one, and the rows it trains on, resident in the engine's backend memory. */
import type { ResidentRows } from '../data/matrix.js';
import type { Tensor } from '../kernels.js';
import type { RowsLender } from '../model.js';
import type { Initialisers } from '../init/initialisation.js';
import type { LsuvEngine } from '../network/lsuv-init.js';

/** Inputs and targets in the network's backend memory (a Dataset's, or a call's own upload). */
export interface TrainingRows<T extends Tensor = Tensor> {
  inputs: ResidentRows<T>;
  targets: ResidentRows<T>;
  /**
   * Run once, right after the first batch's forward pass (before its backprop, before anything the
   * network holds changes): for inputs whose values the caller checks through that pass's outputs.
   */
  afterFirstForward?: (batch: number) => void;
  /** The Dataset holding the rows, which the network may read in place (Trainable.rowsInPlace); absent for a call's own upload, freed after the call. */
  lender?: RowsLender;
}

/** TrainOptions.validation, resident, and whether it was given as the training rows themselves (the same x and y arrays, or the same Dataset): TraceRun.validation. */
export interface ValidationSet<T extends Tensor = Tensor> {
  /** The validation rows. */
  rows: TrainingRows<T>;
  /** True when they are the training rows. */
  trainingRows: boolean;
}

/** An engine as the training loop sees it: rows, the Trainable contract and how it was initialised (for the trace). */
export type TrainingEngine = LsuvEngine & {
  readonly initialisation?: Initialisers;
};

