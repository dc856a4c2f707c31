/**
 * The remedies a diagnosis offers, by gradscope's option names, none the run already uses: its
 * verdict's, then those of the findings beside it and of where the run stands. Part of diagnose()
 * (diagnose.ts).
 */
import { type Activation, LEAKY_RELU_SLOPE } from '../../kernels.js';
import { sameInitRule } from '../../init/initializers.js';
import { isReluFamily } from '../metrics.js';
import { runAtEnd, type Trace } from '../trace.js';
import { type Remedy, type RemedyOption, remedyLayerRates, remedyText } from '../remedy.js';
import { GRADIENT_SCALED_STEPS, OWN_GRADIENTS } from '../../optimizer-defaults.js';
import { architectureRemedies } from './architecture-remedies.js';
import { BATCH_NORM_ROWS, DEAD_LAYER, DEAD_UNITS, EVEN_RANGE, EXPLODING_RATIO, RESIDUAL_CLIP_MEASURED_RATE } from './diagnosis-thresholds.js';
import type { Evidence, Verdict } from './diagnosis-types.js';
import { gapRecords, lastRecordName, rowList, sharesByRow } from './diagnosis-words.js';
import { afterFlatNorm, flatOnChain, inputsSaturating, plainResiduals, saturatedLater, saturationAtStart } from './evidence-readings.js';
import { chainEnds, decisiveGap, positiveFinite } from './gap-measures.js';
import { activationChange, explodingAcrossNorms, hiddenNonlinearities, initClause, type ReluRateSource, weightRowOf, weightsAboveInit } from './init-remedies.js';
import { stillFalling } from './progress-readings.js';
import { moreEpochs, plateauRemedies, progressRemedies, unclearRemedy } from './progress-remedies.js';
import { type AddRemedy, addSmallerRate, choice, CLIP_AT_1, firstStepOf, initName, layers, optimizerSwitch, type RateRun, runLengthOf, scheduleWithRateWords } from './remedy-settings.js';
import { LARS_WHY, vanishingOptimizerRemedies } from './vanishing-optimizer-remedies.js';
import { inputsHold, qualifiedBesideLargeInputs, standardiseRemedy } from './offset-remedies.js';
import { alsoGap, flowClear, gapClosed, gapEvenAtEnd, trainedThrough } from './verdict-rules.js';
import { gapAtEndWords } from './headline.js';
import { andList } from '../../list-text.js';
import { givenFloat32Text, numberText } from '../../number-text.js';

/**
 * The remedies for `verdict`; a switch to relu carries `row`'s measured rate (RELU_REMEDY_RATES), or keeps the run's where a relu
 * network of its own set-up held at it (ReluRateSource); `openEnded` (DiagnoseOptions.openEnded): a switch carries no epochs, and more
 * epochs are asked as 'more'.
 */
export function remediesFor(verdict: Verdict, trace: Trace, e: Evidence, row: ReluRateSource, openEnded = false): Remedy[] {
  // Through input rows alike no change to the network or the run tells them apart (alikeInputsSentence): the data is what to check.
  if (trace.run.inputs === 'alike') return [];
  // Inputs far from standardised that saturated the first hidden layer or left the run at chance, whatever the units (a relu network
  // over them was measured at chance too): standardising them is offered, and the other remedies say what they were measured to do
  // over such rows (offset-remedies.ts). It comes where the summary says the inputs (inputsAt).
  const { remedies: offered, ownFinding } = verdictRemedies(verdict, trace, e, row, openEnded);
  const qualified = qualifiedBesideLargeInputs(offered, trace, e);
  const at = inputsAt(trace, ownFinding);
  const remedies = inputsHold(trace, e) ? [...qualified.slice(0, at), standardiseRemedy(at === 0), ...qualified.slice(at)] : qualified;
  if (e.training?.state !== 'converged') return remedies;
  // A run that reached the loss's floor needs no change to how it steps (progressSentence says so); evidence.layerRates goes with its remedy.
  const kept = remedies.filter((r) => !r.settings.every((s) => STEP_OPTIONS.includes(s.option)));
  if (!kept.some((r) => r.settings.some((s) => remedyLayerRates(s)))) delete e.layerRates;
  return kept;
}

