/**
 * The one kernel contract. The network, the diagnostics and the optimisers are written once
 * against it; `ref` (plain TypeScript, the oracle) and `wasm` (AssemblyScript f32x4) implement it.
 *
 * Rules every implementation keeps:
 * - Arguments: outputs first, then inputs, then sizes.
 * - Dense weights are stored `[out][in]` row-major (PyTorch's nn.Linear layout); activations are
 *   `[batch][units]` row-major.
 * - Backward kernels accumulate (`+=`); zeroing is an explicit `zero` call. The one exception is
 *   asked for: ∂W's products (denseBackwardWeights, denseBackwardWeightsAndInput) write dw when
 *   called with accumulate false, the bits of zeroing it first, without that pass over ∂W.
 * - Tensors are opaque handles owned by the backend. `view` returns a live view that is valid only
 *   until the next `alloc` (WASM memory may grow and detach it): take a fresh view, never keep one.
 */

/** The hidden-layer activations. */
export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'softsign', 'linear', 'selu'] as const;
/** A hidden-layer activation. */
export type Activation = (typeof ACTIVATIONS)[number];
/** The activations whose f'' is 0 wherever it is defined (piecewise linear): their curvature terms vanish (activationCurvature leaves dz alone). */
export const PIECEWISE_LINEAR: readonly Activation[] = ['relu', 'leaky-relu', 'linear'];
/** The output-layer activations: the hidden ones and softmax. */
export const OUTPUT_ACTIVATIONS = [...ACTIVATIONS, 'softmax'] as const;
/** An output-layer activation. */
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];
/** The losses: mean squared error, cross-entropy (with softmax), binary cross-entropy (with sigmoid). */
export const LOSSES = ['mse', 'cross-entropy', 'binary-cross-entropy'] as const;
/** A loss. */
export type Loss = (typeof LOSSES)[number];

/** Slope of leaky-relu for negative inputs; the one place this constant lives. */
export const LEAKY_RELU_SLOPE = 0.01;

/**
 * SELU's constants (Klambauer et al. 2017, eq. 14): selu(z) = λz for z > 0, λα(eᶻ − 1) otherwise.
 * The one place these live (twins in assembly/constants.ts). This is λ.
 */
export const SELU_LAMBDA = 1.0507009873554805;
/** SELU's α (see SELU_LAMBDA for the formula). */
export const SELU_ALPHA = 1.6732632423543772;

/** Which output activation each loss is fused with; `null` means any elementwise activation. */
export const LOSS_OUTPUT: Record<Loss, OutputActivation | null> = {
  'cross-entropy': 'softmax',
  'binary-cross-entropy': 'sigmoid',
  mse: null,
};

/** A backend's opaque handle to a tensor in its memory. */
export interface Tensor {
  /** Number of elements. */
  readonly length: number;
}

/** The typed array a backend's views and results use (f32 for wasm, f32 or f64 for ref). */
export type FloatArray = Float32Array | Float64Array;

/** A typed array of numbers (any but the BigInt ones): what writeFinite copies from. */
export type NumberArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * Where writeFinite stopped: `value`, the index in the tensor of the first value that is not finite
 * as stored, or `part`, the number of the first part that is not a NumberArray of the length asked.
 */
export type WriteFault =
  | {
      /** The index in the tensor of the first value that is not finite as stored. */
      readonly value: number;
      /** Absent: the fault is a value's. */
      readonly part?: undefined;
    }
  | {
      /** The number of the first part that is not a NumberArray of the length asked. */
      readonly part: number;
      /** Absent: the fault is a part's. */
      readonly value?: undefined;
    };

/** The kernel contract every backend implements (see the module comment for its rules). */
export interface Kernels<T extends Tensor = Tensor> {
  /** 'ref', 'wasm-simd', 'wasm-scalar', … */
  readonly name: string;
  /** Precision of the tensors: 'f32' for wasm, 'f32' or 'f64' for ref. */
  readonly precision: 'f32' | 'f64';

