/**
 * The remedies beside inputs far from standardised (TraceRun.inputScale): standardising them, whatever the units (first where the
 * inputs saturated the first hidden layer, else after the verdict's own remedies: verdict-remedies.ts' inputsAt), and what the other
 * remedies were measured to do over such rows, said in their reasons. Part of diagnose() (diagnose.ts).
 */
import type { Activation } from '../../kernels.js';
import type { Trace } from '../trace.js';
import { type Remedy, type RemedySetting, remedyText } from '../remedy.js';
import { hiddenNonlinearities } from './init-remedies.js';
import { atChance } from '../training-progress.js';
import type { Evidence } from './diagnosis-types.js';
import { inputsSaturating } from './evidence-readings.js';

/**
 * Accuracies over the rows (evaluation mode, seeds 1–3, as whole percents but for the standardised tanh and sigmoid runs) of
 * scripts/remedy-setups.ts' offsetInputs: [4, 16, 16, 2] networks over 512 rows of 4 features offset + N(0, 1), classed by the sign
 * of the first two's sum about their offset, 50 epochs in batches of 32; tanh and sigmoid with Glorot's weights at Adam 0.01 and
 * plain SGD 0.1, relu with He's at Adam 0.005 and plain SGD 0.002. Printed by `npx tsx scripts/remedy-ranges.ts offset-inputs
 * offset-inputs-sgd` on 2026-12-06 03:00–03:01 UTC (AMD EPYC Zen 5, 2 vCPUs, load 17–19) on main at 33148d7d with that script
 * as the commit that brought this file has it, and again, every range the same but the smaller rate's (now sized from the run's
 * first step), on 2026-12-06 11:55–11:56 UTC (Intel Xeon, 2 vCPUs, load 17–18) on main at 3154a11b with the commit that sized it;
 * test/flow/offset-remedies.test.ts runs seed 1 of each against them.
 */
export const OFFSET_MEASURED = {
  /** Offset 1000, every network and optimiser as it is, and with each remedy of the saturating units (relu, softsign, batch norm, layer norm). */
  chance: '49–51 %',
  /** Tanh and sigmoid, offsets 10 to 1000, Adam and SGD: the rows standardised. */
  standardised: '99.6–100 %',
  /** Relu, offset 1000, Adam and SGD: the rows standardised (Adam 100 %, SGD 85–89 %). */
  reluStandardised: '85–100 %',
  /** Relu, offset 1000, Adam: leaky-relu (under SGD it ran away in every seed). */
  reluLeakyAdam: '51 %',
  /** Relu, offset 1000: batch norm under Adam and under SGD. */
  reluBatchNormAdam: '49–51 %',
  reluBatchNormSgd: '51–88 %',
  /**
   * Relu, offset 1000, SGD at the smaller rate seed 1's diagnosis offered: sized from its first step, whose output layer moved 4.92× its
   * size at 0.002 (a third of 0.002, offered before the sizing, reached 51 %).
   */
  reluSmallerRate: '49–50 %',
  /** That rate, as the remedy's flag value names it. */
  reluSmallerRateOffered: '0.0000407',
  /** Tanh, Adam, offset 100: as it is and with batch norm. */
  offset100: '49–51 %',
  offset100BatchNorm: '51–77 %',
  /** Tanh, Adam, offsets 10 and 30: as they are and with batch norm. */
  offsets10And30: '72–81 %',
  offsets10And30BatchNorm: '64–98 %',
  /**
   * scripts/remedy-setups.ts' wideColumnSigmoid (newuser45's [8, 6 × 32, 3] sigmoid network, plain SGD 0.1, 10 epochs, over 350 rows
   * whose fourth feature is 20 + 5·N(0, 1)): vanishing at chance, its hidden units unsaturated; as it is and its rows standardised.
   */
  wideColumn: '39–41 %',
  wideColumnStandardised: '39–41 %',
  /**
   * The wide column switched to SELU with LeCun's weights, as the remedy offers it (at the run's own rate, 0.1): seed 1 as it is
   * (seeds 2 and 3 ran away within 7 steps, the loss over 10⁶× the first batch's), and seeds 1–3 standardised. Printed by
   * `npx tsx scripts/remedy-ranges.ts wide-column` on 2026-12-06 17:51 UTC (Intel Xeon, 2 vCPUs, load ~5) on main at 6f4759cb with the
   * commit that brought these two.
   */
  wideColumnSelu: '61 %',
  wideColumnSeluStandardised: '90–94 %',
} as const;

