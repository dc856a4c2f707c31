/**
 * K-FAC for dense layers (Martens & Grosse 2015, "Optimizing neural networks with Kronecker-factored
 * approximate curvature"). The Fisher block of layer l is approximated by A ⊗ G with
 *   A = E[ā āᵀ]  (ā = the layer's input activations with a trailing 1 for the bias),
 *   G = E[g gᵀ]  (g = ∂L/∂z of the layer for targets drawn from the model's own predictive
 *                 distribution: the true Fisher, not the empirical one of the data's targets),
 * so the natural-gradient step of W̄ = [W | b] is G⁻¹·∇W̄·A⁻¹: two small inverses instead of one
 * of the whole layer. As with Hessian-free, a layer whose gradient vanished has small G too, and the
 * step divides one by the other.
 *
 * Each step: A and G of the batch (one extra backward pass with sampled targets), exponential
 * moving averages, every `inverseEvery` steps the inverses of the factored-Tikhonov-damped factors
 *   A + π√λ·I,  G + (1/π)√λ·I,  π = √((tr A / dim A) / (tr G / dim G)),
 * then ΔW̄ = G⁻¹·∇W̄·A⁻¹ and w −= learningRate·v with v = momentum·v + ΔW̄ (sgdUpdate).
 */
import { GradscopeError, invalidOption } from '../errors.js';
import type { Kernels, Tensor } from '../kernels.js';
import type { Network } from '../network/network.js';
import { covariance, dampedInverse, sandwich, trace, type SquareScratch } from './kronecker.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { checkKnownKeys, checkNumber } from './options.js';

export interface KfacOptions {
  /** Tikhonov damping λ (default 1e-3): each factor gets √λ, split by π. */
  damping?: number;
  /** Moving-average decay of A and G (default 0.95); the first step takes its batch's factors whole. */
  decay?: number;
  /** Steps between refreshes of the damped inverses (default 20; the first step always inverts). */
  inverseEvery?: number;
  /** Momentum of the preconditioned step, in [0, 1) (default 0). */
  momentum?: number;
}

export const KFAC_DEFAULTS = { damping: 1e-3, decay: 0.95, inverseEvery: 20, momentum: 0 } as const;

/** train()'s learning rate for K-FAC when it is given none: the preconditioned step is already scaled. */
export const KFAC_LEARNING_RATE = 0.2;

/** Largest side of a Kronecker factor: A of a layer with 2048 inputs (and its bias). */
export const KFAC_MAX_FACTOR_SIDE = 2049;

/** Persistent state of one layer. Sides: dA = nIn + 1, dG = nOut. */
interface LayerState<T extends Tensor> {
  nIn: number;
  nOut: number;
  /** Moving averages of E[ā āᵀ] `[dA][dA]` and E[g gᵀ] `[dG][dG]`. */
  a: T;
  g: T;
  /** Their damped inverses, as of the last refresh. */
  aInverse: T;
  gInverse: T;
  /** Momentum of the step, split as the parameters are: `[nOut][nIn]` and `[nOut]`. */
  velocityW: T;
  velocityB: T;
}

/** Scratch sized by the batch; regrown only when a larger batch arrives. */
interface BatchScratch<T extends Tensor> {
  rows: number;
  /** ā `[rows][dA]` of one layer at a time. */
  augmented: T;
  /** The true targets while the sampled ones are loaded. */
  savedTargets: T;
  /** Noise for the draw, and its staging array on the TypeScript side. */
  noise: T;
  noiseValues: Float64Array;
}

export class Kfac<T extends Tensor = Tensor> implements Optimizer {
  readonly name = 'kfac';
  readonly defaultLearningRate = KFAC_LEARNING_RATE;
  readonly options: Readonly<Required<KfacOptions>>;
  /** Steps taken (drives the moving average's first step and the inverse refreshes). */
  steps = 0;
  /** π of each layer at the last inverse refresh, and the factor shifts actually used (for reports). */
  readonly pi: Float64Array;
  readonly shifts: Float64Array;
  private readonly k: Kernels<T>;
  private layers: LayerState<T>[] = [];
  private square: SquareScratch<T> | undefined;
  /** [∇W | ∇b] `[dG][dA]`, the product's middle, the step ΔW̄, and ΔW̄ unpacked into W's and b's shapes. */
  private packedGradient: T[] = [];
  private middle: T | undefined;
  private step_: T | undefined;
  private stepW: T | undefined;
  private stepB: T | undefined;
  /** One statistic of the batch before it enters the moving average (largest factor). */
  private statistic: T | undefined;
  private batchScratch: BatchScratch<T> | undefined;
  private disposed = false;

