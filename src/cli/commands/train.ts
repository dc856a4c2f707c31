/**
 * gradscope train [--layers 784,64,64,10 | --depth 2 --width 64] [--activation A] [--init I] [--bias-init B] …
 *   [--data D.json | --train 9000 --test 1000] [train()'s flags] [--out model.json]
 * A network made from flags (createNetwork's options), trained on the digits or on a data file,
 * its loss and accuracy printed each epoch and the model saved as saveModel does: the file
 * `study --model`, `gradients`, `curvature` and `convert` read. The command the remedies of the
 * other commands name for what they cannot change themselves (an activation, an initialisation, norm
 * layers and residual blocks: --norm, --residual-gate).
 */
import { createNetwork, type Network } from '../../api/network.js';
import { leadingRows } from '../../data/matrix.js';
import type { LsuvLayerReport } from '../../layers/lsuv.js';
import { cappedBatch, plannedEpochRows } from '../../training/batch-rows.js';
import { saveModel } from '../../io/files.js';
import { checkCheckpointNameOf } from '../checkpoint-name-words.js';
import type { TrainedOn } from '../../trained-on.js';
import { ACTIVATIONS, LOSSES, OUTPUT_ACTIVATIONS, type Activation, type Loss, type OutputActivation } from '../../kernels.js';
import { checkModelLimits } from '../../model-limits.js';
import { NETWORK_DEFAULTS, SOFTMAX_OF_ONE } from '../../network/config.js';
import { GradscopeError } from '../../errors.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../data/mnist.js';
import type { Optimizer } from '../../optim/index.js';
import type { EpochInfo } from '../../training/train-options.js';
import { counted, grouped } from '../../counted.js';
import { percentText } from '../../percent-text.js';
import {
  BACKEND_FLAG,
  checkDistinctFiles,
  checkAsUsage,
  checkFlag,
  checkOptionsAsUsage,
  choiceFlag,
  command,
  COUNT,
  numberFlag,
  OPTION_FLAGS,
  outputFileFlag,
  SEED_FLAG,
  stringFlag,
  UsageError,
  WIDTH,
  wholeListFlag,
  withFile,
  type ParsedArgs,
} from '../command.js';
import { readTrainingFlags, THREADS_FLAG, threadsFlag, TRAINING_FLAGS, nonFiniteLines, trainingOptimizer, trainingSettingsText } from '../training-flags.js';
import { print, type Terminal } from '../terminal.js';
import { gradscopeLine } from '../invocation.js';
import { worseWarning } from '../worse-warning.js';
import { lateDropNote } from '../late-drop-note.js';
import { unmovedNote } from '../unmoved-note.js';
import { comparesWeights, unmovedWeights, weightsAtStart } from '../../training/unmoved-weights.js';
import { threadsLines } from '../threads-note.js';
import { chanceOnRows } from '../../flow/chance.js';
import { rowsFlagsText, TRAINING_ROWS_FLAGS, trainingRows, type TrainingRows } from '../training-rows.js';
import { activationsText, sizesText } from '../../layer-runs.js';
import { shellWord } from '../../shell-word.js';
import { freshOptimizerText } from '../fresh-optimizer.js';
import { BIAS_INIT_FORMS, biasInitFlag, initFormsText, LSUV, WEIGHT_INIT_FORMS, weightInitFlag } from '../init-flags.js';
import { lossText } from '../../loss-text.js';
import { readingRoom, wrapTokens } from '../prose.js';
import { LAYERS_CHANGE_FLAG_TABLE, layersChangeFlags, withLayersChange } from '../layers-change-flags.js';
import type { NetworkOptions } from '../../network/config.js';
import { classesOfRun, NO_ACCURACY_NOTE, said, type SaidEvaluation } from '../accuracy-said.js';
import { layerSpecsText } from '../../layers/spec-text.js';

/** The network `gradscope train` makes without --layers: hidden layers and their units. */
export const TRAIN_SHAPE = { depth: 2, width: 64 } as const;

