// Entry of the scalar binary, for engines without WebAssembly SIMD: only the __scalar variants.
export * from './dense.scalar';
export * from './matvec.scalar';
export * from './activation.scalar';
export * from './loss.scalar';
export * from './reduce.scalar';
export * from './update.scalar';
export * from './peak.scalar';
export * from './optim.scalar';
export * from './curvature.scalar';
export * from './cholesky.scalar';
export * from './shifted-cholesky.scalar';
export * from './sampling.scalar';
export * from './stats.scalar';
export * from './normalization.scalar';
export * from './residual.scalar';
export * from './common';
