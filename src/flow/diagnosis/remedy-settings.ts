/**
 * How the remedies are built: a setting of an option, added once with its reason, and the settings
 * several remedies share (a smaller rate from the one in force, clipping at 1). Part of diagnose()
 * (diagnose.ts).
 */
import type { Activation } from '../../kernels.js';
import { epochLearningRate, type RunAtEnd, type Trace, type TraceRun } from '../trace.js';
import { LEFT_OUT, type RemedyLayersChange, type RemedyOption, type RemedySetting, SMALLER_LEARNING_RATE } from '../remedy.js';
import { givenFloat32Text, numberText } from '../../number-text.js';
import { counted } from '../../counted.js';
import { ADAM_DEFAULTS, KFAC_RESCALED_LEARNING_RATE, LARS_DEFAULTS, OWN_STEP_LENGTH, TAKE_LAYER_RATES, TAKE_NO_LEARNING_RATE, wantedBatchSize } from '../../optimizer-defaults.js';

export const initName = (init: TraceRun['init']) => (init === undefined ? undefined : typeof init === 'string' ? init : init.name);

/** How remediesFor and its helpers add a remedy: its settings, why, and a second choice in place of them. */
export type AddRemedy = (settings: RemedySetting[], why: string, alternative?: RemedySetting[]) => void;

/** An option set to one of its named choices ('relu', 'adam'): a flag takes the bare name. */
export const choice = (option: RemedyOption, name: string): RemedySetting => ({ option, value: `'${name}'`, flagValue: name, setting: name });

/** An option set to a number: its text, its flag's argument and the number (`learningRate: 0.1`). */
export function numberSetting(option: RemedyOption, value: number): RemedySetting {
  return { option, value: `${value}`, flagValue: `${value}`, setting: value };
}

/** A change to each hidden layer's specs: in words (`value`) and as data (`change`, RemedyLayersChange); no flag takes one. */
export const layers = (value: string, change: RemedyLayersChange): RemedySetting => ({ option: 'layers', value, setting: change });

/** A block network's hidden units switched to `activation`: a change to its layer specs, where a dense network's is createNetwork's `activation`. */
export const hiddenActivation = (activation: Activation): RemedySetting => layers(`activation: '${activation}' in each hidden dense or activation layer`, { activation });

/**
 * The learning rate each optimiser a remedy switches to runs at when given none, from the constants
 * the optimisers themselves read (optimizer-defaults.ts). Hessian-free takes no rate (its damping
 * sets its steps): it has none here (TAKE_NO_LEARNING_RATE).
 */
export const SWITCH_RATES: Readonly<Record<string, number>> = { adam: ADAM_DEFAULTS.learningRate, lars: LARS_DEFAULTS.learningRate, kfac: KFAC_RESCALED_LEARNING_RATE };

/**
 * The learning-rate setting of a switch to an optimiser that takes none (TAKE_NO_LEARNING_RATE): the
 * option left out (LEFT_OUT), `learningRate: undefined`, which train() reads as no rate given; a
 * command line drops --learning-rate.
 */
export const NO_LEARNING_RATE: RemedySetting = { option: 'learningRate', value: LEFT_OUT, setting: undefined };

/**
 * How long the traced run was, as a switch that changes its steps per epoch reads it (carriedEpochs): the steps its epochs took,
 * from the first's start to the last's end, how many epochs those were (by their numbers), and the most batches one of them held
 * (applied and skipped). Undefined without epochs, or where an epoch does not record its batches (a trace saved before it did).
 */
export interface RunLength {
  steps: number;
  epochs: number;
  mostBatches: number;
}

/** The run's length (RunLength) read from `trace`'s epochs, kept evenly or thinned (the step and epoch numbers count the whole run). */
export function runLengthOf(trace: Pick<Trace, 'epochs'>): RunLength | undefined {
  const epochs = trace.epochs;
  if (epochs.length === 0 || epochs.some((e) => e.batches === undefined)) return undefined;
  const [first, last] = [epochs[0], epochs[epochs.length - 1]];
  return { steps: last.step - first.step + first.batches!, epochs: last.epoch - first.epoch + 1, mostBatches: Math.max(...epochs.map((e) => e.batches! + (e.skipped ?? 0))) };
}