  constructor(
    private readonly net: Network<T>,
    options: KfacOptions = {},
  ) {
    checkKnownKeys(options, Object.keys(KFAC_DEFAULTS), 'kfac');
    const d = KFAC_DEFAULTS;
    this.options = {
      damping: checkNumber(options.damping, 'kfac: damping', { min: 0, above: true, max: 1e6 }, d.damping),
      decay: checkNumber(options.decay, 'kfac: decay', { min: 0, max: 1, below: true }, d.decay),
      inverseEvery: checkNumber(options.inverseEvery, 'kfac: inverseEvery', { min: 1, max: 1e6, integer: true }, d.inverseEvery),
      momentum: checkNumber(options.momentum, 'kfac: momentum', { min: 0, max: 1, below: true }, d.momentum),
    };
    for (let l = 0; l < net.depth; l++) {
      const nIn = net.sizes[l];
      const nOut = net.sizes[l + 1];
      const [which, side] = nIn + 1 > KFAC_MAX_FACTOR_SIDE ? ['A', nIn + 1] : nOut > KFAC_MAX_FACTOR_SIDE ? ['G', nOut] : ['', 0];
      if (which) {
        throw invalidOption(
          `kfac: layer ${l} (${nIn} → ${nOut}) would need a ${side}×${side} Kronecker factor ${which}, more than ` +
            `${KFAC_MAX_FACTOR_SIDE}×${KFAC_MAX_FACTOR_SIDE}; use 'adam', 'lbfgs' or 'hessian-free' for layers this wide`,
        );
      }
    }
    this.k = net.kernels;
    this.pi = new Float64Array(net.depth);
    this.shifts = new Float64Array(2 * net.depth);
    this.allocate();
    net.onDispose.push(() => this.dispose());
  }

  /** Everything but the batch scratch, checked against the backend's memory first. */
  private allocate(): void {
    const { k, net } = this;
    let elements = 0;
    let side = 1;
    let packed = 1;
    for (let l = 0; l < net.depth; l++) {
      const dA = net.sizes[l] + 1;
      const dG = net.sizes[l + 1];
      elements += 2 * (dA * dA + dG * dG) + 2 * dG * dA;
      side = Math.max(side, dA, dG);
      packed = Math.max(packed, dG * dA);
    }
    elements += 4 * side * side + 2 * side + 4 * packed;
    net.checkFits(elements, `K-FAC's Kronecker factors for sizes [${net.sizes.join(', ')}]`);
    for (let l = 0; l < net.depth; l++) {
      const nIn = net.sizes[l];
      const nOut = net.sizes[l + 1];
      const dA = nIn + 1;
      this.layers.push({
        nIn,
        nOut,
        a: k.alloc(dA * dA),
        g: k.alloc(nOut * nOut),
        aInverse: k.alloc(dA * dA),
        gInverse: k.alloc(nOut * nOut),
        velocityW: k.alloc(nOut * nIn),
        velocityB: k.alloc(nOut),
      });
      this.packedGradient.push(k.alloc(nOut * dA));
    }
    const ones = k.alloc(side);
    k.write(ones, new Float64Array(side).fill(1));
    this.square = { damped: k.alloc(side * side), factor: k.alloc(side * side), inverseFactor: k.alloc(side * side), column: k.alloc(side), ones };
    this.statistic = k.alloc(side * side);
    this.middle = k.alloc(packed);
    this.step_ = k.alloc(packed);
    this.stepW = k.alloc(packed);
    this.stepB = k.alloc(side);
  }

  /** Batch-sized scratch: allocated on the first step and when a larger batch comes. */
  private scratchFor(rows: number): BatchScratch<T> {
    if (this.batchScratch && this.batchScratch.rows >= rows) return this.batchScratch;
    const { k, net } = this;
    this.freeBatchScratch();
    const widest = Math.max(...net.sizes.slice(0, -1)) + 1;
    const noiseLength = rows * net.outputSize;
    net.checkFits(rows * widest + 2 * noiseLength + rows, `K-FAC's buffers for a batch of ${rows} rows`);
    this.batchScratch = {
      rows,
      augmented: k.alloc(rows * widest),
      savedTargets: k.alloc(noiseLength),
      noise: k.alloc(noiseLength),
      noiseValues: new Float64Array(noiseLength),
    };
    // The bias column of ā reads from `ones`, which must cover a batch.
    if (this.square!.ones.length < rows) {
      k.free(this.square!.ones);
      this.square!.ones = k.alloc(rows);
      k.write(this.square!.ones, new Float64Array(rows).fill(1));
    }
    return this.batchScratch;
  }

