/**
 * gradscope study autoencoder [--seconds 30] [--steps N] [--loss bce|mse] [--train 3000] [--test 500]
 *   [--points 10] [--optimizers hessian-free,adam,sgd-momentum] [--seed 1] [--json]
 * Martens' headline: a deep sigmoid autoencoder with no pretraining, Hessian-free against Adam and
 * SGD with momentum for the same training time (CPU time) or steps; reconstruction error against seconds or steps.
 */
import { AUTOENCODER_OPTIMIZERS, AUTOENCODER_SIZES, runAutoencoderStudy, type AutoencoderLoss, type AutoencoderRun, type AutoencoderStudyResult, type CurvePoint, AUTOENCODER_CLOCK, checkPointsWithinSteps } from '../../studies/autoencoder.js';
import { BACKEND_FLAG, booleanFlag, checkDigitFlags, checkOptionsAsUsage, choiceFlag, command, COUNT, JSON_FLAG, jsonLine, listFlag, numberFlag, SEED_FLAG, TEST_FLAG, TRAIN_FLAG } from '../command.js';
import { ProgressBar } from '../progress.js';
import { formatTable } from '../table.js';
import { print } from '../terminal.js';
import { readingRoom, wrap } from '../prose.js';
import { AUTOENCODER_POINTS_BOUND } from '../../studies/study-bounds.js';
import { budgetFlag, budgetWords, SECONDS_FLAG, STEPS_FLAG } from '../budget-flags.js';
import { clockWords } from '../../budget-clock.js';
import type { StudyBudget } from '../../studies/study-budget.js';
import { AUTOENCODER_DEFAULTS } from '../../studies/study-defaults.js';
import { MARTENS_DIFFERENCES } from '../../studies/autoencoder-paper.js';
import { grouped } from '../../counted.js';
import { lossText } from '../../loss-text.js';

/**
 * The curves' table: a row per point, and for each optimiser its training / test error there, each error as every loss prints
 * (lossText: toFixed(2) printed 0.00 for a small error and 1234.50 for a large one). Under a budget of seconds a row is its CPU
 * seconds and each optimiser's cell holds the steps it had taken by then (grouped, as every count the training did): the steps
 * are what compare two runs, how many a CPU second buys moving with the machine's load. Under a budget of steps a row is its
 * steps, the same for every optimiser, and each cell holds the CPU seconds they took.
 */
export function autoencoderCurveRows(result: Pick<AutoencoderStudyResult, 'budget' | 'runs'>): string[][] {
  const { budget, runs } = result;
  const points = runs[0].curve.length;
  const errors = (p: CurvePoint) => `${lossText(p.trainError)} / ${lossText(p.testError)}`;
  return Array.from({ length: points }, (_, i) =>
    budget.steps === undefined
      ? [((budget.seconds * i) / (points - 1)).toFixed(1), ...runs.map((r) => `${grouped(r.curve[i].steps)} · ${errors(r.curve[i])}`)]
      : [grouped(runs[0].curve[i].steps), ...runs.map((r) => `${r.curve[i].seconds.toFixed(1)} · ${errors(r.curve[i])}`)],
  );
}

/** The curves' table header: the seconds (or steps), then each optimiser's column as autoencoderCurveRows fills it. */
export function autoencoderCurveHeader(runs: readonly AutoencoderRun[], budget: StudyBudget): string[] {
  return budget.steps === undefined ? ['CPU seconds', ...runs.map((r) => `${r.optimizer} steps · train / test`)] : ['steps', ...runs.map((r) => `${r.optimizer} CPU s · train / test`)];
}

/** The runs' table header (autoencoderRunRows fills it). */
export const AUTOENCODER_RUN_HEADER = ['optimizer', 'steps', 'CPU s/step'];

/** The runs' table rows: optimizer, steps (grouped, as every count the training did: '1,082'), CPU s/step. */
export function autoencoderRunRows(runs: readonly AutoencoderRun[]): string[][] {
  return runs.map((r) => [r.optimizer, grouped(r.curve[r.curve.length - 1].steps), r.secondsPerStep.toFixed(3)]);
}

/**
 * Each run's settings, `optimizer: settings`, a line each under the runs' table. As the table's last column they were
 * right-aligned to the widest (Hessian-free's 85 characters), and at READING_WIDTH a part of the table of their own.
 */
export function autoencoderSettingsLines(runs: readonly AutoencoderRun[]): string[] {
  return runs.map((r) => `${r.optimizer}: ${r.settings}`);
}

/** The note under the runs' table: why each curve point prints its optimiser's steps (under a budget of seconds), or its seconds (of steps). */
export function autoencoderCurveNote(budget: StudyBudget): string {
  return budget.steps === undefined
    ? 'Each curve point is taken when its optimiser has trained for at least that many CPU seconds (a step is never cut short), after the steps shown: the load moves how many steps a CPU second buys, so compare runs by their steps.'
    : 'Each curve point is taken after that many steps of each optimiser (the budget divided among the points, rounded), the CPU seconds they took beside it: the load moves the seconds, not the errors, so a run of the same seed and steps replays.';
}

