/**
 * Loss kernels fused with the output layer: the mean loss and dz += ∂(mean loss)/∂z on every
 * backend against the float64 oracle, and the wasm kernels against float64 formulas arranged so
 * that they stay exact on confident predictions and extreme logits, where the loss is tiny.
 */
import { describe, expect, it } from 'vitest';
import { LOSS_OUTPUT, LOSSES, type Kernels, type Loss, type OutputActivation } from '../../src/kernels.js';
import { Rng } from '../../src/init/rng.js';
import { sigmoid } from '../../src/ref/activations.js';
import type { WasmKernels } from '../../src/wasm/wasm-kernels.js';
import { backendsUnderTestChecked, kernelBackends, tensorOf, wasmTensorOf } from '../util/backends.js';
import { expectClose } from '../util/close.js';
import { CANARY } from '../util/canaries.js';

const oracle = (await kernelBackends()).find((b) => b.name === 'ref')!.kernels;
const backends = await backendsUnderTestChecked();
const wasmBackends = backends.filter((b) => 'exports' in b.kernels) as { name: string; kernels: WasmKernels }[];

/** tensorOf for a wasm backend, typed so that its pointer can be used. */

const SHAPES: [batch: number, n: number][] = [
  [1, 1], [1, 2], [2, 3], [3, 4], [5, 5], [4, 7], [16, 10], [3, 33], [2, 100], [1, 301],
];

/** One mini-batch for a loss: logits z, outputs a = output(z) and targets y, all f32 values. */
interface Case {
  loss: Loss;
  output: OutputActivation;
  batch: number;
  n: number;
  z: Float32Array;
  a: Float32Array;
  y: Float32Array;
}

function softmaxRows(z: ArrayLike<number>, batch: number, n: number): Float32Array {
  const a = new Float32Array(batch * n);
  for (let x = 0; x < batch; x++) {
    const row = Array.from({ length: n }, (_, j) => z[x * n + j]);
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    row.forEach((v, j) => (a[x * n + j] = Math.exp(v - max) / sum));
  }
  return a;
}

/**
 * Random logits, some rows confident (one logit ahead by 15..40, so the loss is tiny and any
 * cancellation would show), with targets that are one-hot, soft or, for mse, arbitrary; for
 * cross-entropy a row may also be values in [0, 1] that do not sum to 1 (or all 0), which
 * PyTorch's CrossEntropyLoss takes and whose gradient is a·Σy − y, not a − y.
 */
function randomCase(rng: Rng, loss: Loss, batch: number, n: number, scale = 3): Case {
  const output: OutputActivation = LOSS_OUTPUT[loss] ?? 'linear';
  const z = new Float32Array(batch * n);
  const y = new Float32Array(batch * n);
  for (let x = 0; x < batch; x++) {
    const confident = rng.below(3) === 0;
    const label = rng.below(n);
    const soft = rng.below(2) === 0;
    const unnormalised = rng.below(3) === 0 ? (rng.below(4) === 0 ? 'zeros' : 'free') : null;
    const weights = Array.from({ length: n }, () => rng.uniform());
    const total = weights.reduce((s, w) => s + w, 0);
    for (let j = 0; j < n; j++) {
      const i = x * n + j;
      z[i] = scale * rng.normal();
      if (confident && loss !== 'mse') z[i] += j === label ? 15 + 25 * rng.uniform() : 0;
      if (loss === 'cross-entropy' && unnormalised) y[i] = unnormalised === 'zeros' ? 0 : weights[j];
      else if (loss === 'cross-entropy') y[i] = soft ? weights[j] / total : j === label ? 1 : 0;
      else if (loss === 'binary-cross-entropy') y[i] = soft ? rng.uniform() : confident ? Number(z[i] > 0) : rng.below(2);
      else y[i] = rng.normal();
    }
  }
  const a = output === 'softmax' ? softmaxRows(z, batch, n) : Float32Array.from(z, output === 'sigmoid' ? sigmoid : (v) => v);
  return { loss, output, batch, n, z, a, y };
}

/** Whether some row of a cross-entropy case's targets does not sum to 1 (to f32 rounding). */
function hasUnnormalisedRow({ loss, batch, n, y }: Case): boolean {
  if (loss !== 'cross-entropy') return false;
  for (let x = 0; x < batch; x++) if (Math.abs(y.subarray(x * n, (x + 1) * n).reduce((s, v) => s + v, 0) - 1) > 1e-6) return true;
  return false;
}

