/**
 * The optimisers that undo a vanishing gradient after the fact, and the per-layer rates measured
 * from the end of an SGD run's trace. Part of diagnose() (diagnose.ts).
 */
import type { RunAtEnd, Trace, TraceRun } from '../trace.js';
import { equalisingRates, RATES_ORDER } from '../../equalising-rates.js';
import { median } from '../../median.js';
import type { RemedyOptimizerSpec, RemedySetting } from '../remedy.js';
import { ADAM_DEFAULTS, GRADIENT_SCALED_STEPS, HESSIAN_FREE_BATCH, LARS_DEFAULTS, RAW_GRADIENT_STEPS, SGD_LEARNING_RATE, largestWithin, sgdDecayBound } from '../../optimizer-defaults.js';
import { LAYER_RATE_RECORDS, LAYER_RATE_WORTH, LAYER_STEP_SIZE_BOUND, VANISHING_RATIO } from './diagnosis-thresholds.js';
import { percent, timesOf } from './diagnosis-words.js';
import { counted, grouped } from '../../counted.js';
import { chainEnds } from './gap-measures.js';
import { deepOptimizerWords } from './deep-optimizer-evidence.js';
import { studyAWords } from './study-a-evidence.js';
import type { Evidence } from './diagnosis-types.js';
import { type AddRemedy, carriedEpochsWhy, optimizerSwitch, runRateText } from './remedy-settings.js';
import { boundText, givenFloat32Text, numberText, printedRate } from '../../number-text.js';

/**
 * The per-layer rates at the end of a dense network's trace: per weight layer, the median over the last LAYER_RATE_RECORDS full
 * batches' records (Trace.fullBatchRecords: an epoch's short last batch, a gradient of its few rows alone, left out), records
 * `from`..`to` of which `count` are read, of each record's equalisingRates of ‖∂C/∂W‖.
 */
function recentRates(trace: Trace): { from: number; to: number; count: number; rates: number[] } {
  const read = trace.fullBatchRecords().slice(-LAYER_RATE_RECORDS);
  const perRecord = read.map((r) => equalisingRates(trace.row('weightGradNorm', r)));
  const rates = Array.from({ length: trace.layers }, (_, l) => median(perRecord.map((record) => record[l])));
  return { from: read[0] ?? 0, to: read.at(-1) ?? -1, count: read.length, rates };
}

/** The optimiser setting that keeps the run's optimiser as it was set (its momentum, Nesterov and weight decay) and adds `rates` (no flag takes it: an object), in its text and as data (its setting, whose layerRates are the numbers the text prints). */
function withLayerRates(run: TraceRun, rates: readonly number[]): { setting: RemedySetting; decayNote: string } {
  // The rates as printed, so that the text and the numbers a program applies are the same run.
  const printed = rates.map(printedRate);
  const weightDecay = keptWeightDecay(run, Math.max(...printed));
  // One spec, in the order the text prints it: its text is made from the data (a number prints as train() reads it back).
  const spec: RemedyOptimizerSpec = {
    name: run.optimizer ?? 'sgd',
    ...(run.momentum !== undefined && { momentum: run.momentum }),
    ...(run.nesterov && { nesterov: true }),
    ...(weightDecay !== undefined && { weightDecay: weightDecay.value }),
    ...(run.decayBiases === false && { decayBiases: false }),
    layerRates: printed,
  };
  const text = Object.entries(spec).map(([key, v]) => `${key}: ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? `'${v}'` : v}`);
  return {
    setting: { option: 'optimizer', value: `{ ${text.join(', ')} }`, setting: spec },
    decayNote: weightDecay?.note ?? '',
  };
}

/**
 * The run's weight decay for its settings with per-layer rates up to `maxRate`: as it was, or lowered to
 * the largest (to 3 significant figures) whose step size × λ at the largest rate stays within SGD's
 * bound (sgdDecayBound), which train() would otherwise refuse: the decay alone would grow those layers' weights.
 */
