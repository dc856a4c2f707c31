// Exports without a variant. Memory is managed from TypeScript (src/wasm/allocator.ts): the
// core never allocates, it only reads and writes the pointers it is given.
export { dense_scratch_bytes, gemm_scratch_bytes } from './gemm.pack';
import { weightsFoldRow } from './gemm.pack';

// The row at which ∂W's sum over the batch is cut in two (gemm.pack.ts' weightsFoldRow), 0 where it
// is not: the two-thread backend splits ∂W by batch rows there (src/wasm/threads/threaded-kernels.ts).
export function dense_weights_fold_row(batch: i32): i32 {
  return weightsFoldRow(batch);
}

export function heap_base(): usize {
  return __heap_base;
}

export function f32_zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 2);
}

// Rows of fewer bytes than this are copied eight bytes at a time rather than by memory.copy, whose
// call into the engine costs more than such a row: 256 rows of 10 floats took 1.1 µs instead of
// 1.9 from cache and 14 instead of 21 from memory (AMD EPYC Zen 3, 2026-12-01, load 11).
const WORD_COPY_BELOW: usize = 256;

// dst[i][rowLen] = src[rows[i]][rowLen] for i < count: a mini-batch gathered by index, rows being
// `count` u32 row numbers in memory. One memory.copy per row (bulk memory is the engine's fast
// copy), or for narrow rows (a batch's targets) a loop of 64-bit loads and stores; the bits move as
// they are either way. The same in every binary, so it has no variant.
export function f32_copy_rows(dst: usize, src: usize, rows: usize, count: i32, rowLen: i32): void {
  const bytes = <usize>rowLen << 2;
  if (bytes >= WORD_COPY_BELOW) {
    for (let i = 0; i < count; i++) {
      memory.copy(dst + <usize>i * bytes, src + <usize>load<u32>(rows + (<usize>i << 2)) * bytes, bytes);
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const to = dst + <usize>i * bytes;
    const from = src + <usize>load<u32>(rows + (<usize>i << 2)) * bytes;
    let j: usize = 0;
    for (; j + 8 <= bytes; j += 8) store<u64>(to + j, load<u64>(from + j));
    if (j < bytes) store<u32>(to + j, load<u32>(from + j));
  }
}
