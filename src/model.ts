/**
 * The model contracts. `Trainable` is what first-order optimisers, L-BFGS, clipping, the numeric
 * fault checks and the training loop see of any network (dense or built from layer specs):
 * named parameters, a loaded batch, forward in a mode, backprop, the loss of the last forward.
 * `Model` extends it with a chain of dense layers' internals (weights[l], zs, deltas, nablaW, …)
 * for the tools written for that chain: K-FAC, Levenberg–Marquardt, Hessian-free, the flow trace,
 * src/curvature and diagnose. They reach it through denseModelOf(), the one place a block network
 * is refused. The engines (src/network) implement these; the public Network (src/api/network.ts)
 * hands them out only through the MODEL key, so its buffers are never public fields. Layer l of a
 * dense Model maps activations[l] (sizes[l] units) to activations[l + 1] through weights[l]
 * (`[sizes[l+1]][sizes[l]]`) and biases[l]; activations[0] holds the input rows.
 */
import { withinFloat32 } from './checks.js';
import { counted } from './counted.js';
import type { ResidentRows } from './data/matrix.js';
import type { FlowTaps } from './flow-taps.js';
import { GradscopeError, invalidOption, shownArgument } from './errors.js';
import type { Rng } from './init/rng.js';
import type { Kernels, Loss, OutputActivation, Tensor } from './kernels.js';

/**
 * How normalisation layers treat a forward pass (the other layers ignore it):
 * - 'train': batch statistics, and the running statistics move (what a training step does);
 * - 'batch': batch statistics, running statistics untouched (gradients, line searches and
 *   Hessian-free's repeated passes over one batch, which must not count as training steps);
 * - 'eval': the running statistics (predict, evaluate, validation).
 */
export type Mode = 'train' | 'batch' | 'eval';
/** Every Mode. */
export const MODES: readonly Mode[] = ['train', 'batch', 'eval'];

/**
 * Trainable.loadedRows after a forward of `batch` rows in `mode`, `loaded` before it: at least `batch` in 'train' and
 * 'batch' mode (rows written into input directly are a batch to step on), 0 in 'eval' mode: predict's rows overwrote the
 * input (not its targets) and every layer's activations, which a step that runs the batch again (L-BFGS,
 * Levenberg–Marquardt, Gauss–Newton, Hessian-free) or reads them (K-FAC) would take for the batch's.
 */
export function loadedAfterForward(loaded: number, batch: number, mode: Mode): number {
  return mode === 'eval' ? 0 : Math.max(loaded, batch);
}

/** One trainable tensor and its gradient, as layers, optimisers and exporters see them. */
export interface Parameter<T extends Tensor = Tensor> {
  /** Its PyTorch state_dict name: '0.weight', '3.branch.0.bias', '4.alpha' (a lone layer's own: 'weight'). */
  readonly name: string;
  /** PyTorch's shape: [out, in] for a weight matrix, [n] for a vector, [] for a scalar. */
  readonly shape: readonly number[];
  /** The values (a weight matrix `[out][in]` row-major). */
  readonly value: T;
  /** Its gradient ∂C/∂value after backprop, same length. */
  readonly grad: T;
  /** Number of values. */
  readonly length: number;
  /**
   * Index of the parameterised layer it belongs to, in forward order (nested layers included):
   * what layerRates and LARS's trust ratios go by. A dense network's weight layer l. Set by the
   * network; 0 in a lone layer's own list.
   */
  readonly group: number;
  /** Whether it is a dense layer's weight matrix: the only tensors weight decay reaches with decayBiases: false. */
  readonly weightMatrix: boolean;
}

/**
 * A request that an optimiser's next update also measure what the gradient-flow trace reads of some
 * weight tensors, in the pass that already reads every weight and gradient (the trace would otherwise
 * read them again): for each, Kernels.weightStats' five numbers in its order, Σg², Σ|g|, max|g|
 * and Σw² before the update, and the update's own Σ(ΔW)² where weightStats gives the change since its
 * snapshot. The trace makes one per recorder (TraceRecorder.updateStatistics); the training loop hands
 * it to the optimiser (Optimizer.measureUpdate) on each step the trace records; an optimiser whose
 * update cannot measure them leaves it, and the trace measures them apart, as weightStats does.
 */
export interface UpdateStatistics<T extends Tensor = Tensor> {
  /** The weight tensors to measure (the values of some of parameters()), each once. */
  readonly tensors: readonly T[];
  /** One array of those five numbers per entry of tensors, in its order, written by the update. */
  readonly out: readonly Float64Array[];
  /** Set by the optimiser that takes the request for its next update (measureUpdate); the trace reads it, then clears it. */
  taken: boolean;
}