function keptWeightDecay(run: TraceRun, maxRate: number): { value: number; note: string } | undefined {
  const lambda = run.weightDecay;
  if (lambda === undefined) return undefined;
  const bound = sgdDecayBound(run.momentum ?? 0, run.nesterov === true);
  const rate = run.learningRate ?? 0;
  const step = rate * maxRate;
  if (step * lambda <= bound.max) return { value: lambda, note: '' };
  const lowered = largestWithin(bound.max, step);
  return {
    value: lowered,
    note:
      ` Its weightDecay is lowered from ${givenFloat32Text(lambda)} to ${lowered}: at learning rate ${runRateText(run, rate)} × the largest rate ${maxRate}, ` +
      `step size × weightDecay must stay within ${boundText(bound.max)} (${bound.why}).`,
  };
}

/** The per-layer rates measured at the end of a trace (recentRates): records `from`..`to`. */
type MeasuredRates = ReturnType<typeof recentRates>;

/**
 * The per-layer rates to offer a vanishing run, why none are where they would pass the bound, or
 * undefined where none are measured. Only to a dense network's run of an optimiser of
 * RAW_GRADIENT_STEPS (SGD), or one whose optimiser the trace does not name, without rates of its own.
 * Rates go by weight layer, which a block network's trace rows are not, and undo the gaps in the raw
 * gradient, which only plain gradient steps follow: Adam, AdamW, RMSProp and Adagrad divide each
 * weight's step by its own gradient's scale and LARS each layer's by its trust ratio, so the rates
 * would overshoot the layers with the small gradients; K-FAC, Hessian-free, L-BFGS and
 * Levenberg–Marquardt scale each direction by the curvature and take no layerRates at all. Not where no
 * hidden layer's rate reaches LAYER_RATE_WORTH, and not where the largest would make a layer's step
 * size (the rate in force at the end × it; SGD's default where the trace records none, as train()
 * would run the setting; ÷ (1 − momentum), the steady step, where the run has momentum, which the
 * offered spec keeps) pass LAYER_STEP_SIZE_BOUND: `pastBound` then says so, for LARS's reason.
 */
function offeredRates(trace: Trace, run: RunAtEnd): MeasuredRates | { pastBound: string } | undefined {
  if (run.layerRates || trace.blocks || !RAW_GRADIENT_STEPS.includes(run.optimizer ?? 'sgd')) return undefined;
  // The rates at the end of the trace: a train() call given them on this network starts from there,
  // and fixed rates fit only the gradients of the moment they are measured at (the first record's
  // would fit a fresh start, whose gradients the network no longer has).
  const measured = recentRates(trace);
  if (!measured.rates.slice(0, -1).some((rate) => rate >= LAYER_RATE_WORTH)) return undefined;
  const learningRate = run.learningRate ?? SGD_LEARNING_RATE;
  const largest = Math.max(...measured.rates);
  // The offered spec keeps the run's momentum, whose steady step (Nesterov's too) is 1/(1 − μ) of the gradient step.
  const momentum = run.momentum ?? 0;
  const step = (learningRate * largest) / (1 - momentum);
  if (step <= LAYER_STEP_SIZE_BOUND) return measured;
  const rateSaid =
    (run.learningRate === undefined ? `SGD's default learning rate ${givenFloat32Text(learningRate)} (the trace records none)` : `learning rate ${runRateText(run, learningRate)}`) +
    (momentum > 0 ? ` with momentum ${givenFloat32Text(momentum)}` : '');
  // One number against the one bound: the step size it bounds (the rate it comes from is that ÷ the learning rate).
  const stepSaid = momentum > 0 ? `the learning rate × its rate ÷ (1 − ${givenFloat32Text(momentum)}), momentum's steady step` : 'the learning rate × its rate';
  // Only sigmoid networks were measured (LAYER_STEP_SIZE_BOUND): another activation's run is told what was, not that it happened to its kind.
  const sigmoid = trace.activations.slice(0, -1).every((name) => name === 'sigmoid');
  const measuredOn = 'networks of 5 and 10 hidden layers on the digits as the gradients they were set against grew back';
  return {
    pastBound:
      ` No per-layer rates are offered: equalising the layers' steps would give hidden layer ${measured.rates.indexOf(largest) + 1} ` +
      `a step size of ${numberText(step)} (${stepSaid}) at ${rateSaid}, past ${LAYER_STEP_SIZE_BOUND}, ` +
      (sigmoid
        ? `beyond which fixed rates saturated the sigmoid layers of ${measuredOn}, and rates held within it left those networks at chance.`
        : `beyond which fixed rates were measured to saturate sigmoid ${measuredOn} (only sigmoid networks were measured).`),
  };
}