  // ---- memory ----
  /**
   * A zero-filled tensor of `length` elements: a whole number from 0 to MAX_TENSOR_LENGTH (2³⁰, all
   * wasm32 addresses as float32) on every backend (INVALID_OPTION, OUT_OF_MEMORY beyond), and
   * OUT_OF_MEMORY where the backend's memory cannot hold it; nothing is allocated on refusal.
   */
  alloc(length: number): T;
  /**
   * A tensor of `length` elements whose values are whatever its memory held: for a block its caller
   * overwrites whole before anything reads it (an upload, writeFinite), which then costs no pass to
   * zero. Backends that cannot skip the zeroing give a zero-filled tensor.
   */
  allocUninitialized(length: number): T;
  /**
   * Returns the tensor's memory for reuse; the handle must not be used again: on every backend any
   * later use of it (a kernel, view, write) throws DISPOSED, since on wasm its block may be another
   * tensor's by then (ref's arrays are their own, collected when unreferenced, and refused alike), and
   * a second free does nothing.
   */
  free(t: T): void;
  /**
   * Bytes that tensors can surely still be given, however many share them (each rounded up as the
   * backend rounds it), for backends with a hard limit (wasm32: 4 GiB of linear memory), so a network
   * that cannot fit is refused before its first alloc, and one that can is never refused halfway
   * through. Absent: no fixed limit.
   */
  bytesAvailable?(): number;
  /**
   * Runs `build` (the allocations of a network, a layer stack) all or nothing: if it throws, every
   * tensor it allocated and did not free is freed before the error goes on, so a build that fails
   * partway (out of memory, a bad option found after the first layers were made) leaves the memory
   * as it was. Nested calls each answer for their own. Backends whose memory is collected (ref) just run it.
   */
  allOrNothing<R>(build: () => R): R;
  /** A live view of the tensor: valid until the next `alloc`. */
  view(t: T): FloatArray;
  /** t[offset + i] = src[i]. */
  write(t: T, src: ArrayLike<number>, offset?: number): void;
  /**
   * The parts, each a NumberArray of `partLength` numbers (rows as a caller gave them, unchecked, or
   * one block), written into t one after another from element 0 (parts[0], then parts[1] right after
   * it, …), each value checked as t stores it, in one pass over the parts: undefined when every part
   * is such an array and every value is finite there. Otherwise the first fault in t's order: the
   * first value that is not finite there (NaN, ±Infinity, or in an f32 tensor a number beyond the
   * float32 range), or the first part that is not such an array, once every value before it was
   * found finite; t's elements from the fault on are then unspecified. An upload's copy and checks in
   * one call, so a backend can check what it just copied while it is in cache, and the caller's rows
   * are read once.
   */
  writeFinite(t: T, parts: readonly unknown[], partLength: number): WriteFault | undefined;
  /** t[0..n) = 0 (n defaults to the whole tensor). */
  zero(t: T, n?: number): void;
  /** dst[i·rowLen + j] = src[rows[start + i]·rowLen + j], for i < count: a mini-batch by index. */
  copyRows(dst: T, src: T, rows: ArrayLike<number>, start: number, count: number, rowLen: number): void;

  // ---- dense layer ----
  /** z[batch][nOut] = a[batch][nIn] · w[nOut][nIn]ᵀ + b[nOut]. Overwrites z. */
  denseForward(z: T, a: T, w: T, b: T, batch: number, nIn: number, nOut: number): void;
  /**
   * z[batch][nOut], a[batch][nIn] from x[·][nIn] (rows[start .. start+batch) its row numbers):
   * copyRows(a, x, rows, start, batch, nIn), then denseForward(z, a, w, b, batch, nIn, nOut), bit for
   * bit (z and a alike): a layer's batch gathered from a data set's rows x by index and its product,
   * in one call, so a backend may gather the rows as the product reads them instead of in a pass of
   * their own. z and a must not overlap each other, x, w or b.
   */
  denseForwardGather(z: T, a: T, x: T, rows: ArrayLike<number>, start: number, w: T, b: T, batch: number, nIn: number, nOut: number): void;
  /** da[batch][nIn] += dz[batch][nOut] · w[nOut][nIn]. */
  denseBackwardInput(da: T, dz: T, w: T, batch: number, nIn: number, nOut: number): void;
  /**
   * dw[nOut][nIn] += dz[batch][nOut]ᵀ · a[batch][nIn]; with accumulate false (default true) dw is
   * written instead, with the bits of zero(dw) then the call: a step's first pass over ∂W, which
   * then needs no pass of its own to zero it.
   */
  denseBackwardWeights(dw: T, dz: T, a: T, batch: number, nIn: number, nOut: number, accumulate?: boolean): void;
  /**
   * denseBackwardWeights(dw, dz, a, …, accumulate) and denseBackwardInput(da, dz, w, …) in one call,
   * bit for bit as those two (accumulate is dw's: da is always added to): a layer's two backward
   * products, neither reading what the other writes, so a backend on several threads may run them
   * at once. dw and da must not overlap each other, dz, a or w.
   */
  denseBackwardWeightsAndInput(dw: T, da: T, dz: T, a: T, w: T, batch: number, nIn: number, nOut: number, accumulate?: boolean): void;
  /** db[nOut] += Σ_batch dz[batch][nOut]. */
  denseBackwardBias(db: T, dz: T, batch: number, nOut: number): void;
  /**
   * y[nOut] = w[nOut][nIn] · x[nIn]: a dense layer's weights times one vector (no bias), read as
   * stored. Overwrites y. With matVecTransposed, what power iteration for ‖W‖₂ needs: denseForward
   * at batch 1 would do it too, at the cost of a batch's tile for one row.
   */
  matVec(y: T, w: T, x: T, nIn: number, nOut: number): void;
  /** y[nIn] = w[nOut][nIn]ᵀ · x[nOut]. Overwrites y (unlike denseBackwardInput, which adds). */
  matVecTransposed(y: T, w: T, x: T, nIn: number, nOut: number): void;

