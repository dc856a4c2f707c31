/**
 * Levenberg-Marquardt for small networks with the quadratic cost, as MATLAB's trainlm: the exact
 * Jacobian J = ∂a/∂θ of every output of every loaded row, then Δ = −(JᵀJ + μI)⁻¹·Jᵀe (e = a − y) by
 * Cholesky in float64; a step that lowers the loss is kept and μ ÷= 10, else μ ×= 10 and retried,
 * until μ passes μ_max (then the weights stay where they were). One step is one trainlm epoch, so
 * give train() the whole data set as one batch.
 *
 * Row (x, j) of J comes from one backprop: with the targets set to a(x) − e_j, the quadratic cost's
 * gradient ½‖a − y‖² is Σ_k (a_k − y_k)·∂a_k/∂θ = ∂a_j/∂θ, and backprop needs no new kernel.
 * A dense network runs each row alone (one feedforward per row); a block network's rows depend on
 * each other through batch norm's statistics, so it runs one forward of the whole batch ('batch'
 * mode) and one backprop of the whole batch per output entry, the targets moved at that entry only:
 * batch·outputs backward passes of the batch, each row of J exact through the batch statistics.
 */
import { invalidOption } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import { trainableOf, type Model, type ModelOwner, type Parameter, type Trainable } from '../model.js';
import { choleskyFactor, choleskySolve } from '../ref/cholesky.js';
import { assertNotDisposed, checkStateKind, checkStepBatch, checkStepNetwork, TracksDisposal, type NetworkTerms, type Optimizer, type OptimizerState } from './optimizer.js';
import { checkOwnStepsKeys } from './options.js';
import { checkRecordedHyperparameters, recordedScalars, type Hyperparameters } from './recorded-settings.js';
import { checkSetting } from './setting-ranges.js';
import { checkStateScalar, STATE_RANGES } from './state-ranges.js';
import { counted, grouped } from '../counted.js';

/** Levenberg–Marquardt's options (name 'levenberg-marquardt'; loss 'mse' only), each with its default. */
export interface LevenbergMarquardtOptions {
  /** Initial damping μ (default 1e-3). */
  mu?: number;
  /** Factor on μ after a failed trial (default 10). */
  muIncrease?: number;
  /** Factor on μ after a successful step (default 0.1). */
  muDecrease?: number;
  /** Largest μ tried (default 1e10). */
  muMax?: number;
}

export const LM_DEFAULTS = { mu: 1e-3, muIncrease: 10, muDecrease: 0.1, muMax: 1e10 } as const;
/** Its option that plays the part of another's (OptimizerDefinition.counterparts): μ is its damping, as K-FAC's and Hessian-free's `damping` λ is theirs. */
export const LM_COUNTERPARTS = { damping: 'mu' } as const;
/** Largest parameter count accepted: JᵀJ is P² doubles (200 MB) and each Cholesky P³/3 flops. */
export const LM_MAX_PARAMETERS = 5000;

/**
 * Why Levenberg–Marquardt cannot train a network of this loss and size, or undefined: it needs the
 * quadratic cost (its Jacobian is of the errors a(x) − y) and at most LM_MAX_PARAMETERS. The
 * constructor refuses by it, and the registry gives it to callers that decide before building one.
 */
export function levenbergMarquardtRefusal(network: NetworkTerms): string | undefined {
  if (network.loss !== 'mse') return `needs the quadratic cost (loss 'mse'), this network uses '${network.loss}'`;
  if (network.parameters > LM_MAX_PARAMETERS) return `handles up to ${counted(LM_MAX_PARAMETERS, 'parameter')} (JᵀJ is P×P, its Cholesky P³/3 flops); this network has ${grouped(network.parameters)}: use lbfgs or adam`;
  return undefined;
}

/** Levenberg–Marquardt on the MSE loss: damped Gauss–Newton steps solved by Cholesky (defaults μ 1e-3, ×10 on failure, ×0.1 on success, μ ≤ 1e10). */
export class LevenbergMarquardt extends TracksDisposal implements Optimizer {
  readonly name = 'levenberg-marquardt';
  readonly recomputesGradient = true;
  /** The damping μ sets each step: no learning rate (Optimizer.choosesOwnSteps). */
  readonly choosesOwnSteps = true;
  /** Factor on μ after a failed trial (default 10). */
  readonly muIncrease: number;
  /** Factor on μ after a successful step (default 0.1). */
  readonly muDecrease: number;
  /** Largest μ tried (default 1e10). */
  readonly muMax: number;
  /** The damping μ the next step starts from (initially 1e-3 unless options.mu). */
  mu: number;
  /** Trials (Cholesky solves) of the last step; the last step found no decrease when it stalled. */
  lastTrials = 0;
  /** Whether the last step found no decrease up to muMax (the weights were left unchanged). */
  stalled = false;

