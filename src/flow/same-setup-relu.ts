/**
 * diagnose()'s sameSetupRelu: a relu network with He's weights trained on the diagnosed run's own set-up at its learning
 * rate, read as the relu rate grid reads each of its networks (reluRunHeld). The rows of RELU_REMEDY_RATES are careful bounds,
 * each the largest rate at which every network of a grid held, measured on other networks and budgets than a given run's;
 * where a relu network of the run's own set-up held at the run's rate, that measurement is the run's own, and the switch to
 * relu keeps the rate (study (b) offered its sigmoid runs 0.002 beside its own relu + he-normal run, which held at the
 * study's 0.05 and ended higher there: 88.9–92.3 % of the test digits against 83.5–84.6 % at 0.002, seeds 1–3).
 */
import { checkObjectArgument } from '../checks.js';
import { invalidOption, shown } from '../errors.js';
import { initName } from './diagnosis/remedy-settings.js';
import { type ReluRun, reluRunHeld } from './relu-remedy-rates.js';
import { Trace, type TraceRun } from './trace.js';

/** A relu network with He's weights trained on a run's own set-up at its learning rate (diagnose()'s sameSetupRelu). */
export interface SameSetupRelu {
  /**
   * Its trace: the diagnosed run's sizes, output and loss with relu hidden units and 'he-normal' weights, trained with the
   * run's optimiser and its settings (learning rate, momentum, weight decay, …), batch size, rows and epochs (its seed aside).
   */
  trace: Trace;
  /** Its accuracy (0–1) on rows it did not train on after each epoch of its trace, one per epoch: how reluRunHeld reads the run's end. */
  accuracies: readonly number[];
}

/** A SameSetupRelu as reluRunHeld reads it (lossBefore: its first traced step's batch loss; lossAfter: its last epoch's mean batch loss), and whether it held. */
export interface SameSetupReading extends ReluRun {
  held: boolean;
}

/** The settings two runs of one set-up share (TraceRun's, their seed and init aside). */
const SHARED_SETTINGS = ['optimizer', 'learningRate', 'schedule', 'momentum', 'nesterov', 'batchSize', 'rows', 'weightDecay', 'decayBiases', 'clipNorm', 'layerRates', 'biasInit', 'lsuv'] as const satisfies readonly (keyof TraceRun)[];

/** A recorded schedule without the network step its call began at. */
const withoutStart = (schedule: TraceRun['schedule']) => schedule && { ...schedule, atStep: undefined };

/** The relu network's init. */
const HE = 'he-normal';

/**
 * `given` checked against the diagnosed `trace` (INVALID_OPTION naming `who` and the first thing that differs) and read:
 * `deadLayers` counts the layers diagnose() calls dead in the relu network's trace.
 */
export function readSameSetupRelu(trace: Trace, given: SameSetupRelu, deadLayers: (relu: Trace) => number, who: string): SameSetupReading {
  checkObjectArgument(given, who, 'an object { trace, accuracies }');
  const relu = given.trace;
  const refuse = (why: string) => invalidOption(`${who}: ${why}`);
  if (!(relu instanceof Trace)) throw refuse(`trace is ${shown(relu)}; expected the Trace of a relu network's run`);
  if (trace.blocks || relu.blocks) throw refuse("the two traces must be of dense networks (createNetwork's sizes), not of layer specs");
  if (relu.length === 0) throw refuse('trace holds no record');
  const differs = (what: string, its: unknown, ours: unknown) => refuse(`trace is not of this run's set-up: its ${what} is ${shown(its)}, this run's ${shown(ours)}`);
  if (relu.sizes.join() !== trace.sizes.join()) throw differs('sizes', relu.sizes, trace.sizes);
  if (relu.loss !== trace.loss) throw differs('loss', relu.loss, trace.loss);
  if (relu.activations.at(-1) !== trace.activations.at(-1)) throw differs('output', relu.activations.at(-1), trace.activations.at(-1));
  const units = relu.activations.slice(0, -1).find((f) => f !== 'relu');
  if (units !== undefined) throw refuse(`trace's hidden units must all be relu, and one is ${shown(units)}`);
  if (initName(relu.run.init) !== HE) throw refuse(`trace's init must be '${HE}', and it is ${shown(initName(relu.run.init))}`);
  for (const key of SHARED_SETTINGS) {
    // A schedule is the same one whatever network step each call began at (RunSchedule.atStep).
    const [its, ours] = key === 'schedule' ? [withoutStart(relu.run.schedule), withoutStart(trace.run.schedule)] : [relu.run[key], trace.run[key]];
    if (JSON.stringify(its) !== JSON.stringify(ours)) throw differs(key, its, ours);
  }
  const epochs = relu.epochs.length;
  if (epochs === 0) throw refuse('trace records no epoch: train() records them');
  if (epochs !== trace.epochs.length) throw differs('epochs', epochs, trace.epochs.length);
  const { accuracies } = given;
  if (!Array.isArray(accuracies) || accuracies.length !== epochs || !accuracies.every((a) => typeof a === 'number' && a >= 0 && a <= 1)) {
    throw refuse(`accuracies is ${shown(accuracies)}; expected ${epochs} fraction${epochs === 1 ? '' : 's'} from 0 to 1, one per epoch of its trace`);
  }
  const run: ReluRun = { lossBefore: relu.losses[0], lossAfter: relu.epochs[epochs - 1].loss, deadLayers: deadLayers(relu), accuracies: [...accuracies] };
  return { ...run, held: reluRunHeld(run) };
}
