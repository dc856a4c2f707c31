/**
 * The note `gradscope train` gives when a run took steps and no weight moved (edges47 #16): a learning rate so small that every
 * update is below the resolution of the numbers it is added to rounds each one to nothing, and the run printed its epochs as
 * if it trained (`--learning-rate 1e-20`: the same test loss and accuracy after every epoch, and nothing said why). It is given
 * where train() found every weight matrix bit for bit as before its first step (TrainResult.unmovedWeights, which says why) and
 * the checked rows' loss after every epoch is the one before the first, so only where no step changed a weight or what the
 * network computes, never for a slow run. Where only some weight matrices stayed as they were, or every one did while the loss moved
 * (biases, say, took the steps), the note names them as the trace tables do, 'hidden 1 (0.weight)' (prose52's left-alone 2: per-layer
 * rates, or dead units that pass no gradient back, left a layer as made without a word).
 */
import type { Network } from '../api/network.js';
import { counted } from '../counted.js';
import { moduleOf, networkLayerLabels, parameterLabel } from '../layer-names.js';
import { andList } from '../list-text.js';
import { MODEL } from '../model.js';
import { givenFloat32Text } from '../number-text.js';
import { UNIT_ROUNDOFF } from '../optim/damping.js';
import { sci } from '../sci-text.js';
import type { TrainResult } from '../training/train-options.js';

/**
 * The note, or undefined where the run took no step (every batch left out, or none) or every weight matrix moved (`unmoved` is
 * empty: TrainResult.unmovedWeights, or the command's own comparison where train() made none). Where every weight matrix is in
 * `unmoved` and the checked rows' loss after every epoch (TrainResult's validation) is `initialLoss`, theirs before the first, it
 * says no weight moved; elsewhere it names the matrices that did not (unmovedSomeNote). `trained`: what train() returned.
 */
export function unmovedNote(net: Network, trained: TrainResult, unmoved: readonly string[], initialLoss: number, clipNorm?: number): string | undefined {
  const steps = trained.epochs.reduce((sum, epoch) => sum + epoch.batches, 0);
  if (steps === 0 || unmoved.length === 0) return undefined;
  const some = unmoved.length < net.parameters().filter((parameter) => parameter.weightMatrix).length;
  if (some || !trained.epochs.every((epoch) => epoch.validation?.loss === initialLoss)) return unmovedSomeNote(net, trained, unmoved, steps, some, clipNorm);
  const none = `Note: no weight moved in the run's ${counted(steps, 'step')}`;
  const same = 'the epochs above measured the network as it was made (the same loss after each)';
  // An optimiser with no rate (a line search that refused every step, say) is not said to have rounded anything away: no cause is given.
  if (trained.learningRate === undefined) return `${none}: ${same}.`;
  return (
    `${none}: every update of a weight ${roundedAway(net, trained.learningRate, clipNorm)}, so each rounded to nothing, and ${same}. ` +
    `A ${clipNorm === undefined ? '--learning-rate' : '--learning-rate or --clip-norm'} at which the updates pass that share moves them.`
  );
}

/**
 * Where some weight matrices stayed bit for bit as made (`some`: others moved) or every one did while the loss moved (something
 * else the network holds changed it: biases, a batch norm's running statistics): the unmoved named as the trace tables name their
 * layers, then by their PyTorch names (parameterLabel), and why an update leaves a weight as it was, with no cause claimed between
 * the two: rounding (per-layer rates, a small rate on a faded gradient) or a gradient of 0 (dead units pass none back; ∂C/∂W is
 * δ times the layer's input, so an input of 0 gives none: test/cli/train's file of rows alike at 0).
 */
function unmovedSomeNote(net: Network, trained: TrainResult, unmoved: readonly string[], steps: number, some: boolean, clipNorm?: number): string {
  const labelOf = networkLayerLabels(net[MODEL]);
  const names = andList(net.parameters().filter((parameter) => unmoved.includes(parameter.name)).map((parameter) => parameterLabel(parameter, labelOf(parameter.group, moduleOf(parameter.name)))));
  const stayed = some ? `the weights of ${names} did not move` : `no weight of ${names} moved`;
  // An optimiser with no rate (a line search that refused every step, say) is given no cause, as in the note for every weight.
  const why = trained.learningRate === undefined ? '' : `: each update of theirs ${roundedAway(net, trained.learningRate, clipNorm)}, or was 0 where their gradient was (dead units pass none back; inputs of 0 give none)`;
  const moved = some ? 'The other weight matrices moved.' : 'What else the network holds (its biases, say) changed the loss above.';
  return `Note: ${stayed} in the run's ${counted(steps, 'step')}${why}. ${moved}`;
}

/**
 * Why an update leaves a weight bit for bit as it was, after 'every update of a weight' or 'each update of theirs': the rate times
 * the gradient (clipped where --clip-norm was given) was below the resolution of the number it was added to, with the share of a
 * weight's size lost to rounding.
 */
function roundedAway(net: Network, learningRate: number, clipNorm: number | undefined): string {
  const precision = net.kernels.precision;
  const share = UNIT_ROUNDOFF[precision];
  // A clip norm sets the gradient's size, so a tiny one rounds the steps away at any rate (review51 #3): it is named with the rate.
  const gradient = clipNorm === undefined ? 'its gradient' : `its gradient clipped to a norm of ${givenFloat32Text(clipNorm)} by --clip-norm`;
  return (
    `(learning rate ${givenFloat32Text(learningRate)} × ${gradient}, as the optimiser scales it) was below the resolution of the ${precision === 'f32' ? 'float32' : 'float64'} number it was added to ` +
    // Half a step of the number's spacing is lost to round-to-nearest: between half and all of the machine epsilon of its size (review51 #11).
    `(a change under about ${sci(share / 2)} to ${sci(share)} of a weight's size, half the spacing of the numbers there, is lost in its rounding)`
  );
}
