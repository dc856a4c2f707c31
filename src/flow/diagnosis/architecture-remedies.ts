/**
 * The remedies that change the architecture (norm layers, residual and ReZero blocks, SELU, LSUV),
 * offered after the others. Part of diagnose() (diagnose.ts).
 */
import type { Activation } from '../../kernels.js';
import { BATCH_NORM_BLOCKING_ROWS, type ResidualGate } from '../../layers/spec.js';
import type { RemedyNorm } from '../remedy.js';
import { isSaturating } from '../metrics.js';
import type { Trace } from '../trace.js';
import { median } from '../../median.js';
import { DRIFT } from './diagnosis-thresholds.js';
import { runLearnt } from './verdict-rules.js';
import type { Evidence, Verdict } from './diagnosis-types.js';
import { type AddRemedy, choice, hiddenActivation, layers } from './remedy-settings.js';
import { multipleText, numberText } from '../../number-text.js';
import { percentText } from '../../percent-text.js';
import { isStudyASetup, STUDY_A_DEEPEST } from './study-a-evidence.js';

/**
 * The remedies of issue 13 that change the architecture or its initialisation (batch and layer
 * norm, residual and ReZero blocks, SELU, LSUV), after the others, where the evidence points to
 * them and the network does not have them yet. Each option names the change to createNetwork's
 * layer specs.
 */
export function architectureRemedies(verdict: Verdict, trace: Trace, e: Evidence, hidden: readonly Activation[], add: AddRemedy): void {
  const types = new Set(trace.blocks?.layers.map((l) => l.type));
  const gates = new Set(trace.blocks?.residuals.map((b) => b.gate));
  const saturating = hidden.some(isSaturating);
  const f = hidden.find((a) => a !== 'linear') ?? 'linear';
  // The norm between the dense layer and its nonlinearity, as Ioffe & Szegedy place it.
  const normalised = (norm: RemedyNorm) => [layers(`{ type: 'dense', units }, { type: '${norm}' }, { type: 'activation', activation: '${f}' } for each hidden layer`, { norm })];
  if (verdict === 'saturated' || verdict === 'dead' || (verdict === 'vanishing' && saturating)) {
    const why = {
      dead: "centres each unit's z over the batch, so it is active on part of every batch (Ioffe & Szegedy 2015).",
      saturated: "holds z at mean 0, spread 1 over the batch, away from where σ' ≈ 0 (Ioffe & Szegedy 2015)",
      vanishing: "z gets mean 0, spread 1 over the batch whatever the weights' scale (Ioffe & Szegedy 2015)",
    }[verdict as 'dead' | 'saturated' | 'vanishing'];
    // Against saturation one normalisation is enough, so a network with either is offered neither
    // again, and layer norm is the alternative; against dead units only batch norm before the relu
    // helps (a norm after it sees zeros).
    const normalises = types.has('batch-norm') || types.has('layer-norm');
    if (verdict === 'dead') {
      if (!types.has('batch-norm')) add(normalised('batch-norm'), why);
    } else if (!normalises) {
      add(normalised('batch-norm'), `${why}; layer norm: per example, any batch size (Ba et al. 2016)${f === 'sigmoid' ? layerNormWithSigmoid(trace) : ''}.`, normalised('layer-norm'));
    } else if (verdict === 'vanishing' && sigmoidsAfterLayerNorms(trace) && !types.has('batch-norm') && (trace.run.batchSize ?? 0) > BATCH_NORM_BLOCKING_ROWS) {
      const through = runLearnt(e) ? trace.run.optimizer ?? 'optimiser' : undefined;
      add([layers("{ type: 'batch-norm' } in place of each { type: 'layer-norm' }", { norm: 'batch-norm' })], layerNormSigmoidWhy(through));
    }
  }
  const branch = `layers: [{ type: 'dense', units, activation: '${f}' }]`;
  const blocks = (gate: ResidualGate) => [layers(`{ type: 'residual', ${gate === 'none' ? '' : `gate: '${gate}', `}${branch} } for each hidden layer after the first`, { residualGate: gate })];
  const rezeroWhy = "each block starts as the identity (α = 0): every layer gets the output's gradient (Bachlechner et al. 2020).";
  if (verdict === 'vanishing' && e.hiddenLayers >= 2 && gates.size === 0) {
    add(
      blocks('none'),
      'the skip passes ∂C/∂y on unchanged: early layers get the gradient however much branches shrink it (He et al. 2016; ReZero: Bachlechner et al. 2020). ' +
        "Without a norm or ReZero's gate the sum grows with depth: study (c)'s plain blocks overflowed float32 at 50 hidden layers.",
      blocks('rezero'),
    );
  } else if ((verdict === 'vanishing' || verdict === 'exploding') && e.hiddenLayers >= 2 && !gates.has('rezero')) {
    add(gates.size ? [layers("gate: 'rezero' in each { type: 'residual' } block", { residualGate: 'rezero' })] : blocks('rezero'), rezeroWhy);
  }
  const drift = activationDrift(trace, e);
  if ((verdict === 'vanishing' || verdict === 'exploding') && (drift > DRIFT || drift < 1 / DRIFT)) {
    const measured = `activations' spread, last ÷ first hidden layer: ${drift < 1 ? numberText(drift) : multipleText(drift)}`;
    if (!hidden.includes('selu')) {
      add(
        [trace.blocks ? hiddenActivation('selu') : choice('activation', 'selu'), choice('init', 'lecun-normal')],
        `${measured}; SELU with LeCun-normal weights keeps activations near mean 0, variance 1 with depth (Klambauer et al. 2017).`,
      );
    }
    if (!trace.run.lsuv) {
      add([choice('init', 'lsuv'), { option: 'lsuv', value: 'true', flagValue: 'lsuv', setting: true }], `${measured}; LSUV rescales each layer on a batch to output variance 1 (Mishkin & Matas 2015).`);
    }
  }
}