  step(net: Network<T>, learningRate: number, batch: number): void {
    if (this.disposed) throw new GradscopeError('DISPOSED', 'this K-FAC optimiser was disposed; create a new one');
    const k = this.k;
    const s = this.scratchFor(batch);
    // Moving-average weight of this batch; the first step has no history to average with.
    const fresh = this.steps === 0 ? 1 : 1 - this.options.decay;
    for (let l = 0; l < net.depth; l++) {
      const layer = this.layers[l];
      const dA = layer.nIn + 1;
      // [∇W | ∇b] kept aside: the sampled pass below overwrites nablaW/nablaB.
      k.copy2d(this.packedGradient[l], 0, dA, net.nablaW[l], 0, layer.nIn, layer.nOut, layer.nIn);
      k.copy2d(this.packedGradient[l], layer.nIn, dA, net.nablaB[l], 0, 1, layer.nOut, 1);
      // ā = [a | 1], then A_batch = āᵀā / batch.
      k.copy2d(s.augmented, 0, dA, net.activations[l], 0, layer.nIn, batch, layer.nIn);
      k.copy2d(s.augmented, layer.nIn, dA, this.square!.ones, 0, 1, batch, 1);
      covariance(k, this.statistic!, s.augmented, batch, dA, 1 / batch);
      this.average(layer.a, dA * dA, fresh);
    }
    this.sampledBackward(net, batch, s);
    for (let l = 0; l < net.depth; l++) {
      const layer = this.layers[l];
      // deltas hold ∂(mean loss)/∂z = g_x / batch per row, so E[g gᵀ] = (1/batch)·Σ batch²·δδᵀ = batch·δᵀδ.
      covariance(k, this.statistic!, net.deltas[l], batch, layer.nOut, batch);
      this.average(layer.g, layer.nOut * layer.nOut, fresh);
      // The true gradient back where backprop left it, for the trace and anyone after this step.
      const dA = layer.nIn + 1;
      k.copy2d(net.nablaW[l], 0, layer.nIn, this.packedGradient[l], 0, dA, layer.nOut, layer.nIn);
      k.copy2d(net.nablaB[l], 0, 1, this.packedGradient[l], layer.nIn, dA, layer.nOut, 1);
    }
    if (this.steps % this.options.inverseEvery === 0) this.refreshInverses();
    for (let l = 0; l < net.depth; l++) this.update(l, learningRate);
    this.steps++;
  }

  /** factor = (1 − w)·factor + w·statistic. */
  private average(factor: T, n: number, weight: number): void {
    this.k.scale(factor, n, 1 - weight);
    this.k.axpy(factor, this.statistic!, n, weight);
  }

  /**
   * One backward pass with targets drawn from the model's predictive distribution (the forward
   * pass of the batch is already there), then the true targets back in place. deltas are left
   * holding the sampled pass; nablaW/nablaB are restored by the caller.
   */
  private sampledBackward(net: Network<T>, batch: number, s: BatchScratch<T>): void {
    const k = this.k;
    const n = net.outputSize;
    const targets = net.targets!;
    k.copy2d(s.savedTargets, 0, 0, targets, 0, 0, 1, batch * n);
    // The noise order is part of the contract the tests check: categorical draws one uniform per
    // row, Bernoulli one per output, MSE one standard normal per output, row-major.
    const count = net.loss === 'cross-entropy' ? batch : batch * n;
    const values = s.noiseValues;
    if (net.loss === 'mse') for (let i = 0; i < count; i++) values[i] = net.rng.normal();
    else for (let i = 0; i < count; i++) values[i] = net.rng.uniform();
    // Zero the tail so a shorter batch writes whole the array without a subarray view.
    values.fill(0, count);
    k.write(s.noise, values);
    k.sampleTargets(net.loss, targets, net.activations[net.depth], s.noise, batch, n);
    net.backprop(batch);
    k.copy2d(targets, 0, 0, s.savedTargets, 0, 0, 1, batch * n);
  }

