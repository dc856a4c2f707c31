// Entry of the SIMD binary: every kernel, __simd and __scalar variants side by side.
export * from './dense.simd';
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
export * from './common';