  // ---- activations ----
  /** a[batch][n] = f(z); softmax works row by row, the others elementwise. Overwrites a. */
  activationForward(f: OutputActivation, a: T, z: T, batch: number, n: number): void;
  /** dz += da ⊙ f'(z), elementwise over batch·n (a = f(z) is given so f' can reuse it). Not softmax. */
  activationBackward(f: Activation, dz: T, da: T, z: T, a: T, batch: number, n: number): void;

  // ---- normalisation over features (x, y are [batch][n]; x̂ = (x − mean)·invStd; y = γ ⊙ x̂ + β) ----
  /**
   * Batch normalisation, training mode. Per feature j over the batch: mean[j] = μⱼ, the biased
   * variance σⱼ², invStd[j] = 1/√(σⱼ² + eps); y = γ ⊙ x̂ + β. Overwrites y, mean and invStd (`[n]`,
   * what batchNormBackward needs). The running statistics (`[n]`) move as PyTorch's do:
   * runningMean = (1 − momentum)·runningMean + momentum·μ, runningVar likewise with the unbiased
   * σ²·batch/(batch − 1) (a batch of one, which PyTorch refuses in training, gives σ² = 0).
   * Sums in f64: constant features give σ² = 0 (y = β), and huge inputs no NaN. batch 0: nothing.
   */
  batchNormForward(
    y: T, mean: T, invStd: T, runningMean: T, runningVar: T,
    x: T, gamma: T, beta: T, batch: number, n: number, momentum: number, eps: number,
  ): void;
  /**
   * y = γ ⊙ (x − mean)·invStd + β per feature, with the mean and invStd batchNormForward saved for
   * this x: its y, the same bits, without recomputing the statistics (whose outputs nobody reads
   * then). Overwrites y.
   */
  batchNormNormalize(y: T, x: T, mean: T, invStd: T, gamma: T, beta: T, batch: number, n: number): void;
  /** Batch normalisation, evaluation mode: y = γ ⊙ (x − runningMean)/√(runningVar + eps) + β. Overwrites y. */
  batchNormInference(y: T, x: T, gamma: T, beta: T, runningMean: T, runningVar: T, batch: number, n: number, eps: number): void;
  /**
   * Through batchNormForward (training mode), per feature j with mean, invStd as it saved them:
   * dγ += Σ_batch dy ⊙ x̂;  dβ += Σ_batch dy;  dx += γ·invStd·(dy − Σ dy/batch − x̂·Σ(dy ⊙ x̂)/batch).
   */
  batchNormBackward(dx: T, dgamma: T, dbeta: T, dy: T, x: T, mean: T, invStd: T, gamma: T, batch: number, n: number): void;
  /** batchNormBackward's dγ and dβ alone, the same bits, where nobody reads dx: dγ += Σ_batch dy ⊙ x̂;  dβ += Σ_batch dy. */
  batchNormAffineBackward(dgamma: T, dbeta: T, dy: T, x: T, mean: T, invStd: T, batch: number, n: number): void;
  /**
   * Layer normalisation: per row x over its n features, mean[x] = μ, invStd[x] = 1/√(σ² + eps)
   * (biased σ², `[batch]` each, overwritten), y = γ ⊙ x̂ + β with γ, β `[n]`. Sums in f64.
   */
  layerNormForward(y: T, mean: T, invStd: T, x: T, gamma: T, beta: T, batch: number, n: number, eps: number): void;
  /**
   * y = γ ⊙ (x − mean)·invStd + β per row, with the mean and invStd layerNormForward saved for this
   * x: its y, the same bits, without recomputing the statistics. Overwrites y.
   */
  layerNormNormalize(y: T, x: T, mean: T, invStd: T, gamma: T, beta: T, batch: number, n: number): void;
  /**
   * Through layerNormForward, per row with g = dy ⊙ γ: dx += invStd·(g − Σg/n − x̂·Σ(g ⊙ x̂)/n);
   * dγ += Σ_batch dy ⊙ x̂;  dβ += Σ_batch dy.
   */
  layerNormBackward(dx: T, dgamma: T, dbeta: T, dy: T, x: T, mean: T, invStd: T, gamma: T, batch: number, n: number): void;
  /** layerNormBackward's dγ and dβ alone, the same bits, where nobody reads dx: dγ += Σ_batch dy ⊙ x̂;  dβ += Σ_batch dy. */
  layerNormAffineBackward(dgamma: T, dbeta: T, dy: T, x: T, mean: T, invStd: T, batch: number, n: number): void;
  /** layerNormBackward's dx alone, the same bits, where nobody reads dγ and dβ: dx += invStd·(g − Σg/n − x̂·Σ(g ⊙ x̂)/n), g = dy ⊙ γ per row. */
  layerNormInputBackward(dx: T, dy: T, x: T, mean: T, invStd: T, gamma: T, batch: number, n: number): void;