/** A run at its end (RunAtEnd) as a switch of optimiser reads it: with its length where the trace records it (runLengthOf). */
export interface SwitchRun extends RunAtEnd {
  length?: RunLength;
}

/**
 * A switch to optimiser `name` as a remedy's settings: the optimiser, and the rate it runs at by
 * default (SWITCH_RATES) unless the run already started at that rate and kept it; to one that takes
 * no rate, NO_LEARNING_RATE unless the run records none. A rate goes with the switch because
 * train()'s options, and the visualizer's settings, keep the run's own beside a new optimiser: an Adam
 * run's 0.001 would be LARS's, an SGD run's 3 Adam's, and an SGD run's 0.1 would be refused beside
 * Hessian-free (the command line drops the old rate with the old optimiser and takes this one).
 * A switch carries the batch its optimiser wants too (carriedBatch: Hessian-free's), and with it the epochs that keep the run's
 * steps (carriedEpochs).
 */
export function optimizerSwitch(run: SwitchRun, name: string): RemedySetting[] {
  const batch = carriedBatch(run, name);
  if (TAKE_NO_LEARNING_RATE.includes(name)) return [choice('optimizer', name), ...batch, ...(run.learningRate === undefined ? [] : [NO_LEARNING_RATE])];
  const rate = SWITCH_RATES[name];
  const kept = run.learningRate === rate && run.startingLearningRate === undefined;
  return rate === undefined || kept ? [choice('optimizer', name), ...batch] : [choice('optimizer', name), ...batch, numberSetting('learningRate', rate)];
}

/**
 * The batch a switch to optimiser `name` carries: batchSize wantedBatchSize(name), Hessian-free's HESSIAN_FREE_BATCH (every row where
 * the run has fewer: train() caps a batch at the rows), none where it wants none, where the run's batches held that many rows already
 * or where every step of the run saw all its rows (RunAtEnd.wholeBatches). Martens takes the gradient over the whole training set; a
 * step fitted to a small batch is judged on that batch alone.
 */
function carriedBatch(run: SwitchRun, name: string): RemedySetting[] {
  const wanted = wantedBatchSize(name);
  if (wanted === undefined || run.wholeBatches || (run.batchSize !== undefined && run.batchSize >= wanted)) return [];
  return [numberSetting('batchSize', wanted), ...carriedEpochs(run, wanted)];
}

/**
 * Beside a carried batch of `wanted` rows that holds every row of the run (the rows it was given, TraceRun.rows, at most `wanted`;
 * for a trace without them, its most batches in an epoch × its batch size, which a short last batch overstates), so each epoch
 * becomes one step, `epochs` set to the steps the run took, where those were more than its epochs: as
 * many steps as the run's. Kept at the run's epochs, a switch to Hessian-free on 5 × (dense 16 → layer norm → sigmoid) over 256
 * rows (8 epochs of 8 batches of 32) took 8 steps and stayed at 23–27 % of its rows right; over 64 epochs, 64 steps, it reached
 * 95–99 % (seeds 1–3, docs/gradient-flow.md; test/flow/layer-norm-sigmoid). None where an epoch would still be several steps
 * (more rows than `wanted`): there the steps a run of that length takes grow with the rows, each dearer than a first-order one.
 */
function carriedEpochs(run: SwitchRun, wanted: number): RemedySetting[] {
  const length = run.length;
  if (length === undefined || run.batchSize === undefined || (run.rows ?? length.mostBatches * run.batchSize) > wanted || length.steps <= length.epochs) return [];
  return [numberSetting('epochs', length.steps)];
}

/**
 * Where `settings` (a switch's) carry epochs (carriedEpochs), why, in the run's numbers: as many steps as the run took, each epoch
 * now one step. '' elsewhere.
 */