const LOSS_FLAG: Record<'bce' | 'mse', AutoencoderLoss> = { bce: 'binary-cross-entropy', mse: 'mse' };

export const studyAutoencoderCommand = command({
  words: ['study', 'autoencoder'],
  summary: 'deep sigmoid autoencoder on the digits: Hessian-free vs Adam vs SGD for the same time or steps',
  flags: [
    SECONDS_FLAG(AUTOENCODER_DEFAULTS.seconds),
    STEPS_FLAG,
    { name: 'loss', value: Object.keys(LOSS_FLAG).join('|'), default: 'bce', about: 'the reconstruction loss: binary cross-entropy or mean squared error' },
    TRAIN_FLAG(AUTOENCODER_DEFAULTS.trainRows),
    TEST_FLAG(AUTOENCODER_DEFAULTS.testRows),
    { name: 'points', value: 'N', default: AUTOENCODER_DEFAULTS.points, rule: { ...COUNT, ...AUTOENCODER_POINTS_BOUND }, about: 'points of each error curve after the start (under --steps, at most the steps)' },
    { name: 'optimizers', value: 'A,B', about: `the optimisers to run, comma-separated, of ${Object.keys(AUTOENCODER_OPTIMIZERS).join(', ')} (default: all)` },
    // The study takes its rows in order (shuffle: false): the seed orders no batches.
    { ...SEED_FLAG, about: "the random seed (the initial weights: Martens' sparse init, the same for every optimiser)" },
    BACKEND_FLAG,
    JSON_FLAG,
  ],
  notes: [MARTENS_DIFFERENCES],
  example: 'study autoencoder --seconds 10 --optimizers hessian-free,adam',
  async run(args, terminal) {
    const lossName = choiceFlag<keyof typeof LOSS_FLAG>(args, 'loss')!;
    const loss = LOSS_FLAG[lossName];
    const json = booleanFlag(args, 'json');
    const optimizers = listFlag(args, 'optimizers', Object.keys(AUTOENCODER_OPTIMIZERS));
    const budget = budgetFlag(args);
    const options = {
      ...budget,
      loss,
      trainRows: numberFlag(args, 'train'),
      testRows: numberFlag(args, 'test'),
      // Absent, the library's default, which fits a short --steps.
      points: args.flags.has('points') ? numberFlag(args, 'points') : undefined,
      seed: numberFlag(args, 'seed'),
      backend: choiceFlag<'wasm' | 'ref'>(args, 'backend'),
      optimizers,
    };
    checkDigitFlags(options.trainRows, options.testRows);
    checkOptionsAsUsage(args, { 'autoencoder points': 'points', 'autoencoder steps': 'steps' }, () => options.points !== undefined && checkPointsWithinSteps(options.points, budget));
    // Its prose wraps at READING_WIDTH (or a narrower terminal's width), in a file too, as the other studies' prose does.
    const room = readingRoom(terminal.columns);
    const prose = (text: string) => wrap(text, room, '');
    if (!json) {
      print(terminal, prose(`Deep sigmoid autoencoder [${AUTOENCODER_SIZES.join('-')}], ${lossName}, no pretraining: ${budgetWords(budget, clockWords(AUTOENCODER_CLOCK))}.`));
      print(terminal, prose(`${budget.steps === undefined ? 'Steps taken' : 'CPU seconds taken'} · squared reconstruction error per image (sum over the ${AUTOENCODER_SIZES[0]} pixels), on training digits / held-out digits:`), '');
    }
    let bar: ProgressBar | undefined;
    let barOf: string | undefined;
    const result = await runAutoencoderStudy({
      ...options,
      onPoint: (name, p) => {
        if (name !== barOf) {
          bar?.done();
          bar = new ProgressBar(terminal, name, budget.steps ?? budget.seconds);
          barOf = name;
        }
        bar!.update(budget.steps === undefined ? Math.min(p.seconds, budget.seconds) : p.steps, `error ${lossText(p.trainError)}`);
      },
    });
    bar?.done();
    if (json) {
      terminal.out(jsonLine(result));
      return;
    }
    print(terminal, formatTable(autoencoderCurveHeader(result.runs, result.budget), autoencoderCurveRows(result), terminal.columns));
    print(terminal, '');
    print(terminal, formatTable(AUTOENCODER_RUN_HEADER, autoencoderRunRows(result.runs), terminal.columns), ...autoencoderSettingsLines(result.runs));
    print(terminal, '', prose(autoencoderCurveNote(result.budget)));
  },
});
