/**
 * What the AssemblyScript core exports: the single source of truth for kernel names and signatures.
 * Pointers are byte offsets into the module's memory (any 4-byte alignment is accepted);
 * sizes are element counts. Every kernel exists as a `__simd` and a `__scalar` variant; the scalar
 * binary (built without SIMD for engines that lack it) holds only the `__scalar` ones.
 */
export type Variant = (typeof VARIANTS)[number];
/** Every variant, as createWasmKernels' `variant` takes them. */
export const VARIANTS = ['simd', 'scalar'] as const;

/** Names of the elementwise activations as they appear in export names. */
export const ACTIVATION_EXPORT_NAMES = {
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  'leaky-relu': 'leaky_relu',
  softsign: 'softsign',
  linear: 'linear',
  selu: 'selu',
} as const;

type Ptr = number;

/** One variant's kernels, with the suffix stripped. */
export interface VariantKernels {
  // z[batch][nOut] = a[batch][nIn]·w[nOut][nIn]ᵀ + b        (overwrites z)
  f32_dense_fwd(z: Ptr, a: Ptr, w: Ptr, b: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number): void;
  // a[batch][nIn] = x[rows[i]][nIn], then f32_dense_fwd (rows: batch u32 row numbers; f32_copy_rows' gather)
  f32_dense_fwd_gather(z: Ptr, a: Ptr, x: Ptr, rows: Ptr, w: Ptr, b: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number): void;
  // da[batch][nIn] += dz[batch][nOut]·w[nOut][nIn]
  f32_dense_bwd_input(da: Ptr, dz: Ptr, w: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number): void;
  // dw[nOut][nIn] (+)= dz[batch][nOut]ᵀ·a[batch][nIn], added when accumulate ≠ 0, else written over dw (the bits of zeroing it first)
  f32_dense_bwd_weights(dw: Ptr, dz: Ptr, a: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number, accumulate: number): void;
  // dw[nOut][j0..j0+cols) (+)= dz[batch][nOut]ᵀ·a[batch][j0..j0+cols)  (dwCols = dw + j0, aCols = a + j0 floats; rows nIn apart):
  // the same bits as those columns of f32_dense_bwd_weights (the threads' split by columns)
  f32_dense_bwd_weights_cols(dwCols: Ptr, dz: Ptr, aCols: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number, cols: number, accumulate: number): void;
  // dw[nOut][nIn] (+)= dz[rows][nOut]ᵀ·a[rows][nIn], added when accumulate ≠ 0, else written over dw: one part of
  // f32_dense_bwd_weights' fold (assembly/gemm.pack.ts' weightsFoldRow; the threads' split by rows)
  f32_dense_bwd_weights_rows(dw: Ptr, dz: Ptr, a: Ptr, scratch: Ptr, rows: number, nIn: number, nOut: number, accumulate: number): void;
  // db[nOut] += Σ_batch dz[batch][nOut]
  f32_dense_bwd_bias(db: Ptr, dz: Ptr, batch: number, nOut: number): void;
  // y[nOut] = w[nOut][nIn]·x[nIn]        (overwrites y; assembly/matvec.*.ts)
  f32_matvec(y: Ptr, w: Ptr, x: Ptr, nIn: number, nOut: number): void;
  // y[nIn] = w[nOut][nIn]ᵀ·x[nOut]       (overwrites y)
  f32_matvec_t(y: Ptr, w: Ptr, x: Ptr, nIn: number, nOut: number): void;
  // c[m][n] (+)= a[m][k]·b[k][n], all row-major: the raw microkernel driver, for benches and tests
  f32_gemm(c: Ptr, a: Ptr, b: Ptr, scratch: Ptr, m: number, n: number, k: number, accumulate: number): void;

  // a[batch][n] = softmax(z) row by row
  f32_softmax_fwd(a: Ptr, z: Ptr, batch: number, n: number): void;