  /** The damped inverses of every layer's factors (factored Tikhonov damping). */
  private refreshInverses(): void {
    const k = this.k;
    const sq = this.square!;
    const root = Math.sqrt(this.options.damping);
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const dA = layer.nIn + 1;
      const dG = layer.nOut;
      const ratio = trace(k, layer.a, dA, sq) / dA / (trace(k, layer.g, dG, sq) / dG);
      // A zero or non-finite trace (a dead layer, an all-zero output gradient) leaves π undefined: split evenly.
      const pi = ratio > 0 && Number.isFinite(ratio) ? Math.sqrt(ratio) : 1;
      this.pi[l] = pi;
      const shiftA = dampedInverse(k, layer.aInverse, layer.a, dA, pi * root, sq);
      const shiftG = dampedInverse(k, layer.gInverse, layer.g, dG, root / pi, sq);
      if (!(shiftA > 0) || !(shiftG > 0)) {
        throw new GradscopeError(
          'DIVERGED',
          `kfac: layer ${l}'s damped factor ${shiftA > 0 ? 'G' : 'A'} is not positive definite even with its damping ×1e6 ` +
            `(the statistics hold a NaN or Inf?); try a larger damping or a smaller learningRate`,
        );
      }
      this.shifts[2 * l] = shiftA;
      this.shifts[2 * l + 1] = shiftG;
    }
  }

  /** ΔW̄ = G⁻¹·∇W̄·A⁻¹, then w −= lr·v, v = momentum·v + ΔW̄ for W and b. */
  private update(l: number, learningRate: number): void {
    const { k, net } = this;
    const layer = this.layers[l];
    const dA = layer.nIn + 1;
    sandwich(k, this.step_!, layer.gInverse, this.packedGradient[l], layer.aInverse, this.middle!, layer.nOut, dA);
    k.copy2d(this.stepW!, 0, layer.nIn, this.step_!, 0, dA, layer.nOut, layer.nIn);
    k.copy2d(this.stepB!, 0, 1, this.step_!, layer.nIn, dA, layer.nOut, 1);
    const momentum = this.options.momentum;
    k.sgdUpdate(net.weights[l], layer.velocityW, this.stepW!, layer.nOut * layer.nIn, learningRate, momentum, 0);
    k.sgdUpdate(net.biases[l], layer.velocityB, this.stepB!, layer.nOut, learningRate, momentum, 0);
  }

  /** Layer l's moving-average factors A `[dA][dA]` and G `[dG][dG]`, as float64 copies. */
  factors(l: number): { a: Float64Array; g: Float64Array } {
    const layer = this.layers[l];
    if (!layer) throw invalidOption(`kfac: factors: no layer ${l} (the network has ${this.layers.length})`);
    return { a: Float64Array.from(this.k.view(layer.a)), g: Float64Array.from(this.k.view(layer.g)) };
  }

  /** The per-layer tensors of the state, in order: A, G, A⁻¹, G⁻¹, velocity of W, of b. */
  private stateTensors(): T[] {
    return this.layers.flatMap((l) => [l.a, l.g, l.aInverse, l.gInverse, l.velocityW, l.velocityB]);
  }

  state(): OptimizerState {
    this.assertAlive();
    return {
      name: this.name,
      scalars: { steps: this.steps },
      tensors: this.stateTensors().map((t) => Float32Array.from(this.k.view(t))),
    };
  }

  restore(state: OptimizerState): void {
    this.assertAlive();
    if (typeof state !== 'object' || state === null || state.name !== this.name) {
      throw invalidOption(`kfac state: expected a state saved by 'kfac', got ${JSON.stringify((state as OptimizerState | null)?.name)}`);
    }
    const steps = checkNumber(state.scalars?.steps, 'kfac state: steps', { min: 0, integer: true }, NaN);
    if (Number.isNaN(steps)) throw invalidOption('kfac state: steps is missing');
    const tensors = this.stateTensors();
    if (!Array.isArray(state.tensors) || state.tensors.length !== tensors.length || state.tensors.some((t, i) => t?.length !== tensors[i].length)) {
      throw invalidOption(`kfac state: expected ${tensors.length} tensors of lengths ${tensors.map((t) => t.length).join(', ')}`);
    }
    tensors.forEach((t, i) => this.k.write(t, state.tensors[i]));
    this.steps = steps;
  }

  private assertAlive(): void {
    if (this.disposed) throw new GradscopeError('DISPOSED', 'this K-FAC optimiser was disposed; create a new one');
  }

  private freeBatchScratch(): void {
    if (!this.batchScratch) return;
    const { augmented, savedTargets, noise } = this.batchScratch;
    [augmented, savedTargets, noise].forEach((t) => this.k.free(t));
    this.batchScratch = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const k = this.k;
    this.freeBatchScratch();
    this.stateTensors().forEach((t) => k.free(t));
    this.packedGradient.forEach((t) => k.free(t));
    if (this.square) Object.values(this.square).forEach((t) => k.free(t));
    [this.statistic, this.middle, this.step_, this.stepW, this.stepB].forEach((t) => t && k.free(t));
    this.layers = [];
    this.packedGradient = [];
    this.square = undefined;
  }
}
