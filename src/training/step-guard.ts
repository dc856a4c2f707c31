/**
 * The checks around every training step that keep the weights usable: before the step, the loss
 * and the gradient are finite; the step is kept only if it leaves every parameter finite and within
 * RUNAWAY_PARAMETER. An optimiser that bounds its own step (Optimizer.keepsWithin) proves that
 * from two numbers: max |gradient entry|, which the gradient check measures anyway, and a bound on
 * max |parameter|, measured once per train() call and then carried from step to step as the proofs give it (the
 * parameters are measured again only when a proof fails on the carried bound, or something else
 * changed them), so a proved step reads no parameter; when it cannot (a large step, or an optimiser
 * without a bound) the guard copies what the step changes first and takes the step back if it went
 * out of range.
 *
 * A step is judged good only when the state it made is: its parameters within range (above), and
 * the next batch's loss and gradient there finite, the loss under RUNAWAY_LOSS_FACTOR× the call's
 * first, and the state tensors its training forward moved (batch norm's running statistics) within
 * float32 (judgeBatch). So the state before a step that parameters alone cannot condemn (K-FAC at
 * a learning rate of 1e8 makes weights of 4e7, far inside the range, and a loss of 4e7 one step
 * later) is kept as the last one judged good: the copy above is that state, and train() also asks
 * for it at the first step of every epoch (keepCopy), so optimisers whose steps are proved keep one
 * too: their epoch's first state, the states judged good after it not being copied (a copy per
 * step would copy every parameter and the optimiser's state on the hot path; one per epoch costs one
 * copy per epoch, into one parameter set of the backend's memory). backToLastGood() puts the last one kept back when a
 * later step's loss condemns the steps since.
 *
 * The batch's training forward moves batch norm's running statistics before its step is judged. So
 * the guard copies the state tensors before every such forward (beforeForward: a few small tensors,
 * none in a dense chain): a copy of the state after step N holds the statistics step N left, not
 * those of batch N + 1's forward, and a batch whose step is not applied leaves them as they were
 * (forwardNotApplied).
 */
import { GradscopeError } from '../errors.js';
import { measuredBounds, OptimizerStateFault, RateFreeRefusal, STEP_BOUNDS, type Optimizer } from '../optim/optimizer.js';
import { SaidInTerms } from '../option-refusal.js';
import type { Trainable } from '../model.js';
import { lossWithinFloat32, RUNAWAY_PARAMETER } from '../model-limits.js';
import { EpochUndo } from './epoch-undo.js';
import { TensorCopies } from './tensor-copies.js';
import type { Tensor } from '../kernels.js';
import { firstParameterOutOfRange, gradientOutOfRange, LARGEST_GRADIENT, outOfRangeText, parameterOutOfRange, runawayLoss, stateOutOfRange } from './numeric-faults.js';
import { boundText } from '../number-text.js';

/**
 * judgeBatch's verdict on a batch: 'in range'; 'out of range', its loss beyond float32's range
 * (lossWithinFloat32: not finite, or finite where float32 holds Infinity) or its gradient not finite, the
 * gradient beyond what float32 squares (why: gradientFault), or a state tensor its training forward
 * moved beyond float32 (why: stateFault); 'runaway', finite numbers of a run that is running away
 * (why: StepGuard.runaway); or 'parameter out of range', a parameter out of range before the step
 * (why: parameterFault), which no step setting changes.
 */
export type BatchVerdict = 'in range' | 'out of range' | 'runaway' | 'parameter out of range';

/** A guard's bounds before it measures anything (STEP_BOUNDS' order): the limit, then nothing known. */
const FRESH_BOUNDS = Float64Array.of(RUNAWAY_PARAMETER, 0, 0, 0, NaN);

/**
 * Each network's bounds array, made and registered in measuredBounds by its first guard (its numbers
 * are measured, or carried from proofs of measured ones: an optimiser may leave out its own pass on
 * them), and set anew by each later one: a network trains in one call at a time, and a guard lives
 * for one call, so two guards of a network never share it. A new Float64Array and WeakSet entry per
 * train() call ran after the last call's kernels had pushed their code out of the caches.
 */
const guardBounds = new WeakMap<Trainable, Float64Array>();

function boundsFor(net: Trainable): Float64Array {
  let bounds = guardBounds.get(net);
  if (bounds === undefined) {
    bounds = new Float64Array(FRESH_BOUNDS.length);
    measuredBounds.add(bounds);
    guardBounds.set(net, bounds);
  }
  return bounds;
}