export function carriedEpochsWhy(settings: readonly RemedySetting[] | undefined, run: SwitchRun): string {
  const epochs = settings?.find((s) => s.option === 'epochs')?.setting;
  if (typeof epochs !== 'number' || run.length === undefined) return '';
  const { epochs: ran, steps } = run.length;
  return ` The switch sets epochs: ${epochs}, the run's ${counted(steps, 'step')} (at its ${counted(ran, 'epoch')} it would take ${counted(ran, 'step')}).`;
}

export const CLIP_AT_1: RemedySetting = numberSetting('clipNorm', 1);

/**
 * The largest ‖ΔW‖/‖W‖ of the run's first traced step (FirstStep) that a smaller rate is sized to where a third of the rate would
 * still move a layer by more than its own size: a tenth. A step that moves a layer's weights by more than their size replaces them
 * rather than adjusts them; runs that trained moved theirs by less at the first step (diag44, 2026-12-06: Nielsen's full-batch
 * [784,30,…,10] at 0.1, 0.144 in the output layer; newuser43's [20, 6 × 64, 3] sigmoid model at 0.1, 0.0059).
 * test/flow/runaway-rate-words runs a [4, 4 × 16, 3] sigmoid network asked for at 1e6 with onNonFinite 'halve': one run at the rate
 * sized to a tenth ends below its starting loss, where a run at a third of the rate in force still runs away (newuser43 #4: a third
 * each time, run after run).
 */
export const SIZED_FIRST_STEP = 0.1;

/** The first traced step of a run (FirstStep): the rate it was taken at and its largest ‖ΔW‖/‖W‖, which layer's. */
export interface FirstStep {
  /**
   * The learning rate in force in the first traced record's epoch (epochLearningRate): the step's, after a halving too, since
   * onNonFinite 'halve' runs the epoch again from its start and the trace keeps only the steps of that last run (TraceRecorder.rewound).
   */
  rate: number;
  /** The largest ‖ΔW‖/‖W‖ of that step over the layers (finite and > 0). */
  ratio: number;
  /** The layer that moved so, as sentences name it ('the output layer', 'hidden layer 1'). */
  layer: string;
}

/** A run at its end (RunAtEnd) with its first traced step where the trace holds one (firstStepOf): the step the saturation remedy's reason reads and a smaller rate is sized from (smallerRate). */
export interface RateRun extends SwitchRun {
  firstStep?: FirstStep;
}

/**
 * The first traced record's step: each layer's ‖ΔW‖/‖W‖ at the weights the trace began at (the run's start, for a trace begun with
 * it), taken at the rate in force in that record's epoch: where onNonFinite 'halve' halved in it, the epoch was run again from its
 * start at the halved rate, and the records of the steps taken back were dropped (test/flow/runaway-rate-words). Undefined without
 * a record, a rate, or a finite step > 0.
 */
export function firstStepOf(trace: Trace): FirstStep | undefined {
  if (trace.length === 0) return undefined;
  const rate = epochLearningRate(trace, trace.epochs.find((e) => e.step >= trace.steps[0]));
  if (rate === undefined) return undefined;
  let largest: FirstStep | undefined;
  for (let l = 0; l < trace.layers; l++) {
    const ratio = trace.at('updateRatio', 0, l);
    const layer = trace.blocks ? trace.layerLabel(l) : l === trace.layers - 1 ? 'the output layer' : `hidden layer ${l + 1}`;
    if (ratio > 0 && Number.isFinite(ratio) && ratio > (largest?.ratio ?? 0)) largest = { rate, ratio, layer };
  }
  return largest;
}

/** Adds the smaller-rate remedy with `why`, except to a run whose optimiser chooses its own step lengths (OWN_STEP_LENGTH); where the rate offered is sized from the first step, `why` says so. */
export function addSmallerRate(run: RateRun, why: string, add: AddRemedy): void {
  if (OWN_STEP_LENGTH.includes(run.optimizer ?? '')) return;
  const { setting, sized } = smallerRate(run);
  add([setting], `${why}${inForceWords(run)}${sized}`);
}