  private readonly params: readonly Parameter[];
  private readonly count: number;
  private rows = 0;
  private jacobian = new Float64Array(0);
  private errors = new Float64Array(0);
  private readonly normal: Float64Array;
  private readonly factor: Float64Array;
  private readonly gradient: Float64Array;
  private readonly delta: Float64Array;
  private readonly w0: Float64Array;
  private saved: { inputs: Tensor; targets: Tensor; rows: number } | undefined;
  private readonly row = new Uint32Array(1);
  private readonly release = () => this.freeSaved();

  private readonly net: Trainable;
  /** The network as a dense Model (its Jacobian row by row), or null for a block network (through the whole batch). */
  private readonly dense: Model | null;

  /** The model this optimiser was created for. */
  get model(): Trainable {
    return this.net;
  }

  constructor(owner: ModelOwner, options: LevenbergMarquardtOptions = {}) {
    super();
    const net = (this.net = trainableOf(owner, 'levenberg-marquardt'));
    this.dense = net.kind === 'dense' ? (net as Model) : null;
    const name = 'levenberg-marquardt';
    checkOwnStepsKeys(options, Object.keys(LM_DEFAULTS), name);
    this.mu = checkSetting(name, 'mu', options.mu, LM_DEFAULTS.mu);
    this.muIncrease = checkSetting(name, 'muIncrease', options.muIncrease, LM_DEFAULTS.muIncrease);
    this.muDecrease = checkSetting(name, 'muDecrease', options.muDecrease, LM_DEFAULTS.muDecrease);
    this.muMax = checkSetting(name, 'muMax', options.muMax, LM_DEFAULTS.muMax, { mu: this.mu });
    this.params = net.parameters();
    this.count = this.params.reduce((sum, p) => sum + p.length, 0);
    const refusal = levenbergMarquardtRefusal({ loss: net.loss, parameters: this.count });
    if (refusal !== undefined) throw invalidOption(`${name}: ${refusal}`);
    const P = this.count;
    this.normal = new Float64Array(P * P);
    this.factor = new Float64Array(P * P);
    this.gradient = new Float64Array(P);
    this.delta = new Float64Array(P);
    this.w0 = new Float64Array(P);
  }

  step(net: Trainable, _learningRate: number, batch: number): void {
    checkStepNetwork(this, net, this.net);
    checkStepBatch(this, net, batch);
    const k = net.kernels;
    const nOut = net.outputSize;
    const rows = batch * nOut;
    const saved = this.saveBatch(batch);
    if (rows > this.rows) {
      this.jacobian = new Float64Array(rows * this.count);
      this.errors = new Float64Array(rows);
      this.rows = rows;
    }
    const f0 = net.lossOfLastForward(batch);
    const a = k.view(net.output);
    const y = k.view(saved.targets);
    for (let r = 0; r < rows; r++) this.errors[r] = a[r] - y[r];

    if (this.dense) this.fillJacobian(this.dense, batch, saved);
    else this.fillJacobianThroughBatch(batch, saved);
    this.formNormalEquations(rows);
    readParameters(k, this.params, this.w0);

    this.lastTrials = 0;
    this.stalled = false;
    const P = this.count;
    for (;;) {
      this.lastTrials++;
      this.factor.set(this.normal);
      for (let i = 0; i < P; i++) this.factor[i * P + i] += this.mu;
      let f = Infinity;
      if (choleskyFactor(this.factor, this.factor, P)) {
        choleskySolve(this.delta, this.factor, this.gradient, P);
        for (let i = 0; i < P; i++) this.delta[i] = this.w0[i] - this.delta[i];
        writeParameters(k, this.params, this.delta);
        net.forward(batch, 'batch');
        f = net.lossOfLastForward(batch);
      }
      if (f < f0) {
        this.mu = Math.max(this.mu * this.muDecrease, Number.MIN_VALUE);
        return;
      }
      this.mu *= this.muIncrease;
      if (this.mu > this.muMax) {
        this.mu = this.muMax;
        this.stalled = true;
        writeParameters(k, this.params, this.w0);
        net.forward(batch, 'batch');
        return;
      }
    }
  }

  /** Copies the loaded rows and targets aside (the Jacobian passes overwrite them) and back. */
  private saveBatch(batch: number): { inputs: Tensor; targets: Tensor } {
    const k = this.net.kernels;
    if (!this.saved || this.saved.rows < batch) {
      this.freeSaved();
      this.saved = { inputs: k.alloc(batch * this.net.inputSize), targets: k.alloc(batch * this.net.outputSize), rows: batch };
      this.net.onDispose.add(this.release);
    }
    copyPrefix(k, this.saved.inputs, this.net.input, batch * this.net.inputSize);
    copyPrefix(k, this.saved.targets, this.net.targets, batch * this.net.outputSize);
    return this.saved;
  }