export class StepGuard {
  /**
   * What Optimizer.keepsWithin is asked (STEP_BOUNDS): the limit; a bound on every gradient entry
   * (the largest |entry| over all parameters, set by gradientFault); a bound on max |parameter| now (measured, or
   * the last proved step's `after`); the learning rate; and the `after` it answers. Held in an
   * array, never passed or returned: a double that crosses a call V8 does not inline is boxed on
   * the heap, and this runs every step. The network's own (boundsFor), set anew by each guard.
   */
  private readonly bounds: Float64Array;
  /** Whether bounds[weightMax] is max |parameter| itself (measured), not a bound carried from proofs. */
  private measured = false;
  /**
   * The last state judged good that was kept (see the file's comment): the copy a step that cannot
   * be proved safe is taken back from, or that train() asked for (allocated the first time one is needed).
   */
  private undo: EpochUndo | undefined;
  /**
   * The state tensors (batch norm's running statistics and counters) as they were before the
   * batch's training forward moved them (beforeForward): what the network had after the last step,
   * so what a copy of that state holds, and what a batch whose step is not applied leaves
   * (forwardNotApplied). Nothing to copy in a dense chain.
   */
  private readonly statesBeforeForward: TensorCopies;
  /** The network's state tensors (stateTensors(), asked once: a block network's answer is a new array). */
  private readonly states: readonly Tensor[];
  /** Whether undo holds a state (taken in this call), and the batch loss it was judged good by. */
  private copied = false;
  private copiedLoss = NaN;
  /**
   * The first batch loss of this call judged with its gradient in range: the scale a runaway loss is
   * measured against (runawayLoss); NaN until judgeBatch has seen one.
   */
  private firstLoss = NaN;
  /** Whether the last step() refused was the optimiser giving up on it (its DIVERGED's message, which carries its own advice). */
  optimizerGaveUp = false;
  /**
   * When the optimiser gave up because of its own state, which no learning rate changes
   * (OptimizerStateFault): what in its state, in words; else null.
   */
  optimizerStateFault: string | null = null;
  /** Whether the optimiser refused the last step for numbers the learning rate has no part in (RateFreeRefusal). */
  optimizerRateFree = false;
  /** When the optimiser gave up with a DIVERGED that names its options (K-FAC's damping): that DIVERGED, to say in the printer's terms; else null. */
  optimizerSaid: SaidInTerms | null = null;
  /**
   * The weight layer (Parameter.group) of the parameter the last step() refused would have taken out
   * of range, so that the advice can name that layer's rate where per-layer rates made the step; -1
   * after any other outcome.
   */
  refusedGroup = -1;
  /** Why judgeBatch's last 'runaway' verdict was given (a loss far above the first); null after any other. */
  runaway: string | null = null;

  constructor(
    private readonly net: Trainable,
    private readonly optimizer: Optimizer,
  ) {
    this.bounds = boundsFor(net);
    this.bounds.set(FRESH_BOUNDS);
    this.states = net.stateTensors();
    this.statesBeforeForward = new TensorCopies(net.kernels, this.states);
    this.measureParameters();
  }

  /** Before each batch's training forward, which moves the state tensors before its step is judged: copies them as they are. */
  beforeForward(): void {
    this.statesBeforeForward.save();
  }

  /**
   * The batch run forward since beforeForward is not applied (its loss, gradient or step faulted):
   * puts back the state tensors its forward moved, so the network is as the last step left it,
   * running statistics included, as when the batch is left out.
   */
  forwardNotApplied(): void {
    this.statesBeforeForward.restore();
    this.net.stateTensorsWritten();
  }

  /**
   * Why the gradient as it is now (after backprop, or after the noise added to it) must not be
   * applied, or null when every entry is finite and squares within float32 (|g| ≤ LARGEST_GRADIENT).
   * One maxAbs per parameter tensor, a read-only pass that never multiplies: the largest |entry| is
   * itself the bound on every entry the optimisers' proofs take (gradientMax). A sum of squares,
   * the check's earlier form, gave a looser bound (‖g‖₂) at a higher price: on the AMD EPYC Zen 4
   * its pass over the first layer's gradient, right after backprop, cost a [784,100,100,10] step
   * at batch 64 3–4.5 % where this pass costs 0.5–1.3 % (alternating steps, load 13, 2026-12-02).
   */
  gradientFault(): string | null {
    const k = this.net.kernels;
    const params = this.net.parameters();
    let largest = 0;
    for (let i = 0; i < params.length; i++) {
      const tensorLargest = k.maxAbs(params[i].grad, params[i].length);
      // The first tensor beyond (or NaN) is the one named, from this read; the step is refused, so the rest go unread.
      if (!(tensorLargest <= LARGEST_GRADIENT)) return gradientOutOfRange(this.net, params[i], tensorLargest);
      largest = Math.max(largest, tensorLargest);
    }
    this.bounds[STEP_BOUNDS.gradientMax] = largest;
    return null;
  }