/**
 * What the layer-norm alternative did not mend beside sigmoid units, as measured (newuser48 #7: it left their [784, 6 × 64, 10]
 * sigmoid net vanishing, 56.7 % after 5 epochs where batch norm reached 89.9 %, and the reason, "layer norm: per example, any
 * batch size", gave no hint). Each time on another set-up than the run's, it was said to every sigmoid net as if of it (audit54's
 * left-alone 1): to a run of study (a)'s deepest set-up (isStudyASetup), what docs/studies.md's table measured on it, layer norm
 * at chance, 10.5 % of the test digits, read vanishing (severe), batch norm 82.0 %, healthy (STUDY_A_DEEPEST.norms); to any other
 * sigmoid net, only that both nets where the two were measured, study (a)'s and LAYER_NORM_SIGMOID_NET (layerNormSigmoidWhy's,
 * where batch norm read healthy at 90–93 %), were left vanishing and at chance by it and trained by batch norm. test/flow/
 * study-a-evidence reads the first on the study's run, test/flow/layer-norm-alternative the second and the table's rows.
 */
function layerNormWithSigmoid(trace: Trace): string {
  if (!isStudyASetup(trace)) {
    return `, but beside sigmoid units, on both nets where the two were measured, it left the gradient vanishing and each net at chance, where batch norm trained both (study (a)'s deepest; ${LAYER_NORM_SIGMOID_NET})`;
  }
  const { norms, epochs } = STUDY_A_DEEPEST;
  return `, but on this set-up, study (a)'s deepest net as the study trains it, it left the gradient vanishing and the net at chance: ${percentText(norms.layerNorm)} of the test digits after ${epochs} epochs, batch norm ${percentText(norms.batchNorm)}`;
}

/** What batch norm does that layer norm does not: the first words of each reason for batch norm in place of layer norm. */
const NORMALISES = 'batch norm normalises each feature over the batch, where layer norm normalises each example over its features';

/** The network, optimiser and date of the batch-norm-for-layer-norm measurement (layerNormSigmoidWhy). */
const LAYER_NORM_SIGMOID_NET = '5 × (dense 16 → layer norm → sigmoid)';
const LAYER_NORM_SIGMOID_RUNS = 'seeds 1–3; AMD EPYC Zen 5, 2026-12-05';