/**
 * The mean loss in float64, each formula a sum of non-negative parts (for y in [0, 1]) so it is
 * exact to ~1e-15 relative even when the loss is 1e-30: the standard to hold the kernels to.
 */
function exactLoss({ loss, batch, n, z, a, y }: Case): number {
  let total = 0;
  for (let x = 0; x < batch; x++) {
    const row = (v: ArrayLike<number>, j: number) => v[x * n + j];
    if (loss === 'cross-entropy') {
      // −Σ y·log softmax(z) = Σ y·(log1p(Σ_{k ≠ top} e^(z_k − m)) + m − z)
      let top = 0;
      for (let j = 1; j < n; j++) if (row(z, j) > row(z, top)) top = j;
      const m = row(z, top);
      let others = 0;
      for (let j = 0; j < n; j++) if (j !== top) others += Math.exp(row(z, j) - m);
      const lse = Math.log1p(others);
      for (let j = 0; j < n; j++) total += row(y, j) * (lse + (m - row(z, j)));
    } else if (loss === 'binary-cross-entropy') {
      // max(z, 0) − y·z + log1p(e^−|z|), as (1 − y)·z or −y·z
      for (let j = 0; j < n; j++) {
        const zj = row(z, j), yj = row(y, j);
        total += (zj >= 0 ? (1 - yj) * zj : -yj * zj) + Math.log1p(Math.exp(-Math.abs(zj)));
      }
    } else {
      for (let j = 0; j < n; j++) total += 0.5 * (row(a, j) - row(y, j)) ** 2;
    }
  }
  return total / batch;
}

function runLoss(k: Kernels, c: Case, dz0?: ArrayLike<number>): { value: number; dz?: Float64Array } {
  const [zt, at, yt] = [c.z, c.a, c.y].map((v) => tensorOf(k, v));
  let result: { value: number; dz?: Float64Array };
  if (dz0) {
    const dzt = tensorOf(k, [...Array.from(dz0), CANARY, CANARY]);
    const value = k.lossBackward(c.loss, c.output, dzt, zt, at, yt, c.batch, c.n);
    const view = k.view(dzt);
    expect(Array.from(view.subarray(dz0.length)), `${k.name} ${c.loss}: canaries after dz`).toEqual([CANARY, CANARY]);
    result = { value, dz: Float64Array.from(view.subarray(0, dz0.length)) };
    k.free(dzt);
  } else {
    result = { value: k.loss(c.loss, c.output, zt, at, yt, c.batch, c.n) };
  }
  for (const t of [zt, at, yt]) k.free(t);
  return result;
}

describe.each(backends)('$name', ({ kernels: k }) => {
  describe.each(LOSSES)('%s', (loss) => {
    it('loss and gradient match the float64 oracle', () => {
      const rng = new Rng(10);
      for (const [batch, n] of SHAPES) {
        if (loss === 'cross-entropy' && n < 2) continue;
        const c = randomCase(rng, loss, batch, n);
        const label = `${k.name} ${loss} batch=${batch} n=${n}`;
        // The oracle's own cross-entropy, Σ y·(lse − z), cancels on confident rows (≈1e-15 absolute).
        expectClose([runLoss(k, c).value], [runLoss(oracle, c).value], { rel: 1e-6, abs: 1e-12 }, `${label} loss`);
        const dz0 = Float32Array.from({ length: batch * n }, () => rng.normal());
        const got = runLoss(k, c, dz0);
        const expected = runLoss(oracle, c, dz0);
        expectClose([got.value], [expected.value], { rel: 1e-6, abs: 1e-12 }, `${label} loss from lossBackward`);
        expectClose(got.dz!, expected.dz!, { rel: 1e-6, scale: 1 }, `${label} dz`);
        // dz starting at 0: the gradient alone, to 1e-6 of itself; where a row's targets do not
        // sum to 1, of a·Σy (up to n/batch) whose f32 rounding the difference a·Σy − y can expose
        const fresh = runLoss(k, c, new Float32Array(batch * n));
        const scale = hasUnnormalisedRow(c) ? 1 / batch : 0;
        expectClose(fresh.dz!, runLoss(oracle, c, new Float32Array(batch * n)).dz!, { rel: 1e-6, abs: 1e-12, scale }, `${label} dz from 0`);
      }
    });

    it('is finite on extreme logits', () => {
      for (const scale of [80, 1000, 1e30]) {
        const rng = new Rng(11);
        const c = randomCase(rng, loss, 4, 5);
        c.z = c.z.map((v) => Math.sign(v) * scale);
        if (loss === 'mse') c.a = Float32Array.from(c.z);
        const { value, dz } = runLoss(k, c, new Float32Array(20));
        expect(Number.isFinite(value), `${k.name} ${loss} at ±${scale}: ${value}`).toBe(true);
        expect(dz!.every(Number.isFinite), `${k.name} ${loss} dz at ±${scale}`).toBe(true);
      }
    });
  });
});

