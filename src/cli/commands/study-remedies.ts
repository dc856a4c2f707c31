/**
 * gradscope study remedies [--seconds 6] [--steps N] [--optimizers a,b] [--train 9000] [--test 1000] [--seed 1] [--json]
 * Every optimiser for the same CPU time (or steps) on a deep sigmoid network where plain SGD stalls.
 */
import { clockWords } from '../../budget-clock.js';
import { chosenContenders, REMEDIES_CLOCK, REMEDIES_SIZES, remediesContenders, runRemediesStudy, type RemediesRun } from '../../studies/remedies.js';
import { BACKEND_FLAG, booleanFlag, checkDigitFlags, checkOptionsAsUsage, choiceFlag, command, JSON_FLAG, jsonLine, listFlag, numberFlag, SEED_FLAG, TEST_FLAG, TRAIN_FLAG } from '../command.js';
import { formatTable, ratioColumn } from '../table.js';
import { sci } from '../../sci-text.js';
import { print, printErr } from '../terminal.js';
import { budgetFlag, budgetWords, SECONDS_FLAG, STEPS_FLAG } from '../budget-flags.js';
import { REMEDIES_DEFAULTS, STUDY_DIGITS } from '../../studies/study-defaults.js';
import { percentText } from '../../percent-text.js';
import { grouped } from '../../counted.js';
import { sizesList } from '../../layer-runs.js';
import { lossChangeText } from '../../loss-text.js';
import { accuracyAtChance, chanceOf, chanceWords } from '../../flow/chance.js';

/** --optimizers' help: the contenders the study runs (the default), and each one it cannot, with why (the optimiser's own rule). */
function optimizersAbout(): string {
  const contenders = remediesContenders();
  const runnable = contenders.filter((c) => c.refusal === undefined).map((c) => c.label);
  const refused = contenders.filter((c) => c.refusal !== undefined).map((c) => `${c.label} ${c.refusal}`);
  return `the optimisers to run, comma-separated, of ${runnable.join(', ')} (default: all of them)${refused.length ? `; not on this study's network: ${refused.join('; ')}` : ''}`;
}

/**
 * The table's rows, one per run, its numbers as the other tables show them; the last ÷ first ratios
 * as one column (ratioColumn: one format for every row, so 82.2× and 1.58e+5× are not side by side).
 */
export function remediesRows(runs: readonly RemediesRun[]): string[][] {
  const ratios = ratioColumn(runs.map((run) => (run.skipped !== undefined ? NaN : run.movementRatio!)));
  return runs.map((run, i) => {
    if (run.skipped !== undefined) return [run.label, '—', '—', '—', '—', ratios[i], 'not run (below)', '—'];
    return [
      run.label,
      grouped(run.steps!),
      `${(1000 * run.secondsPerStep!).toFixed(2)} ms`,
      sci(run.firstLayerMovement!),
      sci(run.lastLayerMovement!),
      ratios[i],
      lossChangeText(run.initialLoss!, run.trainLoss!),
      percentText(run.testAccuracy!),
    ];
  });
}

/**
 * What the table says, under it: what last/first is, and which optimisers left chance (the diagnosis's rule, accuracyAtChance,
 * among the network's classes) and which did not. The table alone left that reading to the README's paragraph under
 * its copy, and a run at another load or budget differs from that copy.
 */
export function remediesReading(runs: readonly RemediesRun[], testClassRows: readonly number[]): string[] {
  const chance = chanceOf(REMEDIES_SIZES[REMEDIES_SIZES.length - 1], testClassRows);
  const ran = runs.filter((run) => run.skipped === undefined);
  const labels = (keep: (run: RemediesRun) => boolean) => ran.filter(keep).map((run) => run.label);
  const at = labels((run) => accuracyAtChance(run.testAccuracy!, chance));
  const above = labels((run) => !at.includes(run.label) && run.testAccuracy! > chance.best);
  const below = labels((run) => !at.includes(run.label) && run.testAccuracy! < chance.worst);
  const list = (names: string[]) => (names.length ? names.join(', ') : 'none');
  return [
    'last/first: how many times further the last hidden layer moved than the first; where it is large, the first hidden layer barely moved beside the last (under plain SGD a step is the learning rate × the gradient: a layer whose gradient is small moves little), and near 1× the two moved alike.',
    `At chance, test accuracy no better than ${chanceWords(chance)}: ${list(at)}; above it: ${list(above)}${below.length ? `; below it: ${list(below)}` : ''}.`,
  ];
}

export const studyRemediesCommand = command({
  words: ['study', 'remedies'],
  summary: 'every optimiser for the same time or steps on a deep sigmoid net: layer movement ratio, loss, accuracy',
  flags: [
    SECONDS_FLAG(REMEDIES_DEFAULTS.seconds),
    STEPS_FLAG,
    { name: 'optimizers', value: 'A,B', about: optimizersAbout() },
    TRAIN_FLAG(STUDY_DIGITS.trainRows),
    TEST_FLAG(STUDY_DIGITS.testRows),
    SEED_FLAG,
    BACKEND_FLAG,
    JSON_FLAG,
  ],
  example: 'study remedies --seconds 2 --optimizers sgd,adam',
  async run(args, terminal) {
    const json = booleanFlag(args, 'json');
    const budget = budgetFlag(args);
    const options = {
      ...budget,
      trainRows: numberFlag(args, 'train'),
      testRows: numberFlag(args, 'test'),
      seed: numberFlag(args, 'seed'),
      backend: choiceFlag<'wasm' | 'ref'>(args, 'backend'),
      optimizers: listFlag(args, 'optimizers', remediesContenders().map((c) => c.label)),
    };
    checkDigitFlags(options.trainRows, options.testRows);
    // A contender the study cannot run (Levenberg-Marquardt needs mse; its net is cross-entropy) is the flag's fault: exit 2, before any work.
    checkOptionsAsUsage(args, { optimizers: 'optimizers' }, () => chosenContenders(options.optimizers));
    if (!json) {
      print(terminal, `Deep sigmoid network ${sizesList(REMEDIES_SIZES)}, standard init, softmax + cross-entropy, MNIST digits;`);
      print(terminal, `${budgetWords(budget, `${clockWords(REMEDIES_CLOCK)}: load shrinks the work less than on the wall clock, but still shrinks it`)}. Movement: Σ over steps of ‖ΔW‖ of the first and the last hidden layer.\n`);
    }
    const result = await runRemediesStudy({
      ...options,
      onRun: (run) => printErr(terminal, `remedies: ${run.label} done`),
    });
    if (json) {
      terminal.out(jsonLine(result));
      return;
    }
    const header = ['optimizer', 'steps', 'time/step', 'first moved', 'last moved', 'last/first', 'train loss', 'test accuracy'];
    print(terminal, formatTable(header, remediesRows(result.runs), terminal.columns));
    for (const line of remediesReading(result.runs, result.testClassRows)) print(terminal, line);
    print(terminal, '\nSettings:');
    for (const run of result.runs) print(terminal, `  ${run.label}: ${run.settings}${run.skipped ? `; not run: ${run.skipped}` : ''}`);
  },
});
