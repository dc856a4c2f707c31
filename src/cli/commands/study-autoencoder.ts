/**
 * gradscope study autoencoder [--seconds 30] [--loss bce|mse] [--train 3000] [--test 500]
 *   [--points 10] [--optimizers hessian-free,adam,sgd-momentum] [--seed 1] [--json]
 * Martens' headline: a deep sigmoid autoencoder with no pretraining, Hessian-free against Adam and
 * SGD with momentum for the same training time (CPU time); reconstruction error against seconds.
 */
import { AUTOENCODER_OPTIMIZERS, AUTOENCODER_SIZES, runAutoencoderStudy, type AutoencoderLoss } from '../../studies/autoencoder.js';
import { booleanFlag, type Command, checkDigitFlags, COUNT, listFlag, numberFlag, POSITIVE, stringFlag, UsageError, WHOLE } from '../command.js';
import { ProgressBar } from '../progress.js';
import { formatTable } from '../table.js';
import { print } from '../terminal.js';

const LOSS_FLAG: Record<string, AutoencoderLoss> = { bce: 'binary-cross-entropy', mse: 'mse' };

export const studyAutoencoderCommand: Command = {
  words: ['study', 'autoencoder'],
  summary: 'deep sigmoid autoencoder on the digits: Hessian-free vs Adam vs SGD for the same time',
  usage: 'gradscope study autoencoder [--seconds 30] [--loss bce|mse] [--train 3000] [--test 500] [--points 10] [--optimizers a,b] [--seed 1] [--json]',
  async run(args, terminal) {
    const lossName = stringFlag(args, 'loss') ?? 'bce';
    const loss = LOSS_FLAG[lossName];
    if (!loss) throw new UsageError(`--loss must be bce or mse, got '${lossName}'`);
    const json = booleanFlag(args, 'json');
    const optimizers = listFlag(args, 'optimizers', Object.keys(AUTOENCODER_OPTIMIZERS));
    const seconds = numberFlag(args, 'seconds', 30, POSITIVE);
    const options = {
      seconds,
      loss,
      trainRows: numberFlag(args, 'train', 3000, COUNT),
      testRows: numberFlag(args, 'test', 500, COUNT),
      points: numberFlag(args, 'points', 10, COUNT),
      seed: numberFlag(args, 'seed', 1, WHOLE),
      optimizers,
    };
    checkDigitFlags(options.trainRows, options.testRows);
    if (!json) {
      print(terminal, `Deep sigmoid autoencoder [${AUTOENCODER_SIZES.join('-')}], ${lossName}, no pretraining: ${seconds} s of training (CPU time of this process) per optimiser.`);
      print(terminal, 'Squared reconstruction error per image (sum over the 784 pixels), on training digits / held-out digits:\n');
    }
    let bar: ProgressBar | undefined;
    const result = await runAutoencoderStudy({
      ...options,
      onPoint: json
        ? undefined
        : (name, p) => {
            if (p.seconds === 0) {
              bar?.done();
              bar = new ProgressBar(terminal, name, seconds);
            }
            bar!.update(Math.min(p.seconds, seconds), `error ${p.trainError.toFixed(2)}`);
          },
    });
    if (json) {
      terminal.out(JSON.stringify(result) + '\n');
      return;
    }
    bar?.done();
    const header = ['CPU seconds', ...result.runs.map((r) => `${r.optimizer} train / test`)];
    const points = result.runs[0].curve.length;
    const rows = Array.from({ length: points }, (_, i) => [
      ((result.seconds * i) / (points - 1)).toFixed(1),
      ...result.runs.map((r) => `${r.curve[i].trainError.toFixed(2)} / ${r.curve[i].testError.toFixed(2)}`),
    ]);
    print(terminal, formatTable(header, rows));
    print(terminal, '');
    print(terminal, formatTable(['optimizer', 'steps', 'CPU s/step', 'settings'], result.runs.map((r) => [r.optimizer, r.curve[r.curve.length - 1].steps, r.secondsPerStep.toFixed(3), r.settings])));
    print(terminal, '\nEach curve point is taken when its optimiser has trained for at least that many CPU seconds (a step is never cut short).');
  },
};