describe.each(wasmBackends)('$name against exact float64 formulas', ({ kernels: k }) => {
  it.each(LOSSES)('%s is within 1e-6 relative, confident and extreme rows included', (loss) => {
    const rng = new Rng(12);
    for (const [batch, n] of SHAPES) {
      for (const scale of [1, 3, 10]) {
        if (loss === 'cross-entropy' && n < 2) continue;
        const c = randomCase(rng, loss, batch, n, scale);
        expectClose([runLoss(k, c).value], [exactLoss(c)], { rel: 1e-6 }, `${k.name} ${loss} batch=${batch} n=${n} scale=${scale}`);
      }
    }
    for (const extreme of [80, 1000]) {
      for (const [batch, n] of [[3, 4], [2, 10], [1, 7]]) {
        const c = randomCase(rng, loss, batch, n);
        c.z = c.z.map((v, i) => (i % 3 === 0 ? extreme : i % 3 === 1 ? -extreme : v));
        if (loss === 'mse') c.a = c.z.map((v) => v / extreme);
        const value = runLoss(k, c).value;
        expect(Number.isFinite(value)).toBe(true);
        expectClose([value], [exactLoss(c)], { rel: 1e-6 }, `${k.name} ${loss} logits ±${extreme}`);
      }
    }
  });

  it('gives a tiny cross-entropy its full relative precision', () => {
    // m − z = 40 + 2^-19 is a tie in f32, which rounds it by 2^-19: e^-(m − z) taken from the
    // rounded difference would be 1.9e-6 off, and log Σe^z − z would keep no digit at all.
    const m = Math.fround(12.3456);
    const z = Float32Array.of(m, m - 40 - 2 ** -19, m - 45 - 2 ** -19);
    expect(Math.fround(z[0] - z[1])).not.toBe(z[0] - z[1]);
    const c: Case = { loss: 'cross-entropy', output: 'softmax', batch: 1, n: 3, z, a: softmaxRows(z, 1, 3), y: Float32Array.of(1, 0, 0) };
    expectClose([runLoss(k, c).value], [exactLoss(c)], { rel: 1e-6 }, 'tiny cross-entropy');
    // and every confident row alone (margins 20..60 over n = 2..40)
    const rng = new Rng(16);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rng.below(39);
      const label = rng.below(n);
      const zs = Float32Array.from({ length: n }, (_, j) => (j === label ? 20 + 40 * rng.uniform() : 0) + 3 * rng.normal());
      const y = Float32Array.from({ length: n }, (_, j) => Number(j === label));
      const row: Case = { loss: 'cross-entropy', output: 'softmax', batch: 1, n, z: zs, a: softmaxRows(zs, 1, n), y };
      expectClose([runLoss(k, row).value], [exactLoss(row)], { rel: 1e-6 }, `confident row ${trial}`);
    }
  });

  it('stays finite at the ends of the f32 range', () => {
    // The top logit carries the label, so the true loss is e^-(3.4e38 − 1) ≈ 0 (cross-entropy) or
    // log1p(e^-3.4e38) ≈ 0 (binary); m − z overflows to ∞ for the bottom one.
    const z = Float32Array.of(3.4e38, -3.4e38, -Infinity, 1);
    const cases: Case[] = [
      { loss: 'cross-entropy', output: 'softmax', batch: 1, n: 4, z, a: Float32Array.of(1, 0, 0, 0), y: Float32Array.of(1, 0, 0, 0) },
      { loss: 'binary-cross-entropy', output: 'sigmoid', batch: 1, n: 2, z: z.subarray(0, 2), a: Float32Array.of(1, 0), y: Float32Array.of(1, 0) },
    ];
    for (const c of cases) {
      const { value, dz } = runLoss(k, c, new Float32Array(c.n));
      expect(value, `${k.name} ${c.loss}`).toBe(0);
      expect(dz!.every(Number.isFinite)).toBe(true);
    }
  });

  it('returns NaN when an input is NaN, wherever it is', () => {
    for (const loss of LOSSES) {
      for (const at of [0, 5, 13, 14]) {
        const c = randomCase(new Rng(17), loss, 3, 5);
        c.z[at] = NaN;
        c.a[at] = NaN;
        expect(runLoss(k, c).value, `${k.name} ${loss}, NaN at ${at}`).toBeNaN();
      }
    }
  });

  it('treats an empty batch as loss 0 and touches nothing', () => {
    for (const loss of LOSSES) {
      const c = randomCase(new Rng(13), loss, 0, 4);
      const { value, dz } = runLoss(k, c, []);
      expect(value, `${k.name} ${loss}`).toBe(0);
      expect(dz!.length).toBe(0);
    }
  });

  it('reads and writes through pointers that are only 4-byte aligned', () => {
    const rng = new Rng(14);
    const m = k.module;
    for (const loss of LOSSES) {
      const c = randomCase(rng, loss, 3, 11);
      const dz0 = Float32Array.from({ length: 33 }, () => rng.normal());
      const aligned = runLoss(k, c, dz0);
      const [zt, at, yt, dzt] = [c.z, c.a, c.y, dz0].map((v) => wasmTensorOf(k, [CANARY, ...v, CANARY]));
      const [z, a, y, dz] = [zt, at, yt, dzt].map((t) => t.ptr + 4);
      const value =
        loss === 'cross-entropy' ? m.f32_xent_softmax_bwd(dz, z, a, y, 3, 11)
        : loss === 'binary-cross-entropy' ? m.f32_bce_sigmoid_bwd(dz, z, a, y, 3, 11)
        : m.f32_mse_bwd(dz, a, y, 3, 11);
      expect(value, `${k.name} ${loss} unaligned loss`).toBe(aligned.value);
      expect(Array.from(k.view(dzt)), `${k.name} ${loss} unaligned dz`).toEqual([CANARY, ...aligned.dz!, CANARY]);
      for (const t of [zt, at, yt, dzt]) k.free(t);
    }
  });

  it('f32_xent_softmax_bwd accumulates dz += (a·Σy − y)/batch, Σy the row\'s target sum, one-hot or not', () => {
    const rng = new Rng(18);
    for (const [batch, n] of SHAPES) {
      if (n < 2) continue;
      const c = randomCase(rng, 'cross-entropy', batch, n);
      // every other row free values in [0, 1], summing to anything in [0, n]
      for (let x = 0; x < batch; x += 2) for (let j = 0; j < n; j++) c.y[x * n + j] = rng.uniform();
      const dz0 = Float32Array.from({ length: batch * n }, () => rng.normal());
      const expected = Array.from(dz0, (d, i) => {
        const row = Math.floor(i / n);
        const sumY = c.y.subarray(row * n, (row + 1) * n).reduce((s, v) => s + v, 0);
        return d + (c.a[i] * sumY - c.y[i]) / batch;
      });
      expectClose(runLoss(k, c, dz0).dz!, expected, { rel: 1e-6, scale: 1 }, `${k.name} cross-entropy dz ${batch}×${n}`);
    }
  });

  it('f32_mse_bwd accumulates da += (a − y)/batch into a non-zero da', () => {
    const rng = new Rng(15);
    for (const [batch, n] of SHAPES) {
      const a = Float32Array.from({ length: batch * n }, () => rng.normal());
      const y = Float32Array.from({ length: batch * n }, () => rng.normal());
      const da0 = Float32Array.from({ length: batch * n }, () => rng.normal());
      const [at, yt, dat] = [a, y, [...da0, CANARY]].map((v) => wasmTensorOf(k, v));
      const value = k.module.f32_mse_bwd(dat.ptr, at.ptr, yt.ptr, batch, n);
      const da = k.view(dat);
      expect(da[batch * n], 'canary').toBe(CANARY);
      expectClose(da.subarray(0, batch * n), Array.from(da0, (d, i) => d + (a[i] - y[i]) / batch), { rel: 1e-6, scale: 1 }, `mse da ${batch}×${n}`);
      const c: Case = { loss: 'mse', output: 'linear', batch, n, z: a, a, y };
      expectClose([value], [exactLoss(c)], { rel: 1e-6 }, `mse loss ${batch}×${n}`);
      for (const t of [at, yt, dat]) k.free(t);
    }
  });

  it('f32_mse_bwd_rows gives f32_mse_bwd\'s gradient bit for bit on the rows of any cut of the batch, into a non-zero da, and nothing past them', () => {
    const rng = new Rng(16);
    for (const [batch, n] of [...SHAPES, [7, 10], [132, 10], [256, 10]] as [number, number][]) {
      const a = Float32Array.from({ length: batch * n }, () => rng.normal());
      const y = Float32Array.from({ length: batch * n }, () => rng.normal());
      const da0 = Float32Array.from({ length: batch * n }, () => rng.normal());
      const [at, yt] = [a, y].map((v) => wasmTensorOf(k, v));
      const whole = wasmTensorOf(k, da0);
      k.module.f32_mse_bwd(whole.ptr, at.ptr, yt.ptr, batch, n);
      const expected = Array.from(k.view(whole));
      for (const cut of new Set([0, 1, Math.ceil(batch / 2), batch - 1, batch].filter((c) => c >= 0 && c <= batch))) {
        const parts = wasmTensorOf(k, [...da0, CANARY]);
        k.module.f32_mse_bwd_rows(parts.ptr, at.ptr, yt.ptr, cut, n, batch);
        // The second part's own pointers, as a thread is given them: its rows' start in each tensor.
        const at1 = cut * n * 4;
        k.module.f32_mse_bwd_rows(parts.ptr + at1, at.ptr + at1, yt.ptr + at1, batch - cut, n, batch);
        const got = k.view(parts);
        expect(got[batch * n], `canary ${batch}×${n} cut ${cut}`).toBe(CANARY);
        expect(Array.from(got.subarray(0, batch * n)), `mse rows ${batch}×${n} cut at ${cut}`).toEqual(expected);
        k.free(parts);
      }
      for (const t of [at, yt, whole]) k.free(t);
    }
  });

  it('f32_xent_softmax_bwd_rows gives f32_xent_softmax_bwd\'s gradient bit for bit on the rows of any cut of the batch (soft, one-hot and unnormalised rows), into a non-zero dz, and nothing past them', () => {
    const rng = new Rng(18);
    for (const [batch, n] of [...SHAPES, [7, 10], [132, 10], [256, 10]] as [number, number][]) {
      const c = randomCase(rng, 'cross-entropy', batch, n);
      const dz0 = Float32Array.from({ length: batch * n }, () => rng.normal());
      const [zt, at, yt] = [c.z, c.a, c.y].map((v) => wasmTensorOf(k, v));
      const whole = wasmTensorOf(k, dz0);
      k.module.f32_xent_softmax_bwd(whole.ptr, zt.ptr, at.ptr, yt.ptr, batch, n);
      const expected = Array.from(k.view(whole));
      for (const cut of new Set([0, 1, Math.ceil(batch / 2), batch - 1, batch].filter((r) => r >= 0 && r <= batch))) {
        const parts = wasmTensorOf(k, [...dz0, CANARY]);
        k.module.f32_xent_softmax_bwd_rows(parts.ptr, zt.ptr, at.ptr, yt.ptr, cut, n, batch);
        const from = cut * n * 4;
        k.module.f32_xent_softmax_bwd_rows(parts.ptr + from, zt.ptr + from, at.ptr + from, yt.ptr + from, batch - cut, n, batch);
        const got = k.view(parts);
        expect(got[batch * n], `canary ${batch}×${n} cut ${cut}`).toBe(CANARY);
        expect(Array.from(got.subarray(0, batch * n)), `cross-entropy rows ${batch}×${n} cut at ${cut}`).toEqual(expected);
        k.free(parts);
      }
      for (const t of [zt, at, yt, whole]) k.free(t);
    }
  });
});