/** The layer sizes of the model `gradscope train` makes on the digits with no --layers: the digits' pixels, --depth hidden layers of --width units, their classes. */
export function digitsModelSizes(): number[] {
  return [MNIST_PIXELS, ...Array<number>(TRAIN_SHAPE.depth).fill(TRAIN_SHAPE.width), MNIST_CLASSES];
}

/** The flag of each of createNetwork's options (how its refusals are said on this command line). */
const NETWORK_FLAGS = { sizes: 'layers', activation: OPTION_FLAGS.activation, output: 'output', loss: 'loss', init: OPTION_FLAGS.init, biasInit: OPTION_FLAGS.biasInit, seed: 'seed', threads: 'threads' };

/** Units per layer, input first: --layers, or --depth hidden layers of --width units between the data's inputs and targets. */
function sizesFlag(args: ParsedArgs, inputs: number, targets: number): number[] {
  const layers = wholeListFlag(args, 'layers', 1, '', true);
  if (layers !== undefined) {
    const shape = ['depth', 'width'].filter((flag) => args.flags.has(flag));
    if (shape.length > 0) throw new UsageError(`--layers gives every layer's units: leave out ${shape.map((flag) => `--${flag}`).join(' and ')}`);
    if (layers.length < 2) throw new UsageError(`--layers needs the inputs and at least one layer (e.g. ${inputs},${targets}), got '${layers.join(',')}'`);
    if (layers[0] !== inputs || layers[layers.length - 1] !== targets) {
      throw new UsageError(`--layers ${layers.join(',')}: the rows have ${counted(inputs, 'input')} and ${counted(targets, 'target')}, so the first entry must be ${inputs} and the last ${targets}`);
    }
    return checkFlag('layers', layers.join(','), () => (checkModelLimits(layers, 'the network'), layers));
  }
  const depth = numberFlag(args, 'depth');
  const width = numberFlag(args, 'width');
  const shaped = (d: number, w: number) => [inputs, ...Array<number>(d).fill(w), targets];
  const sizes = shaped(depth, width);
  if (fits(sizes)) return sizes;
  return checkAsUsage(shapeFlagsAtFault(depth, width, (d, w) => fits(shaped(d, w))), () => (checkModelLimits(sizes, 'the network'), sizes));
}

/** Whether a network of `sizes` is within the model files' limits (checkModelLimits). */
function fits(sizes: number[]): boolean {
  try {
    checkModelLimits(sizes, '');
    return true;
  } catch {
    return false;
  }
}

/**
 * The flags a network of `depth` hidden layers of `width` units past the model limits is refused under: the one that is
 * past them with the other at its default (a --width of 100000 at --depth 2 was refused as '--depth 2'), or both where
 * neither alone is.
 */
function shapeFlagsAtFault(depth: number, width: number, fitsShape: (depth: number, width: number) => boolean): string {
  const depthAlone = !fitsShape(depth, TRAIN_SHAPE.width);
  const widthAlone = !fitsShape(TRAIN_SHAPE.depth, width);
  if (depthAlone && !widthAlone) return `--depth ${depth}`;
  if (widthAlone && !depthAlone) return `--width ${width}`;
  return `--depth ${depth} --width ${width}`;
}

/**
 * createNetwork's refusal of a softmax output of 1 unit in this command's words. Its way out in the API's ('output
 * 'sigmoid''; 'give the output 2 units') is no flag here, where --layers ends at the rows' targets: a data file of one
 * target column reaches it with the default output, and the way out is two flags, one (a linear output, whose loss is
 * mse: a regression's column of values, which binary cross-entropy refuses beyond [0, 1]; newuser52), or two one-hot
 * target columns.
 */
function softmaxOfOneInFlags(error: unknown, rows: TrainingRows): unknown {
  if (!(error instanceof GradscopeError) || !error.message.includes(SOFTMAX_OF_ONE)) return error;
  return new UsageError(
    `--output: ${SOFTMAX_OF_ONE}, and the rows ${rows.where} have ${counted(rows.targets, 'target')}: give --output sigmoid --loss binary-cross-entropy for two classes (targets 0 or 1), --output linear for values (its loss mse: a regression), or each row 2 one-hot targets`,
  );
}

