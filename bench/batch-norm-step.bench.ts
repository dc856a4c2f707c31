/**
 * Issue 13's cost goal: one training step (forward, cross-entropy backward, SGD update) of
 * [784, 100×4, 10] (relu, softmax output) on wasm-simd at batch 64, with a batch-norm layer after
 * every hidden dense layer and without, built from layer specs (src/layers) and run side by side
 * in alternating rounds. `ratio` is the time with batch norm over the time without; the goal is
 * ≤ 1.3×.
 */
import { Rng } from '../src/init/rng.js';
import type { Kernels, Tensor } from '../src/kernels.js';
import { buildSequential } from '../src/layers/sequential.js';
import { checkLayerSpecs, type LayerSpec } from '../src/layers/spec.js';
import { createWasmKernels } from '../src/wasm/wasm-kernels.js';
import { sideBySide } from './median.js';
import { digitShapedBatch, sgdStepOf } from './sequential-step.js';

export const BN_STEP_BATCH = 64;
export const BN_STEP_HIDDEN = 4;
export const BN_STEP_WIDTH = 100;

export interface BatchNormStepResult {
  withMs: number;
  withoutMs: number;
  /** withMs over withoutMs (median of the per-round ratios). */
  ratio: number;
  /** Those ratios, one per round. */
  ratios: number[];
}

function specs(batchNorm: boolean): LayerSpec[] {
  const hidden: LayerSpec[] = [{ type: 'dense', units: BN_STEP_WIDTH, activation: 'relu' }, ...(batchNorm ? [{ type: 'batch-norm' } as const] : [])];
  return [...Array.from({ length: BN_STEP_HIDDEN }, () => hidden).flat(), { type: 'dense', units: 10, activation: 'softmax' }];
}

/** One SGD training step of the stack on a fixed batch; everything allocated here, nothing per step. */
function stepOf<T extends Tensor>(k: Kernels<T>, batchNorm: boolean): () => void {
  const stack = buildSequential(k, checkLayerSpecs(specs(batchNorm), 784), 784, new Rng(1), { init: 'he-normal', capacity: BN_STEP_BATCH });
  const { x, y } = digitShapedBatch(k, BN_STEP_BATCH, new Rng(2));
  return sgdStepOf(k, stack, x, y, BN_STEP_BATCH);
}

export async function runBatchNormStepBench(opts: { time?: number } = {}): Promise<BatchNormStepResult> {
  const k = await createWasmKernels({ variant: 'simd' });
  const { aMs, bMs, ratio, ratios } = await sideBySide(stepOf(k, true), stepOf(k, false), opts.time ?? 4000, 7);
  return { withMs: aMs, withoutMs: bMs, ratio, ratios };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runBatchNormStepBench();
  console.log(`[784, ${BN_STEP_WIDTH}×${BN_STEP_HIDDEN}, 10] batch ${BN_STEP_BATCH}, wasm-simd: with batch norm ${r.withMs.toFixed(3)} ms, without ${r.withoutMs.toFixed(3)} ms, ratio ${r.ratio.toFixed(3)}×`);
}
