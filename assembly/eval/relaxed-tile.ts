// The relaxed-SIMD evaluation (bench/relaxed.bench.ts): the dense microkernel's 4×8 tile loop
// (as in dense.simd.ts: packed, pre-broadcast A; 8 f32x4 accumulators) written twice,
// with f32x4.mul + f32x4.add and with f32x4.relaxed_madd, run over panels that sit in L1, so the
// only difference is the arithmetic. Built by the bench itself with --enable simd,relaxed-simd;
// not exported by the core (index.ts does not include it).

// c: the 4×8 tile (row stride 32 bytes); ap: A panel [kc][4] of f32x4; bp: B panel [kc][8] floats.
export function tile_mul_add(c: usize, ap: usize, bp: usize, kc: i32, reps: i32): f64 {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let r = 0; r < reps; r++) {
    let a_ = ap, b_ = bp;
    const bEnd = bp + (<usize>kc << 5);
    while (b_ < bEnd) {
      const b0 = v128.load(b_), b1 = v128.load(b_, 16);
      let a = v128.load(a_);
      c00 = f32x4.add(c00, f32x4.mul(a, b0));
      c01 = f32x4.add(c01, f32x4.mul(a, b1));
      a = v128.load(a_, 16);
      c10 = f32x4.add(c10, f32x4.mul(a, b0));
      c11 = f32x4.add(c11, f32x4.mul(a, b1));
      a = v128.load(a_, 32);
      c20 = f32x4.add(c20, f32x4.mul(a, b0));
      c21 = f32x4.add(c21, f32x4.mul(a, b1));
      a = v128.load(a_, 48);
      c30 = f32x4.add(c30, f32x4.mul(a, b0));
      c31 = f32x4.add(c31, f32x4.mul(a, b1));
      a_ += 64;
      b_ += 32;
    }
  }
  store4x8(c, c00, c01, c10, c11, c20, c21, c30, c31);
  return <f64>reps * <f64>kc * 64;
}

export function tile_relaxed_madd(c: usize, ap: usize, bp: usize, kc: i32, reps: i32): f64 {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let r = 0; r < reps; r++) {
    let a_ = ap, b_ = bp;
    const bEnd = bp + (<usize>kc << 5);
    while (b_ < bEnd) {
      const b0 = v128.load(b_), b1 = v128.load(b_, 16);
      let a = v128.load(a_);
      c00 = f32x4.relaxed_madd(a, b0, c00);
      c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load(a_, 16);
      c10 = f32x4.relaxed_madd(a, b0, c10);
      c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load(a_, 32);
      c20 = f32x4.relaxed_madd(a, b0, c20);
      c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load(a_, 48);
      c30 = f32x4.relaxed_madd(a, b0, c30);
      c31 = f32x4.relaxed_madd(a, b1, c31);
      a_ += 64;
      b_ += 32;
    }
  }
  store4x8(c, c00, c01, c10, c11, c20, c21, c30, c31);
  return <f64>reps * <f64>kc * 64;
}

@inline
function store4x8(c: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c, c10, 32);
  v128.store(c, c11, 48);
  v128.store(c, c20, 64);
  v128.store(c, c21, 80);
  v128.store(c, c30, 96);
  v128.store(c, c31, 112);
}

export function heap_base(): usize {
  return __heap_base;
}