  // The normalisation kernels of assembly/normalization.*.ts (momentum and eps are f64; statistics
  // are summed in f64). Batch norm, training: y = γ·x̂ + β with the batch's mean and invStd
  // (saved, (n) each), running statistics moved by momentum
  f32_batchnorm_fwd(
    y: Ptr, mean: Ptr, invStd: Ptr, runningMean: Ptr, runningVar: Ptr,
    x: Ptr, gamma: Ptr, beta: Ptr, batch: number, n: number, momentum: number, eps: number,
  ): void;
  // … y = γ·(x − mean)·invStd + β from the statistics batchnorm_fwd saved (see Kernels.batchNormNormalize)
  f32_batchnorm_normalize(y: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, gamma: Ptr, beta: Ptr, batch: number, n: number): void;
  // … evaluation: y = γ·(x − runningMean)/√(runningVar + eps) + β
  f32_batchnorm_infer(y: Ptr, x: Ptr, gamma: Ptr, beta: Ptr, runningMean: Ptr, runningVar: Ptr, batch: number, n: number, eps: number): void;
  // … backward: dx, dgamma, dbeta += (see Kernels.batchNormBackward)
  f32_batchnorm_bwd(dx: Ptr, dgamma: Ptr, dbeta: Ptr, dy: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, gamma: Ptr, batch: number, n: number): void;
  // … its dgamma, dbeta += only, the same bits (see Kernels.batchNormAffineBackward)
  f32_batchnorm_affine_bwd(dgamma: Ptr, dbeta: Ptr, dy: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, batch: number, n: number): void;
  // Layer norm: per row, y = γ·x̂ + β; mean, invStd are (batch)
  f32_layernorm_fwd(y: Ptr, mean: Ptr, invStd: Ptr, x: Ptr, gamma: Ptr, beta: Ptr, batch: number, n: number, eps: number): void;
  // … y = γ·(x − mean)·invStd + β from the statistics layernorm_fwd saved (see Kernels.layerNormNormalize)
  f32_layernorm_normalize(y: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, gamma: Ptr, beta: Ptr, batch: number, n: number): void;
  // … backward: dx, dgamma, dbeta += (see Kernels.layerNormBackward)
  f32_layernorm_bwd(dx: Ptr, dgamma: Ptr, dbeta: Ptr, dy: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, gamma: Ptr, batch: number, n: number): void;
  // … its dgamma, dbeta += only, the same bits (see Kernels.layerNormAffineBackward)
  f32_layernorm_affine_bwd(dgamma: Ptr, dbeta: Ptr, dy: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, batch: number, n: number): void;
  // … its dx += only, the same bits (see Kernels.layerNormInputBackward)
  f32_layernorm_input_bwd(dx: Ptr, dy: Ptr, x: Ptr, mean: Ptr, invStd: Ptr, gamma: Ptr, batch: number, n: number): void;
  // The residual kernels of assembly/residual.*.ts. y = x + branch
  f32_residual_fwd(y: Ptr, x: Ptr, branch: Ptr, n: number): void;
  // dx += dy;  dbranch += dy
  f32_residual_bwd(dx: Ptr, dbranch: Ptr, dy: Ptr, n: number): void;
  // y = x + alpha[0]·branch
  f32_rezero_fwd(y: Ptr, x: Ptr, branch: Ptr, alpha: Ptr, n: number): void;
  // dx += dy;  dbranch += α·dy;  dalpha[0] += Σ dy·branch
  f32_rezero_bwd(dx: Ptr, dbranch: Ptr, dalpha: Ptr, dy: Ptr, branch: Ptr, alpha: Ptr, n: number): void;
  // dbranch += α·dy;  dalpha[0] += Σ dy·branch: rezero_bwd without dx, the same bits
  f32_rezero_gate_bwd(dbranch: Ptr, dalpha: Ptr, dy: Ptr, branch: Ptr, alpha: Ptr, n: number): void;

  // losses: the mean over the batch of the per-sample loss, returned as f64
  f32_xent_softmax_loss(z: Ptr, y: Ptr, batch: number, n: number): number;
  // … and dz += (softmax(z)·Σy − y)/batch, Σy the row's target sum, where a = softmax(z) is given
  f32_xent_softmax_bwd(dz: Ptr, z: Ptr, a: Ptr, y: Ptr, batch: number, n: number): number;
  // f32_xent_softmax_bwd's gradient on `rows` rows of a batch of `batch`, no loss value: a thread's rows
  f32_xent_softmax_bwd_rows(dz: Ptr, z: Ptr, a: Ptr, y: Ptr, rows: number, n: number, batch: number): void;
  f32_bce_sigmoid_loss(z: Ptr, y: Ptr, batch: number, n: number): number;
  // … and dz += (σ(z) − y)/batch, where a = σ(z) is given
  f32_bce_sigmoid_bwd(dz: Ptr, z: Ptr, a: Ptr, y: Ptr, batch: number, n: number): number;
  f32_mse_loss(a: Ptr, y: Ptr, batch: number, n: number): number;
  // … and da += (a − y)/batch
  f32_mse_bwd(da: Ptr, a: Ptr, y: Ptr, batch: number, n: number): number;
  // f32_mse_bwd's gradient on `rows` rows of a batch of `batch` (da += (a − y)/batch), no loss value: a thread's rows
  f32_mse_bwd_rows(da: Ptr, a: Ptr, y: Ptr, rows: number, n: number, batch: number): void;

