// The twin of row-dots.simd.ts on scalar f32, output by output: for the row-dot forwards whose
// lanes do not fit one K block each (lanesAsGemms, gemm.pack.ts) or of fewer than 4 rows;
// dense.scalar.ts runs the others as four GEMMs, one per lane. Either way each output keeps the SIMD twin's order of sums, so the
// binaries agree bit for bit: 4 partial sums s_l of the terms k ≡ l mod 4 (k ascending), then
// z = ((s0 + s2) + (s1 + s3)) + b. (The SIMD twin's zero lanes past nIn add +0, which changes no
// sum: each s_l starts at +0, so it is never −0.) No v128 anywhere: compiled into the scalar binary.

// One output's lane sums combined: a (nIn floats) · w (nIn floats).
function dot(a: usize, w: usize, nIn: i32): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  const k4 = <usize>(nIn & ~3) << 2;
  for (let p: usize = 0; p < k4; p += 16) {
    s0 += load<f32>(a + p) * load<f32>(w + p);
    s1 += load<f32>(a + p, 4) * load<f32>(w + p, 4);
    s2 += load<f32>(a + p, 8) * load<f32>(w + p, 8);
    s3 += load<f32>(a + p, 12) * load<f32>(w + p, 12);
  }
  const tail = nIn & 3;
  if (tail > 0) s0 += load<f32>(a + k4) * load<f32>(w + k4);
  if (tail > 1) s1 += load<f32>(a + k4, 4) * load<f32>(w + k4, 4);
  if (tail > 2) s2 += load<f32>(a + k4, 8) * load<f32>(w + k4, 8);
  return (s0 + s2) + (s1 + s3);
}

/** z[batch][nOut] = a[batch][nIn] · w[nOut][nIn]ᵀ + b[nOut], one output at a time (see the file comment). */
export function denseForwardRowDotsByOutput(z: usize, a: usize, w: usize, b: usize, batch: i32, nIn: i32, nOut: i32): void {
  const lda = <usize>nIn << 2, ldz = <usize>nOut << 2;
  for (let i = 0; i < batch; i++) {
    const ai = a + <usize>i * lda, zi = z + <usize>i * ldz;
    for (let j = 0; j < nOut; j++) {
      const o = <usize>j << 2;
      store<f32>(zi + o, dot(ai, w + <usize>j * lda, nIn) + load<f32>(b + o));
    }
  }
}