/**
 * What the epoch lines' numbers are, said once above them (newuser29 asked what 'batch loss' was): `checked` and `measured` as
 * the rows measured (TrainingRows.checked, checkedWords: 'the 1,000 test digits'); the accuracy only where the network has
 * `classes` (accuracy-said.ts), and where it has none, why not (NO_ACCURACY_NOTE).
 */
export function epochLegend(checked: string, measured: string, classes = true): string {
  const legend = `Each epoch: batch loss, the mean of its batches' losses, each taken before its step (over weights that moved as it was taken); ${checked} loss${classes ? ' and accuracy' : ''}, on ${measured} after it.`;
  return classes ? legend : `${legend} ${NO_ACCURACY_NOTE}`;
}

/**
 * One epoch's line (epochLegend says what it holds): the mean of its batch losses (each before its step) and the loss and
 * accuracy on the checked rows after it (no accuracy where `evaluation` has none: a network without classes, said()); where
 * --on-non-finite skip left batches out, how many (the mean is over the applied ones only). Its fields two spaces apart, on
 * one line where they fit `width` (the terminal's columns), else on more, each after the first indented under it (with skips
 * counted in thousands and the training rows checked, a line ran to 117).
 */
export function epochLine(epoch: string, checked: string, evaluation: SaidEvaluation, width: number, trained?: Pick<EpochInfo, 'loss' | 'batches' | 'skipped'>): string {
  const skipped = trained?.skipped ? ` (${counted(trained.batches, 'batch', 'batches')} applied, ${grouped(trained.skipped)} skipped)` : '';
  const accuracy = evaluation.accuracy === undefined ? [] : [`${checked} accuracy ${percentText(evaluation.accuracy)}`];
  const fields = [`epoch ${epoch}`, ...(trained === undefined ? [] : [`batch loss ${lossText(trained.loss)}${skipped}`]), `${checked} loss ${lossText(evaluation.loss)}`, ...accuracy];
  return wrapTokens(fields, width, '  ', '', FIELD_GAP);
}

/** Between an epoch line's fields: two spaces, as between a table's columns (print leaves such a line whole). */
const FIELD_GAP = '  ';

/** What LSUV did: on which rows, and the range of the dense layers' output variances before and after (`0.214–0.5`, or one value). */
function lsuvLine(reports: LsuvLayerReport[], rows: number): string {
  const range = (values: number[]) => {
    const [low, high] = [Math.min(...values), Math.max(...values)].map((v) => v.toPrecision(3));
    return low === high ? low : `${low}–${high}`;
  };
  const before = range(reports.map((r) => r.initialVariance));
  const after = range(reports.map((r) => r.finalVariance));
  return `LSUV rescaled the orthonormal weights on the first ${counted(rows, 'training row')} (the first batch, as train's lsuv): each dense layer's output variance ${before} before, ${after} after.`;
}

/**
 * The training flags `args` gave (TRAINING_FLAGS, the table study --model shares) but --epochs, as shell words after a space each:
 * study --model trains the model on with them as train did. Without them it trains with its defaults (sgd at 0.1), and an Adam-trained
 * model read 'worse than the initial weights … try a --learning-rate below 0.1' in the study its hint suggested (newuser23).
 */
const trainedWithText = (args: ParsedArgs) =>
  TRAINING_FLAGS.filter((f) => f.name !== OPTION_FLAGS.epochs && args.flags.has(f.name))
    .map((f) => {
      const value = args.flags.get(f.name)!;
      return value === true ? ` --${f.name}` : ` --${f.name} ${shellWord(value)}`;
    })
    .join('');

/**
 * Saves `net` to `out` as saveModel does, with what trained it (`optimizer`'s state and the rows, `trainedOn`) where it trained, and
 * says how study --model reads it on the same rows with train's settings: with a fresh optimiser, which the file's state does not
 * start (study --model says so and does not resume it; newuser30 read 'the same settings' as the same run going on).
 */