  f32_sum_squares(x: Ptr, n: number): number;
  f32_sum_abs(x: Ptr, n: number): number;
  f32_max_abs(x: Ptr, n: number): number;
  // 1 when every x is finite, else 0 (an upload's check: Kernels.writeFinite)
  f32_all_finite(x: Ptr, n: number): number;
  // out[r] = Σ_j x[r][j]² (out is (batch) f32)
  f32_row_sum_squares(out: Ptr, x: Ptr, batch: number, n: number): void;

  // v = momentum·v + g + weightDecay·w;  w -= learningRate·v
  f32_sgd_update(w: Ptr, v: Ptr, g: Ptr, n: number, learningRate: number, momentum: number, weightDecay: number): void;
  // The optimiser kernels of assembly/optim.*.ts; hyperparameters are f64, rounded to f32 once inside.
  // g' = g + λw;  v = μv + g';  w −= lr·(g' + μv)
  f32_nesterov_update(w: Ptr, v: Ptr, g: Ptr, n: number, learningRate: number, momentum: number, weightDecay: number): void;
  // g' = g + λw;  s += g'²;  w −= lr·g'/(√s + ε)
  f32_adagrad_update(w: Ptr, s: Ptr, g: Ptr, n: number, learningRate: number, epsilon: number, weightDecay: number): void;
  // g' = g + λw;  s = α·s + (1 − α)·g'²;  w −= lr·g'/(√s + ε)
  f32_rmsprop_update(w: Ptr, s: Ptr, g: Ptr, n: number, learningRate: number, alpha: number, epsilon: number, weightDecay: number): void;
  // Adam (decoupled 0) / AdamW (decoupled 1) at step t ≥ 1; see Kernels.adamUpdate
  f32_adam_update(
    w: Ptr, m: Ptr, v: Ptr, g: Ptr, n: number,
    learningRate: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, decoupled: number, step: number,
  ): void;
  // y += α·x
  f32_axpy(y: Ptr, x: Ptr, n: number, alpha: number): void;
  // x *= α
  f32_scale(x: Ptr, n: number, alpha: number): void;
  // Σ x·y, returned as f64
  f32_dot(x: Ptr, y: Ptr, n: number): number;

  // The curvature kernels of assembly/curvature.*.ts and assembly/cholesky.*.ts.
  // z = x ⊙ y
  f32_mul(z: Ptr, x: Ptr, y: Ptr, n: number): void;
  // ra = a ⊙ (rz − aᵀrz) row by row (the softmax's Jacobian-vector product)
  f32_softmax_jvp(ra: Ptr, a: Ptr, rz: Ptr, batch: number, n: number): void;
  // dz += (g ⊙ rz) ⊙ f''(z), a = f(z); kind = index in ACTIVATIONS
  f32_activation_curvature(dz: Ptr, g: Ptr, rz: Ptr, z: Ptr, a: Ptr, n: number, kind: number): void;
  // d = (scale·s + λ)^(−3/4)
  f32_martens_preconditioner(d: Ptr, s: Ptr, n: number, scale: number, lambda: number): void;
  // dst[r·dstStride + c] = src[r·srcStride + c] (strides in elements)
  f32_copy2d(dst: Ptr, dstStride: number, src: Ptr, srcStride: number, rows: number, cols: number): void;
  // l = chol(a), lower; returns 0, or 1 + the first row whose pivot was not > 0
  f32_cholesky(l: Ptr, a: Ptr, n: number): number;
  // m = l⁻¹ (lower-triangular)
  f32_tril_inverse(m: Ptr, l: Ptr, n: number): void;
  // 1 where t·I − g passes a float64 Cholesky factorisation into m (n·n f64 scratch), else 0 (assembly/shifted-cholesky.*.ts)
  f32_shifted_cholesky(m: Ptr, g: Ptr, t: number, n: number): number;
  // y = targets drawn from the predictive distribution of outputs a, from noise u; kind = index in LOSSES
  // (assembly/sampling.*.ts)
  f32_sample_targets(y: Ptr, a: Ptr, u: Ptr, kind: number, batch: number, n: number): void;

