/**
 * What the AssemblyScript core exports: the single source of truth for kernel names and signatures.
 * Pointers are byte offsets into the module's memory (any 4-byte alignment is accepted);
 * sizes are element counts. Every kernel exists as a `__simd` and a `__scalar` variant; the scalar
 * binary (built without SIMD for engines that lack it) holds only the `__scalar` ones.
 */
export type Variant = 'simd' | 'scalar';

/** Names of the elementwise activations as they appear in export names. */
export const ACTIVATION_EXPORT_NAMES = {
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  'leaky-relu': 'leaky_relu',
  softsign: 'softsign',
  linear: 'linear',
} as const;
export type ActivationExportName = (typeof ACTIVATION_EXPORT_NAMES)[keyof typeof ACTIVATION_EXPORT_NAMES];

type Ptr = number;

/** One variant's kernels, with the suffix stripped. */
export interface VariantKernels {
  // z[batch][nOut] = a[batch][nIn]·w[nOut][nIn]ᵀ + b        (overwrites z)
  f32_dense_fwd(z: Ptr, a: Ptr, w: Ptr, b: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number): void;
  // da[batch][nIn] += dz[batch][nOut]·w[nOut][nIn]
  f32_dense_bwd_input(da: Ptr, dz: Ptr, w: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number): void;
  // dw[nOut][nIn] += dz[batch][nOut]ᵀ·a[batch][nIn]
  f32_dense_bwd_weights(dw: Ptr, dz: Ptr, a: Ptr, scratch: Ptr, batch: number, nIn: number, nOut: number): void;
  // db[nOut] += Σ_batch dz[batch][nOut]
  f32_dense_bwd_bias(db: Ptr, dz: Ptr, batch: number, nOut: number): void;
  // c[m][n] (+)= a[m][k]·b[k][n], all row-major: the raw microkernel driver, for benches and tests
  f32_gemm(c: Ptr, a: Ptr, b: Ptr, scratch: Ptr, m: number, n: number, k: number, accumulate: number): void;

  // a[batch][n] = softmax(z) row by row
  f32_softmax_fwd(a: Ptr, z: Ptr, batch: number, n: number): void;

  // losses: the mean over the batch of the per-sample loss, returned as f64
  f32_xent_softmax_loss(z: Ptr, y: Ptr, batch: number, n: number): number;
  // … and dz += (softmax(z) − y)/batch, where a = softmax(z) is given
  f32_xent_softmax_bwd(dz: Ptr, z: Ptr, a: Ptr, y: Ptr, batch: number, n: number): number;
  f32_bce_sigmoid_loss(z: Ptr, y: Ptr, batch: number, n: number): number;
  // … and dz += (σ(z) − y)/batch, where a = σ(z) is given
  f32_bce_sigmoid_bwd(dz: Ptr, z: Ptr, a: Ptr, y: Ptr, batch: number, n: number): number;
  f32_mse_loss(a: Ptr, y: Ptr, batch: number, n: number): number;
  // … and da += (a − y)/batch
  f32_mse_bwd(da: Ptr, a: Ptr, y: Ptr, batch: number, n: number): number;

  f32_sum_squares(x: Ptr, n: number): number;
  f32_sum_abs(x: Ptr, n: number): number;
  f32_max_abs(x: Ptr, n: number): number;

  // v = momentum·v + g + weightDecay·w;  w -= learningRate·v
  f32_sgd_update(w: Ptr, v: Ptr, g: Ptr, n: number, learningRate: number, momentum: number, weightDecay: number): void;

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
  /** x[0..n) = 0. */
  f32_zero(x: Ptr, n: number): void;
}

/** Export name of a kernel: e.g. exportName('f32_dense_fwd', 'simd') = 'f32_dense_fwd__simd'. */
export function exportName(kernel: string, variant: Variant): string {
  return `${kernel}__${variant}`;
}
