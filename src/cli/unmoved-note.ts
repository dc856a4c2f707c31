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
 * says no weight moved; elsewhere it names the matrices that did not (unmovedSomeNote). Each with its one cause (causeWords):
 * a gradient of 0 at every step where TrainResult.zeroGradientWeights has it, its updates rounded away elsewhere. `trained`: what
 * train() returned.
 */
export function unmovedNote(net: Network, trained: TrainResult, unmoved: readonly string[], initialLoss: number, clipNorm?: number): string | undefined {
  const steps = trained.epochs.reduce((sum, epoch) => sum + epoch.batches, 0);
  if (steps === 0 || unmoved.length === 0) return undefined;
  const some = unmoved.length < net.parameters().filter((parameter) => parameter.weightMatrix).length;
  if (some || !trained.epochs.every((epoch) => epoch.validation?.loss === initialLoss)) return unmovedSomeNote(net, trained, unmoved, steps, some, clipNorm);
  const none = `Note: no weight moved in the run's ${counted(steps, 'step')}`;
  const same = 'the epochs above measured the network as it was made (the same loss after each)';
  const { zero, rounded } = causes(trained, unmoved);
  // An optimiser with no rate (a line search that refused every step, say) is not said to have rounded anything away.
  const roundedWords = trained.learningRate === undefined ? '' : roundedAway(net, trained.learningRate, clipNorm);
  if (zero.length === 0) {
    if (!roundedWords) return `${none}: ${same}.`;
    return (
      `${none}: every update of a weight ${roundedWords}, so each rounded to nothing, and ${same}. ` +
      `A ${clipNorm === undefined ? '--learning-rate' : '--learning-rate or --clip-norm'} at which the updates pass that share moves them.`
    );
  }
  if (rounded.length === 0) return `${none}: their gradient ${ZERO_GRADIENT}, and ${same}.`;
  return `${none}${causeWords(net, trained, unmoved, clipNorm)}, and ${same}.`;
}

/** Why a weight matrix got no update: said where TrainResult.zeroGradientWeights names it. */
const ZERO_GRADIENT = 'was 0 at every step (dead units pass none back; inputs of 0 give none)';

/** Of `unmoved`, those whose gradient was 0 at every step (TrainResult.zeroGradientWeights) and the rest, whose updates rounded away. */
function causes(trained: TrainResult, unmoved: readonly string[]): { zero: string[]; rounded: string[] } {
  const zero = unmoved.filter((name) => trained.zeroGradientWeights?.includes(name));
  return { zero, rounded: unmoved.filter((name) => !zero.includes(name)) };
}

/**
 * Where some weight matrices stayed bit for bit as made (`some`: others moved) or every one did while the loss moved (something
 * else the network holds changed it: biases, a batch norm's running statistics): the unmoved named as the trace tables name their
 * layers, then by their PyTorch names (parameterLabel), and why (causeWords).
 */
function unmovedSomeNote(net: Network, trained: TrainResult, unmoved: readonly string[], steps: number, some: boolean, clipNorm?: number): string {
  const names = namedMatrices(net, unmoved);
  const stayed = some ? `the weights of ${names} did not move` : `no weight of ${names} moved`;
  const moved = some ? 'The other weight matrices moved.' : 'What else the network holds (its biases, say) changed the loss above.';
  return `Note: ${stayed} in the run's ${counted(steps, 'step')}${causeWords(net, trained, unmoved, clipNorm)}. ${moved}`;
}

/** `names`' matrices as the trace tables name their layers, then by their PyTorch names (parameterLabel): 'hidden 1 (0.weight)'. */
function namedMatrices(net: Network, names: readonly string[]): string {
  const labelOf = networkLayerLabels(net[MODEL]);
  return andList(net.parameters().filter((parameter) => names.includes(parameter.name)).map((parameter) => parameterLabel(parameter, labelOf(parameter.group, moduleOf(parameter.name)))));
}

/**
 * Why the `unmoved` matrices stayed as they were, each by its one cause, after the words naming them (prose54's left-alone 3: with
 * no record of which, it gave both, "or was 0 where their gradient was"): ': their gradient was 0 at every step (…)' where
 * TrainResult.zeroGradientWeights names them (dead units pass none back; ∂C/∂W is δ times the layer's input, so an input of 0 gives
 * none: test/cli/train's file of rows alike at 0), ': each update of theirs (learning rate …) was below the resolution …' where it
 * does not (per-layer rates, a small rate on a faded gradient), both where each holds of some, naming them. An optimiser with no
 * rate (a line search that refused every step, say) is not said to have rounded anything away; '' where nothing else is said.
 */
function causeWords(net: Network, trained: TrainResult, unmoved: readonly string[], clipNorm: number | undefined): string {
  const { zero, rounded } = causes(trained, unmoved);
  const both = zero.length > 0 && rounded.length > 0;
  const said: string[] = [];
  if (zero.length > 0) said.push(`${both ? `the gradient of ${namedMatrices(net, zero)}` : 'their gradient'} ${ZERO_GRADIENT}`);
  if (rounded.length > 0 && trained.learningRate !== undefined) {
    said.push(`${both ? `each update of ${namedMatrices(net, rounded)}` : 'each update of theirs'} ${roundedAway(net, trained.learningRate, clipNorm)}`);
  }
  return said.length === 0 ? '' : `: ${said.join('; ')}`;
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
