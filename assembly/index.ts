// Entry of the SIMD binary: every kernel, __simd and __scalar variants side by side.
// Not the microkernel probe (f32_microkernel_rounds): the probe binaries carry it (probe.ts).
export { f32_dense_fwd__simd, f32_dense_bwd_input__simd, f32_dense_bwd_weights__simd, f32_dense_bwd_weights_cols__simd, f32_dense_bwd_bias__simd, f32_gemm__simd, dense_tile_rows__simd, dense_tile_cols__simd } from './dense.simd';
export * from './dense.scalar';
export * from './activation.simd';
export * from './activation.scalar';
export * from './loss.simd';
export * from './loss.scalar';
export * from './reduce.simd';
export * from './reduce.scalar';
export * from './update.simd';
export * from './update.scalar';
export * from './peak.simd';
export * from './peak.scalar';
export * from './optim.simd';
export * from './optim.scalar';
export * from './curvature.simd';
export * from './curvature.scalar';
export * from './cholesky.simd';
export * from './cholesky.scalar';
export * from './sampling.simd';
export * from './sampling.scalar';
export * from './stats.simd';
export * from './stats.scalar';
export * from './normalization.simd';
export * from './normalization.scalar';
export * from './residual.simd';
export * from './residual.scalar';
export * from './common';
