/**
 * The R-operator's reverse pass (exact Hessian-vector products) through a normalisation
 * y = γ ⊙ x̂ + β whose statistics are taken per group: batch norm's group is one feature over the
 * batch, layer norm's one row over its features. Within a group, with s = 1/√(σ² + ε) and J the
 * Jacobian of x → x̂ (symmetric: J·w = s·(w − mean(w) − x̂·mean(x̂ ⊙ w))), backward is
 *   dx = J·(γ ⊙ dy),  ∇γ = Σ_rows dy ⊙ x̂,  ∇β = Σ_rows dy,
 * so with g = γ ⊙ dy, R{x̂} = J·R{x} and R{s} = −s·ρ (σ² = mean((x − μ)²) gives
 * R{σ²} = 2·mean((x − μ) ⊙ R{x})):
 *   R{dx}  = J·(γ ⊙ R{dy}) + J·(v_γ ⊙ dy) + R{J}·g,
 *   R{J}·g = −ρ·J·g − s·m·R{x̂} − s·q·x̂,   ρ = s·mean(x̂ ⊙ R{x}), m = mean(x̂ ⊙ g), q = mean(R{x̂} ⊙ g),
 *   R{∇γ}  = Σ_rows (R{dy} ⊙ x̂ + dy ⊙ R{x̂}),   R{∇β} = Σ_rows R{dy}
 * (means per group). The layer's own backward kernel gives J·(γ ⊙ R{dy}) with R{∇γ}'s first term
 * and R{∇β}, J·(v_γ ⊙ dy) (γ replaced by v_γ), J·g and R{x̂} (γ = 1, dy = R{x}); the rest is
 * composed from elementwise products, group means and spreading a group's value over it, so no
 * new kernel is needed. x̂, g, J·g and s·m do not depend on v: the first product after a pass of
 * the layer computes them and later ones reuse them while the layer runs no other pass and x, dy
 * and the batch are the same (./passes.ts), so repeated products at fixed weights (Lanczos, CG)
 * skip a normalisation, a backward kernel and a group mean each. Buffers are allocated by the
 * first call and grown with the batch.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Parameter } from './layer.js';
import { KeptAt } from './passes.js';
import { LazyFilled, LazyRowTensor } from './tensors.js';

/** What the pass needs of the normalisation layer, at its last forward on x (its saved statistics). */
export interface Normalisation<T extends Tensor> {
  /** Its forward, backward and reserve calls so far (a PassCount's value, ./passes.ts). */
  readonly passes: number;
  /** Its backward kernel: dx += J·(gamma ⊙ dy) (not computed when dx is null), dgamma += Σ dy ⊙ x̂, dbeta += Σ dy. */
  normBackward(dx: T | null, dgamma: T, dbeta: T, dy: T, x: T, gamma: T, batch: number): void;
  /** Its backward kernel's dx += J·(gamma ⊙ dy) alone (the dγ, dβ sums skipped where its kernels allow, else to scratch). */
  normInputBackward(dx: T, dy: T, x: T, gamma: T, batch: number): void;
  /** out = x̂ of x, `[batch][n]` (the forward's normalisation with γ = 1, β = 0, from its statistics). */
  normalise(out: T, x: T, batch: number): void;
}

/** What one group's statistics are taken over: 'batch' (batch norm, one group per feature) or 'features' (layer norm, one per row). */
export type NormGroups = 'batch' | 'features';

export class NormCurvature<T extends Tensor> {
  /** x̂, R{x̂}, g = γ ⊙ dy, J·g, s·m spread over each group and a scratch tensor, `[batch][n]` each. */
  private readonly xhat: LazyRowTensor<T>;
  private readonly rxhat: LazyRowTensor<T>;
  private readonly g: LazyRowTensor<T>;
  private readonly jg: LazyRowTensor<T>;
  private readonly smSpread: LazyRowTensor<T>;
  private readonly scratch: LazyRowTensor<T>;
  /** What x̂ (and, when `inputTermsKept`, g, J·g and s·m) were computed at: the layer's passes, x, dy and the batch. */
  private readonly kept = new KeptAt<T>();
  private inputTermsKept = false;
  /** Per group: ρ, s·m and s·q (`[n]` over the batch, `[batch]` over the features). */
  private readonly rho: LazyRowTensor<T>;
  private readonly sm: LazyRowTensor<T>;
  private readonly sq: LazyRowTensor<T>;
  /** γ = 1 and β = 0 `[n]`, and a zero bias `[1]` for row sums. */
  private readonly ones: LazyFilled<T>;
  private readonly zeros: LazyFilled<T>;
  private readonly zero: LazyFilled<T>;

  constructor(
    private readonly k: Kernels<T>,
    private readonly n: number,
    private readonly groups: NormGroups,
    private readonly layer: Normalisation<T>,
  ) {
    [this.xhat, this.rxhat, this.g, this.jg, this.smSpread, this.scratch] = [0, 0, 0, 0, 0, 0].map(() => new LazyRowTensor(k, n));
    [this.rho, this.sm, this.sq] = [0, 0, 0].map(() => new LazyRowTensor(k, groups === 'batch' ? n : 1));
    this.ones = new LazyFilled(k, n, 1);
    this.zeros = new LazyFilled(k, n, 0);
    this.zero = new LazyFilled(k, 1, 0);
  }