  /**
   * Why the state tensors as the batch's training forward left them must not be kept, or null: one
   * maxAbs per state tensor, none in a dense chain (stateOutOfRange).
   */
  stateFault(): string | null {
    return stateOutOfRange(this.net, this.states);
  }

  /**
   * The verdict on the batch just run forward (in 'train' mode) and back at the state the network
   * is in, from its parameters, its mean `loss`, the gradient backprop left and the state tensors
   * its forward moved: 'parameter out of range' (parameterFault: first, as a parameter out of range
   * is the cause of whatever the batch gives, and one no step setting changes), else 'out of range'
   * (the loss beyond float32's range, gradientFault or stateFault), else 'runaway' (the loss
   * RUNAWAY_LOSS_FACTOR× the call's first: why in `runaway`), else 'in range'. The one judgement of
   * every batch, a step's and backToLastGood's. The call's first loss is set between the last two
   * checks: by the first batch whose loss and gradient are in range, so a batch whose gradient
   * overflows (its loss may be near FLOAT32_MAX) never becomes the scale, and the first batch is
   * measured against itself.
   */
  judgeBatch(loss: number): BatchVerdict {
    this.runaway = null;
    if (this.parameterFault() !== null) return 'parameter out of range';
    if (!lossWithinFloat32(loss) || this.gradientFault() !== null || this.stateFault() !== null) return 'out of range';
    if (Number.isNaN(this.firstLoss)) this.firstLoss = loss;
    this.runaway = runawayLoss(loss, this.firstLoss);
    return this.runaway === null ? 'in range' : 'runaway';
  }

  /**
   * What judgeBatch judges a batch by, as messages say it: its loss and gradient, and the running
   * statistics its forward moves when the network has state tensors.
   */
  get judgedBy(): string {
    return this.states.length === 0 ? 'loss and gradient' : 'loss, gradient and running statistics';
  }

  /** The largest |gradient entry| over every parameter, as the last gradientFault measured it. */
  get largestGradient(): number {
    return this.bounds[STEP_BOUNDS.gradientMax];
  }

  /**
   * A parameter out of range now (as train() was given the network before a step, or as onBatch or
   * onEpoch left it, asked right after them: a step is never kept out of range), or null. Reads no
   * parameter unless the bound on them (measured, or carried from the last proof) is beyond the limit.
   */
  parameterFault(): string | null {
    return this.bounds[STEP_BOUNDS.weightMax] <= RUNAWAY_PARAMETER ? null : parameterOutOfRange(this.net, 'a parameter is already');
  }

  /** Something besides the steps changed the parameters (onBatch, an undo): measures them again. */
  parametersChanged(): void {
    this.measureParameters();
  }