  // ---- residual connections (every tensor [n], n = batch·width) ----
  /** y = x + branch: the skip connection. Overwrites y (y may be x or branch). */
  residualForward(y: T, x: T, branch: T, n: number): void;
  /** dx += dy;  dbranch += dy. */
  residualBackward(dx: T, dbranch: T, dy: T, n: number): void;
  /** ReZero (Bachlechner et al. 2020): y = x + α·branch, α = alpha[0]. Overwrites y. */
  rezeroForward(y: T, x: T, branch: T, alpha: T, n: number): void;
  /** dx += dy;  dbranch += α·dy;  dalpha[0] += Σ dy ⊙ branch (summed in f64). */
  rezeroBackward(dx: T, dbranch: T, dalpha: T, dy: T, branch: T, alpha: T, n: number): void;
  /** rezeroBackward through the gate α·branch alone, the same bits, where nobody reads dx: dbranch += α·dy;  dalpha[0] += Σ dy ⊙ branch. */
  rezeroGateBackward(dbranch: T, dalpha: T, dy: T, branch: T, alpha: T, n: number): void;

  // ---- loss, fused with the output layer ----
  /** Mean over the batch of the per-sample loss (a = output(z) already computed). */
  loss(loss: Loss, output: OutputActivation, z: T, a: T, y: T, batch: number, n: number): number;
  /**
   * As `loss`, and dz += ∂(mean loss)/∂z in the same pass, per row: (a·Σy − y)/batch for softmax +
   * cross-entropy (Σy the row's target sum; a − y only when it is 1), (a − y)/batch for sigmoid +
   * binary cross-entropy, and for MSE through the output: f'(z) ⊙ (a − y)/batch.
   */
  lossBackward(loss: Loss, output: OutputActivation, dz: T, z: T, a: T, y: T, batch: number, n: number): number;

  // ---- reductions (returned in f64) ----
  /** Σ x[i]² over the first n elements. */
  sumSquares(x: T, n: number): number;
  /** Σ |x[i]| over the first n elements. */
  sumAbs(x: T, n: number): number;
  /** max |x[i]| over the first n elements. */
  maxAbs(x: T, n: number): number;
  /** out[r] = Σ_j x[r][j]² for r < batch (x is `[batch][n]`; overwrites out): per-example norms. */
  rowSumSquares(out: T, x: T, batch: number, n: number): void;