/** The key under which a network (or an engine itself) gives its Trainable to optimisers and the trace. */
export const MODEL: unique symbol = Symbol('gradscope.model');

/** Anything that can hand out its Trainable: the public Network, or an engine itself. */
export interface ModelOwner<T extends Tensor = Tensor> {
  /** The Trainable it hands out (for optimisers, the training loop and, if dense, the trace). */
  readonly [MODEL]: Trainable<T>;
}

/** Where a forward pass overflowed float32: the row within the batch and the layer (as messages name it, with the unit and its value). */
export interface Overflow {
  /** The row within the batch, from 0. */
  row: number;
  /** The layer as messages name it, with the unit and its value ('layers[2] (dense, unit 3 is Infinity)'). */
  layer: string;
}

/**
 * The first value of a layer's output `[count][units]` that float32 does not hold as a finite number
 * (withinFloat32), as its row, its unit and the value as float32 holds it (±Infinity or NaN: a
 * float64 backend's 6e38 is said as float32's Infinity, so every backend's message is the same); null
 * when there is none, after one maxAbs.
 */
export function overflowIn<T extends Tensor>(k: Kernels<T>, output: T, count: number, units: number): { row: number; unit: number; value: number } | null {
  if (withinFloat32(k.maxAbs(output, count * units))) return null;
  const a = k.view(output);
  for (let i = 0; i < count * units; i++) {
    if (!withinFloat32(a[i])) return { row: Math.floor(i / units), unit: i % units, value: Math.fround(a[i]) };
  }
  return null;
}

/**
 * Each of `batch` rows' share of entry `index` of a dense layer's gradient, from the tensors its
 * backward read: ∂W[j][i] = Σ_r δ_r[j]·a_r[i] and ∂b[j] = Σ_r δ_r[j], δ being ∂(mean C)/∂z (so the
 * shares sum to the entry). `input` is the layer's a `[batch][nIn]`, `delta` its δ `[batch][nOut]`.
 * A rare path's (a refusal naming the row behind a gradient too large), a loop in TypeScript.
 */
export function denseGradientShares<T extends Tensor>(k: Kernels<T>, weightMatrix: boolean, index: number, batch: number, input: T, delta: T, nIn: number, nOut: number): Float64Array {
  const [a, d] = [k.view(input), k.view(delta)];
  const [j, i] = weightMatrix ? [Math.floor(index / nIn), index % nIn] : [index, -1];
  return Float64Array.from({ length: batch }, (_, r) => d[r * nOut + j] * (i < 0 ? 1 : a[r * nIn + i]));
}

/**
 * After a forward of `count` rows through `net` (the first being row `first` of the caller's data,
 * or row `order[first]` where the rows were loaded through `order`):
 * throws NON_FINITE_INPUT naming the row and layer (net.findOverflow) if a finite input overflowed
 * float32 in any layer on its way through, so a NaN or Inf never reaches the caller: the one message
 * predict, evaluate, layerOutputs and LSUV give, for either engine. Every layer is read, not only the
 * output: a float64 backend carries a hidden 6e38 on to a finite output where float32 holds Infinity
 * (and refuses), and a float32 Infinity a later sigmoid or relu turns finite was refused on neither,
 * so the same rows got an answer on one backend and NON_FINITE_INPUT on the other. One maxAbs per
 * layer when all is well.
 */
export function checkOutputs(net: Trainable, first: number, count: number, label: string, order?: Uint32Array): void {
  const overflow = net.findOverflow(count);
  if (!overflow) return;
  // Rows loaded through `order` (a subset of the caller's rows) are named by the caller's numbers, not by their place in it.
  const row = order ? order[first + overflow.row] : first + overflow.row;
  throw new GradscopeError('NON_FINITE_INPUT', `${label}: row ${row} overflows float32 in ${overflow.layer}; the inputs or the weights are too large`);
}

/**
 * Who holds rows a network may read in place (a Dataset): its dispose() runs each of beforeDispose
 * first, while the rows are still in memory, so that a network reading them copies them in (Trainable.rowsInPlace).
 */
export interface RowsLender {
  /** Whether dispose() has run: the rows are gone (a training call refuses to read them again). */
  readonly isDisposed: boolean;
  /** Runs `handBack` first thing in dispose() (once); returns what takes it off again. */
  beforeDispose(handBack: () => void): () => void;
}

/**
 * What every network is to optimisers and the training loop (implemented by both engines; reach it as `net[MODEL]`).
 * Its methods are bound to it (src/network/bound-methods.ts): one read off it (`const { parameters } = model`) runs on it.
 */
