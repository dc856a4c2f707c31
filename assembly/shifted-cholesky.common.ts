// What both twins of shifted-cholesky share (entry access, an odd n's last row), so they make the
// same float64 operations. Not re-exported by the entries: nothing here is a kernel.

@inline export function at(m: usize, index: i32): f64 {
  return load<f64>(m + (<usize>index << 3));
}

@inline export function put(m: usize, index: i32, value: f64): void {
  store<f64>(m + (<usize>index << 3), value);
}

@inline export function gram(g: usize, index: i32): f64 {
  return <f64>load<f32>(g + (<usize>index << 2));
}

// An odd n's last row i (= n − 1), one entry at a time; rows < i are factorised in m.
@inline export function shiftedCholeskyLastRow(m: usize, g: usize, t: f64, n: i32, i: i32): bool {
  const row = i * n;
  for (let j = 0; j < i; j++) {
    let sum: f64 = 0 - gram(g, row + j);
    for (let c = 0; c < j; c++) sum -= at(m, row + c) * at(m, j * n + c);
    put(m, row + j, sum / at(m, j * n + j));
  }
  let sum: f64 = t - gram(g, row + i);
  for (let c = 0; c < i; c++) sum -= at(m, row + c) * at(m, i * n + c);
  return sum > 0;
}