  /**
   * The layer's rBackward (see the file comment): weight and bias are its γ and β, vGamma is v_γ,
   * invStd its last forward's s per group; rx = R{x} (null: the input does not move).
   */
  rBackward(weight: Parameter<T>, bias: Parameter<T>, invStd: T, dy: T, rdy: T, rdx: T | null, rx: T | null, vGamma: T, x: T, batch: number): void {
    const { k, n } = this;
    const size = batch * n;
    const gamma = weight.value;
    this.layer.normBackward(rdx, weight.grad, bias.grad, rdy, x, gamma, batch);
    if (rdx) this.layer.normInputBackward(rdx, dy, x, vGamma, batch);
    if (!rx) return;
    this.keepFixedTerms(gamma, invStd, dy, x, batch, rdx !== null);
    const xhat = this.xhat.get(batch);
    const rxhat = this.rxhat.get(batch);
    const scratch = this.scratch.get(batch);
    k.zero(rxhat, size);
    this.layer.normInputBackward(rxhat, rx, x, this.ones.get(), batch);
    k.mul(scratch, dy, rxhat, size);
    k.denseBackwardBias(weight.grad, scratch, batch, n);
    if (!rdx) return;
    const groupRows = this.groups === 'batch' ? 1 : batch;
    const rho = this.rho.get(groupRows);
    const sq = this.sq.get(groupRows);
    this.scaledMean(rho, xhat, rx, invStd, batch);
    this.scaledMean(sq, rxhat, this.g.get(batch), invStd, batch);
    this.subtractSpread(rdx, rho, this.jg.get(batch), batch);
    this.subtractProduct(rdx, this.smSpread.get(batch), rxhat, batch);
    this.subtractSpread(rdx, sq, xhat, batch);
  }

  /**
   * The terms that do not depend on v (see the file comment): x̂, and for R{dx} (`forInput`) g = γ ⊙ dy,
   * J·g and s·m = s·mean(x̂ ⊙ g) spread over each group; computed unless kept from an earlier product
   * at the same pass of the layer, x, dy and batch.
   */
  private keepFixedTerms(gamma: T, invStd: T, dy: T, x: T, batch: number, forInput: boolean): void {
    const { k, n } = this;
    const passes = this.layer.passes;
    if (!this.kept.matches(passes, x, dy, batch)) {
      this.layer.normalise(this.xhat.get(batch), x, batch);
      this.kept.keep(passes, x, dy, batch);
      this.inputTermsKept = false;
    }
    if (!forInput || this.inputTermsKept) return;
    const size = batch * n;
    const g = this.g.get(batch);
    const jg = this.jg.get(batch);
    k.copy2d(g, 0, n, gamma, 0, 0, batch, n);
    k.mul(g, g, dy, size);
    k.zero(jg, size);
    this.layer.normInputBackward(jg, dy, x, gamma, batch);
    const sm = this.sm.get(this.groups === 'batch' ? 1 : batch);
    this.scaledMean(sm, this.xhat.get(batch), g, invStd, batch);
    this.spread(this.smSpread.get(batch), sm, batch);
    this.inputTermsKept = true;
  }

  /** out = s·mean(a ⊙ b) per group. */
  private scaledMean(out: T, a: T, b: T, invStd: T, batch: number): void {
    const { k, n } = this;
    const scratch = this.scratch.get(batch);
    k.mul(scratch, a, b, batch * n);
    if (this.groups === 'batch') {
      k.zero(out, n);
      k.denseBackwardBias(out, scratch, batch, n);
      k.scale(out, n, 1 / batch);
      k.mul(out, out, invStd, n);
    } else {
      // Row sums: a product with a column of n ones (nOut = 1).
      k.denseForward(out, scratch, this.ones.get(), this.zero.get(), batch, n, 1);
      k.scale(out, batch, 1 / n);
      k.mul(out, out, invStd, batch);
    }
  }

  /** out = each group's value of perGroup, spread over the group `[batch][n]`. */
  private spread(out: T, perGroup: T, batch: number): void {
    const { k, n } = this;
    // A feature's value tiled down the rows, or a row's across its features (a product with a row of n ones, nIn = 1).
    if (this.groups === 'batch') k.copy2d(out, 0, n, perGroup, 0, 0, batch, n);
    else k.denseForward(out, perGroup, this.ones.get(), this.zeros.get(), batch, 1, n);
  }

  /** rdx −= (each group's value of perGroup, spread over the group) ⊙ t. */
  private subtractSpread(rdx: T, perGroup: T, t: T, batch: number): void {
    const scratch = this.scratch.get(batch);
    this.spread(scratch, perGroup, batch);
    this.subtractProduct(rdx, scratch, t, batch);
  }

  /** rdx −= spread ⊙ t (`[batch][n]` each; the scratch tensor may be spread). */
  private subtractProduct(rdx: T, spread: T, t: T, batch: number): void {
    const { k, n } = this;
    const scratch = this.scratch.get(batch);
    k.mul(scratch, spread, t, batch * n);
    k.axpy(rdx, scratch, batch * n, -1);
  }

  reserve(batch: number): void {
    for (const t of [this.xhat, this.rxhat, this.g, this.jg, this.smSpread, this.scratch]) t.reserve(batch);
    if (this.groups === 'features') for (const t of [this.rho, this.sm, this.sq]) t.reserve(batch);
  }

  dispose(): void {
    for (const t of [this.xhat, this.rxhat, this.g, this.jg, this.smSpread, this.scratch, this.rho, this.sm, this.sq, this.ones, this.zeros, this.zero]) t.dispose();
  }
}