export interface Trainable<T extends Tensor = Tensor> extends ModelOwner<T> {
  /** 'dense': a chain of dense layers, a full Model; 'blocks': built from layer specs with at least one other layer. */
  readonly kind: 'dense' | 'blocks';
  /** The kernels its tensors live on. */
  readonly kernels: Kernels<T>;
  /** The loss it is trained on. */
  readonly loss: Loss;
  /** Features per input row. */
  readonly inputSize: number;
  /** Outputs per row. */
  readonly outputSize: number;
  /** Trained values in all layers (state buffers such as running statistics not counted). */
  readonly parameterCount: number;
  /** Parameterised layers: the length of layerRates, one more than the largest Parameter.group. */
  readonly groupCount: number;
  /** The network's RNG (shuffling; K-FAC's sampled targets). */
  readonly rng: Rng;
  /** Training steps taken (the training loop counts them; persisted in checkpoints). */
  step: number;
  /** Whether the network has been disposed. */
  readonly isDisposed: boolean;
  /**
   * Batches loaded, forward and backward passes run and batch buffers grown so far: while it is
   * unchanged, the buffers hold what the last of them left (the loaded rows and targets, every
   * layer's outputs, a dense chain's zs and deltas, batch norm's batch statistics). A product that
   * reads those across calls (CurvatureOperators) compares it to know when to run its rows again.
   */
  readonly passes: number;
  /**
   * The loaded batch's input rows, `[capacity][inputSize]` (after ensureCapacity), in the network's
   * own buffer: to read them or to write rows of one's own (rows loadBatch left where they lie are
   * copied in first: rowsInPlace).
   */
  readonly input: T;
  /** The loaded batch's targets, `[capacity][outputSize]` (after ensureCapacity), in the network's own buffer, as input. */
  readonly targets: T;
  /** The output of the last forward, `[batch][outputSize]`. */
  readonly output: T;
  /**
   * Rows of input and targets that hold the batch a step reads: the count of the last loadBatch, or more
   * once a forward in 'train' or 'batch' mode runs over rows written into input directly (loadedAfterForward).
   * 0 before any batch, after ensureCapacity grows the buffers (their rows are gone) and after a forward in 'eval'
   * mode (predict, layerOutputs, evaluate, validation): its rows replaced the batch's in input and the
   * activations. The most rows Optimizer.step may be given (checkStepBatch).
   */
  readonly loadedRows: number;
  /**
   * For a block network, the first layer a dense-only tool cannot take, as "layers[1] is
   * batch-norm" or "layers[0] is dense without a bias" (what denseModelOf's refusal says); absent for a dense one.
   */
  readonly firstNonDense?: string;
  /**
   * The fewest rows any batch that reaches its layers in training mode may have: each of train()'s
   * batches (the short last one of an epoch too, unless dropLast leaves it out), gradients(),
   * curvature, LSUV. 1, or BATCH_NORM_MIN_ROWS (2) with batch norm (checkTrainingBatch, the one rule).
   */
  readonly minTrainingRows: number;