  /** J[x·nOut + j][θ] = ∂a_j(x)/∂θ, by one feedforward per row and one backprop per output. */
  private fillJacobian(net: Model, batch: number, saved: { inputs: Tensor; targets: Tensor }): void {
    const k = net.kernels;
    const nIn = net.inputSize;
    const nOut = net.outputSize;
    const shifted = new Float64Array(nOut);
    for (let x = 0; x < batch; x++) {
      this.row[0] = x;
      k.copyRows(net.input, saved.inputs, this.row, 0, 1, nIn);
      net.feedforward(1);
      for (let j = 0; j < nOut; j++) {
        const a = k.view(net.activations[net.depth]);
        for (let c = 0; c < nOut; c++) shifted[c] = a[c] - (c === j ? 1 : 0);
        k.write(net.targets!, shifted);
        net.backprop(1);
        readGradients(k, this.params, this.jacobian, (x * nOut + j) * this.count);
      }
    }
    copyPrefix(k, net.input, saved.inputs, batch * nIn);
    copyPrefix(k, net.targets!, saved.targets, batch * nOut);
  }

  /**
   * J[x·nOut + j][θ] = ∂a_j(x)/∂θ of a block network, through the batch statistics (see the file
   * comment): backprop of the mean cost over the batch gives ∂a_j(x)/∂θ / batch for targets a − e_{x,j}.
   */
  private fillJacobianThroughBatch(batch: number, saved: { inputs: Tensor; targets: Tensor }): void {
    const net = this.net;
    const k = net.kernels;
    const entries = batch * net.outputSize;
    net.forward(batch, 'batch');
    const shifted = Float64Array.from(k.view(net.output).subarray(0, entries));
    for (let r = 0; r < entries; r++) {
      const a = shifted[r];
      shifted[r] = a - 1;
      k.write(net.targets, shifted);
      net.backprop(batch);
      readGradients(k, this.params, this.jacobian, r * this.count);
      shifted[r] = a;
    }
    for (let i = 0; i < entries * this.count; i++) this.jacobian[i] *= batch;
    copyPrefix(k, net.targets, saved.targets, entries);
  }

  /** normal = JᵀJ (full), gradient = Jᵀe. */
  private formNormalEquations(rows: number): void {
    const P = this.count;
    const J = this.jacobian;
    this.normal.fill(0);
    this.gradient.fill(0);
    for (let r = 0; r < rows; r++) {
      const base = r * P;
      const e = this.errors[r];
      for (let i = 0; i < P; i++) {
        const ji = J[base + i];
        if (ji === 0) continue;
        this.gradient[i] += ji * e;
        const rowI = i * P;
        for (let c = 0; c <= i; c++) this.normal[rowI + c] += ji * J[base + c];
      }
    }
  }

  state(): OptimizerState {
    assertNotDisposed(this);
    return { name: this.name, scalars: { mu: this.mu, ...recordedScalars(this.hyperparameters()) }, tensors: [] };
  }

  /** The hyperparameters state() records besides μ, which is state (the option mu only starts it): restore refuses others (recorded-settings.ts). */
  private hyperparameters(): Hyperparameters {
    return { muIncrease: this.muIncrease, muDecrease: this.muDecrease, muMax: this.muMax };
  }

  /** Continues from a state(): its μ, its hyperparameters this optimiser's (recorded-settings.ts; it takes no learning rate). */
  restore(state: OptimizerState): void {
    assertNotDisposed(this);
    const where = 'levenberg-marquardt: restore';
    checkStateKind(state, where, this.name);
    // muMax's range is bounded by the mu option, which the state does not record (its mu is the current μ).
    checkRecordedHyperparameters(state, where, this.name, this.hyperparameters(), { defaults: LM_DEFAULTS, unrecorded: { mu: this.mu } });
    // After the settings: a μ above this muMax is advised the state's muMax, where it records one that takes it.
    const mu = checkStateScalar(STATE_RANGES['levenberg-marquardt'].mu, state.scalars?.mu, `${where}: scalars.mu`, this.mu, { muMax: this.muMax });
    this.mu = mu;
  }

  protected freeHeld(): void {
    if (this.net.isDisposed) return; // its dispose() ran release, and every other member of it throws DISPOSED
    this.freeSaved();
    this.net.onDispose.delete(this.release);
  }

  private freeSaved(): void {
    if (this.saved) {
      this.net.kernels.free(this.saved.inputs);
      this.net.kernels.free(this.saved.targets);
    }
    this.saved = undefined;
  }
}

/** dst[0..n) = src[0..n). */
function copyPrefix(k: Kernels, dst: Tensor, src: Tensor, n: number): void {
  k.zero(dst, n);
  k.axpy(dst, src, n, 1);
}

function readParameters(k: Kernels, params: readonly Parameter[], out: Float64Array): void {
  let offset = 0;
  for (const p of params) {
    out.set(k.view(p.value), offset);
    offset += p.length;
  }
}

function readGradients(k: Kernels, params: readonly Parameter[], out: Float64Array, offset: number): void {
  for (const p of params) {
    out.set(k.view(p.grad), offset);
    offset += p.length;
  }
}

function writeParameters(k: Kernels, params: readonly Parameter[], values: Float64Array): void {
  let offset = 0;
  for (const p of params) {
    k.write(p.value, values.subarray(offset, offset + p.length));
    offset += p.length;
  }
}