  // The gradient-flow statistics of assembly/stats.*.ts (kind: the index in ACTIVATIONS).
  // out (8 f64) = Σa, Σa², min a, max a, Σf'(z), max f'(z), #{f' < threshold}, #units alive;
  // alive[j] = 1 where f'(z[x][j]) ≥ threshold for some x
  f32_activation_stats(out: Ptr, alive: Ptr, z: Ptr, a: Ptr, batch: number, n: number, kind: number, threshold: number): void;
  // counts[floor((x − lo)·bins/(hi − lo))] += 1, clamped to the end bins, NaN skipped
  f32_histogram(counts: Ptr, x: Ptr, n: number, lo: number, hi: number, bins: number): void;
  // Σ (x − y)², returned as f64
  f32_sum_squared_diff(x: Ptr, y: Ptr, n: number): number;
  // out (5 f64) = Σg², Σ|g|, max|g|, Σw², Σ(w − snapshot)²; then snapshot = w
  f32_weight_stats(out: Ptr, snapshot: Ptr, w: Ptr, g: Ptr, n: number): void;
  // w −= learningRate·g (f32_axpy's bits) and out (5 f64) = Σg², Σ|g|, max|g|, Σw² before, Σ(w after − w before)² (assembly/update.*.ts)
  f32_sgd_step_stats(out: Ptr, w: Ptr, g: Ptr, n: number, learningRate: number): void;
  // f32_sgd_update (its bits) and out as f32_sgd_step_stats'
  f32_sgd_update_stats(out: Ptr, w: Ptr, v: Ptr, g: Ptr, n: number, learningRate: number, momentum: number, weightDecay: number): void;

  // The in-run arithmetic peak: `iterations` rounds of independent mul+add chains (f32x4 in the
  // simd variant, f32 in the scalar one); writes its accumulators to out (16 floats) so nothing is
  // optimised away, and returns the number of floating-point operations it performed.
  f32_peak_madd(out: Ptr, iterations: number): number;
}

/** Per activation `X` (see ACTIVATION_EXPORT_NAMES): f32_X_fwd(a, z, n): a = f(z);  f32_X_bwd(dz, da, z, a, n): dz += da ⊙ f'(z). */
export interface ActivationKernels {
  fwd(a: Ptr, z: Ptr, n: number): void;
  bwd(dz: Ptr, da: Ptr, z: Ptr, a: Ptr, n: number): void;
}

/** Exports that have no variant. */
export interface CommonExports {
  memory: WebAssembly.Memory;
  /** First byte past the module's own static data: gradscope's allocator starts here. */
  heap_base(): Ptr;
  /** Bytes of scratch the dense kernels need for these sizes (packed panels). */
  dense_scratch_bytes(batch: number, nIn: number, nOut: number): number;
  /** Bytes of scratch f32_gemm needs for these sizes. */
  gemm_scratch_bytes(m: number, n: number, k: number): number;
  /** The batch row at which ∂W's sum is cut in two (assembly/gemm.pack.ts' weightsFoldRow), 0 where it is not. */
  dense_weights_fold_row(batch: number): number;
  /** x[0..n) = 0. */
  f32_zero(x: Ptr, n: number): void;
  /** dst[i][rowLen] = src[rows[i]][rowLen] for i < count; `rows` points at `count` u32 row numbers. */
  f32_copy_rows(dst: Ptr, src: Ptr, rows: Ptr, count: number, rowLen: number): void;
}

/** Export name of a kernel: e.g. exportName('f32_dense_fwd', 'simd') = 'f32_dense_fwd__simd'. */
export function exportName(kernel: string, variant: Variant): string {
  return `${kernel}__${variant}`;
}

/**
 * The SIMD-only exports (no scalar twin) the threaded backend calls: a worker's part of maxAbs
 * comes back as a job's int32 result, and split products are cut at the microkernel's tile.
 */
export interface SimdOnlyExports {
  // the float32 bits of max |x| (f32_max_abs's value), as an int32
  f32_max_abs_bits(x: Ptr, n: number): number;
  // rows and columns of the dense microkernel's tile
  dense_tile_rows(): number;
  dense_tile_cols(): number;
}

/** The number of parameters each function of T takes, by name. */
export type Arities<T> = { readonly [K in keyof T]: T[K] extends (...args: infer P) => unknown ? P['length'] : never };