async function saveTrained(
  net: Network,
  out: string,
  trained: { optimizer: Optimizer; choiceName: string; trainedOn: TrainedOn } | undefined,
  args: ParsedArgs,
  digits: boolean,
  terminal: Terminal,
): Promise<void> {
  await saveModel(net, out, trained ? { optimizer: trained.optimizer, trainedOn: trained.trainedOn } : {});
  const fresh = trained === undefined ? '' : ` and ${freshOptimizerText(trained.choiceName)}, not resuming the optimiser state saved with them`;
  // The command on a line of its own, as a remedy's: a shell line runs as pasted, with no '(' before it or prose after it (newuser45 #13).
  print(
    terminal,
    `Model: ${shellWord(out)}`,
    `To train it on from these weights with the same settings${fresh}, tracing and diagnosing it, on the same ${digits ? 'digits' : 'rows'}:`,
    `  ${gradscopeLine(terminal.invokedAs, `study --model ${shellWord(out)}`)}${rowsFlagsText(args)}${trainedWithText(args)}`,
  );
}

export const trainCommand = command({
  words: ['train'],
  summary: "make a network from flags, train it on the digits or your data, print each epoch (its batch loss, the mean of its batches' losses, and the loss and accuracy on the test digits or your rows after it) and save it for study --model and the others",
  flags: [
    { name: 'layers', value: 'A,B,…', rule: WIDTH, about: `units per layer, input first (${digitsModelSizes().join(',')} on the digits); the first and last must be the rows' inputs and targets (default: --depth layers of --width)` },
    { name: 'depth', value: 'N', default: TRAIN_SHAPE.depth, rule: COUNT, about: 'hidden layers, without --layers' },
    { name: 'width', value: 'N', default: TRAIN_SHAPE.width, rule: WIDTH, about: 'units of each hidden layer, without --layers' },
    { name: OPTION_FLAGS.activation, value: 'A', about: `the hidden layers' activation, one of ${ACTIVATIONS.join(', ')} (default: ${NETWORK_DEFAULTS.activation})` },
    { name: 'output', value: 'A', about: `the output layer's activation, one of ${OUTPUT_ACTIVATIONS.join(', ')} (default: the loss's own, softmax for cross-entropy)` },
    { name: 'loss', value: 'L', about: `the loss, one of ${LOSSES.join(', ')} (default: cross-entropy; mse when --output is not softmax)` },
    { name: OPTION_FLAGS.init, value: 'I', about: `the weights' initialisation: ${initFormsText(WEIGHT_INIT_FORMS)} (normal:STD: N(0, STD²); sparse: Martens' N nonzero weights per unit; ${LSUV}: orthonormal, rescaled on the first batch before epoch 0 is measured, as train's lsuv; default: ${NETWORK_DEFAULTS.init}, U[±1/√n_in])` },
    { name: OPTION_FLAGS.biasInit, value: 'B', about: `the biases' initialisation: ${initFormsText(BIAS_INIT_FORMS)} (default: ${NETWORK_DEFAULTS.biasInit})` },
    ...LAYERS_CHANGE_FLAG_TABLE,
    ...TRAINING_ROWS_FLAGS,
    ...TRAINING_FLAGS.map((f) => (f.name === 'epochs' ? { ...f, about: `${f.about}; 0: none, the network measured and saved (--out) as made` } : f)),
    SEED_FLAG,
    BACKEND_FLAG,
    THREADS_FLAG,
    { name: 'out', value: 'FILE', about: 'save a checkpoint to FILE (the trained model, its step, its RNG state and, after a step, its optimiser state), as saveModel does (.json: JSON; .safetensors, .onnx or a folder: refused, convert writes those from it; any other name: binary): study --model, gradients, curvature and convert read it' },
  ],
  example: 'train --layers 784,64,64,10 --activation relu --init he-normal --optimizer adam --epochs 5 --out model.json',
  async run(args, terminal) {
    const activation = choiceFlag<Activation>(args, 'activation', ACTIVATIONS);
    const output = choiceFlag<OutputActivation>(args, 'output', OUTPUT_ACTIVATIONS);
    const loss = choiceFlag<Loss>(args, 'loss', LOSSES);
    const init = weightInitFlag(args);
    const biasInit = biasInitFlag(args);
    const layersChange = layersChangeFlags(args);
    const settings = readTrainingFlags(args);
    const seed = numberFlag(args, 'seed');
    const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend');
    const threads = threadsFlag(args, backend);
    const out = await outputFileFlag(args, 'out', checkCheckpointNameOf('train', terminal.invokedAs));
    await checkDistinctFiles(args, ['out'], ['data', 'test-data']);
    // The shape's flags are read once the rows' inputs and targets are known.
    const rows = await trainingRows(args);
    const sizes = sizesFlag(args, rows.inputs, rows.targets);
    const given = Object.fromEntries(Object.entries({ sizes, activation, output, loss, init, biasInit, seed, backend, threads }).filter(([, value]) => value !== undefined)) as NetworkOptions;
    const refused = (error: unknown) =>
      checkOptionsAsUsage(args, NETWORK_FLAGS, () => {
        throw softmaxOfOneInFlags(error, rows);
      });
    // --norm and --residual-gate are a remedy's layers change, made as applyLayersChange makes it (after createNetwork's own checks of the dense network).
    let options = given;
    if (layersChange) {
      try {
        options = withLayersChange(args, given, sizes, layersChange);
      } catch (error) {
        if (error instanceof UsageError) throw error;
        refused(error);
      }
    }
    const net: Network = await createNetwork(options).catch(refused);
    let optimizer: Optimizer | undefined;
    try {
      const file = rows.file;
      // LSUV here rather than train's lsuv option, on the same rows (the first batch, in the rows' order) by the same
      // code, so the weights it sets are measured as epoch 0 like any other init's, and the run is the same. It runs
      // after the flags' checks and before the optimiser is built: layer-rates measures its rates on the weights it trains.
      const firstBatch = cappedBatch(settings.batchSize, rows.train.count);
      let lsuv: LsuvLayerReport[] | undefined;
      const rescale = async () => void (lsuv = await withFile(file, async () => net.initLsuv(leadingRows(rows.train.x, firstBatch))));
      const built = await trainingOptimizer(args, net, settings, rows.train, rows.where, init === LSUV ? rescale : undefined);
      optimizer = built.optimizer;
      // Measured before anything is printed: evaluate checks the rows against the network (a target its loss cannot take), so a bad file is one line.
      const evaluate = () => withFile(rows.checkFile, async () => net.evaluate(rows.check.x, rows.check.y));
      const initial = await evaluate();
      // One-hot targets (the digits', a --data file's where every row is) are classes under any loss, as in a trace of the run (TraceRun.targets);
      // without classes no accuracy is said (accuracy-said.ts).
      const classes = classesOfRun(net.loss, net.outputSize, rows.oneHot);
      const givenInit = `${init === undefined ? '' : `, init ${stringFlag(args, 'init')}`}${biasInit === undefined ? '' : `, bias init ${stringFlag(args, 'bias-init')}`}`;
      // A network --norm or --residual-gate made is layer specs, said as study --model and gradients say them.
      const layout = net.kind === 'dense' ? `${sizesText(net.sizes)} ${activationsText(net.activationFunctions)}` : layerSpecsText(net.inputSize, net.layers);
      const shape = `${layout}, loss ${net.loss}${givenInit}`;
      if (settings.epochs === 0) {
        // train() takes at least one epoch: with none asked for, the network is measured and saved as made, without an optimiser state (it took no step).
        print(terminal, `${shape}; 0 epochs: not trained, measured on ${rows.checked === 'test' ? rows.checkedWords : `its ${counted(rows.check.count, 'row')}`} as made.`);
        if (lsuv) print(terminal, lsuvLine(lsuv, firstBatch));
        if (classes === undefined) print(terminal, NO_ACCURACY_NOTE);
        print(terminal, epochLine('0/0', rows.checked, said(initial, classes), readingRoom(terminal.columns)));
        if (out) await saveTrained(net, out, undefined, args, rows.digits, terminal);
        return;
      }
      print(terminal, `${shape}; training on ${rows.source}, ${counted(settings.epochs, 'epoch')}.`);
      print(terminal, trainingSettingsText(settings, built, seed, rows.train.count));
      if (lsuv) print(terminal, lsuvLine(lsuv, firstBatch));
      print(terminal, epochLegend(rows.checked, rows.checkedWords, classes !== undefined));
      print(terminal, epochLine(`0/${grouped(settings.epochs)}`, rows.checked, said(initial, classes), readingRoom(terminal.columns)));
      // train() compares the weights for unmovedWeights only where that is cheap beside the call (comparesWeights, on the rows it
      // plans); a command is one call, so it keeps its own copy where train() will not compare them.
      const plannedRows = settings.epochs * plannedEpochRows(rows.train.count, settings.batchSize, settings.dropLast);
      const ownStart = comparesWeights(net.parameterCount, plannedRows) ? undefined : weightsAtStart(net);
      const trained = net.train(rows.train.x, rows.train.y, {
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        shuffle: settings.shuffle,
        dropLast: settings.dropLast,
        learningRate: settings.learningRate,
        schedule: settings.schedule,
        optimizer,
        clipNorm: settings.clipNorm,
        onNonFinite: settings.onNonFinite,
        validation: { x: rows.check.x, y: rows.check.y },
        onEpoch: (info) => print(terminal, epochLine(`${grouped(info.epoch)}/${grouped(settings.epochs)}`, rows.checked, said(info.validation!, classes), readingRoom(terminal.columns), info)),
      });
      for (const line of [...nonFiniteLines(trained), ...threadsLines(threads, trained)]) print(terminal, line);
      // A rate whose every update rounded to nothing (edges47 #16, train()'s unmovedWeights): the epochs above read the network as made.
      const unmovedMatrices = trained.unmovedWeights ?? (ownStart ? unmovedWeights(net, ownStart) : []);
      const unmoved = unmovedNote(net, trained, unmovedMatrices, initial.loss, settings.clipNorm);
      if (unmoved) print(terminal, unmoved);
      // A run can end finite and worse than it began ('halve' keeps steps finite, not the network better): said plainly.
      // --out still saves it, as asked (the warning says so): the file is what the user named, and the numbers above are its own.
      const final = trained.epochs.at(-1)?.validation;
      // Without --out there is no model to study: the warning says what to add, then the command that studies it.
      const studied = `${out ? '' : 'add --out model.json to this command, then '}${gradscopeLine(terminal.invokedAs, `study --model ${shellWord(out ?? 'model.json')}`)}${rowsFlagsText(args)}`;
      const worse = final && worseWarning({ checked: rows.checked, checkedName: rows.checkedName, initial: said(initial, classes), final: said(final, classes), trained, optimizer: settings.choice.name, saved: out && '--out', chance: chanceOnRows(classes, rows.check.y), diagnosis: `${studied}, which traces its gradients as it trains on, says what holds it` });
      if (worse) print(terminal, worse);
      // A last epoch that fell back from the best (newuser49 #10): the run ended there, and --out keeps it.
      const accuracies = classes === undefined ? [] : trained.epochs.map((epoch) => epoch.validation!.accuracy);
      const fell = lateDropNote({ accuracies, checked: rows.checked, checkedName: rows.checkedName, learningRate: trained.learningRate, saved: out && '--out' });
      if (fell) print(terminal, fell);
      if (out) await saveTrained(net, out, { optimizer, choiceName: settings.choice.name, trainedOn: rows.trainedOn }, args, rows.digits, terminal);
    } finally {
      optimizer?.dispose();
      net.dispose();
    }
  },
});
