/**
 * A traced run as the command line repeats it (remedy-terms.ts prints each remedy as it): the
 * `gradscope train` flags that make its network, read from what the trace records (its sizes,
 * activations, loss, initialisation), with the training flags the printer knows it ran with; and,
 * for `study --model`, its own command line to rerun from the model file's weights.
 */
import type { Trace, TraceBlocks } from '../flow/trace.js';
import type { RemedyLayersChange } from '../flow/remedy.js';
import { ACTIVATIONS } from '../kernels.js';
import { LSUV_BUILD } from '../layers/lsuv.js';
import type { CheckedSpec } from '../layers/spec.js';
import { LAYERS_CHANGE_FLAGS, trainMadeLayers } from './layers-change-flags.js';
import { optimizerChoiceNames } from '../studies/optimizer-choices.js';
import { commandName, OPTION_FLAGS, type ParsedArgs } from './command.js';
import { trainCommand } from './commands/train.js';
import { BIAS_INIT_FORMS, initFlagValue, LSUV, WEIGHT_INIT_FORMS } from './init-flags.js';
import type { RunCommand, RunOnCommandLine } from './remedy-terms.js';
import { givenFloat32Text } from '../number-text.js';
import { scheduleFlagValue } from './schedule-flag.js';
import { NETWORK_DEFAULTS } from '../network/config.js';
import { shown, typedWord } from '../errors.js';

/** A block network's shape as train's flags (--layers, --activation, --output, and --norm or --residual-gate) where train makes it (trainMadeLayers), or why none do. */
function blockShapeFlags(trace: Trace & { blocks: TraceBlocks }, specs: readonly CheckedSpec[] | undefined): Map<string, string> | { cannot: string } {
  const made = specs && trainMadeLayers(trace.sizes[0], specs, trace.loss);
  if (!made) {
    const types = [...new Set(trace.blocks.layers.map((l) => l.type))].map(typedWord).join(', ');
    return { cannot: `its layers are layer specs (${types}), which --layers ${specs ? `and --${LAYERS_CHANGE_FLAGS.norm} or --${LAYERS_CHANGE_FLAGS.residualGate} do not make` : 'cannot spell'}` };
  }
  const change = Object.entries(made.change).map(([field, value]) => [LAYERS_CHANGE_FLAGS[field as keyof RemedyLayersChange], value] as const);
  return new Map([['layers', made.sizes.join(',')], [OPTION_FLAGS.activation, made.activation], ['output', made.output], ...change]);
}

/**
 * train's flags that make `trace`'s network (--layers, --activation, --output, --loss, --init, --bias-init; a block network's
 * --norm or --residual-gate too, where `specs`, its layer specs, are ones train makes), those it cannot spell with why, and those
 * it leaves at train's default where the run records no value (a model file from another library records no initialisation:
 * newuser43 #3 got no line at all, though the same train line typed by hand ran), with what the line assumes; or why none can.
 */
function networkFlags(trace: Trace, specs?: readonly CheckedSpec[]): { flags: Map<string, string>; unsaid: Map<string, string>; assumed: Map<string, string> } | { cannot: string } {
  const flags = new Map<string, string>();
  const unsaid = new Map<string, string>();
  const assumed = new Map<string, string>();
  if (trace.blocks) {
    const shape = blockShapeFlags(trace as Trace & { blocks: TraceBlocks }, specs);
    if (!(shape instanceof Map)) return shape;
    for (const [flag, value] of shape) flags.set(flag, value);
  } else {
    flags.set('layers', trace.sizes.join(','));
    const hidden = [...new Set(trace.activations.slice(0, -1))];
    if (hidden.length === 1 && (ACTIVATIONS as readonly string[]).includes(hidden[0])) flags.set(OPTION_FLAGS.activation, hidden[0]);
    else if (hidden.length === 1) unsaid.set(OPTION_FLAGS.activation, `--activation has no ${typedWord(hidden[0])}`);
    else if (hidden.length > 1) unsaid.set(OPTION_FLAGS.activation, `its hidden layers' activations differ (${trace.activations.slice(0, -1).map(typedWord).join(', ')}), and --activation sets one for all`);
    flags.set('output', trace.activations.at(-1)!);
  }
  flags.set('loss', trace.loss);
  const { init, biasInit, lsuv } = trace.run;
  const initValue = lsuv ? (init === LSUV_BUILD.init ? LSUV : undefined) : initFlagValue(init, WEIGHT_INIT_FORMS);
  if (initValue !== undefined) flags.set(OPTION_FLAGS.init, initValue);
  else if (init === undefined) assumed.set(OPTION_FLAGS.init, `the run records no initialisation of its weights: this line draws them as train does without --init (${NETWORK_DEFAULTS.init}, U[±1/√n_in])`);
  else unsaid.set(OPTION_FLAGS.init, lsuv ? `LSUV rescaled ${shown(init)} weights, and --init lsuv starts from ${LSUV_BUILD.init} ones` : `its initialisation ${shown(init)} is no --init form`);
  const biasValue = initFlagValue(biasInit, BIAS_INIT_FORMS);
  if (biasValue !== undefined) flags.set(OPTION_FLAGS.biasInit, biasValue);
  else if (biasInit === undefined) assumed.set(OPTION_FLAGS.biasInit, `the run records no initialisation of its biases: this line starts them as train does without --bias-init (${NETWORK_DEFAULTS.biasInit})`);
  else unsaid.set(OPTION_FLAGS.biasInit, `its bias initialisation ${shown(biasInit)} is no --bias-init form`);
  return { flags, unsaid, assumed };
}

