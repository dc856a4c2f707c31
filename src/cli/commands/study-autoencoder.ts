/**
 * gradscope study autoencoder [--seconds 30] [--loss bce|mse] [--train 3000] [--test 500]
 *   [--points 10] [--optimizers hessian-free,adam,sgd-momentum] [--seed 1] [--json]
 * Martens' headline: a deep sigmoid autoencoder with no pretraining, Hessian-free against Adam and
 * SGD with momentum for the same training time (CPU time); reconstruction error against seconds.
 */
import { AUTOENCODER_SIZES, runAutoencoderStudy, type AutoencoderLoss } from '../../studies/autoencoder.js';
import { booleanFlag, type Command, COUNT, numberFlag, POSITIVE, stringFlag, UsageError, WHOLE } from '../command.js';
import { formatTable } from '../table.js';

const LOSS_FLAG: Record<string, AutoencoderLoss> = { bce: 'binary-cross-entropy', mse: 'mse' };

export const studyAutoencoderCommand: Command = {
  words: ['study', 'autoencoder'],
  summary: 'deep sigmoid autoencoder on the digits: Hessian-free vs Adam vs SGD for the same time',
  usage: 'gradscope study autoencoder [--seconds 30] [--loss bce|mse] [--train 3000] [--test 500] [--points 10] [--optimizers a,b] [--seed 1] [--json]',
  async run(args) {
    const lossName = stringFlag(args, 'loss') ?? 'bce';
    const loss = LOSS_FLAG[lossName];
    if (!loss) throw new UsageError(`--loss must be bce or mse, got '${lossName}'`);
    const json = booleanFlag(args, 'json');
    const optimizers = stringFlag(args, 'optimizers')?.split(',');
    const seconds = numberFlag(args, 'seconds', 30, POSITIVE);
    if (!json) {
      console.log(`Deep sigmoid autoencoder [${AUTOENCODER_SIZES.join('-')}], ${lossName}, no pretraining: ${seconds} s of training (CPU time of this process) per optimiser.`);
      console.log('Squared reconstruction error per image (sum over the 784 pixels), on training digits / held-out digits:\n');
    }
    const result = await runAutoencoderStudy({
      seconds,
      loss,
      trainRows: numberFlag(args, 'train', 3000, COUNT),
      testRows: numberFlag(args, 'test', 500, COUNT),
      points: numberFlag(args, 'points', 10, COUNT),
      seed: numberFlag(args, 'seed', 1, WHOLE),
      optimizers,
      onPoint: json ? undefined : (name, p) => process.stderr.write(`\r${name}: ${p.seconds.toFixed(1)} s, error ${p.trainError.toFixed(2)}\x1b[K`),
    });
    if (json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return;
    }
    process.stderr.write('\r\x1b[K');
    const header = ['CPU seconds', ...result.runs.map((r) => `${r.optimizer} train / test`)];
    const points = result.runs[0].curve.length;
    const rows = Array.from({ length: points }, (_, i) => [
      ((result.seconds * i) / (points - 1)).toFixed(1),
      ...result.runs.map((r) => `${r.curve[i].trainError.toFixed(2)} / ${r.curve[i].testError.toFixed(2)}`),
    ]);
    console.log(formatTable(header, rows));
    console.log('');
    console.log(formatTable(['optimizer', 'steps', 'CPU s/step', 'settings'], result.runs.map((r) => [r.optimizer, r.curve[r.curve.length - 1].steps, r.secondsPerStep.toFixed(3), r.settings])));
    console.log('\nEach curve point is taken when its optimiser has trained for at least that many CPU seconds (a step is never cut short).');
  },
};
