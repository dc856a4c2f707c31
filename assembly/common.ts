// Exports without a variant. Memory is managed from TypeScript (src/wasm/allocator.ts): the
// core never allocates, it only reads and writes the pointers it is given.
export { dense_scratch_bytes, gemm_scratch_bytes } from './gemm.pack';

export function heap_base(): usize {
  return __heap_base;
}

export function f32_zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 2);
}