/**
 * The run's learning rate `rate` as a sentence quotes it: under a schedule (TraceRun.schedule) only its first steps took it, the
 * later ones less, so it is said to be the schedule's start. One wording for every sentence that quotes the run's rate.
 */
export const runRateText = (run: Pick<TraceRun, 'schedule'>, rate: number): string =>
  `${givenFloat32Text(rate)}${run.schedule ? ` (the start of its ${run.schedule.name} schedule)` : ''}`;

/**
 * What a remedy that sets learningRate (`settings`) does with the run's schedule (TraceRun.schedule), said after its reason: one
 * that offers a rate keeps it, the rate offered its new start (the command line keeps --schedule); one that leaves the rate out (a
 * switch to an optimiser that chooses its own steps) leaves the schedule out too, which train() refuses beside it. '' otherwise.
 */
export function scheduleWithRateWords(run: Pick<TraceRun, 'schedule'>, settings: readonly RemedySetting[]): string {
  const rate = settings.find((s) => s.option === 'learningRate');
  if (run.schedule === undefined || rate === undefined) return '';
  const name = run.schedule.name;
  return rate.value === LEFT_OUT ? ` The run's ${name} schedule goes with its rate: an optimiser that chooses its own steps takes neither.` : ` The run's ${name} schedule is kept, the rate offered its new start.`;
}

/** Where onNonFinite 'halve' lowered the rate, a sentence saying that the remedy's rate derives from the one in force at the end, not the starting one. */
export const inForceWords = (run: RunAtEnd) =>
  run.startingLearningRate === undefined ? '' : ` The rate is set from the one in force at the end, ${givenFloat32Text(run.learningRate!)} (halved from ${givenFloat32Text(run.startingLearningRate)}).`;

/**
 * A learning rate below the run's in force at its end (`value`: 'below 0.1'), and for a flag and the page's button (flagValue) a
 * third of it (SMALLER_LEARNING_RATE), or, where a third would still have moved a layer by more than its own size at the run's
 * first traced step, the rate at which that step would have moved no layer by more than SIZED_FIRST_STEP of its weights. Sized
 * only for the first-order optimisers (TAKE_LAYER_RATES): from the same weights and batch their first step is the rate times a
 * direction the rate does not change (momentum and Adam's moments start from that one gradient), so its ‖ΔW‖/‖W‖ scales with the
 * rate; K-FAC's norm constraint caps its step, which then does not. `sized` says so where it set the value. Words only where the
 * trace does not record the run's rate.
 */
function smallerRate(run: RateRun): { setting: RemedySetting; sized: string } {
  if (run.learningRate === undefined) return { setting: { option: 'learningRate', value: 'a smaller value', direction: 'smaller' }, sized: '' };
  const third = +(run.learningRate * SMALLER_LEARNING_RATE).toPrecision(3);
  const setting = (flag: number): RemedySetting => ({ option: 'learningRate', value: `below ${givenFloat32Text(run.learningRate!)}`, flagValue: `${flag}`, direction: 'smaller' });
  const step = run.firstStep;
  if (step === undefined || !TAKE_LAYER_RATES.includes(run.optimizer ?? '')) return { setting: setting(third), sized: '' };
  // The first step's largest ‖ΔW‖/‖W‖ had it been taken at a third of the rate in force: past 1 a third still replaces the weights.
  const atThird = (step.ratio * third) / step.rate;
  if (!(atThird > 1)) return { setting: setting(third), sized: '' };
  const sized = +((step.rate * SIZED_FIRST_STEP) / step.ratio).toPrecision(3);
  const why =
    ` The first traced step, at learning rate ${runRateText(run, step.rate)}, moved ${step.layer}'s weights by ${numberText(step.ratio)}× their size (‖ΔW‖/‖W‖), ` +
    `and a first step scales with the rate: at a third of the rate (${third}) it would still move them ${numberText(atThird)}×, at ${sized} by ${SIZED_FIRST_STEP}×, the rate offered.`;
  return { setting: setting(sized), sized: why };
}
