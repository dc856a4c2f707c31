// Exports without a variant. Memory is managed from TypeScript (src/wasm/allocator.ts): the
// core never allocates, it only reads and writes the pointers it is given.
export { dense_scratch_bytes, gemm_scratch_bytes } from './gemm.pack';

export function heap_base(): usize {
  return __heap_base;
}

export function f32_zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 2);
}

// dst[i][rowLen] = src[rows[i]][rowLen] for i < count: a mini-batch gathered by index, rows being
// `count` u32 row numbers in memory. One memory.copy per row (bulk memory is the engine's fast
// copy); the same in every binary, so it has no variant.
export function f32_copy_rows(dst: usize, src: usize, rows: usize, count: i32, rowLen: i32): void {
  const bytes = <usize>rowLen << 2;
  for (let i = 0; i < count; i++) {
    memory.copy(dst + <usize>i * bytes, src + <usize>load<u32>(rows + (<usize>i << 2)) * bytes, bytes);
  }
}
