// The twins of matvec.simd.ts on scalar f32, in its orders of sums, so the binaries agree bit for
// bit: for w·x, per output 4 partial sums s_l of the terms k ≡ l mod 4 (k ascending), then
// (s0 + s2) + (s1 + s3); for wᵀ·x, per column k the terms j ascending. (The SIMD twin's zero lanes
// past nIn add +0, which changes no sum: each s_l starts at +0, so it is never −0.) No v128
// anywhere: compiled into the scalar binary.

export function f32_matvec__scalar(y: usize, w: usize, x: usize, nIn: i32, nOut: i32): void {
  // y (nOut) = w (nOut, nIn) · x (nIn); overwrites y
  const ldw = <usize>nIn << 2;
  const k4 = <usize>(nIn & ~3) << 2, tail = nIn & 3;
  for (let j = 0; j < nOut; j++) {
    const wj = w + <usize>j * ldw;
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let p: usize = 0; p < k4; p += 16) {
      s0 += load<f32>(wj + p) * load<f32>(x + p);
      s1 += load<f32>(wj + p, 4) * load<f32>(x + p, 4);
      s2 += load<f32>(wj + p, 8) * load<f32>(x + p, 8);
      s3 += load<f32>(wj + p, 12) * load<f32>(x + p, 12);
    }
    if (tail > 0) s0 += load<f32>(wj + k4) * load<f32>(x + k4);
    if (tail > 1) s1 += load<f32>(wj + k4, 4) * load<f32>(x + k4, 4);
    if (tail > 2) s2 += load<f32>(wj + k4, 8) * load<f32>(x + k4, 8);
    store<f32>(y + (<usize>j << 2), (s0 + s2) + (s1 + s3));
  }
}

export function f32_matvec_t__scalar(y: usize, w: usize, x: usize, nIn: i32, nOut: i32): void {
  // y (nIn) = w (nOut, nIn)ᵀ · x (nOut); overwrites y. Row by row (w read as stored), each row's
  // terms added to every column's sum: per column, j ascending.
  const ldw = <usize>nIn << 2;
  const yEnd = y + ldw;
  memory.fill(y, 0, ldw);
  for (let j = 0; j < nOut; j++) {
    const s = load<f32>(x + (<usize>j << 2));
    let wj = w + <usize>j * ldw;
    for (let p = y; p < yEnd; p += 4) {
      store<f32>(p, load<f32>(p) + load<f32>(wj) * s);
      wj += 4;
    }
  }
}