/** What batch norm needs and how it runs: said wherever it is offered in place of layer norm. */
const BATCH_NORM_CONDITIONS =
  `It needs batches of more than ${BATCH_NORM_BLOCKING_ROWS} rows (over a batch of ${BATCH_NORM_BLOCKING_ROWS} rows it maps each feature to ±1 and passes no gradient back), and it runs in two modes: ` +
  'in training each batch\'s own mean and variance, in evaluation (evaluate(), predict()) the running ones, which lag weights that large steps move';

/**
 * Why batch norm in place of layer norm, beside sigmoid units whose gap vanishes across layer norms: measured on 5 × (dense 16 →
 * layer norm → sigmoid), Glorot's weights, SGD 0.1, 8 epochs over 256 rows whose class is the quadrant of their first two inputs,
 * seeds 1–3 (2026-12-05 21:07 UTC, AMD EPYC Zen 5, commit e4f94ff9; `npx tsx scripts/remedy-ranges.ts layer-norm-sigmoid` prints them;
 * test/flow/layer-norm-sigmoid.test.ts runs seed 1 against the ranges printed here): at chance (27–29 % of
 * the rows right) with layer norms, 90–93 % in batches of 32 with batch norms, read healthy (88–96 % in batches of 4 to 16).
 * Offered only over batches of more than BATCH_NORM_BLOCKING_ROWS rows (over 2, batch norm maps each feature to ±1 and passes
 * no gradient back). Offered where every hidden nonlinearity is a sigmoid right after a layer norm, as measured (sigmoidsAfterLayerNorms).
 * Beside a run that learnt through the gap (runLearnt: `through`, its optimiser, first- or second-order) the measured accuracies are
 * SGD's over 8 epochs, not this run's: its reason says what batch norm mends there, the gap (page49: "stayed at chance" sat beside a
 * Hessian-free run at 99 %; review50: beside Adam at 100 % too).
 */
function layerNormSigmoidWhy(through: string | undefined): string {
  if (through !== undefined) {
    return (
      `${NORMALISES}: on ${LAYER_NORM_SIGMOID_NET} under SGD (${LAYER_NORM_SIGMOID_RUNS}) the gradient read vanishing with the layer norms and healthy with batch norms in their place, ` +
      `which mends the gap this run's ${through} trained through. ${BATCH_NORM_CONDITIONS}.`
    );
  }
  return (
    `${NORMALISES}: with sigmoid units, ${LAYER_NORM_SIGMOID_NET} stayed at chance (27–29 % of its rows right after 8 epochs of SGD, ${LAYER_NORM_SIGMOID_RUNS}) and read vanishing, ` +
    `the same network with batch norms in their place reached 90–93 % in batches of 32 and read healthy (88–96 % in batches of 4 to 16). ${BATCH_NORM_CONDITIONS}; those accuracies are evaluation mode's.`
  );
}

/**
 * Whether every hidden nonlinearity is a sigmoid activation row right after a layer norm, as in the network on which batch norm in
 * place of the layer norms was measured (layerNormSigmoidWhy); not where any unit of another kind, or a sigmoid without a layer
 * norm before it, is hidden.
 */
function sigmoidsAfterLayerNorms(trace: Trace): boolean {
  const rows = trace.blocks?.layers;
  if (!rows) return false;
  const hidden = trace.activations.slice(0, -1);
  const units = hidden.flatMap((f, l) => ((rows[l].type === 'dense' || rows[l].type === 'activation') && f !== 'linear' ? [l] : []));
  return units.length > 0 && units.every((l) => hidden[l] === 'sigmoid' && rows[l].type === 'activation' && rows[l - 1]?.type === 'layer-norm');
}

/** The hidden activations' standard deviation at the last hidden layer over the first's, median over the full batches' records (Trace.fullBatchRecords; NaN without two hidden layers). */
function activationDrift(trace: Trace, e: Evidence): number {
  const chain = e.chain ?? e.layers.slice(0, e.hiddenLayers).map((l) => l.layer);
  if (chain.length < 2) return NaN;
  const [first, last] = [chain[0], chain[chain.length - 1]];
  return median(trace.fullBatchRecords().map((r) => trace.at('activationStd', r, last) / trace.at('activationStd', r, first)));
}
