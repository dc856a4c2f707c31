/**
 * What each remedy diagnose() offers for study (a)'s deepest network does on that network trained as the study trains it
 * (docs/studies.md, the paragraph "What each remedy offered for the deepest network does …" and its table; the runs and their
 * words: scripts/study-a-remedy-rows.ts). Prints a markdown row per run: the change, the training loss over the 1,000 digits
 * and the test accuracy over loadMnist's 1,000 test digits (both evaluation mode), the verdict, and the seconds it took.
 *
 *   nice -n 19 npx tsx scripts/study-a-remedies.ts [--skip kfac,hessian-free]
 *
 * --skip leaves out the remedies that switch to one of the given optimisers (K-FAC's 500 epochs take ~3 minutes).
 */
import { applied } from './remedy-setups.js';
import { remedyVariants, rowCells, studyARun } from './study-a-remedy-rows.js';

const args = process.argv.slice(2);
const skip = args[0] === '--skip' ? (args[1] ?? '').split(',') : [];
const { study, test } = await studyARun();

/** Prints `label`'s row from `cells` (the run's), with the seconds since `started`, or what the run threw. */
async function row(label: string, cells: () => ReturnType<typeof rowCells>): Promise<Awaited<ReturnType<typeof rowCells>> | undefined> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  try {
    const c = await cells();
    console.log(`| ${label} | ${c.loss} | ${c.accuracy} | ${c.verdict} | ${seconds()} s |`);
    return c;
  } catch (error) {
    console.log(`| ${label} | threw: ${(error as Error).message.slice(0, 160)} | | | ${seconds()} s |`);
    return undefined;
  }
}

console.log('| change | training loss | test accuracy | verdict | time |\n|---|---:|---:|---|---:|');
const first = await row("none (the study's run)", () => rowCells(study, test));
if (!first) process.exit(1);
for (const v of remedyVariants(first.diagnosis)) {
  if (v.optimizer !== undefined && skip.includes(v.optimizer)) {
    console.log(`| ${v.label} | not run (--skip) | | | |`);
    continue;
  }
  await row(v.label, () => rowCells(applied(study, v.settings), test));
}
