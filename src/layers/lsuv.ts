/**
 * Layer-sequential unit-variance initialisation (Mishkin & Matas 2015, "All you need is a good
 * init", Algorithm 1): start from orthonormal weights (build the stack with LSUV_BUILD), then for
 * each dense layer in forward order, run one batch through the stack and divide the layer's
 * weights by √Var(its output) until |Var − 1| < tolerance or maxIterations rescalings are done.
 *
 * As in the authors' code (ducha-aiki/LSUV-pytorch) the output measured is the dense layer's own,
 * before its activation, and its variance is taken over every entry of the batch (biased); biases
 * stay at 0. Where this differs: batch norm runs on the batch's statistics ('batch' mode, what a
 * training step sees; the authors' code runs the model in eval mode), and dense layers inside
 * residual branches are rescaled too, in the order a forward pass reaches them.
 */
import { checkKnownKeys, checkPositive, checkWhole, keysOf } from '../checks.js';
import { GradscopeError, invalidOption } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import { RUNAWAY_PARAMETER } from '../model-limits.js';
import { DenseLayer } from './dense.js';
import type { LayerStack } from './layer.js';
import { ResidualBlock } from './residual.js';
import { apart, numberText } from '../number-text.js';

/** Build options for a stack LSUV starts from: orthonormal weights, zero biases (Algorithm 1's pre-initialisation). */
export const LSUV_BUILD = { init: 'orthogonal', biasInit: 'zero' } as const;

/** Options of LSUV (net.initLsuv, train's lsuv option). */
export interface LsuvOptions {
  /** Stop rescaling a layer once |Var − 1| is below this (default 0.1, Tol_var of Algorithm 1). */
  tolerance?: number;
  /** At most this many rescalings per layer, a whole number ≥ 1 (default 10, T_max of Algorithm 1). */
  maxIterations?: number;
}

/** What LSUV did to one dense layer. */
export interface LsuvLayerReport {
  /** The dense layer's module path, as its parameters are named: '0', '3.branch.0'. */
  name: string;
  /** Var of its output (before the activation) before the rescaling. */
  initialVariance: number;
  /** Var of its output after the rescaling. */
  finalVariance: number;
  /** Rescalings applied (0: already within tolerance). */
  iterations: number;
}

/** One layer LSUV rescales: its weight matrix and where its pre-activation output is after a forward. */
export interface LsuvTarget<T extends Tensor = Tensor> {
  /** The layer's module path, as its parameters are named: '0', '3.branch.0'. */
  name: string;
  /** Its weight matrix (divided by √Var in place). */
  weight: T;
  /** Its output before the activation, `[batch][units]`, after a forward (a getter: buffers may move). */
  output(): T;
  /** Units of the layer. */
  units: number;
}

/** Every dense layer of the stack in forward order (nested ones included), as LSUV targets. */
export function lsuvTargetsOf<T extends Tensor>(stack: LayerStack<T>): LsuvTarget<T>[] {
  return denseLayers(stack, '').map(({ name, layer }) => ({ name, weight: layer.weight.value, output: () => layer.preActivation, units: layer.units }));
}

/** LsuvOptions' defaults: Tol_var and T_max of Mishkin & Matas' Algorithm 1. */
export const LSUV_DEFAULTS = { tolerance: 0.1, maxIterations: 10 } as const satisfies Required<LsuvOptions>;

/** The options with their defaults, checked (INVALID_OPTION): once per call, by whatever the user called. */
export function checkLsuvOptions(options: LsuvOptions): Required<LsuvOptions> {
  checkKnownKeys(options, keysOf<LsuvOptions>({ tolerance: true, maxIterations: true }), 'lsuv');
  const tolerance = checkPositive(options.tolerance ?? LSUV_DEFAULTS.tolerance, 'lsuv: tolerance');
  // 0 would rescale nothing yet mark the network as initialised (awaitingLsuv cleared).
  const maxIterations = checkWhole(options.maxIterations ?? LSUV_DEFAULTS.maxIterations, 'lsuv: maxIterations', 1);
  return { tolerance, maxIterations };
}

