/**
 * The note `gradscope train` gives when a run took steps and no weight moved (edges47 #16): a learning rate so small that every
 * update is below the resolution of the numbers it is added to rounds each one to nothing, and the run printed its epochs as
 * if it trained (`--learning-rate 1e-20`: the same test loss and accuracy after every epoch, and nothing said why). The
 * weight matrices are compared bit for bit and the checked rows' loss after every epoch with the one before the first, so
 * the note is given only where no step changed a weight or what the network computes, never for a slow run. Biases are
 * left out of the comparison: one at 0 takes even a 1e-20 step (float32 holds numbers that small), too small to change an
 * output, which the loss then shows.
 */
import type { Network } from '../api/network.js';
import { counted } from '../counted.js';
import { givenFloat32Text } from '../number-text.js';
import { UNIT_ROUNDOFF } from '../optim/damping.js';
import { sci } from '../sci-text.js';
import type { TrainResult } from '../training/train-options.js';

/** The values of `net`'s weight matrices as they are now, copied (the backend's views change as it trains). */
export function weightsNow(net: Network): Float64Array[] {
  return net.parameters().filter((parameter) => parameter.weightMatrix).map((parameter) => Float64Array.from(net.kernels.view(parameter.value)));
}

/**
 * The note, or undefined where the run took no step (every batch left out, or none), some weight moved or the checked rows'
 * loss after an epoch (TrainResult's validation) differs from `initialLoss`, theirs before the first. `before`: weightsNow
 * before train(); `trained`: what it returned.
 */
export function unmovedNote(net: Network, before: readonly Float64Array[], trained: TrainResult, initialLoss: number): string | undefined {
  const steps = trained.epochs.reduce((sum, epoch) => sum + epoch.batches, 0);
  if (steps === 0 || !trained.epochs.every((epoch) => epoch.validation?.loss === initialLoss)) return undefined;
  const after = weightsNow(net);
  if (after.some((values, p) => values.some((v, i) => !Object.is(v, before[p][i])))) return undefined;
  const precision = net.kernels.precision;
  const share = UNIT_ROUNDOFF[precision];
  const update = trained.learningRate === undefined ? 'every update the optimiser chose' : `every update of a weight (learning rate ${givenFloat32Text(trained.learningRate)} × its gradient, as the optimiser scales it)`;
  return (
    `Note: no weight moved in the run's ${counted(steps, 'step')}: ${update} was below the resolution of the ${precision === 'f32' ? 'float32' : 'float64'} number it was added to ` +
    `(a change under about ${sci(share)} of a weight's size is lost in its rounding), so each rounded to nothing, and the epochs above measured the network as it was made (the same loss after each). ` +
    `A --learning-rate at which the updates pass that share moves them.`
  );
}