/*
 * Each export's parameter count, checked by tsc against the signatures above (a name missing or
 * added, or a count that differs, fails the compile): what loader.ts checks a built core against.
 * WebAssembly drops the arguments a function does not declare, so a core built before a kernel
 * gained one (f32_dense_bwd_weights' accumulate, 5566f9ef) would run without a word and wrong.
 */
const VARIANT_ARITIES = {
  f32_dense_fwd: 8,
  f32_dense_fwd_gather: 10,
  f32_dense_bwd_input: 7,
  f32_dense_bwd_weights: 8,
  f32_dense_bwd_weights_cols: 9,
  f32_dense_bwd_weights_rows: 8,
  f32_dense_bwd_bias: 4,
  f32_matvec: 5,
  f32_matvec_t: 5,
  f32_gemm: 8,
  f32_softmax_fwd: 4,
  f32_batchnorm_fwd: 12,
  f32_batchnorm_normalize: 8,
  f32_batchnorm_infer: 9,
  f32_batchnorm_bwd: 10,
  f32_batchnorm_affine_bwd: 8,
  f32_layernorm_fwd: 9,
  f32_layernorm_normalize: 8,
  f32_layernorm_bwd: 10,
  f32_layernorm_affine_bwd: 8,
  f32_layernorm_input_bwd: 8,
  f32_residual_fwd: 4,
  f32_residual_bwd: 4,
  f32_rezero_fwd: 5,
  f32_rezero_bwd: 7,
  f32_rezero_gate_bwd: 6,
  f32_xent_softmax_loss: 4,
  f32_xent_softmax_bwd: 6,
  f32_xent_softmax_bwd_rows: 7,
  f32_bce_sigmoid_loss: 4,
  f32_bce_sigmoid_bwd: 6,
  f32_mse_loss: 4,
  f32_mse_bwd: 5,
  f32_mse_bwd_rows: 6,
  f32_sum_squares: 2,
  f32_sum_abs: 2,
  f32_max_abs: 2,
  f32_all_finite: 2,
  f32_row_sum_squares: 4,
  f32_sgd_update: 7,
  f32_nesterov_update: 7,
  f32_adagrad_update: 7,
  f32_rmsprop_update: 8,
  f32_adam_update: 12,
  f32_axpy: 4,
  f32_scale: 3,
  f32_dot: 3,
  f32_mul: 4,
  f32_softmax_jvp: 5,
  f32_activation_curvature: 7,
  f32_martens_preconditioner: 5,
  f32_copy2d: 6,
  f32_cholesky: 3,
  f32_tril_inverse: 3,
  f32_shifted_cholesky: 4,
  f32_sample_targets: 6,
  f32_activation_stats: 8,
  f32_histogram: 6,
  f32_sum_squared_diff: 3,
  f32_weight_stats: 5,
  f32_sgd_step_stats: 5,
  f32_sgd_update_stats: 8,
  f32_peak_madd: 2,
} as const satisfies Arities<VariantKernels>;
const ACTIVATION_ARITIES = { fwd: 3, bwd: 5 } as const satisfies Arities<ActivationKernels>;
const SIMD_ONLY_ARITIES = { f32_max_abs_bits: 2, dense_tile_rows: 0, dense_tile_cols: 0 } as const satisfies Arities<SimdOnlyExports>;
const COMMON_ARITIES = {
  heap_base: 0,
  dense_scratch_bytes: 3,
  gemm_scratch_bytes: 3,
  dense_weights_fold_row: 1,
  f32_zero: 2,
  f32_copy_rows: 5,
} as const satisfies Arities<Omit<CommonExports, 'memory'>>;

/**
 * Every function a core holding `variants`' kernels must export for these sources, by export name,
 * with the number of parameters it must take (an exported function's `length`): the common exports,
 * each variant's kernels and activations, and with 'simd' the SIMD-only exports.
 */
export function coreContract(variants: readonly Variant[]): ReadonlyMap<string, number> {
  const contract = new Map<string, number>(Object.entries(COMMON_ARITIES));
  for (const variant of variants) {
    for (const [kernel, arity] of Object.entries(VARIANT_ARITIES)) contract.set(exportName(kernel, variant), arity);
    for (const name of Object.values(ACTIVATION_EXPORT_NAMES)) {
      for (const [pass, arity] of Object.entries(ACTIVATION_ARITIES)) contract.set(exportName(`f32_${name}_${pass}`, variant), arity);
    }
    if (variant === 'simd') for (const [name, arity] of Object.entries(SIMD_ONLY_ARITIES)) contract.set(exportName(name, variant), arity);
  }
  return contract;
}