/** The per-layer-rates remedy of a vanishing run from its measured rates (offeredRates). */
function layerRatesRemedy(trace: Trace, { from, to, count, rates }: MeasuredRates, e: Evidence, add: AddRemedy): void {
  const run = trace.run;
  e.layerRates = rates;
  const window = from === to ? `at the last record (step ${grouped(trace.steps[to])})` : `over the last ${count < to - from + 1 ? counted(count, "full batch's record", "full batches' records") : counted(count, 'record')} (the median over steps ${grouped(trace.steps[from])}–${grouped(trace.steps[to])}, so no one batch sets it)`;
  const remedy = withLayerRates(run, rates);
  add(
    [remedy.setting],
    `a larger step for the layers with the smaller weight gradients ‖∂C/∂W‖: layerRates holds ${RATES_ORDER}. Each hidden layer's rate is the last hidden layer's ‖∂C/∂W‖ over its own ${window} ` +
      "(the last hidden layer's is 1), so every hidden layer's weight step starts as large as the last hidden layer's, where training this network on would start; " +
      // A run offered rates is read by ‖∂C/∂b‖ (speedMeasureOf): rates of 85.3 beside 'the first hidden layer learns 560× slower' read as a misprint (newuser49 #9).
      "it is ‖∂C/∂W‖ that sets them, not ‖∂C/∂b‖, the batch gradient the learning speed is read by: one example's ‖∂C/∂W‖ is its ‖δ‖ times the norm of the layer's input, " +
      "so where the layers' inputs differ in size (the first hidden layer's are the rows' values) the rates differ from the ‖∂C/∂b‖ ratios; " +
      `the output layer's is 1, its step left as it is${run.optimizer ? ` (the run's ${run.optimizer} settings kept)` : ''}. Fixed rates fit only the gradients of that moment: ` +
      'once those shift they can overshoot (in `gradscope study remedies` they did not leave the plateau), so prefer lars, which re-measures the ratio every step.' +
      remedy.decayNote +
      studyAWords(trace, 'layerRates'),
  );
}

/**
 * What LARS does for a vanishing gradient, as src/optim/lars.ts does it (the paper's Algorithm 1): the trust ratio scales the
 * gradient (and decay) to a length of η‖W‖ (at most, with weight decay), so a step before momentum moves a layer by the
 * learning rate × η of its weights' norm (test/optim/optimizers.test.ts, "LARS moves each layer by lr·η·‖θ_l‖").
 */
export const LARS_WHY =
  `scales each layer's gradient by its trust ratio η‖W‖/(‖∇W‖ + λ‖W‖), so that a step moves every layer by the learning rate × η ` +
  `(η = ${LARS_DEFAULTS.eta}) of its weights' norm before momentum (at most that with weight decay λ)`;

/**
 * LARS against a vanishing gradient. LARS (You, Gitman & Ginsburg 2017) is SGD with momentum whose
 * step each layer scales by its trust ratio; the same ratio on Adam's step is LAMB (You et al. 2020),
 * which gradscope does not have. A run of plain gradient steps is offered it as it is. A run whose
 * optimiser already scales each weight's step by its gradients (GRADIENT_SCALED_STEPS) is offered it
 * only where its measured steps still follow the gap: the first hidden layer's ‖ΔW‖/‖W‖ at most
 * VANISHING_RATIO of the last's (Adam at 0.001 on [784, 10 × 30, 10] sigmoid, 2 epochs: 1/28.9, its
 * δ gap 2.8e-8 over the records). Where they are larger than the last's instead (Adam at 0.001 on [784, 30, 30, 30,
 * 10] sigmoid, 5 epochs: 5.13×) one trust ratio per layer would shrink the first layer's steps to the
 * last's: no remedy for a gradient that vanishes (test/flow/adam-lars.test.ts). `noLayerRates`: why a run
 * of plain gradient steps is offered no per-layer rates beside it ('' where they are offered or not measured).
 */
function larsRemedy(trace: Trace, e: Evidence, optimizerRemedy: (name: string, why: string) => void, noLayerRates: string): void {
  const optimizer = trace.run.optimizer ?? '';
  const deep = deepOptimizerWords(e.hiddenLayers, ['lars']);
  if (!GRADIENT_SCALED_STEPS.includes(optimizer)) {
    optimizerRemedy('lars', `${LARS_WHY}.${noLayerRates}${deep}`);
    return;
  }
  if (!(e.updateFirstToLast <= VANISHING_RATIO)) return;
  const ends = chainEnds(trace, e);
  optimizerRemedy(
    'lars',
    `${optimizer}'s steps still follow the gap: the ${ends.first}'s ‖ΔW‖/‖W‖ is ${timesOf(e.updateFirstToLast)} the ${ends.last}'s (median). LARS ${LARS_WHY}, whatever the gradient's size (You et al. 2017); ` +
      `its steps are SGD with momentum's in place of ${optimizer}'s per-weight ones (the same trust ratio on Adam's step is LAMB, You et al. 2020, which gradscope does not have).${deep}`,
  );
}

/**
 * What the second-order remedy's two choices did on the visualizer's default run (6 × 16 sigmoid units, standard weights, the
 * spirals' `trainingRows` training rows), each from the start as its button reruns it, on the page's default `seed`: K-FAC at the
 * page's batch of `batchSize` had more than `kfacAbove` of its training rows right after `kfacSteps` steps; Hessian-free with its
 * batch (HESSIAN_FREE_BATCH: all `trainingRows` rows) more than `hessianFreeAbove` after `hessianFreeSteps`, and at the page's batch
 * it was at chance after `kfacSteps` (test/flow/second-order-page runs all three, and holds `seed`, `batchSize` and `trainingRows` to
 * the page's defaults and its split of the spirals). Over seeds 1–3 and 1,800 steps, scripts/second-order-page.ts;
 * docs/second-order.md ("The page's second-order buttons") gives the ranges, which that test reads back.
 */
export const SECOND_ORDER_ON_THE_PAGE = { seed: 1, batchSize: 32, trainingRows: 280, kfacSteps: 900, kfacAbove: 0.9, hessianFreeSteps: 180, hessianFreeAbove: 0.9 } as const;

/**
 * Why a switch to Hessian-free carries its batch (optimizerSwitch): said where it does. A step fits the rows it is given and is
 * judged on them alone (its backtracking and line search run on them too).
 */
const HESSIAN_FREE_BATCH_WHY =
  ` Hessian-free takes batches of ${grouped(HESSIAN_FREE_BATCH)} rows (all of them where fewer, an epoch then one step; Martens takes his gradient over the whole training set): ` +
  `each step fits the rows it is given, and on the visualizer's default run, at the page's batch of ${SECOND_ORDER_ON_THE_PAGE.batchSize}, Hessian-free stayed at chance.`;

/** The second-order remedy's words where it offers both choices: that they are not ranked on this run, and what the page's default run measured. */
const SECOND_ORDER_UNRANKED =
  ' The two are not ranked by a benefit measured on this run: from the start of the visualizer\'s default run (6 × 16 sigmoid units, the spirals, ' +
  `seed ${SECOND_ORDER_ON_THE_PAGE.seed}) K-FAC at batch ${SECOND_ORDER_ON_THE_PAGE.batchSize} had more than ${percent(SECOND_ORDER_ON_THE_PAGE.kfacAbove)} of its training rows right after ${grouped(SECOND_ORDER_ON_THE_PAGE.kfacSteps)} steps, ` +
  `and Hessian-free on all ${grouped(SECOND_ORDER_ON_THE_PAGE.trainingRows)} rows more than ${percent(SECOND_ORDER_ON_THE_PAGE.hessianFreeAbove)} after ${grouped(SECOND_ORDER_ON_THE_PAGE.hessianFreeSteps)} steps.`;

/**
 * Why Adam, and where it stops: its step is lr·m̂/(√v̂ + ε), so a gradient far below ε is stepped in
 * proportion to its size again (test/studies/adam-epsilon-floor: study (c)'s 10-layer sigmoid net).
 * How many of this run's weight layers lie below ε is measured from its own trace (adamEpsilonWords).
 */
const ADAM_WHY =
  "divides each weight's step by the size of its recent gradients, so a small gradient still gives a normal-sized step, " +
  `but only down to its ε (${ADAM_DEFAULTS.epsilon}): a gradient far below ε is stepped in proportion to its size again.`;

/** Weight layers by number, first first: "1", "1 and 2", "1, 2 and 3". */
const layerNumbers = (layers: readonly number[]) => {
  const numbers = layers.map((l) => String(l + 1));
  return numbers.length > 1 ? `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}` : numbers.join('');
};

/**
 * ' In this run's first record …': how many of the run's weight layers had their gradient below Adam's ε
 * (ADAM_DEFAULTS.epsilon) at the trace's first record, the step Adam would start from. Layer l of a dense
 * network's trace has n = sizes[l]·sizes[l + 1] entries: ‖∂C/∂W‖/√n (the root-mean-square entry) below ε
 * says its typical entry is; its largest |∂C/∂W| entry (weightGradMaxAbs) below ε, that every entry is (on study (c)'s
 * 10-layer sigmoid net, 3 layers, where the whole ‖∂C/∂W‖, an upper bound on that entry, is below ε in 1). '' where no
 * layer is below ε by either measure, the trace has no record, or it is a block network's (its rows are not weight
 * layers numbered as a dense network's, and norm rows hold no W).
 */
export function adamEpsilonWords(trace: Trace): string {
  if (trace.length === 0 || trace.blocks) return '';
  const epsilon = ADAM_DEFAULTS.epsilon;
  const [norms, largest] = [trace.row('weightGradNorm', 0), trace.row('weightGradMaxAbs', 0)];
  const rows = trace.rowsRecording('weightGradNorm');
  const typical = rows.filter((l) => norms[l] / Math.sqrt(trace.sizes[l] * trace.sizes[l + 1]) < epsilon);
  // The largest entry bounds the root-mean-square one: a layer whose every entry is below ε is among `typical`.
  const every = rows.filter((l) => largest[l] < epsilon);
  if (typical.length === 0) return '';
  const everyWords = every.length > 0 ? `; in ${counted(every.length, 'layer')} (${layerNumbers(every)}) its largest entry is too, so every entry there is` : '';
  return (
    ` In this run's first record (step ${grouped(trace.steps[0])}), the root-mean-square entry of ∂C/∂W is below ε in ` +
    `${counted(typical.length, 'layer')} of its ${counted(rows.length, 'weight layer')} (${layerNumbers(typical)})${everyWords}.`
  );
}

/**
 * Optimisers that undo a vanishing gradient after the fact, best-evidenced first, leaving out the
 * run's own. `run` is the run at its end (runAtEnd, the remedies' one reading): the rates a switch
 * carries are set against the one in force then (optimizerSwitch).
 */
export function vanishingOptimizerRemedies(
  trace: Trace,
  run: RunAtEnd,
  e: Evidence,
  optimizerRemedy: (name: string, why: string) => void,
  add: AddRemedy,
): void {
  const rates = offeredRates(trace, run);
  larsRemedy(trace, e, optimizerRemedy, rates && 'pastBound' in rates ? rates.pastBound : '');
  if (!GRADIENT_SCALED_STEPS.includes(run.optimizer ?? '')) {
    add(optimizerSwitch(run, 'adam'), `${ADAM_WHY}${adamEpsilonWords(trace)}${deepOptimizerWords(e.hiddenLayers, ['adam'])}${studyAWords(trace, 'adam')}`);
  }
  if (rates && !('pastBound' in rates)) layerRatesRemedy(trace, rates, e, add);
  // K-FAC takes dense networks only.
  const secondOrder = (trace.blocks ? (['hessian-free'] as const) : (['kfac', 'hessian-free'] as const)).filter((name) => run.optimizer !== name);
  if (secondOrder.length) {
    const [first, second] = secondOrder.map((name) => optimizerSwitch(run, name));
    const batched = [first, second].find((settings) => settings?.some((s) => s.option === 'batchSize'));
    const batchWhy = batched ? HESSIAN_FREE_BATCH_WHY + carriedEpochsWhy(batched, run) : '';
    add(
      first,
      `second-order methods use curvature to rescale the gradient of each direction, undoing the shrinking that the chain rule applied.${deepOptimizerWords(e.hiddenLayers, secondOrder)}${batchWhy}${second === undefined ? '' : SECOND_ORDER_UNRANKED}`,
      second,
    );
  }
}
