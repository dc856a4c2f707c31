// The twin of row-dots.simd.ts on scalar f32: the forward product z = a·wᵀ + b as dot products of
// a's rows with w's rows, for the shapes forwardByRowDots (gemm.pack.ts) gives them to, with the
// SIMD twin's order of sums so the binaries agree bit for bit: each output keeps 4 partial sums
// s_l of the terms k ≡ l mod 4 (k ascending), then z = ((s0 + s2) + (s1 + s3)) + b. (The SIMD
// twin's zero lanes past nIn add +0, which changes no sum: each s_l starts at +0, so it is never
// −0.) No v128 anywhere: this file is compiled into the scalar binary.

// z[0] and (pair) z[1] of one row: a (nIn floats) · the w rows at w and w1, plus bias[0], bias[1].
// Two outputs at a time: per step of k one a load serves both (8 sums + the operands fit V8's
// 15 xmm registers). Without a pair, w1 = w and only z[0] is stored.
function dot1x2(z: usize, a: usize, w: usize, w1: usize, bias: usize, nIn: i32, pair: bool): void {
  let p0: f32 = 0, p1: f32 = 0, p2: f32 = 0, p3: f32 = 0;
  let q0: f32 = 0, q1: f32 = 0, q2: f32 = 0, q3: f32 = 0;
  const k4 = <usize>(nIn & ~3) << 2;
  for (let p: usize = 0; p < k4; p += 16) {
    let x = load<f32>(a + p);
    p0 += x * load<f32>(w + p); q0 += x * load<f32>(w1 + p);
    x = load<f32>(a + p, 4);
    p1 += x * load<f32>(w + p, 4); q1 += x * load<f32>(w1 + p, 4);
    x = load<f32>(a + p, 8);
    p2 += x * load<f32>(w + p, 8); q2 += x * load<f32>(w1 + p, 8);
    x = load<f32>(a + p, 12);
    p3 += x * load<f32>(w + p, 12); q3 += x * load<f32>(w1 + p, 12);
  }
  const tail = nIn & 3;
  if (tail > 0) {
    let x = load<f32>(a + k4);
    p0 += x * load<f32>(w + k4); q0 += x * load<f32>(w1 + k4);
    if (tail > 1) {
      x = load<f32>(a + k4, 4);
      p1 += x * load<f32>(w + k4, 4); q1 += x * load<f32>(w1 + k4, 4);
    }
    if (tail > 2) {
      x = load<f32>(a + k4, 8);
      p2 += x * load<f32>(w + k4, 8); q2 += x * load<f32>(w1 + k4, 8);
    }
  }
  store<f32>(z, ((p0 + p2) + (p1 + p3)) + load<f32>(bias));
  if (pair) store<f32>(z, ((q0 + q2) + (q1 + q3)) + load<f32>(bias, 4), 4);
}

/** z[batch][nOut] = a[batch][nIn] · w[nOut][nIn]ᵀ + b[nOut], as dot products (see the file comment). */
export function denseForwardRowDots(z: usize, a: usize, w: usize, b: usize, batch: i32, nIn: i32, nOut: i32): void {
  const lda = <usize>nIn << 2, ldz = <usize>nOut << 2;
  for (let i = 0; i < batch; i++) {
    const ai = a + <usize>i * lda, zi = z + <usize>i * ldz;
    // A last odd column runs alone (nothing past w or b is read, nothing past z written).
    for (let j = 0; j < nOut; j += 2) {
      const o = <usize>j << 2;
      const wj = w + <usize>j * lda, pair = j + 1 < nOut;
      dot1x2(zi + o, ai, wj, pair ? wj + lda : wj, b + o, nIn, pair);
    }
  }
}
