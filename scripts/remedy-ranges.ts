/**
 * Measures the ranges docs/gradient-flow.md and diagnose()'s printed reasons state for the remedies it offers on
 * three set-ups (scripts/remedy-setups.ts): each remedy diagnose() offered on seed 1's run (and its alternative)
 * applied as a program applies it, by its settings' data, and run from seeds 1–3, beside the run as it is and the
 * page's extra variants. Prints per variant the accuracy and the loss over the rows (evaluation mode) as
 * lowest–highest over the seeds, the verdict of each seed, and against the run as it is, in how many seeds the loss
 * ended lower and by how much (its fall over the run's loss, lowest–highest).
 *
 *   nice -n 19 npx tsx scripts/remedy-ranges.ts [layer-norm-sigmoid] [residual] [offset-inputs]
 *
 * (all three without an argument). The tests run seed 1 of what the page and the reasons quote
 * (test/flow/layer-norm-sigmoid.test.ts, residual-sum.test.ts, large-inputs.test.ts).
 */
import { verdictCell } from '../src/flow/diagnose.js';
import type { RemedySetting } from '../src/flow/remedy.js';
import { applied, layerNormSigmoid, offsetInputs, outcome, residualExploding, type RemedyOutcome, type RemedyRun } from './remedy-setups.js';

const SEEDS = [1, 2, 3];

/** A variant of a set-up: a label and the settings that make it from the run as it is. */
interface Variant {
  label: string;
  settings: RemedySetting[];
}

const range = (values: number[], digits: number, scale = 1) => `${(scale * Math.min(...values)).toFixed(digits)}–${(scale * Math.max(...values)).toFixed(digits)}`;

/** Runs `run` and each remedy seed 1's diagnosis offers (and `extra`) from every seed, printing a line per variant. */
async function measure(title: string, run: RemedyRun, extra: Variant[] = []): Promise<void> {
  const first = await outcome(run, SEEDS[0]);
  console.log(`\n${title}\n  seed 1: ${verdictCell(first.diagnosis)}\n  offered: ${first.diagnosis.remedies.map((r) => r.option).join(' | ') || 'nothing'}`);
  const offered = first.diagnosis.remedies.flatMap((r): Variant[] => [
    { label: r.option, settings: r.settings },
    ...(r.alternative ? [{ label: `its alternative, ${r.alternative.map((s) => `${s.option}: ${s.value}`).join(', ')}`, settings: r.alternative }] : []),
  ]);
  let base: RemedyOutcome[] = [];
  for (const variant of [{ label: 'the run as it is', settings: [] }, ...offered, ...extra]) {
    let outcomes: RemedyOutcome[];
    try {
      const changed = applied(run, variant.settings);
      outcomes = [];
      for (const seed of SEEDS) outcomes.push(await outcome(changed, seed));
    } catch (error) {
      console.log(`  ${variant.label}: ${(error as Error).message}`);
      continue;
    }
    if (variant.settings.length === 0) base = outcomes;
    const losses = outcomes.map((o) => o.loss);
    const falls = outcomes.map((o, i) => (base[i].loss - o.loss) / base[i].loss);
    const lower = falls.filter((f) => f > 0).length;
    const against = variant.settings.length === 0 ? '' : `; loss lower than the run's in ${lower} of ${SEEDS.length}, fall ${range(falls, 0, 100)} %`;
    console.log(
      `  ${variant.label}: accuracy ${range(outcomes.map((o) => o.accuracy), 1, 100)} %, loss ${range(losses, 3)}${against}\n` +
        outcomes.map((o, i) => `      seed ${SEEDS[i]}: accuracy ${(100 * o.accuracy).toFixed(1)} %, loss ${o.loss.toPrecision(4)}, ${verdictCell(o.diagnosis)}`).join('\n'),
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

// Not offered through residual blocks of gate 'none' (src/flow/diagnosis/verdict-remedies.ts): measured here beside the rest.
const clipAt1: Variant = { label: 'clipNorm: 1 (withheld)', settings: [{ option: 'clipNorm', value: '1', setting: 1 }] };

const chosen = process.argv.slice(2);
const wanted = (name: string) => chosen.length === 0 || chosen.includes(name);
const started = Date.now();
if (wanted('layer-norm-sigmoid')) {
  await measure('5 × (dense 16 → layer norm → sigmoid), SGD 0.1, 8 epochs in batches of 32', layerNormSigmoid(), [4, 8, 16, 32, 64].map(batchNormInPlace));
}
if (wanted('residual')) {
  for (const f of ['relu', 'tanh'] as const) {
    for (const epochs of [4, 20]) await measure(`a dense layer and 4 residual blocks of ${f}, SGD 0.1, ${epochs} epochs in batches of 32`, residualExploding(f, epochs), [clipAt1]);
  }
}
if (wanted('offset-inputs')) {
  for (const f of ['tanh', 'sigmoid', 'relu'] as const) await measure(`[4, 16, 16, 2] ${f} over rows about an offset of 1000, Adam, 50 epochs in batches of 32`, offsetInputs(f, 1000));
}
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
