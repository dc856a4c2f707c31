/**
 * The note `gradscope train` gives when a run took steps and no weight moved (edges47 #16): a learning rate so small that every
 * update is below the resolution of the numbers it is added to rounds each one to nothing, and the run printed its epochs as
 * if it trained (`--learning-rate 1e-20`: the same test loss and accuracy after every epoch, and nothing said why). It is given
 * where train() found every weight matrix bit for bit as before its first step (TrainResult.unmovedWeights, which says why) and
 * the checked rows' loss after every epoch is the one before the first, so only where no step changed a weight or what the
 * network computes, never for a slow run.
 */
import type { Network } from '../api/network.js';
import { counted } from '../counted.js';
import { givenFloat32Text } from '../number-text.js';
import { UNIT_ROUNDOFF } from '../optim/damping.js';
import { sci } from '../sci-text.js';
import type { TrainResult } from '../training/train-options.js';

/**
 * The note, or undefined where the run took no step (every batch left out, or none), some weight matrix moved (not every one is
 * in `unmoved`: TrainResult.unmovedWeights, or the command's own comparison where train() made none) or the checked rows' loss
 * after an epoch (TrainResult's validation) differs from `initialLoss`, theirs before the first. `trained`: what train() returned.
 */
export function unmovedNote(net: Network, trained: TrainResult, unmoved: readonly string[], initialLoss: number, clipNorm?: number): string | undefined {
  const steps = trained.epochs.reduce((sum, epoch) => sum + epoch.batches, 0);
  if (steps === 0 || !trained.epochs.every((epoch) => epoch.validation?.loss === initialLoss)) return undefined;
  const weightMatrices = net.parameters().filter((parameter) => parameter.weightMatrix).length;
  if (unmoved.length < weightMatrices) return undefined;
  const none = `Note: no weight moved in the run's ${counted(steps, 'step')}`;
  const same = 'the epochs above measured the network as it was made (the same loss after each)';
  // An optimiser with no rate (a line search that refused every step, say) is not said to have rounded anything away: no cause is given.
  if (trained.learningRate === undefined) return `${none}: ${same}.`;
  const precision = net.kernels.precision;
  const share = UNIT_ROUNDOFF[precision];
  // A clip norm sets the gradient's size, so a tiny one rounds the steps away at any rate (review51 #3): it is named with the rate.
  const gradient = clipNorm === undefined ? 'its gradient' : `its gradient clipped to a norm of ${givenFloat32Text(clipNorm)} by --clip-norm`;
  return (
    `${none}: every update of a weight (learning rate ${givenFloat32Text(trained.learningRate)} × ${gradient}, as the optimiser scales it) was below the resolution of the ${precision === 'f32' ? 'float32' : 'float64'} number it was added to ` +
    // Half a step of the number's spacing is lost to round-to-nearest: between half and all of the machine epsilon of its size (review51 #11).
    `(a change under about ${sci(share / 2)} to ${sci(share)} of a weight's size, half the spacing of the numbers there, is lost in its rounding), so each rounded to nothing, and ${same}. ` +
    `A ${clipNorm === undefined ? '--learning-rate' : '--learning-rate or --clip-norm'} at which the updates pass that share moves them.`
  );
}
