/**
 * One thread's half of a dense training step on two threads (threaded-kernels.ts' DENSE_STEP): every
 * kernel call of its rows' forward and backward, in one thread's order, as a list of export calls
 * with numeric arguments. The worker's list is posted as one job; the main thread runs its own list
 * beside it. Each call is the one-thread kernel on the thread's rows, so each value is computed as
 * one thread computes it (threaded-kernels.ts says why each split gives one thread's bits):
 * - the forward products and activations by rows (softmax works row by row);
 * - the loss's gradient by rows, with the whole batch's 1/batch: MSE's ∂C/∂a (f32_mse_bwd_rows)
 *   then the output activation's backward pass, binary cross-entropy over a sigmoid's (a − y)/batch
 *   (the same kernel: MSE's ∂C/∂a is that expression, in the same float32 operations), cross-entropy
 *   over a softmax's f32_xent_softmax_bwd_rows;
 * - ∂W as weightsFoldRow's two parts, each summed from zero: the main thread's rows P₀ written over
 *   ∂W, the worker's P₁ into a buffer of its own, added after the join. Backprop writes ∂W too
 *   (accumulate false: P₀ written, then P₁ added), the bits of zeroing it first: the product's sums
 *   start at +0 and only add, so no sum is −0, and 0 + x is x for every other x (so neither zeroes
 *   ∂W: 89,400 floats a step of [784,100,100,10]);
 * - ∂input and the hidden activations' backward passes by rows, into each thread's own part of the
 *   backflow scratch (the main thread's from its start, the worker's from row h at the widest layer's
 *   width), so that neither writes what the other reads at another layer's width.
 * The loss value and every ∂b sum over all rows in one thread's order: the main thread's, after the join.
 */
import type { DenseStepTensors } from '../../dense-step.js';
import type { OutputActivation } from '../../kernels.js';
import type { WasmTensor } from '../wasm-kernels.js';

const F32 = 4;

/** Where one thread's calls go: posted to a worker (its control block) or kept for the main thread. */
export interface CallSink {
  /** Adds a call of export `fn` (an index into the pool's names) with its arguments (an export taking fewer ignores the rest). */
  call(fn: number, a0: number, a1: number, a2?: number, a3?: number, a4?: number, a5?: number, a6?: number, a7?: number, a8?: number, a9?: number): void;
}

/** The indices, in the pool's names, of the exports a half step calls. */
export interface HalfStepExports {
  forward: number;
  forwardGather: number;
  backwardInput: number;
  weightRows: number;
  zero: number;
  mseRows: number;
  crossEntropyRows: number;
  softmaxForward: number;
  /** An elementwise activation's forward export (its backward is the next), undefined for softmax. */
  activationForward(f: OutputActivation): number | undefined;
}

/**
 * Calls each thread's half of a step of `layers` weight layers makes at most (DENSE_STEP admits a
 * chain by it, against MAX_CALLS): seven per layer, the forward product and activation, δ's zeroing,
 * ∂W's part, and (at every layer but the first, the loss's three calls at the output instead) the
 * backflow's zeroing, ∂input and the activation's backward pass.
 */
export function halfStepCalls(layers: number): number {
  return 7 * layers;
}

/** Pointers a half step reads besides the step's tensors (bytes in the shared memory). */
export interface HalfStepPointers {
  /** The gathered rows' numbers for the whole batch (rowNumbersOf), or 0 when activations[0] holds the batch. */
  gatherNumbers: number;
  /** This thread's scratch for the packed panels. */
  scratch: number;
  /** This thread's part of the backflow scratch. */
  backflow: number;
  /** Per layer, where the worker writes its ∂W part P₁ (unused by the main thread). */
  partials: readonly number[];
}

/** Row r0's address in a [·][width] tensor t. */
function rowAt(t: WasmTensor, r0: number, width: number): number {
  return t.ptr + r0 * width * F32;
}

/**
 * Adds to `sink` the calls of rows [r0, r0 + rows) of a step of `batch` rows: the main thread's
 * (`main`: its ∂W part written over ∂W) or the worker's (into its partials). Allocates nothing.
 */
export function addHalfStep(sink: CallSink, ex: HalfStepExports, s: DenseStepTensors<WasmTensor>, r0: number, rows: number, batch: number, main: boolean, p: HalfStepPointers): void {
  const sizes = s.sizes;
  const L = sizes.length - 1;
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l], nOut = sizes[l + 1];
    const z = rowAt(s.zs[l], r0, nOut), a = rowAt(s.activations[l], r0, nIn);
    if (l === 0 && p.gatherNumbers !== 0) {
      sink.call(ex.forwardGather, z, a, s.gatherFrom!.ptr, p.gatherNumbers + r0 * 4, s.weights[l].ptr, s.biases[l].ptr, p.scratch, rows, nIn, nOut);
    } else {
      sink.call(ex.forward, z, a, s.weights[l].ptr, s.biases[l].ptr, p.scratch, rows, nIn, nOut);
    }
    const f = ex.activationForward(s.activationFunctions[l]);
    if (f === undefined) sink.call(ex.softmaxForward, rowAt(s.activations[l + 1], r0, nOut), z, rows, nOut);
    else sink.call(f, rowAt(s.activations[l + 1], r0, nOut), z, rows * nOut);
  }
  for (let l = 0; l < L; l++) sink.call(ex.zero, rowAt(s.deltas[l], r0, sizes[l + 1]), rows * sizes[l + 1]);
  const n = sizes[L];
  const dz = rowAt(s.deltas[L - 1], r0, n), z = rowAt(s.zs[L - 1], r0, n), a = rowAt(s.activations[L], r0, n), y = rowAt(s.targets, r0, n);
  if (s.loss === 'cross-entropy') sink.call(ex.crossEntropyRows, dz, z, a, y, rows, n, batch);
  else if (s.loss === 'binary-cross-entropy') sink.call(ex.mseRows, dz, a, y, rows, n, batch);
  else {
    sink.call(ex.zero, p.backflow, rows * n);
    sink.call(ex.mseRows, p.backflow, a, y, rows, n, batch);
    sink.call(ex.activationForward(s.activationFunctions[L - 1])! + 1, dz, p.backflow, z, a, rows * n);
  }
  for (let l = L - 1; l >= 0; l--) {
    const nIn = sizes[l], nOut = sizes[l + 1];
    const delta = rowAt(s.deltas[l], r0, nOut);
    sink.call(ex.weightRows, main ? s.nablaW[l].ptr : p.partials[l], delta, rowAt(s.activations[l], r0, nIn), p.scratch, rows, nIn, nOut, 0);
    if (l === 0) continue;
    sink.call(ex.zero, p.backflow, rows * nIn);
    sink.call(ex.backwardInput, p.backflow, delta, s.weights[l].ptr, p.scratch, rows, nIn, nOut);
    const bwd = ex.activationForward(s.activationFunctions[l - 1])! + 1;
    sink.call(bwd, rowAt(s.deltas[l - 1], r0, nIn), p.backflow, rowAt(s.zs[l - 1], r0, nIn), rowAt(s.activations[l], r0, nIn), rows * nIn);
  }
}