  /** The trainable tensors in PyTorch's state_dict order (a dense layer: weight, then bias); the same array on every call. */
  parameters(): readonly Parameter<T>[];
  /** The tensors training moves besides the parameters (batch norm's running statistics and batch counters), in state_dict order; none in a dense chain. */
  stateTensors(): readonly T[];
  /** What messages call each of stateTensors(), in its order: its layer's name in the trace tables, its name and what it holds ("layers[1] ('2', batch-norm) (2.running_var: batch norm's running variance)"). */
  stateTensorLabels(): readonly string[];
  /** After stateTensors() were written directly (an undo): the network re-reads what it keeps of them elsewhere (batch norm's counts). */
  stateTensorsWritten(): void;
  /** Makes the batch buffers hold at least `rows` rows (allocates only when they grow). */
  ensureCapacity(rows: number): void;
  /**
   * Loads rows order[start .. start+count) of x and y: y's are copied into targets now; x's into input
   * now (the block engine) or later (the dense Engine gathers them at the next forward, as its first
   * product reads them, or at the first read of input or activations before it), so x must outlive
   * that forward and not change before it; the row numbers are copied now. x and y may be input
   * and targets themselves (rows loaded in place, in their own order: order[start + i] = i), which
   * need no copy; between rowsInPlace(x, y) and endRowsInPlace(), x's and y's first rows in order
   * are read where they lie.
   */
  loadBatch(x: ResidentRows<T>, y: ResidentRows<T>, order: Uint32Array, start: number, count: number): void;
  /**
   * Until endRowsInPlace(), loadBatch leaves the first rows of x and y, asked for in order, where
   * they lie (a data set's memory) and the forward and backward passes read them there; reading or
   * writing input or targets meanwhile copies them in first, so x and y never change; so does the
   * lender's dispose() (a Dataset disposed from onBatch), before it frees them. Absent: every batch
   * is copied (the block engine).
   */
  rowsInPlace?(x: ResidentRows<T>, y: ResidentRows<T>, lender?: RowsLender): void;
  /** Ends rowsInPlace (before x or y may be freed): the passes read the network's own buffers again. */
  endRowsInPlace?(): void;
  /** Forward pass of the `batch` rows in input, normalisation layers in `mode`. */
  forward(batch: number, mode: Mode): void;
  /** After forward(batch, 'train' | 'batch'): sets every parameter's grad for the mean loss against targets; returns it. */
  backprop(batch: number): number;
  /** The mean loss of the last forward's output against targets (no new pass). */
  lossOfLastForward(batch: number): number;
  /**
   * After backprop of `batch` rows: each row's share of entry `index` of `p`'s gradient (they sum to
   * it), where `p` is a dense layer's weight or bias whose δ the backward formed; null for any other
   * (a norm's γ and β, ReZero's α, a last layer fused with its loss). Rare path (denseGradientShares).
   */
  gradientShares(p: Parameter<T>, index: number, batch: number): Float64Array | null;
  /** After a forward of `count` rows: the first row (0-based in the batch) and layer whose output float32 does not hold as finite (overflowIn), or null. */
  findOverflow(count: number): Overflow | null;
  /** Throws DISPOSED after dispose(). */
  assertAlive(): void;
  /** Throws OUT_OF_MEMORY unless `elements` more floats fit in the backend (checked before allocating them). */
  checkFits(elements: number, what: string): void;
  /**
   * Releases run once when the network is disposed: state that optimisers and traces keep in the
   * backend's memory. A release may delete itself (or others) while they run.
   */
  readonly onDispose: Set<() => void>;
  /**
   * Gauss-Newton products through the network's own layers (a block network's R-operator,
   * src/layers/gauss-newton.ts); absent on a dense Model, whose product is src/optim/gauss-newton.ts.
   */
  gaussNewton?(): GaussNewtonOperator<T>;
  /**
   * Exact Hessian-vector products through the network's own layers (a block network's R-operator,
   * forward and reverse: src/layers/hessian.ts); absent on a dense Model, whose product is
   * src/curvature/hessian-product.ts.
   */
  hessian?(): HessianOperator<T>;
  /** What the gradient-flow trace reads of a block network's layers (src/flow-taps.ts); absent on a dense Model, which the trace reads directly. */
  flowTaps?(): FlowTaps<T>;
  /**
   * After backprop(batch): out[i] += Σ_rows (the row's share of parameter i's gradient)², one
   * tensor per entry of parameters(): the diagonal of Hessian-free's preconditioner (block
   * networks; a dense Model's is built from its deltas).
   */
  squaredGradients?(out: readonly T[], batch: number): void;
}

/**
 * Generalised Gauss-Newton products G·v = Jᵀ·H_L·J·v (Schraudolph 2002) of a network's mean loss
 * over the first rows of its loaded batch, J the Jacobian of the outputs of all those rows together
 * (batch norm's batch statistics included): what Hessian-free and src/curvature multiply by.
 */
export interface GaussNewtonOperator<T extends Tensor = Tensor> {
  /**
   * out = G·v over the `rows` rows of the network's last forward(rows, 'train' | 'batch'); v and
   * out hold one tensor per entry of parameters(), in its order. Every parameter's grad is
   * overwritten (the product runs through the backward pass). Allocates only on its first call for
   * a number of rows.
   */
  apply(out: readonly T[], v: readonly T[], rows: number): void;
  /** Frees the operator's own buffers. */
  dispose(): void;
}

/**
 * Exact Hessian-vector products H·v of a network's mean loss over the first rows of its loaded
 * batch (batch norm's batch statistics included), by the R-operator: what src/curvature multiplies by.
 */
export interface HessianOperator<T extends Tensor = Tensor> {
  /**
   * out = H·v over the `rows` rows of the network's last forward(rows, 'train' | 'batch'); v and
   * out hold one tensor per entry of parameters(), in its order. Every parameter's grad is
   * overwritten (the product runs through the backward pass). Allocates only on its first call for
   * a number of rows.
   */
  apply(out: readonly T[], v: readonly T[], rows: number): void;
  /** Frees the operator's own buffers. */
  dispose(): void;
}

