/**
 * Measures the ranges docs/gradient-flow.md and diagnose()'s printed reasons state for the remedies it offers on
 * its set-ups (scripts/remedy-setups.ts): each remedy diagnose() offered on seed 1's run (and its alternative)
 * applied as a program applies it, by its settings' data, and run from seeds 1–3, beside the run as it is and the
 * page's extra variants. Prints per variant the accuracy and the loss over the rows (evaluation mode) as
 * lowest–highest over the seeds, the verdict of each seed, and against the run as it is, in how many seeds the loss
 * ended lower and by how much (its fall over the run's loss, lowest–highest).
 *
 *   nice -n 19 npx tsx scripts/remedy-ranges.ts [layer-norm-sigmoid] [residual] [offset-inputs] [offset-inputs-sgd] [wide-column]
 *
 * (all five without an argument; it exits non-zero where a remedy could not be applied). The tests run seed 1 of what the page
 * and the reasons quote (test/flow/layer-norm-sigmoid.test.ts, residual-sum.test.ts, and for the two offset ones and the wide
 * column offset-remedies.test.ts against src/flow/diagnosis/offset-remedies.ts' OFFSET_MEASURED).
 */
import { verdictCell } from '../src/flow/diagnose.js';
import { LEFT_OUT, type RemedySetting } from '../src/flow/remedy.js';
import { HESSIAN_FREE_BATCH } from '../src/optimizer-defaults.js';
import { applied, layerNormSigmoid, OFFSET_RATES, offsetInputs, outcome, residualExploding, type RemedyOutcome, type RemedyRun, wideColumnSigmoid } from './remedy-setups.js';

const SEEDS = [1, 2, 3];

/** A variant of a set-up: a label and the settings that make it from the run as it is. */
interface Variant {
  label: string;
  settings: RemedySetting[];
}

const range = (values: number[], digits: number, scale = 1) => `${(scale * Math.min(...values)).toFixed(digits)}–${(scale * Math.max(...values)).toFixed(digits)}`;
/** Accuracies as whole percents, each extreme rounded as the page and the printed reasons quote them (Math.round: 87.5 → 88, 64.45 → 64). */
const wholePercents = (values: number[]) => `${Math.round(100 * Math.min(...values))}–${Math.round(100 * Math.max(...values))} %`;

/** A seed's outcome, or the message of what its run threw (a DIVERGED). */
type SeedOutcome = RemedyOutcome | string;

/**
 * Runs `run` and each remedy seed 1's diagnosis offers (unless `offered` is false) and `extra` from every seed, printing a line
 * per variant; a seed whose run threw is named with its message and left out of the ranges.
 */
async function measure(title: string, run: RemedyRun, extra: Variant[] = [], offered = true): Promise<void> {
  console.log(`\n${title}`);
  let remedies: Variant[] = [];
  if (offered) {
    const first = await outcome(run, SEEDS[0]);
    console.log(`  seed 1: ${verdictCell(first.diagnosis)}\n  offered: ${first.diagnosis.remedies.map((r) => r.option).join(' | ') || 'nothing'}`);
    remedies = first.diagnosis.remedies.flatMap((r): Variant[] => [
      { label: r.option, settings: r.settings },
      ...(r.alternative ? [{ label: `its alternative, ${r.alternative.map((s) => `${s.option}: ${s.value}`).join(', ')}`, settings: r.alternative }] : []),
    ]);
  }
  let base: SeedOutcome[] = [];
  for (const variant of [{ label: 'the run as it is', settings: [] }, ...remedies, ...extra]) {
    const outcomes: SeedOutcome[] = [];
    try {
      const changed = applied(run, variant.settings);
      for (const seed of SEEDS) outcomes.push(await outcome(changed, seed).catch((error: Error) => error.message.slice(0, 120)));
    } catch (error) {
      // A remedy the script cannot apply measures nothing: said, and the script exits non-zero.
      console.log(`  ${variant.label}: NOT APPLIED: ${(error as Error).message}`);
      process.exitCode = 1;
      continue;
    }
    if (variant.settings.length === 0) base = outcomes;
    const ran = outcomes.filter((o): o is RemedyOutcome => typeof o !== 'string');
    const falls = outcomes.flatMap((o, i) => (typeof o === 'string' || typeof base[i] === 'string' ? [] : [(base[i].loss - o.loss) / base[i].loss]));
    const against = variant.settings.length === 0 || falls.length === 0 ? '' : `; loss lower than the run's in ${falls.filter((f) => f > 0).length} of ${falls.length}, fall ${range(falls, 0, 100)} %`;
    const ranges = ran.length ? `accuracy ${range(ran.map((o) => o.accuracy), 1, 100)} % (${wholePercents(ran.map((o) => o.accuracy))}), loss ${range(ran.map((o) => o.loss), 3)}${against}` : 'no seed ran through';
    console.log(
      `  ${variant.label}: ${ranges}\n` +
        outcomes.map((o, i) => `      seed ${SEEDS[i]}: ${typeof o === 'string' ? `threw: ${o}` : `accuracy ${(100 * o.accuracy).toFixed(1)} %, loss ${o.loss.toPrecision(4)}, ${verdictCell(o.diagnosis)}`}`).join('\n'),
    );
  }
}