  // ---- optimiser updates ----
  /**
   * SGD with momentum and L2 weight decay, PyTorch's convention:
   * v = momentum·v + (g + weightDecay·w);  w -= learningRate·v.  (momentum 0: v is just the step.)
   */
  sgdUpdate(w: T, v: T, g: T, n: number, learningRate: number, momentum: number, weightDecay: number): void;
  /** PyTorch's Nesterov SGD: g' = g + weightDecay·w;  v = momentum·v + g';  w -= learningRate·(g' + momentum·v). */
  nesterovUpdate(w: T, v: T, g: T, n: number, learningRate: number, momentum: number, weightDecay: number): void;
  /** Adagrad: g' = g + weightDecay·w;  s += g'²;  w -= learningRate·g' / (√s + epsilon). */
  adagradUpdate(w: T, s: T, g: T, n: number, learningRate: number, epsilon: number, weightDecay: number): void;
  /** RMSProp: g' = g + weightDecay·w;  s = alpha·s + (1 − alpha)·g'²;  w -= learningRate·g' / (√s + epsilon). */
  rmspropUpdate(w: T, s: T, g: T, n: number, learningRate: number, alpha: number, epsilon: number, weightDecay: number): void;
  /**
   * Adam (decoupled false: g' = g + weightDecay·w) or AdamW (decoupled true: g' = g and
   * w ← w·(1 − learningRate·weightDecay) first), at step t ≥ 1, PyTorch's formulas:
   * m = β1·m + (1 − β1)·g';  v = β2·v + (1 − β2)·g'²;
   * w -= learningRate/(1 − β1^t) · m / (√v / √(1 − β2^t) + epsilon).
   */
  adamUpdate(
    w: T, m: T, v: T, g: T, n: number,
    learningRate: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, decoupled: boolean, step: number,
  ): void;

  // ---- vector algebra (clipping, line searches, update measurements) ----
  /** y[0..n) += alpha·x[0..n). */
  axpy(y: T, x: T, n: number, alpha: number): void;
  /** x[0..n) *= alpha. */
  scale(x: T, n: number, alpha: number): void;
  /** Σ x[i]·y[i] over [0, n), in f64. */
  dot(x: T, y: T, n: number): number;

  // ---- curvature (Hessian-free's R-operator and preconditioner, K-FAC's factors) ----
  /** z[0..n) = x ⊙ y (overwrites z; z may be x or y). */
  mul(z: T, x: T, y: T, n: number): void;
  /**
   * ra[batch][n] = (diag(a) − a·aᵀ)·rz row by row, where a = softmax(z): the softmax's Jacobian
   * applied to rz, i.e. R{a} = a ⊙ (R{z} − aᵀR{z}). Overwrites ra.
   */
  softmaxJvp(ra: T, a: T, rz: T, batch: number, n: number): void;
  /**
   * dz += (g ⊙ rz) ⊙ f''(z), elementwise over batch·n (a = f(z) is given, as in activationBackward):
   * the Hessian R-operator's term for the activation's curvature, R{δ} ∋ (Wᵀδ) ⊙ f''(z) ⊙ R{z}.
   * f'' is 0 for relu, leaky-relu and linear (dz is left as it is). Not softmax.
   */
  activationCurvature(f: Activation, dz: T, g: T, rz: T, z: T, a: T, batch: number, n: number): void;
  /** d[0..n) = (scale·s + lambda)^(−3/4): Martens' diagonal preconditioner, inverted. Overwrites d. */
  martensPreconditioner(d: T, s: T, n: number, scale: number, lambda: number): void;
  /** dst[dstOffset + r·dstStride + c] = src[srcOffset + r·srcStride + c], r < rows, c < cols. */
  copy2d(dst: T, dstOffset: number, dstStride: number, src: T, srcOffset: number, srcStride: number, rows: number, cols: number): void;
  /**
   * l[n][n] = the lower-triangular Cholesky factor of the symmetric a[n][n] (only a's lower
   * triangle is read; l's upper triangle is zeroed). Returns false, with l partly written, when a
   * is not positive definite.
   */
  cholesky(l: T, a: T, n: number): boolean;
  /** m[n][n] = l⁻¹ for a lower-triangular l with a non-zero diagonal (m is lower-triangular). */
  trilInverse(m: T, l: T, n: number): void;
  /**
   * Whether t·I − g passes a float64 Cholesky factorisation (every pivot > 0), for g[n][n]
   * symmetric (only its lower triangle is read, promoted to float64): the test of the trace's
   * proved bound on ‖W‖₂ (src/flow/spectral-bound.ts). Rows are made two at a time, each inner
   * product summed over its even and its odd terms apart, then added: every backend makes the same
   * float64 operations in the same order, so gives the same answer on the same g. The factor goes to
   * memory of the backend's own (n² float64s); g is not written.
   */
  shiftedCholeskyPasses(g: T, t: number, n: number): boolean;
  /**
   * y[batch][n] = targets drawn from the model's predictive distribution for `loss`, given the
   * outputs a and noise u drawn by the caller (so every backend makes the same draw). Overwrites y.
   * - cross-entropy (softmax): y[r] = one-hot of the first class j with u[r] < Σ_{k≤j} a[r][k]
   *   (sum in f64; u is `[batch]` uniforms in [0, 1));
   * - binary-cross-entropy (sigmoid): y = 1 where u < a, else 0 (u is `[batch][n]` uniforms);
   * - mse: y = a + u (u is `[batch][n]` standard normals: a unit-variance Gaussian).
   * K-FAC's G factor is the covariance of the gradients for such targets (the Fisher, not the
   * empirical Fisher of the true targets).
   */
  sampleTargets(loss: Loss, y: T, a: T, u: T, batch: number, n: number): void;