const M = OFFSET_MEASURED;
const ROWS = '512 rows of 4 features 1000 + N(0, 1), 50 epochs, seeds 1–3';

/** Why standardising the inputs: what their size does to z, and what it was measured to do beside the other remedies (OFFSET_MEASURED). */
const STANDARDISE_WHY =
  "the inputs' size, the same on every row where it is an offset, puts the first hidden layer's z = W·x + b far from 0 on every row; standardised, every feature has mean 0 and spread 1 over the training rows, and z starts near 0. " +
  `Over ${ROWS}, [4, 16, 16, 2] tanh and sigmoid networks (Adam 0.01 and plain SGD 0.1) stayed at chance (${M.chance} of their rows right), their first hidden layer 100 % saturated from the first record, and relu, softsign, batch norm and layer norm left them there; ` +
  `a relu network (Adam 0.005 and plain SGD 0.002) stayed at chance too (${M.chance}), its units not saturated. Standardised, the same rows reached ${M.standardised} (tanh and sigmoid) and ${M.reluStandardised} (relu). ` +
  `At offset 100 (tanh, Adam): ${M.offset100} raw, ${M.offset100BatchNorm} with batch norm; at offsets 10 and 30: ${M.offsets10And30} raw, ${M.offsets10And30BatchNorm} with batch norm; ${M.standardised} standardised at each. ` +
  "gradscope has no helper for it: take each feature's mean and standard deviation over the training rows, and give train(), evaluate() and predict() (x − mean) / std with those same two (a feature whose std is 0, only x − mean).";

/**
 * Whether the run's inputs were far from standardised (TraceRun.inputScale) and it stands where the measured offset runs stood:
 * its first hidden layer saturated from the first record by them (inputsSaturating), or its accuracy ended at chance. Not a run
 * that learns over inputs a little large (relu over rows 3 + N(0, 1): 96 % right), which none of OFFSET_MEASURED's words fit.
 */
export const inputsHold = (trace: Trace, e: Evidence) =>
  trace.run.inputScale !== undefined && (inputsSaturating(trace) !== undefined || (e.training !== undefined && atChance(e.training)));

/** Why standardising comes after the verdict's remedies where the inputs saturated no hidden layer (verdict-remedies.ts' inputsAt). */
const AFTER_THE_VERDICTS =
  "Here the inputs saturated no hidden layer, and the verdict's finding may be what holds the run: [8, 6 × 32, 3] sigmoid networks over 350 rows whose fourth feature is 20 + 5·N(0, 1) " +
  `(plain SGD 0.1, 10 epochs, seeds 1–3) read vanishing and stayed at chance, ${M.wideColumn} of their rows right as they were and ${M.wideColumnStandardised} standardised.`;

/**
 * The remedy of inputs far from standardised: the rows themselves, in words (no option or flag takes it); a new object for each
 * diagnosis. `first`: offered before the verdict's remedies; otherwise its reason says why it comes after them.
 */
export function standardiseRemedy(first: boolean): Remedy {
  const settings: RemedySetting[] = [{ option: 'inputs', value: 'each feature standardised, (x − mean) / std, both over the training rows' }];
  return { option: remedyText({ settings }), settings, why: first ? STANDARDISE_WHY : `${STANDARDISE_WHY} ${AFTER_THE_VERDICTS}` };
}

/** What a remedy's settings change that was measured over offset rows: the hidden units' activation, a norm layer, a smaller rate. */
function changeOf(settings: readonly RemedySetting[]): string | undefined {
  for (const s of settings) {
    if (s.option === 'activation') return s.setting as string;
    if (s.option === 'layers') {
      const change = s.setting as { norm?: string; activation?: string; residualGate?: string };
      if (change.residualGate === undefined) return change.norm ?? change.activation;
    }
    if (s.option === 'learningRate' && s.direction === 'smaller') return 'smaller rate';
  }
  return undefined;
}

const PREFIX = `Measured beside inputs far from standardised (${ROWS}): `;

