/**
 * A residual block (He et al. 2016): y = x + branch(x), or with the ReZero gate (Bachlechner et
 * al. 2020) y = x + α·branch(x) with a learned scalar α starting at 0, so the block starts as the
 * identity. PyTorch's equivalent is the `Residual` module of issue 13 (docs/interop.md): `alpha`
 * (shape []) first, then `branch.j.…`.
 */
import type { Kernels, Tensor } from '../kernels.js';
import type { Layer, LayerStack, Mode, Parameter, StateBuffer } from './layer.js';
import type { ResidualGate } from './spec.js';
import { createParameter, freeParameter, LazyFilled, LazyRowTensor, prefixed, RowTensor } from './tensors.js';

export class ResidualBlock<T extends Tensor> implements Layer<T> {
  readonly type = 'residual';
  readonly inputs: number;
  /** ReZero's α (shape []), absent with gate 'none'. */
  readonly alpha: Parameter<T> | null;
  readonly parameters: readonly Parameter<T>[];
  readonly buffers: readonly StateBuffer<T>[];
  private readonly y: RowTensor<T>;
  /** ∂L/∂branch(x) during backward. */
  private readonly dBranch: RowTensor<T>;
  /**
   * The branch's share of ∂L/∂x: the branch writes it here and it is then added to dx, traced or
   * not, so the trace's probe measures it without changing a bit of any gradient.
   */
  private readonly branchDx: RowTensor<T>;
  private probed = false;
  /** Σ (skip's share of ∂L/∂x)² in the last backward while probed (NaN before one): see probe. */
  skipSquares = NaN;
  /** Σ (branch's share of ∂L/∂x)² in the last backward while probed (NaN before one). */
  branchSquares = NaN;
  /** R{y} of the last rForward (allocated by the first). */
  private readonly ry: LazyRowTensor<T>;
  /** R{∂L/∂branch(x)} of the R-operator's reverse pass (allocated by the first rBackward). */
  private readonly rdBranch: LazyRowTensor<T>;
  /** squaredGradients' dy ⊙ branch `[batch][n]`, its row sums `[batch]`, ones `[n]` and a zero bias `[1]` (allocated by its first call). */
  private readonly gateShares: LazyRowTensor<T>;
  private readonly rowSums: LazyRowTensor<T>;
  private readonly ones: LazyFilled<T>;
  private readonly zeroBias: LazyFilled<T>;

  constructor(
    private readonly k: Kernels<T>,
    readonly branch: LayerStack<T>,
    readonly gate: ResidualGate,
    capacity: number,
  ) {
    this.inputs = branch.inputs;
    this.alpha = gate === 'rezero' ? createParameter(k, 'alpha', [], [0]) : null;
    this.parameters = [...(this.alpha ? [this.alpha] : []), ...prefixed('branch.', branch.parameters)];
    this.buffers = prefixed('branch.', branch.buffers);
    this.y = new RowTensor(k, this.inputs, capacity);
    this.dBranch = new RowTensor(k, this.inputs, capacity);
    this.branchDx = new RowTensor(k, this.inputs, capacity);
    this.ry = new LazyRowTensor(k, this.inputs);
    this.rdBranch = new LazyRowTensor(k, this.inputs);
    this.gateShares = new LazyRowTensor(k, this.inputs);
    this.rowSums = new LazyRowTensor(k, 1);
    this.ones = new LazyFilled(k, this.inputs, 1);
    this.zeroBias = new LazyFilled(k, 1, 0);
  }

  get units(): number {
    return this.inputs;
  }

  get output(): T {
    return this.y.tensor;
  }

  forward(x: T, batch: number, mode: Mode): void {
    this.branch.forward(x, batch, mode);
    const n = batch * this.inputs;
    if (this.alpha) this.k.rezeroForward(this.y.tensor, x, this.branch.output, this.alpha.value, n);
    else this.k.residualForward(this.y.tensor, x, this.branch.output, n);
  }

  get rOutput(): T {
    return this.ry.get(0);
  }

  /** R{y} = R{x} + R{branch(x)}; with ReZero R{y} = R{x} + α·R{branch(x)} + v_α·branch(x) (v_α at v[offset], the branch's after it). */
  rForward(rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    const k = this.k;
    const n = batch * this.inputs;
    const ry = this.ry.get(batch);
    this.branch.rForward(rx, v, this.alpha ? offset + 1 : offset, x, batch);
    const rBranch = this.branch.rOutput;
    if (!this.alpha) {
      if (rx) k.residualForward(ry, rx, rBranch, n);
      else k.copy2d(ry, 0, 0, rBranch, 0, 0, 1, n);
      return;
    }
    if (!rx) k.zero(ry, n);
    k.rezeroForward(ry, rx ?? ry, rBranch, this.alpha.value, n);
    k.rezeroForward(ry, ry, this.branch.output, v[offset], n);
  }