  // ---- gradient-flow statistics (src/flow), one pass each over data a step already made ----
  /**
   * Statistics of one layer over z, a = f(z) (`[batch][n]`), written to out[0] to out[7] in
   * this order: Σa, Σa², min a, max a, Σf'(z), max f'(z), the count of f'(z) < threshold, and the count of
   * units j with f'(z[x][j]) ≥ threshold for some row x. alive[j] (`[n]`, overwritten) is 1 for
   * those units, else 0. f' as activationBackward computes it.
   */
  activationStats(out: Float64Array, alive: T, f: Activation, z: T, a: T, batch: number, n: number, threshold: number): void;
  /**
   * counts[bin] += 1 for each x[i], bin = floor((x[i] − lo)·bins/(hi − lo)) in f32 arithmetic,
   * clamped to [0, bins − 1]; NaN is not counted. Needs hi > lo. counts is `[bins]`.
   */
  histogram(counts: T, x: T, n: number, lo: number, hi: number, bins: number): void;
  /** Σ (x[i] − y[i])² over [0, n), in f64: ‖ΔW‖² from a snapshot without a temporary. */
  sumSquaredDifference(x: T, y: T, n: number): number;
  /**
   * One read of a layer's weights w, gradient g and snapshot (`[n]` each): out[0] to out[4] = Σg²,
   * Σ|g|, max|g| (a NaN wins), Σw², Σ(w − snapshot)², in this order; then snapshot = w.
   */
  weightStats(out: Float64Array, snapshot: T, w: T, g: T, n: number): void;
  /**
   * Plain SGD's update w −= learningRate·g (`[n]` each; the values of axpy(w, g, n, −learningRate),
   * to the bit) that also measures what weightStats would of w and g in the same read: out[0] to
   * out[4] = Σg², Σ|g|, max|g| (a NaN wins), Σw² of w before the update, and Σ(w after − w before)²,
   * in weightStats' order. The update of a traced step (UpdateStatistics in src/model.ts).
   */
  sgdStepStats(out: Float64Array, w: T, g: T, n: number, learningRate: number): void;
  /**
   * sgdUpdate (the same values, to the bit) that also measures sgdStepStats' numbers of w and g,
   * Σ(w after − w before)² being the update's own: SGD with momentum or weight decay on a traced step.
   */
  sgdUpdateStats(out: Float64Array, w: T, v: T, g: T, n: number, learningRate: number, momentum: number, weightDecay: number): void;
}

/** Slots of weightStats' output (twin of WSTAT_* in assembly/stats.common.ts). */
export const WEIGHT_STAT = {
  gradSquares: 0,
  gradAbs: 1,
  gradMaxAbs: 2,
  weightSquares: 3,
  changeSquares: 4,
} as const;
/** Numbers weightStats (and sgdStepStats) write. */
export const WEIGHT_STAT_COUNT = Object.keys(WEIGHT_STAT).length;

/** Slots of activationStats' output (twin of STAT_* in assembly/stats.common.ts). */
export const ACTIVATION_STAT = {
  sum: 0,
  sumSquares: 1,
  min: 2,
  max: 3,
  sumPrime: 4,
  maxPrime: 5,
  saturated: 6,
  aliveUnits: 7,
} as const;
export const ACTIVATION_STAT_COUNT = 8;