/**
 * What the SELU switch (offered without a rate: the run's own) did over newuser45's rows far from standardised (OFFSET_MEASURED): it
 * ran away in two seeds of three at the run's rate, and reached 90–94 % with the rows standardised, so its reason says both.
 */
const SELU_BESIDE_LARGE_INPUTS =
  'Measured beside inputs far from standardised ([8, 6 × 32, 3] sigmoid networks over 350 rows whose fourth feature is 20 + 5·N(0, 1), plain SGD 0.1, 10 epochs, seeds 1–3): ' +
  `switched to SELU with LeCun's weights at that run's rate, seed 1 reached ${M.wideColumnSelu} of its rows right (${M.wideColumn} without) and seeds 2 and 3 ran away within 7 steps; ` +
  `with the rows standardised first, ${M.wideColumnSeluStandardised}.`;

/** The measured words of `remedy`'s change (and its alternative's, which is measured where its first choice is) for networks of `family`'s units; undefined where it was not measured. */
function measuredWords(family: 'saturating' | 'relu', remedy: Remedy): string | undefined {
  const change = changeOf(remedy.settings);
  if (family === 'saturating' && (change === 'relu' || change === 'softsign' || change === 'batch-norm' || change === 'layer-norm')) {
    const norms = change === 'batch-norm' ? `; with batch norm, tanh under Adam reached ${M.offset100BatchNorm} at offset 100 and ${M.offsets10And30BatchNorm} at offsets 10 and 30 (${M.offsets10And30} without)` : '';
    return (
      `[4, 16, 16, 2] tanh and sigmoid networks with it${remedy.alternative ? ' or its alternative' : ''} stayed at chance (${M.chance} of their rows right, as without it; Adam 0.01 and plain SGD 0.1)${norms}, ` +
      `where the same rows standardised reached ${M.standardised}.`
    );
  }
  const relu = (what: string) => `a [4, 16, 16, 2] relu network (He's weights) ${what}, where the same rows standardised reached ${M.reluStandardised}.`;
  if (family === 'relu' && change === 'leaky-relu') return relu(`with it stayed at chance under Adam 0.005 (${M.reluLeakyAdam} of its rows right; ${M.chance} without) and ran away in every seed under plain SGD 0.002`);
  if (family === 'relu' && change === 'batch-norm') return relu(`with it reached ${M.reluBatchNormAdam} of its rows right under Adam 0.005 and ${M.reluBatchNormSgd} under plain SGD 0.002 (${M.chance} without)`);
  if (family === 'relu' && change === 'smaller rate') {
    return relu(`at ${M.reluSmallerRateOffered}, the smaller rate its plain SGD 0.002 run was offered (sized from that run's first step), stayed at chance (${M.reluSmallerRate} of its rows right)`);
  }
  return undefined;
}

/** The networks measured over offset rows whose units `hidden` are like: all tanh or sigmoid, or all relu; undefined for others. */
function familyOf(hidden: readonly Activation[]): 'saturating' | 'relu' | undefined {
  if (hidden.every((f) => f === 'tanh' || f === 'sigmoid')) return 'saturating';
  return hidden.every((f) => f === 'relu') ? 'relu' : undefined;
}

/**
 * Where the run's inputs held it as they held the measured runs (inputsHold) and its hidden units are of a kind measured over offset
 * rows (tanh and sigmoid, or relu), each remedy whose change was measured there says what it did, after its own reason: none of
 * them lifted a network off chance at offset 1000 the way standardising did (OFFSET_MEASURED), and the SELU switch ran away over
 * newuser45's rows (SELU_BESIDE_LARGE_INPUTS).
 */
export function qualifiedBesideLargeInputs(remedies: Remedy[], trace: Trace, e: Evidence): Remedy[] {
  const family = inputsHold(trace, e) ? familyOf(hiddenNonlinearities(trace)) : undefined;
  if (!family) return remedies;
  return remedies.map((r) => {
    if (family === 'saturating' && changeOf(r.settings) === 'selu') return { ...r, why: `${r.why} ${SELU_BESIDE_LARGE_INPUTS}` };
    const words = measuredWords(family, r);
    return words ? { ...r, why: `${r.why} ${PREFIX}${words}` } : r;
  });
}