const batchNormInPlace = (batchSize: number): Variant => ({
  label: `batch norm in place of each layer norm, batches of ${batchSize}`,
  settings: [
    { option: 'layers', value: "{ type: 'batch-norm' } in place of each { type: 'layer-norm' }", setting: { norm: 'batch-norm' } },
    { option: 'batchSize', value: String(batchSize), setting: batchSize },
  ],
});

// Not offered through residual blocks of gate 'none' at SGD rates up to RESIDUAL_CLIP_MEASURED_RATE (src/flow/diagnosis/verdict-remedies.ts).
const clipAt1: Variant = { label: 'clipNorm: 1', settings: [{ option: 'clipNorm', value: '1', setting: 1 }] };

/**
 * Hessian-free beside its offered switch, which carries its batch (HESSIAN_FREE_BATCH: all 256 rows of the layer-norm set-up, so
 * its 8 epochs are 8 steps): at the run's batch of 32 (64 steps), and with its batch over 64 epochs (the run's 64 steps).
 */
const hessianFree: RemedySetting[] = [
  { option: 'optimizer', value: "'hessian-free'", setting: 'hessian-free' },
  { option: 'learningRate', value: LEFT_OUT, setting: undefined },
];
const hessianFreeVariants: Variant[] = [
  { label: "Hessian-free at the run's batch of 32", settings: hessianFree },
  {
    label: `Hessian-free with its batch (${HESSIAN_FREE_BATCH}) over 64 epochs, the run's 64 steps`,
    settings: [...hessianFree, { option: 'batchSize', value: `${HESSIAN_FREE_BATCH}`, setting: HESSIAN_FREE_BATCH }, { option: 'epochs', value: '64', setting: 64 }],
  },
];

const chosen = process.argv.slice(2);
const wanted = (name: string) => chosen.length === 0 || chosen.includes(name);
const started = Date.now();
if (wanted('layer-norm-sigmoid')) {
  await measure('5 × (dense 16 → layer norm → sigmoid), SGD 0.1, 8 epochs in batches of 32', layerNormSigmoid(), [...[4, 8, 16, 32, 64].map(batchNormInPlace), ...hessianFreeVariants]);
}
if (wanted('residual')) {
  for (const f of ['relu', 'tanh'] as const) {
    for (const epochs of [4, 20]) await measure(`a dense layer and 4 residual blocks of ${f}, SGD 0.1, ${epochs} epochs in batches of 32`, residualExploding(f, epochs), [clipAt1]);
    // Larger rates: where clipping is offered through such blocks again (RESIDUAL_CLIP_MEASURED_RATE).
    for (const rate of [0.3, 1, 3]) await measure(`the same, ${f}, SGD ${rate}, 4 epochs: clipNorm 1 beside the run`, residualExploding(f, 4, rate), [clipAt1], false);
  }
}
if (wanted('offset-inputs')) {
  for (const [f, offset] of [['tanh', 1000], ['sigmoid', 1000], ['relu', 1000], ['tanh', 100], ['tanh', 30], ['tanh', 10]] as const) {
    await measure(`[4, 16, 16, 2] ${f} over rows about an offset of ${offset}, Adam ${OFFSET_RATES.adam[f]}, 50 epochs in batches of 32`, offsetInputs(f, offset));
  }
}
if (wanted('offset-inputs-sgd')) {
  for (const f of ['tanh', 'sigmoid', 'relu'] as const) {
    await measure(`[4, 16, 16, 2] ${f} over rows about an offset of 1000, plain SGD ${OFFSET_RATES.sgd[f]}, 50 epochs in batches of 32`, offsetInputs(f, 1000, 'sgd'));
  }
}
if (wanted('wide-column')) {
  // The relu switch at the run's own rate beside the digits' 0.002, over the rows as they are and standardised (OWN_ROWS_MEASURED
  // in src/flow/relu-remedy-rates.ts), and the SELU switch over them standardised.
  const reluHe: RemedySetting[] = [
    { option: 'activation', value: "'relu'", setting: 'relu' },
    { option: 'init', value: "'he-normal'", setting: 'he-normal' },
  ];
  const standardise: RemedySetting = { option: 'inputs', value: 'each feature standardised' };
  const at002: RemedySetting = { option: 'learningRate', value: '0.002', setting: 0.002 };
  const reluVariants: Variant[] = [
    { label: "activation: 'relu', init: 'he-normal' at the run's rate, 0.1", settings: reluHe },
    { label: "the rows standardised, activation: 'relu', init: 'he-normal' at the run's rate, 0.1", settings: [standardise, ...reluHe] },
    { label: "the rows standardised, activation: 'relu', init: 'he-normal', learningRate: 0.002", settings: [standardise, ...reluHe, at002] },
    // The SELU switch (offered without a rate: the run's own) over the rows standardised, beside the offered line over them as they are (OFFSET_MEASURED.wideColumnSelu).
    {
      label: "the rows standardised, activation: 'selu', init: 'lecun-normal' at the run's rate, 0.1",
      settings: [standardise, { option: 'activation', value: "'selu'", setting: 'selu' }, { option: 'init', value: "'lecun-normal'", setting: 'lecun-normal' }],
    },
  ];
  await measure('[8, 6 × 32, 3] sigmoid over rows with one feature 20 + 5·N(0, 1), plain SGD 0.1, 10 epochs in batches of 32', wideColumnSigmoid(), reluVariants);
}
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