  /**
   * rdx += R{dy} + the branch's R{∂L/∂x}, from R{∂L/∂branch} = R{dy}; with ReZero
   * R{∂L/∂branch} = α·R{dy} + v_α·dy and R{∇α} += Σ R{dy} ⊙ branch(x) + Σ dy ⊙ R{branch(x)}
   * (the gate's backward again, α replaced by v_α, branch(x) by its R{·}; the skip's share of it,
   * dy, is no part of R{dx}).
   */
  rBackward(dy: T, rdy: T, rdx: T | null, rx: T | null, v: readonly T[], offset: number, x: T, batch: number): void {
    const n = batch * this.inputs;
    const rdBranch = this.rdBranch.get(batch);
    this.k.zero(rdBranch, n);
    this.skipAndGateBackward(rdx, rdBranch, rdy, n);
    if (this.alpha) this.k.rezeroGateBackward(rdBranch, this.alpha.grad, dy, this.branch.rOutput, v[offset], n);
    this.branch.rBackward(this.dBranch.tensor, rdBranch, rdx, rx, v, this.alpha ? offset + 1 : offset, x, batch);
  }

  /**
   * ReZero's α: row x's share of ∇α is Σ_j dy ⊙ branch(x) over the row (row sums as a product with
   * a row of ones); the branch's layers from the ∂L/∂branch the last backward left.
   */
  squaredGradients(dy: T, x: T, batch: number, out: readonly T[], offset: number): void {
    const k = this.k;
    if (this.alpha) {
      const shares = this.gateShares.get(batch);
      const sums = this.rowSums.get(batch);
      k.mul(shares, dy, this.branch.output, batch * this.inputs);
      k.denseForward(sums, shares, this.ones.get(), this.zeroBias.get(), batch, this.inputs, 1);
      k.mul(sums, sums, sums, batch);
      k.denseBackwardBias(out[offset], sums, batch, 1);
    }
    this.branch.squaredGradients(this.dBranch.tensor, x, batch, out, this.alpha ? offset + 1 : offset);
  }

  backward(dy: T, dx: T | null, x: T, batch: number): void {
    const n = batch * this.inputs;
    const dBranch = this.dBranch.tensor;
    this.k.zero(dBranch, n);
    // The skip's share goes to dx here; the branch's share is added to it by the branch's backward.
    this.skipAndGateBackward(dx, dBranch, dy, n);
    if (dx === null && !this.probed) {
      this.branch.backward(dBranch, null, x, batch);
      return;
    }
    const branchDx = this.branchDx.tensor;
    this.k.zero(branchDx, n);
    this.branch.backward(dBranch, branchDx, x, batch);
    if (dx) this.k.axpy(dx, branchDx, n, 1);
    if (!this.probed) return;
    // The skip passes dy on unchanged (y = x + …), so its share of ∂L/∂x is dy itself.
    this.skipSquares = this.k.sumSquares(dy, n);
    this.branchSquares = this.k.sumSquares(branchDx, n);
  }

  /**
   * Given dy at the block's output (or R{dy}): dx += dy, the skip's share (not computed when dx is
   * null: nothing reads it), and dBranch += dy, or with ReZero dBranch += α·dy and ∇α += Σ dy ⊙
   * branch(x) (`[n]` each).
   */
  private skipAndGateBackward(dx: T | null, dBranch: T, dy: T, n: number): void {
    const { k, alpha } = this;
    const branch = this.branch.output;
    if (alpha) {
      if (dx) k.rezeroBackward(dx, dBranch, alpha.grad, dy, branch, alpha.value, n);
      else k.rezeroGateBackward(dBranch, alpha.grad, dy, branch, alpha.value, n);
    } else if (dx) {
      k.residualBackward(dx, dBranch, dy, n);
    } else {
      // 0 + 1·dy: residualBackward's dbranch += dy, bit for bit.
      k.axpy(dBranch, dy, n, 1);
    }
  }

  /** While on, backward measures skipSquares and branchSquares (two reductions); off at first. Both are NaN until the next backward. */
  probe(on: boolean): void {
    this.probed = on;
    this.skipSquares = NaN;
    this.branchSquares = NaN;
  }

  /** ∂L/∂branch(x) of the last backward, `[batch][inputs]`: the gradient at the branch's output. */
  get branchOutputGrad(): T {
    return this.dBranch.tensor;
  }

  reserve(batch: number): void {
    this.branch.reserve(batch);
    for (const t of [this.y, this.dBranch, this.branchDx, this.ry, this.rdBranch, this.gateShares, this.rowSums]) t.reserve(batch);
  }

  dispose(): void {
    this.branch.dispose();
    if (this.alpha) freeParameter(this.k, this.alpha);
    for (const t of [this.y, this.dBranch, this.branchDx, this.ry, this.rdBranch, this.gateShares, this.rowSums, this.ones, this.zeroBias]) t.dispose();
  }
}