/**
 * Where the remedy of inputs far from standardised goes among the others, `ownFinding` of which answer the verdict's own finding:
 * first where the inputs saturated the first hidden layer from the first record (inputsSaturating), as they did every tanh and sigmoid
 * network measured over offset rows (OFFSET_MEASURED), which no other remedy lifted off chance; else after the verdict's own remedies,
 * as the summary says the inputs after the verdict's finding (README: remedies are listed by the finding they answer, the verdict's
 * first). A run at chance whose units the inputs did not saturate may be held there by its verdict's finding: newuser45's
 * [8, 6 × 32, 3] sigmoid network over rows of mean 7 stayed at chance with its rows standardised (test/flow/offset-remedies). Where the
 * verdict offers none of its own (a healthy flow, a gap closed during training: the relu network measured over offset rows), it
 * comes first all the same.
 */
function inputsAt(trace: Trace, ownFinding: number): number {
  return inputsSaturating(trace) !== undefined ? 0 : ownFinding;
}

/**
 * Whether the run stepped as the runs in which clipNorm 1 was measured to end higher through plain residual blocks did: plain SGD
 * (no momentum) from a learning rate up to RESIDUAL_CLIP_MEASURED_RATE, no Infinity or NaN recorded.
 */
function clippingMeasuredWorse(trace: Trace, e: Evidence): boolean {
  const { optimizer, learningRate, momentum } = trace.run;
  return optimizer === 'sgd' && momentum === undefined && learningRate !== undefined && learningRate <= RESIDUAL_CLIP_MEASURED_RATE && !e.nonFinite;
}

/** The options that change how a run steps, not the network: a converged run is offered none of them alone. */
const STEP_OPTIONS: readonly RemedyOption[] = ['learningRate', 'optimizer', 'clipNorm'];

/**
 * The remedies of the flow's findings and of where the run stands, in the summary's order; `ownFinding`: how many of the first
 * answer the verdict's own finding (and a gap beside dead units: the summary's 'also vanishing'), said before the inputs' size.
 */