  /**
   * Runs optimizer.step and measures the parameters (unless the optimiser proved the step within
   * range with a bound, which then stands in for the measurement). Returns null, or why the step went out of
   * range or why the optimiser gave up on it (its DIVERGED's message); the step is then taken back (parameters, optimiser state and step count as before it,
   * batch-norm statistics as before the batch's forward). After beforeForward, the batch's forward
   * and backprop, gradientFault and parameterFault found nothing, and after any clipping (which only
   * shrinks the gradient the bound was measured on): the state the last step made was judged good
   * by the batch's `loss`, so the copy taken before a step that is not proved (or, with `keepCopy`,
   * before any step) is kept as the last state judged good: that state exactly, its state tensors
   * as beforeForward copied them.
   */
  step(learningRate: number, batch: number, loss = NaN, keepCopy = false): string | null {
    const { net, optimizer, bounds } = this;
    this.optimizerGaveUp = false;
    this.optimizerStateFault = null;
    this.optimizerRateFree = false;
    this.optimizerSaid = null;
    this.refusedGroup = -1;
    bounds[STEP_BOUNDS.learningRate] = learningRate;
    let proved = this.proves();
    // A proof that failed on a carried bound may hold on the parameters as they are.
    if (!proved && !this.measured) {
      this.measureParameters();
      proved = this.proves();
    }
    const copied = !proved || keepCopy;
    if (copied) {
      // The state after the last step: its state tensors as they were before this batch's forward moved them.
      (this.undo ??= new EpochUndo(net)).save(optimizer, this.statesBeforeForward);
      this.copied = true;
      this.copiedLoss = loss;
    }
    const before = bounds[STEP_BOUNDS.weightMax];
    try {
      optimizer.step(net, learningRate, batch);
    } catch (error) {
      // An optimiser that gives up midway (K-FAC's damped factors not positive definite) has moved its
      // state, maybe the parameters: the copy taken before an unproved step puts them back. A proved
      // step takes no copy; the first-order optimisers that prove theirs refuse before changing anything.
      if (copied) {
        this.undo!.restore(optimizer);
        bounds[STEP_BOUNDS.weightMax] = before;
      }
      // Its DIVERGED is a step not applied, for the policies to handle; any other error is no numeric fault.
      this.optimizerGaveUp = error instanceof GradscopeError && error.code === 'DIVERGED' && copied;
      if (this.optimizerGaveUp) {
        if (error instanceof OptimizerStateFault) this.optimizerStateFault = error.state;
        this.optimizerRateFree = error instanceof RateFreeRefusal;
        if (error instanceof SaidInTerms) this.optimizerSaid = error;
        return (error as GradscopeError).message;
      }
      throw error;
    }
    if (proved && bounds[STEP_BOUNDS.after] <= RUNAWAY_PARAMETER) {
      // Proved with a bound: the parameters need not be read.
      bounds[STEP_BOUNDS.weightMax] = bounds[STEP_BOUNDS.after];
      this.measured = false;
      return null;
    }
    this.measureParameters();
    if (bounds[STEP_BOUNDS.weightMax] <= RUNAWAY_PARAMETER) return null;
    const found = firstParameterOutOfRange(net);
    const fault = found ? outOfRangeText(found, 'the step would take a parameter to') : 'the step would take a parameter out of range';
    this.refusedGroup = found ? found.group : -1;
    if (proved) {
      // Only an optimiser whose keepsWithin is wrong (one passed in by the caller) gets here.
      throw new GradscopeError('DIVERGED', `${fault}; '${optimizer.name}' said its step stays within ${boundText(RUNAWAY_PARAMETER)} (keepsWithin), so no copy was kept and the step is applied`);
    }
    this.undo!.restore(optimizer);
    bounds[STEP_BOUNDS.weightMax] = before;
    return fault;
  }

  /**
   * After a batch whose loss or gradient faulted at the state the steps of this call made: whether
   * those steps, not the batch, are to blame, and if so the network back at the last state judged
   * good that was kept. Puts that copy back (parameters, state tensors, optimiser state, step count), runs
   * `rerun` (the same batch's training forward and backprop again at that state, returning its loss)
   * and judges it as every batch is judged (judgeBatch), the state tensors it moved included, which
   * are then put back: if it faults there too, the batch is the cause and the state of the fault is put back. Returns the step and batch loss of the state it went
   * back to, or null (no copy older than this state, or the batch at fault): nothing changed then.
   * Rare path: allocates a copy of the state of the fault.
   */
  backToLastGood(rerun: () => number): { step: number; loss: number } | null {
    const { undo, net, optimizer } = this;
    if (undo === undefined || !this.copied || undo.step >= net.step) return null;
    const atFault = new EpochUndo(net);
    try {
      atFault.save(optimizer);
      undo.restore(optimizer);
      this.measureParameters();
      this.beforeForward();
      const verdict = this.judgeBatch(rerun());
      this.forwardNotApplied();
      if (verdict === 'in range') return { step: undo.step, loss: this.copiedLoss };
      atFault.restore(optimizer);
      this.measureParameters();
      return null;
    } finally {
      atFault.dispose();
    }
  }

  /** Whether the optimiser proves the next step within range; bounds[after] is its bound then, else NaN. */
  private proves(): boolean {
    this.bounds[STEP_BOUNDS.after] = NaN;
    return this.optimizer.keepsWithin?.(this.bounds) === true;
  }

  /** The weightMax bound = max |parameter| over every parameter tensor, one maxAbs each; NaN if any is NaN. */
  private measureParameters(): void {
    const k = this.net.kernels;
    const params = this.net.parameters();
    let largest = 0;
    for (let i = 0; i < params.length; i++) {
      const m = k.maxAbs(params[i].value, params[i].length);
      largest = Math.max(largest, m); // NaN if either is
    }
    this.bounds[STEP_BOUNDS.weightMax] = largest;
    this.measured = true;
  }

  /** Frees the copies. */
  dispose(): void {
    this.undo?.dispose();
    this.statesBeforeForward.dispose();
  }
}