/** A chain of dense layers as K-FAC, Levenberg–Marquardt, Hessian-free, the trace and src/curvature see it: a Trainable with its internals. */
export interface Model<T extends Tensor = Tensor> extends Trainable<T> {
  /** Always 'dense'. */
  readonly kind: 'dense';
  /** The Model itself. */
  readonly [MODEL]: Model<T>;
  /** Units per layer, input first. */
  readonly sizes: readonly number[];
  /** activationFunctions[l] follows weights[l]; the last is the output activation. */
  readonly activationFunctions: readonly OutputActivation[];
  /** Number of weight layers. */
  readonly depth: number;

  /** Weight tensors, `[sizes[l+1]][sizes[l]]` each. */
  readonly weights: readonly T[];
  /** Bias tensors, sizes[l+1] each. */
  readonly biases: readonly T[];
  /** ∂C/∂W after backprop. */
  readonly nablaW: readonly T[];
  /** ∂C/∂b after backprop. */
  readonly nablaB: readonly T[];
  /** Weighted inputs zs[l] = weights[l]·activations[l] + biases[l] of the loaded batch. */
  readonly zs: readonly T[];
  /** Activations of the loaded batch, activations[0] being the input rows. */
  readonly activations: readonly T[];
  /** deltas[l] = ∂C/∂zs[l] for the loaded batch. */
  readonly deltas: readonly T[];

  /** Forward pass of the `batch` rows in activations[0] (forward in any mode: a dense chain has none). */
  feedforward(batch: number): void;
}

/**
 * The dense Model of `owner`, for a tool written for chains of dense layers (`who`, e.g. 'kfac'; default 'denseModelOf');
 * INVALID_OPTION naming the first other layer for a block network ("kfac supports dense layers
 * only; layers[1] is batch-norm"). Tools call it before changing anything: the one place a block
 * network is refused, so a tool that learns to handle blocks drops the call.
 */
export function denseModelOf<T extends Tensor>(owner: ModelOwner<T>, who = 'denseModelOf'): Model<T> {
  const model = trainableOf(owner, who);
  if (model.kind === 'dense') return model as Model<T>;
  throw invalidOption(`${who} supports dense layers only; ${model.firstNonDense ?? 'this network is built from layer specs'}`);
}

/**
 * The Trainable of `owner` (a Network from createNetwork, or an engine), or INVALID_OPTION naming
 * `who` and what it got: the one check of every public entry that takes a network as a ModelOwner
 * (optimisers, clipping, the trace), so null or a plain object is refused by name, not by TypeError.
 */
export function trainableOf<T extends Tensor>(owner: ModelOwner<T> | null | undefined, who: string): Trainable<T> {
  const model: unknown = typeof owner === 'object' && owner !== null ? owner[MODEL] : undefined;
  if (typeof model !== 'object' || model === null) throw invalidOption(`${who}: expected a network (from createNetwork), got ${shownArgument(owner)}`);
  return model as Trainable<T>;
}

/** The class an output row predicts (one output: 1 at or above ½); used by evaluation and the trace. */
export function predictedClass(values: ArrayLike<number>, offset: number, n: number): number {
  if (n === 1) return values[offset] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

/**
 * The PyTorch state_dict name of dense layer l's weight or bias in a chain of dense layers: one
 * nn.Sequential where layer l is the nn.Linear at index 2l, followed by its activation's module.
 */
export function denseTensorName(l: number, tensor: 'weight' | 'bias'): string {
  return `${2 * l}.${tensor}`;
}

/**
 * INVALID_OPTION unless `net` can run a training-mode forward on a batch of `rows` rows (batch norm
 * needs BATCH_NORM_MIN_ROWS, two: one row's variance is 0). The one rule of every batch that reaches
 * batch norm in training (train's batches and its short last batch: checkBatchRows; gradients,
 * curvature, LSUV). `batch` names the batch, as "gradients: the batch"; `fix` says what to do
 * (default: give at least net.minTrainingRows rows, the number made here, not written by each caller).
 */
export function checkTrainingBatch(net: Pick<Trainable, 'minTrainingRows'>, rows: number, batch: string, fix = `give at least ${net.minTrainingRows} rows`): void {
  if (rows === 0 || rows >= net.minTrainingRows) return;
  throw invalidOption(
    `${batch} has ${counted(rows, 'row')}, but batch norm in training needs at least ${net.minTrainingRows} per batch (one row's variance is 0: every feature would become β and the running variance would move toward 0); ${fix}`,
  );
}