/**
 * Algorithm 1's loop over any network: for each target in forward order, `forward()` (one batch of
 * `batch` rows, batch statistics, running statistics untouched), Var of its output, and its weights
 * divided by √Var until |Var − 1| < tolerance or maxIterations rescalings are done. `options` were
 * checked by the caller (checkLsuvOptions); `largestInput` gives the batch's largest |x| (for the
 * message of a refusal). A rescaling that takes weights beyond RUNAWAY_PARAMETER, which training
 * would refuse, is refused (INVALID_OPTION) with every weight put back.
 */
export function lsuvRescale<T extends Tensor>(
  k: Kernels<T>,
  targets: readonly LsuvTarget<T>[],
  forward: () => void,
  batch: number,
  largestInput: () => number,
  options: Required<LsuvOptions>,
): LsuvLayerReport[] {
  const { tolerance, maxIterations } = options;
  const reports: LsuvLayerReport[] = [];
  // A refusal after some layers were rescaled puts their weights back: nothing held changes.
  const saved = targets.map((target) => Float32Array.from(k.view(target.weight)));
  const refuse = (error: GradscopeError): never => {
    targets.forEach((target, i) => k.write(target.weight, saved[i]));
    throw error;
  };
  for (const target of targets) {
    const variance = () => {
      forward();
      return varianceOf(k.view(target.output()), batch * target.units);
    };
    let v = variance();
    if (!Number.isFinite(v)) refuse(new GradscopeError('NON_FINITE_INPUT', `lsuv: the output of layer ${target.name} is not finite on this batch (variance ${v})`));
    if (v === 0) {
      refuse(
        invalidOption(
          `lsuv: the output of layer ${target.name} has variance 0 on this batch (all its values, over every row and unit, are one number), so no rescaling gives it unit variance; LSUV needs a batch of the training data; nothing was changed`,
        ),
      );
    }
    const report = { name: target.name, initialVariance: v, finalVariance: v, iterations: 0 };
    // v is finite and > 0 here, and stays so: the layer's output scales with its weights.
    while (Math.abs(v - 1) >= tolerance && report.iterations < maxIterations) {
      k.scale(target.weight, target.weight.length, 1 / Math.sqrt(v));
      const largest = k.maxAbs(target.weight, target.weight.length);
      if (!(largest <= RUNAWAY_PARAMETER)) {
        // Printed apart: a largest of 1.8015e16 to 3 digits would read as the bound, 1.80e+16.
        const [largestText, limitText] = apart([largest, RUNAWAY_PARAMETER], { bound: 1 });
        refuse(
          invalidOption(
            `lsuv: unit variance for layer ${target.name} (variance ${numberText(v)} on this batch) needs weights up to ${largestText}, beyond the ${limitText} that training allows (float32 products overflow); the batch's largest |x| is ${numberText(largestInput())}: scale the data to about unit size first (e.g. standardise each input); nothing was changed`,
          ),
        );
      }
      report.iterations++;
      v = variance();
    }
    report.finalVariance = v;
    reports.push(report);
  }
  return reports;
}

/** Every dense layer of the stack in forward order, with its module path. */
function denseLayers<T extends Tensor>(stack: LayerStack<T>, prefix: string): { name: string; layer: DenseLayer<T> }[] {
  return stack.layers.flatMap((layer, i) => {
    const name = `${prefix}${stack.moduleIndex[i]}`;
    if (layer instanceof DenseLayer) return [{ name, layer }];
    if (layer instanceof ResidualBlock) return denseLayers(layer.branch, `${name}.branch.`);
    return [];
  });
}

/** Biased variance of the first n values, in f64. */
function varianceOf(values: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return squares / n;
}
