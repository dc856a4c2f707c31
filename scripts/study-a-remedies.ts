/**
 * What each remedy diagnose() offers for study (a)'s deepest network does on that network trained as the study trains it
 * (docs/studies.md, the paragraph "What each remedy offered for the deepest network does …" and its table): [784,30,30,30,30,10] with Nielsen's network ends
 * (DEPTH_NETWORK_OPTIONS), the first 1,000 digits in one batch, η 0.1, L2 λ = 5, 500 epochs, seed 1; then each remedy the
 * diagnosis offers (and its alternative) applied by its settings' data as a program applies them (scripts/remedy-setups.ts'
 * `applied`: a switch of the optimiser by name runs that optimiser's defaults, without the run's L2), trained the same way.
 * Prints a markdown row per run: the remedy, the training loss over the 1,000 digits and the test accuracy over loadMnist's
 * 1,000 test digits (both evaluation mode), the verdict, and the seconds it took.
 *
 *   nice -n 19 npx tsx scripts/study-a-remedies.ts [--skip kfac,hessian-free]
 *
 * --skip leaves out the remedies whose option names one of the given optimisers (K-FAC's 500 epochs take ~3 minutes).
 */
import { loadMnist } from '../src/node.js';
import { verdictCell } from '../src/flow/diagnose.js';
import type { RemedySetting } from '../src/flow/remedy.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, DEPTH_TRAINING_SEED, NIELSEN_TRAINING, nielsenTraining } from '../src/studies/depth.js';
import { applied, outcome, type RemedyRun } from './remedy-setups.js';
import { createNetwork } from '../src/api/network.js';
import { diagnose } from '../src/flow/diagnose.js';

const args = process.argv.slice(2);
const skip = args[0] === '--skip' ? (args[1] ?? '').split(',') : [];
const { train, test } = await loadMnist({ take: { train: DEPTH_ROWS } });
const rows = (m: { rows: number; cols: number; data: Float32Array }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const study: RemedyRun = {
  x: rows(train.x as never),
  y: rows(train.y as never),
  net: { sizes: [...DEPTH_NETWORKS.at(-1)!], ...DEPTH_NETWORK_OPTIONS },
  train: { epochs: NIELSEN_TRAINING.epochs, ...nielsenTraining(DEPTH_ROWS), trace: { every: 10 } },
};

/** `run` trained from seed 1, as the table's row: its training loss, test accuracy and verdict. */
async function row(label: string, run: RemedyRun): Promise<void> {
  const started = Date.now();
  const net = await createNetwork({ ...run.net, seed: DEPTH_TRAINING_SEED });
  try {
    net.train(run.x, run.y, run.train);
    const loss = net.evaluate(run.x, run.y).loss;
    const accuracy = net.evaluate(test.x, test.y).accuracy!;
    console.log(`| ${label} | ${loss.toFixed(4)} | ${(100 * accuracy).toFixed(1)} % | ${verdictCell(diagnose(net.trace!))} | ${((Date.now() - started) / 1000).toFixed(0)} s |`);
  } catch (error) {
    console.log(`| ${label} | threw: ${(error as Error).message.slice(0, 160)} | | | ${((Date.now() - started) / 1000).toFixed(0)} s |`);
  } finally {
    net.dispose();
  }
}

const first = await outcome(study, DEPTH_TRAINING_SEED);
console.log('| change | training loss | test accuracy | verdict | time |\n|---|---:|---:|---|---:|');
await row('none (the study\'s run)', study);
const variants = first.diagnosis.remedies.flatMap((r): { label: string; settings: readonly RemedySetting[] }[] => [
  { label: `\`${r.option.replace(/ \(or .*\)$/, '')}\``, settings: r.settings },
  ...(r.alternative ? [{ label: `its alternative, \`${/ \(or (.*)\)$/.exec(r.option)?.[1] ?? ''}\``, settings: r.alternative }] : []),
]);
for (const v of variants) {
  if (skip.some((name) => name && v.label.includes(`'${name}'`))) {
    console.log(`| ${v.label} | not run (--skip) | | | |`);
    continue;
  }
  try {
    await row(v.label, applied(study, v.settings));
  } catch (error) {
    console.log(`| ${v.label} | NOT APPLIED: ${(error as Error).message} | | | |`);
  }
}