function verdictRemedies(verdict: Verdict, trace: Trace, e: Evidence, row: ReluRateSource, openEnded: boolean): { remedies: Remedy[]; ownFinding: number } {
  // Remedies derived from the learning rate start from the one in force at the end (after any halving).
  // The run's first traced step (firstStepOf) gives the saturation remedy's reason its step size, and sizes the smaller rate
  // offered where a third of the rate in force would still have moved a layer by more than its size (smallerRate).
  const firstStep = firstStepOf(trace);
  // An open-ended run has no length to keep: its switches carry no epochs (carriedEpochs reads the length).
  const length = openEnded ? undefined : runLengthOf(trace);
  const run: RateRun = { ...runAtEnd(trace), ...(firstStep && { firstStep }), ...(length && { length }) };
  const hiddenActivations = hiddenNonlinearities(trace);
  const uses = (f: Activation) => hiddenActivations.includes(f);
  const remedies: Remedy[] = [];
  // A remedy offered once: the dead units' remedies come after another verdict's, which may name the same change.
  const adder =
    (readFrom?: Remedy['readFrom']): AddRemedy =>
    (settings, why, alternative) => {
      const option = remedyText({ settings, alternative });
      // Under a schedule, every remedy that sets the rate says what becomes of the schedule (scheduleWithRateWords).
      const said = why + scheduleWithRateWords(run, settings);
      if (!remedies.some((r) => r.option === option)) remedies.push({ option, settings, ...(alternative && { alternative }), why: said, ...(readFrom && { readFrom }) });
    };
  const add = adder();
  // The remedies of where the run stands, which its losses call for (Remedy.readFrom).
  const addOnLosses = adder('losses');
  // He for relu, Saxe's orthogonal for linear nets, LeCun's for SELU (Klambauer et al.), Glorot's otherwise.
  const normalisedInit = hiddenActivations.every((f) => isReluFamily(f))
    ? 'he-normal'
    : hiddenActivations.every((f) => f === 'linear')
      ? 'orthogonal'
      : hiddenActivations.every((f) => f === 'selu')
        ? 'lecun-normal'
        : 'glorot-uniform';
  // A network loaded from a file that records no initialisation is traced without one (TraceRun.init absent): the remedy says so rather than suggest blindly what it may already use.
  const initUnknown =
    run.init === undefined && !run.lsuv ? ` This trace does not record how the network's weights were drawn (a network loaded from a file, say): if they were drawn by '${normalisedInit}' already, this remedy is not new to it.` : '';
  const initRemedy = (why: string) => {
    // Not to a run drawn by the same rule already ('he-normal-fan-out' beside 'he-normal', 'glorot-normal' beside 'glorot-uniform').
    if (!sameInitRule(initName(run.init), normalisedInit)) add([choice('init', normalisedInit)], why + initUnknown);
  };
  const optimizerRemedy = (name: string, why: string) => {
    if (run.optimizer !== name) add(optimizerSwitch(run, name), why);
  };

  /**
   * The remedies for the dead relu units of `layers`; `diedLater`: fewer of them were dead at the first record than the caller's
   * bound, so the steps killed most. The reason says how many were dead then (as saturation's does): not 'alive', which some were not.
   */
  const deadUnitRemedies = (allDead: number[], diedLater: boolean) => {
    // Units whose z is a flat batch norm's β on every row are dead by their input, not by their bias, weights or steps: none of these helps them (flatSentence).
    const flat = afterFlatNorm(trace, e, allDead);
    const layers = allDead.filter((l) => !flat.includes(l));
    if (layers.length === 0) return;
    if (diedLater) {
      const atStart = sharesByRow(trace, layers, layers.map((l) => trace.at('deadFraction', 0, l)), 'the units');
      addSmallerRate(run, `units died during training (at the first record ${atStart} were dead): a large step can push a relu unit's z below 0 for every input, after which it gets no gradient.`, add);
    }
    // The reason says what the trace knows of the biases: drawn negative, or not recorded (a loaded network); a run with zero or positive constant biases is not told they are the cause.
    const bias = run.biasInit;
    const zeroBiasWhy = "with zero biases about half of each unit's inputs are active at the start.";
    if (bias === undefined) {
      add([choice('biasInit', 'zero')], `if the network's biases started negative (this trace does not record how they were drawn: a loaded network), they hold z ≤ 0 for every input; ${zeroBiasWhy}`);
    } else if (bias !== 'zero' && (bias.name === 'normal' || bias.value < 0)) {
      const drawn = bias.name === 'normal' ? `drawn from N(0, ${numberText(bias.std)}²), about half start negative` : `all start at ${bias.value}`;
      add([choice('biasInit', 'zero')], `the run's biases ${drawn}, and negative biases hold z ≤ 0 for every input; ${zeroBiasWhy}`);
    }
    // Not offered where `row` measured leaky-relu for the run's optimiser and no rate held (activationChange: undefined).
    const leaky = uses('leaky-relu') ? undefined : activationChange(trace, ['leaky-relu'], row);
    if (leaky) add(leaky.settings, `passes a small gradient (slope ${LEAKY_RELU_SLOPE}) where z ≤ 0, so a unit that goes inactive can recover.${initClause(trace, ['leaky-relu'], row)}`, leaky.alternative);
    initRemedy('keeps the variance of z the same from layer to layer, so units are active on about half of the inputs.');
  };

  // The per-layer factor as the summary states it (same records), where it could be measured.
  const factor = (words: (f: string) => string) => (positiveFinite(e.meanChainFactor) ? words(numberText(e.meanChainFactor)) : '');
  /** An exploding gap's remedies where no norm layer lies between the chain's ends. */
  const explodingRemedies = () => {
    // Each reason says only what was measured. "Too large" rests on a measured factor per layer above 1 (not where it is ≤ 1: the
    // gradient does not grow through the weights there); where no factor was measured (a link without one) the gap that was is said;
    // with neither (an Inf gap, no gradient at the last hidden layer; Inf or NaN values) nothing measured points to the weights' scale.
    const [gap, ends] = [decisiveGap(e), chainEnds(trace, e)];
    if (positiveFinite(e.meanChainFactor)) {
      if (e.meanChainFactor > 1) initRemedy(`the weights are too large: passing back through one layer multiplies the gradient by ${numberText(e.meanChainFactor)}; this init makes the factor per layer about 1.`);
    } else if (positiveFinite(gap) && gap >= EXPLODING_RATIO) {
      initRemedy(
        `one example's gradient δ at the ${ends.first} is ${numberText(gap)}× the ${ends.last}'s (${gapRecords(e)}; no factor per layer was measured along the chain); ` +
          'this init scales the weights so that each layer passes the gradient on at about the same size.',
      );
    }
    // A run that already clips at 1 or tighter is not told to clip; one that clips looser is told to clip tighter.
    // None to a run whose optimiser evaluates its own gradients (OWN_GRADIENTS): train() refuses clipNorm beside it.
    // None through plain residual blocks (gate 'none') at plain SGD rates up to RESIDUAL_CLIP_MEASURED_RATE with finite values, where
    // it was measured to end with a higher loss in every run (its TSDoc): their gap is the sum of their paths (residualSumSentence),
    // and clipping scales every layer's gradient alike and leaves the gap as it was. At larger rates, with another optimiser, or
    // where Infinity or NaN was recorded, it is offered as elsewhere: at SGD 3 clipping let runs train that ran away without it.
    const clipped = run.clipNorm;
    const clips = !OWN_GRADIENTS.includes(run.optimizer ?? '') && !(plainResiduals(trace).length > 0 && clippingMeasuredWorse(trace, e));
    if (clips && clipped === undefined) add([CLIP_AT_1], 'caps the norm of the whole gradient before each step, so an exploding gradient cannot produce a huge step.');
    else if (clips && clipped !== undefined && clipped > 1) add([CLIP_AT_1], `a tighter cap than the run's clipping at norm ${numberText(clipped)} on the norm of the whole gradient before each step, so an exploding gradient produces smaller steps.`);
    if (!e.compensated && !GRADIENT_SCALED_STEPS.includes(run.optimizer ?? '')) optimizerRemedy('lars', `${LARS_WHY}, whatever the gradient's size.`);
  };
  /** The remedies for saturated units: the verdict's, or beside another verdict (alsoSaturatedUnits). */
  const saturatedUnitRemedies = () => {
    // Units that were not saturated at the first record were pushed there by the steps, not by the starting weights.
    const saturatedAtStart = saturationAtStart(trace, e);
    if (saturatedLater(saturatedAtStart)) {
      // The steps that moved the units there are the early ones, taken before σ' ≈ 0 left hardly any gradient: the first traced
      // step's ‖ΔW‖/‖W‖, not the median over the records (0.0 % per step, said beside 'pushed |z| out': newuser43 #4). That the steps
      // pushed |z| out is said only where the readings show it: each of those layers' ‖W‖ larger at the last full batch's record than
      // at the first.
      const weightRows = e.saturatedLayers.map((l) => weightRowOf(trace, l)).filter((w) => w !== undefined);
      const lastFull = trace.fullBatchRecords().at(-1) ?? 0;
      const growth = weightRows.map((w) => trace.at('weightNorm', lastFull, w) / trace.at('weightNorm', 0, w));
      const steps = andList(weightRows.map((w) => `${rowList(trace, [w])}'s by ${(100 * trace.at('updateRatio', 0, w)).toPrecision(2)} %`));
      const rate = run.firstStep?.rate ?? run.learningRate;
      const by = run.optimizer ? ` (${run.optimizer}${rate === undefined ? '' : `, learning rate ${givenFloat32Text(rate)}`})` : '';
      const moved = weightRows.length ? ` moved the weights (${steps} of their size: ‖ΔW‖/‖W‖)` : ' moved the weights';
      const pushed =
        weightRows.length && growth.every((g) => g > 1)
          ? `, and by ${lastRecordName(e)} their norms ‖W‖ had grown (${andList(weightRows.map((w, i) => `${rowList(trace, [w])}'s ${numberText(growth[i])}×`))}), pushing |z| out to where σ'(z) ≈ 0; smaller steps keep z nearer 0.`
          : ': smaller steps move z less far toward where σ\'(z) ≈ 0.';
      addSmallerRate(run, `the units saturated during training (at the first record ${sharesByRow(trace, e.saturatedLayers, saturatedAtStart, 'them')} were): the optimiser's first traced step${by}${moved}${pushed}`, add);
    }
    const larger = weightsAboveInit(trace, e, normalisedInit);
    if (larger) {
      initRemedy(
        `weights that are too large push |z| to where σ'(z) ≈ 0: at the first record ${larger}; this init keeps the variance of z near 1 from layer to layer.`,
      );
    }
    if (run.biasInit !== undefined && run.biasInit !== 'zero') add([choice('biasInit', 'zero')], "large biases also push z away from 0, where σ' is largest.");
    const nonSaturating = (['relu', 'softsign'] as const).filter((f) => !uses(f));
    if (nonSaturating.length) {
      // A switch whose first choice is relu always has its settings (only leaky-relu's can be withheld).
      const change = activationChange(trace, nonSaturating, row)!;
      add(
        change.settings,
        'relu does not saturate for z > 0; softsign approaches its limits polynomially rather than exponentially, so it saturates later (Glorot & Bengio 2010).' +
          initClause(trace, nonSaturating, row),
        change.alternative,
      );
    }
  };
  // Dead units under another verdict (or too few for the dead one) get their remedies after the verdict's: they pass no gradient and learn nothing, whatever the gap.
  const alsoDeadUnits = () => {
    if (verdict === 'dead' || e.layersWithDeadUnits.length === 0) return;
    deadUnitRemedies(e.layersWithDeadUnits, e.layersWithDeadUnits.every((l) => trace.at('deadFraction', 0, l) < DEAD_UNITS));
    architectureRemedies('dead', trace, e, hiddenActivations, add);
  };
  // Saturated units beside another verdict (an exploding gap, closed or not; dead units elsewhere) get theirs after it, as dead units do.
  const alsoSaturatedUnits = () => {
    if (verdict === 'saturated' || e.saturatedLayers.length === 0) return;
    saturatedUnitRemedies();
    architectureRemedies('saturated', trace, e, hiddenActivations, add);
  };
  // A plateau or a loss still falling beside a gradient flow with no finding in it: the remedies of a run that stopped short, or more time.
  const clear = flowClear(e);
  /**
   * Where the run stands, remedied as beside a healthy flow, where the gap is not what the run's end shows: a loss still falling needs
   * time, a plateau or a rising loss their own remedies, a converged run nothing. `gone`: where the gap went ('the gap closed'), as
   * the reasons begin.
   */
  const standingRemedies = (gone: string) => {
    const state = e.training?.state;
    if (state === 'learning' && clear) addOnLosses([moreEpochs(trace, e.training!, openEnded)], `${gone} and the loss is still falling${stillFalling(e.training!)}: training longer lowers it further.`);
    if (state === 'plateau' && clear) plateauRemedies(trace, run, e, addOnLosses, gone, openEnded);
    if (state === 'unclear' && clear) unclearRemedy(trace, e.training!, addOnLosses, openEnded);
    if (state === 'rising' || state === 'overfitting') progressRemedies(run, e, addOnLosses);
  };
  if (gapClosed(verdict, e)) {
    standingRemedies('the gap in the gradient flow closed during training');
    alsoDeadUnits();
    alsoSaturatedUnits();
    // A gap that closed leaves the verdict no finding of its own to remedy: what is offered answers where the run stands.
    return { remedies, ownFinding: 0 };
  }
  if (verdict === 'vanishing' && e.batchNormBlocking) {
    // The gradient stops at the batch norms whatever the activation, init or optimiser: only more rows or a per-example norm lets it through.
    add(
      [{ option: 'batchSize', value: `${BATCH_NORM_ROWS} or more`, flagValue: `${BATCH_NORM_ROWS}` }],
      `batch norm passes on n − 2 of the n directions of each feature's gradient over a batch of n rows: none with ${trace.run.batchSize}, ${BATCH_NORM_ROWS - 2} of ${BATCH_NORM_ROWS} with ${BATCH_NORM_ROWS}.`,
    );
    add(
      [layers("{ type: 'layer-norm' } in place of each { type: 'batch-norm' }", { norm: 'layer-norm' })],
      'layer norm normalises each example over its features, not each feature over the batch, so any batch size passes its gradient on (Ba et al. 2016).',
    );
    return { remedies, ownFinding: remedies.length };
  }
  const through = trainedThrough(verdict, e, run);
  /** A vanishing gap's remedies: the verdict's, or beside dead units (alsoGap). */
  const vanishingRemedies = () => {
    // As explodingGapRemedies: a gap across flat batch norms is theirs.
    if (flatOnChain(e)) return;
    const sigmoidCap = uses('sigmoid');
    const activationRemedy = () => {
      const better = (['relu', 'tanh'] as const).filter((f) => !uses(f));
      if (sigmoidCap && better.length) {
        // A switch whose first choice is relu or tanh always has its settings (only leaky-relu's can be withheld).
        const change = activationChange(trace, better, row)!;
        add(
          change.settings,
          // σ'·W, not σ' alone, is the factor: at most ‖W‖₂/4, which is below 1/4 only for weights that pass no vector on longer (docs/gradient-flow.md).
          `σ' of the sigmoid is at most 1/4, so one sigmoid layer multiplies each example's gradient by at most ‖W‖₂/4 (‖W‖₂: the largest singular value of the weights it passes back through), ` +
            `a shrink of at least 4× where ‖W‖₂ ≤ 1${factor((f) => `; the measured factor here is ${f} per layer`)}; ` +
            "tanh's σ' reaches 1 and relu's is exactly 1 where the unit is active." +
            initClause(trace, better, row),
          change.alternative,
        );
      }
    };
    // With sigmoid layers the σ' ceiling is the cause, which no initialisation lifts; otherwise the weights' scale.
    if (sigmoidCap) activationRemedy();
    else {
      initRemedy(
        `scales the initial weights so that each layer passes the back-propagated gradient on at about the same size (chain factor ≈ 1${factor((f) => `; measured: ${f}`)}).`,
      );
    }
    // No switch away from a second-order optimiser the run trained through the gap with (trainedThrough).
    if (!e.compensated && !through) vanishingOptimizerRemedies(trace, run, e, optimizerRemedy, add);
  };
  /** An exploding gap's remedies: the verdict's (with Inf or NaN values), or beside dead units (alsoGap). */
  const explodingGapRemedies = () => {
    if (e.nonFinite) addSmallerRate(run, 'some gradients or weights became Infinity or NaN: large gradients times the step size overshoot.', add);
    // A gap across flat batch norms is their γ/√(σ² + ε) on rows alike (flatSentence): no init, clipping or optimiser changes that.
    if (flatOnChain(e)) return;
    if (e.normalisedBy) explodingAcrossNorms(trace, e, add);
    else explodingRemedies();
  };
  // A gap past the thresholds beside dead units (the summary's 'Also vanishing', 'Also exploding'): its remedies after the dead units' (none twice).
  const also = alsoGap(verdict, e);
  if (verdict === 'vanishing') vanishingRemedies();
  else if (verdict === 'exploding') explodingGapRemedies();
  else if (verdict === 'dead') {
    deadUnitRemedies(e.deadLayers, e.deadLayers.every((l) => trace.at('deadFraction', 0, l) <= DEAD_LAYER));
    if (also === 'vanishing') vanishingRemedies();
    if (also === 'exploding') explodingGapRemedies();
  } else if (verdict === 'saturated') saturatedUnitRemedies();
  if (verdict === 'healthy' && e.training?.state === 'plateau' && clear) plateauRemedies(trace, run, e, addOnLosses, 'the gradient flow shows no fault', openEnded);
  // A loss still falling beside such a flow needs time, not another optimiser or rate.
  if (verdict === 'healthy' && e.training?.state === 'learning' && clear) addOnLosses([moreEpochs(trace, e.training, openEnded)], `the loss is still falling${stillFalling(e.training)}: training longer lowers it further.`);
  // An unclear state's summary says more epochs would tell: how many is offered, beside such a flow too.
  if (verdict === 'healthy' && e.training?.state === 'unclear' && clear) unclearRemedy(trace, e.training, addOnLosses, openEnded);
  // Under a verdict of the gradient flow the summary says the loss rose, and its own remedies come first (a lower rate was measured not to help some: explodingAcrossNorms).
  if (verdict === 'loss-rising' || verdict === 'overfitting') progressRemedies(run, e, addOnLosses);
  // Across norm layers none of them was measured to bring an exploding gap nearer 1 (see explodingAcrossNorms).
  // Nor across flat batch norms, whose gap is their γ/√(σ² + ε) on rows alike (flatSentence).
  const gapOfFlatNorms = (v: Verdict) => (v === 'vanishing' || v === 'exploding') && flatOnChain(e);
  if (!(verdict === 'exploding' && e.normalisedBy) && !gapOfFlatNorms(verdict)) architectureRemedies(verdict, trace, e, hiddenActivations, add);
  if (also && !(also === 'exploding' && e.normalisedBy)) architectureRemedies(also, trace, e, hiddenActivations, add);
  // A healthy flow's remedies answer where the run stands, which the summary says after the inputs.
  const ownFinding = verdict === 'healthy' ? 0 : remedies.length;
  // A gap that held but lay within 1/4–4× by the last record (gapEvenAtEnd): the run's end asks what a closed gap's does too, after the gap's own.
  if (gapEvenAtEnd(verdict, e)) standingRemedies(`${gapAtEndWords(e, chainEnds(trace, e), 'the gap in the gradient flow')} (within ${EVEN_RANGE})`);
  else if (through) standingRemedies(`${run.optimizer} trained through the gap`);
  alsoDeadUnits();
  alsoSaturatedUnits();
  return { remedies, ownFinding };
}
