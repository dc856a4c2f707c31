/**
 * gradscope study autoencoder [--seconds 30] [--loss bce|mse] [--train 3000] [--test 500]
 *   [--points 10] [--optimizers hessian-free,adam,sgd-momentum] [--seed 1] [--json]
 * Martens' headline: a deep sigmoid autoencoder with no pretraining, Hessian-free against Adam and
 * SGD with momentum for the same training time (CPU time); reconstruction error against seconds.
 */
import { AUTOENCODER_OPTIMIZERS, AUTOENCODER_SIZES, runAutoencoderStudy, type AutoencoderLoss, type AutoencoderRun, type AutoencoderStudyResult } from '../../studies/autoencoder.js';
import { BACKEND_FLAG, booleanFlag, checkDigitFlags, choiceFlag, command, COUNT, JSON_FLAG, jsonLine, listFlag, numberFlag, POSITIVE, SEED_FLAG, TEST_FLAG, TRAIN_FLAG } from '../command.js';
import { ProgressBar } from '../progress.js';
import { formatTable } from '../table.js';
import { print } from '../terminal.js';
import { readingRoom, wrap } from '../prose.js';
import { AUTOENCODER_POINTS_BOUND, SECONDS_BOUND } from '../../studies/study-bounds.js';
import { AUTOENCODER_DEFAULTS } from '../../studies/study-defaults.js';
import { MARTENS_DIFFERENCES } from '../../studies/autoencoder-paper.js';
import { grouped } from '../../counted.js';
import { lossText } from '../../loss-text.js';

/**
 * The curves' table: a row per point, its CPU seconds and, for each optimiser, the steps it had taken by then (grouped, as
 * every count the training did) and its training / test error, each error as every loss prints (lossText: toFixed(2)
 * printed 0.00 for a small error and 1234.50 for a large one). The steps are what compare two runs: how many a CPU second
 * buys moves with the machine's load, what a step does does not.
 */
export function autoencoderCurveRows(result: Pick<AutoencoderStudyResult, 'seconds' | 'runs'>): string[][] {
  const points = result.runs[0].curve.length;
  return Array.from({ length: points }, (_, i) => [
    ((result.seconds * i) / (points - 1)).toFixed(1),
    ...result.runs.map((r) => `${grouped(r.curve[i].steps)} · ${lossText(r.curve[i].trainError)} / ${lossText(r.curve[i].testError)}`),
  ]);
}

/** The curves' table header: the seconds, then each optimiser's column as autoencoderCurveRows fills it. */
export function autoencoderCurveHeader(runs: readonly AutoencoderRun[]): string[] {
  return ['CPU seconds', ...runs.map((r) => `${r.optimizer} steps · train / test`)];
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

/** The note under the runs' table: why each curve point prints its optimiser's steps. */
export const AUTOENCODER_STEPS_NOTE =
  'Each curve point is taken when its optimiser has trained for at least that many CPU seconds (a step is never cut short), after the steps shown: the load moves how many steps a CPU second buys, so compare runs by their steps.';

const LOSS_FLAG: Record<'bce' | 'mse', AutoencoderLoss> = { bce: 'binary-cross-entropy', mse: 'mse' };

export const studyAutoencoderCommand = command({
  words: ['study', 'autoencoder'],
  summary: 'deep sigmoid autoencoder on the digits: Hessian-free vs Adam vs SGD for the same time',
  flags: [
    { name: 'seconds', value: 'S', default: AUTOENCODER_DEFAULTS.seconds, rule: { ...POSITIVE, ...SECONDS_BOUND }, about: 'CPU seconds of training per optimiser' },
    { name: 'loss', value: Object.keys(LOSS_FLAG).join('|'), default: 'bce', about: 'the reconstruction loss: binary cross-entropy or mean squared error' },
    TRAIN_FLAG(AUTOENCODER_DEFAULTS.trainRows),
    TEST_FLAG(AUTOENCODER_DEFAULTS.testRows),
    { name: 'points', value: 'N', default: AUTOENCODER_DEFAULTS.points, rule: { ...COUNT, ...AUTOENCODER_POINTS_BOUND }, about: 'points of each error curve after the start' },
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
    const seconds = numberFlag(args, 'seconds');
    const options = {
      seconds,
      loss,
      trainRows: numberFlag(args, 'train'),
      testRows: numberFlag(args, 'test'),
      points: numberFlag(args, 'points'),
      seed: numberFlag(args, 'seed'),
      backend: choiceFlag<'wasm' | 'ref'>(args, 'backend'),
      optimizers,
    };
    checkDigitFlags(options.trainRows, options.testRows);
    // Its prose wraps at READING_WIDTH (or a narrower terminal's width), in a file too, as the other studies' prose does.
    const room = readingRoom(terminal.columns);
    const prose = (text: string) => wrap(text, room, '');
    if (!json) {
      print(terminal, prose(`Deep sigmoid autoencoder [${AUTOENCODER_SIZES.join('-')}], ${lossName}, no pretraining: ${seconds} s of training (CPU time of this process) per optimiser.`));
      print(terminal, prose(`Steps taken · squared reconstruction error per image (sum over the ${AUTOENCODER_SIZES[0]} pixels), on training digits / held-out digits:`), '');
    }
    let bar: ProgressBar | undefined;
    const result = await runAutoencoderStudy({
      ...options,
      onPoint: (name, p) => {
        if (p.seconds === 0) {
          bar?.done();
          bar = new ProgressBar(terminal, name, seconds);
        }
        bar!.update(Math.min(p.seconds, seconds), `error ${lossText(p.trainError)}`);
      },
    });
    bar?.done();
    if (json) {
      terminal.out(jsonLine(result));
      return;
    }
    print(terminal, formatTable(autoencoderCurveHeader(result.runs), autoencoderCurveRows(result), terminal.columns));
    print(terminal, '');
    print(terminal, formatTable(AUTOENCODER_RUN_HEADER, autoencoderRunRows(result.runs), terminal.columns), ...autoencoderSettingsLines(result.runs));
    print(terminal, '', prose(AUTOENCODER_STEPS_NOTE));
  },
});
