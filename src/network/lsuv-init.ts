/**
 * LSUV initialisation (src/layers/lsuv.ts) of a whole network, dense or block, on rows its engine
 * has loaded: what net.initLsuv(x) and train(x, y, { lsuv }) run. A network created with
 * `init: 'lsuv'` starts from orthonormal weights and zero biases and waits for it (awaitingLsuv):
 * train() refuses it until then.
 */
import { invalidOption, shown } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { checkOutputs } from '../model.js';
import { checkLsuvOptions, lsuvRescale, type LsuvLayerReport, type LsuvOptions, type LsuvTarget } from '../layers/lsuv.js';
import type { RowEngine } from './rows.js';

/** An engine LSUV can run on: its dense layers as targets, and whether it waits for LSUV. */
export interface LsuvEngine<T extends Tensor = Tensor> extends RowEngine<T> {
  /** Created with init 'lsuv' and not yet rescaled: train() refuses it. */
  awaitingLsuv: boolean;
  /** LSUV has rescaled this network's weights (net.initLsuv or train's lsuv option): a trace records it. */
  lsuvApplied: boolean;
  /** Every dense layer in forward order, as LSUV rescales it. */
  lsuvTargets(): LsuvTarget<T>[];
}

/**
 * train()'s `lsuv` option checked (true, or LsuvOptions) with its defaults, or undefined when absent
 * or false; INVALID_OPTION when absent and the network still waits for LSUV.
 */
export function checkLsuvTrainOption(value: unknown, engine: LsuvEngine): Required<LsuvOptions> | undefined {
  if (value === undefined || value === false) {
    if (engine.awaitingLsuv) {
      throw invalidOption("lsuv: this network was created with init 'lsuv' and its weights are not rescaled yet; call net.initLsuv(x) first, or train with { lsuv: true }");
    }
    return undefined;
  }
  if (value === true) return checkLsuvOptions({});
  if (typeof value !== 'object' || value === null) throw invalidOption(`lsuv: expected true, false or { tolerance?, maxIterations? }, got ${shown(value)}`);
  return checkLsuvOptions(value as LsuvOptions);
}

/**
 * Runs LSUV on the `rows` rows loaded in engine.input (the caller loaded them and made room): the
 * inputs are checked first (a forward whose outputs must be finite), so a bad batch changes nothing.
 * `options` were checked by the caller (checkLsuvOptions, checkLsuvTrainOption).
 */
export function lsuvOnLoadedRows<T extends Tensor>(engine: LsuvEngine<T>, rows: number, options: Required<LsuvOptions>): LsuvLayerReport[] {
  engine.forward(rows, 'batch');
  checkOutputs(engine, 0, rows, 'inputs');
  const largestInput = () => engine.kernels.maxAbs(engine.input, rows * engine.inputSize);
  const reports = lsuvRescale(engine.kernels, engine.lsuvTargets(), () => engine.forward(rows, 'batch'), rows, largestInput, options);
  engine.awaitingLsuv = false;
  engine.lsuvApplied = true;
  return reports;
}