/** The flags of `args` that `gradscope train` has too (the training, rows, seed and backend flags study --model shares with it: one table, one meaning). */
function sharedFlags(args: ParsedArgs): [string, string | true][] {
  return [...args.flags].filter(([name]) => trainCommand.flags.some((f) => f.name === name));
}

/** The flags of study --model that say where its results go, not what it runs: its rerun leaves them out (it would overwrite the run's own files). */
const STUDY_OUTPUT_FLAGS = ['json', 'csv', 'html', 'save'];

/**
 * `gradscope study --model M …`'s run as the command line repeats it: its own line without its
 * output flags (a --save to a new file named after the run's), and the train line that makes the
 * model's network afresh (from what `trace` records of it, and a block network's layer specs, `specs`:
 * Network.layers) and trains it with the same flags, saved beside the model file under a new name;
 * `invoked`: Terminal.invokedAs, which names the train command.
 */
export function studyModelRun(command: RunCommand['command'], args: ParsedArgs, trace: Trace, modelPath: string, invoked: string | undefined, specs?: readonly CheckedSpec[]): RunOnCommandLine {
  const save = args.flags.get('save');
  const rerun: RunCommand = {
    command,
    flags: new Map([...args.flags].filter(([name]) => !STUDY_OUTPUT_FLAGS.includes(name))),
    unsaid: new Map(),
    output: typeof save === 'string' ? { flag: 'save', from: save } : undefined,
  };
  const network = networkFlags(trace, specs);
  if ('cannot' in network) return { rerun, train: { cannot: `${commandName(trainCommand, invoked)} cannot make this network: ${network.cannot}` } };
  return { rerun, train: { command: trainCommand, flags: new Map([...network.flags, ...sharedFlags(args)]), unsaid: network.unsaid, assumed: network.assumed, output: { flag: 'out', from: modelPath } } };
}

/** What a study's printer knows of a run that its trace does not record: how long it trained, its seed, the digits it trained on, and a name for the file its line saves to. */
export interface StudyRunSettings {
  epochs: number;
  seed: number;
  /** train's rows flags for its rows: `{ train: '1000' }` for the first 1,000 digits. */
  rows: Record<string, string>;
  /** The file name the line's --out derives from (`depth-784-30-30-10.json`). */
  name: string;
  /** train()'s shuffle as the study ran it (false: --no-shuffle); absent: the default, reshuffled every epoch. */
  shuffle?: boolean;
}

/**
 * A study's run (one network of its fixed recipe) as the command line repeats it: the train line
 * from what `trace` records of its network and training (optimiser, learning rate and its schedule, momentum, batch,
 * clipping) and what the study knows of the rest; no rerun (a study reruns all its networks at once).
 * Weight decay, which train has no flag for, or per-layer rates leave no train line. `invoked`: Terminal.invokedAs, which names the train command.
 */
export function studyRun(trace: Trace, known: StudyRunSettings, invoked: string | undefined): RunOnCommandLine {
  const network = networkFlags(trace);
  const cannot = (why: string) => ({ train: { cannot: `${commandName(trainCommand, invoked)} cannot make this run: ${why}` } });
  if ('cannot' in network) return cannot(network.cannot);
  const run = trace.run;
  if (run.weightDecay !== undefined) return cannot(`it trained with weight decay ${givenFloat32Text(run.weightDecay)}${run.decayBiases === false ? ' on the weights only' : ''}, which train has no flag for`);
  const flags = new Map<string, string | true>(network.flags);
  const unsaid = new Map(network.unsaid);
  const name = run.nesterov ? 'nesterov' : (run.optimizer ?? 'sgd');
  if (run.layerRates) unsaid.set(OPTION_FLAGS.optimizer, `its optimiser has per-layer rates (${run.layerRates.join(', ')}), which no flag takes`);
  // The name is the trace's, which a trace file may hold anything in: quoted as a typed word, no character raw.
  else if (!optimizerChoiceNames().includes(name)) unsaid.set(OPTION_FLAGS.optimizer, `--optimizer has no ${typedWord(name)}`);
  else flags.set(OPTION_FLAGS.optimizer, name);
  const training: [string, number | undefined][] = [
    [OPTION_FLAGS.learningRate, run.learningRate],
    [OPTION_FLAGS.momentum, run.momentum],
    [OPTION_FLAGS.batchSize, run.batchSize],
    [OPTION_FLAGS.clipNorm, run.clipNorm],
    [OPTION_FLAGS.epochs, known.epochs],
    ['seed', known.seed],
  ];
  for (const [flag, value] of training) if (value !== undefined) flags.set(flag, String(value));
  // The schedule as the run followed it: its length said where the rerun's own (its epochs × the run's batches an epoch) differs.
  if (run.schedule) flags.set(OPTION_FLAGS.schedule, scheduleFlagValue(run.schedule, known.epochs * run.schedule.epochSteps));
  for (const [flag, value] of Object.entries(known.rows)) flags.set(flag, value);
  if (known.shuffle === false) flags.set(OPTION_FLAGS.shuffle, true);
  return { train: { command: trainCommand, flags, unsaid, assumed: network.assumed, output: { flag: 'out', from: known.name } } };
}
