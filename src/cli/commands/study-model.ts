/**
 * gradscope study --model M --data D.json [--epochs 10] [--batch-size 32] [--learning-rate η]
 *   [--optimizer sgd] [--momentum μ] [--norm-constraint c] [--clip-norm N] [--on-non-finite throw|skip|halve] [--seed 1] [--backend wasm] [--threads 1] [--every 1] [--json]
 *   [--csv FILE] [--html FILE] [--save FILE]
 * The gradient-flow trace, report and diagnosis for a user's own network and data.
 */
import { diagnose } from '../../flow/diagnose.js';
import { writeReport } from '../../io/report-file.js';
import { writeFileAtomic } from '../../io/file-access.js';
import { networkFromModel } from '../../io/model-data.js';
import { readModelFile } from '../../io/model-formats.js';
import type { Evaluation } from '../../network/rows.js';
import { saveModel } from '../../io/files.js';
import { MODEL } from '../../model.js';
import { checkBatchRows, DEFAULT_BATCH_SIZE } from '../../training/batch-rows.js';
import { checkSettingsForOptimizer } from '../../training/optimizer-settings.js';
import { NON_FINITE_POLICIES, type NonFinitePolicy } from '../../training/numeric-faults.js';
import { coresAvailable } from '../../wasm/threads/pool.js';
import { checkOptimizerSupports, createOptimizer, OPTIMIZERS, type Optimizer, type OptimizerSpec } from '../../optim/index.js';
import { KFAC_NORM_CONSTRAINT } from '../../optim/kfac.js';
import { CHOICE_MOMENTUM, denseOnlyChoiceNames, optimizerChoiceNames, optimizerChoices } from '../../studies/optimizer-choices.js';
import {
  BACKEND_FLAG,
  booleanFlag,
  checkAsUsage,
  checkOptionsAsUsage,
  choiceFlag,
  command,
  COUNT,
  DATA_FLAG,
  HTML_FLAG,
  JSON_FLAG,
  jsonLine,
  MODEL_FLAG,
  numberFlag,
  OPTION_FLAGS,
  outputFileFlag,
  POSITIVE,
  readDataFile,
  remedyTerms,
  SEED_FLAG,
  stringFlag,
  UsageError,
  withFile,
} from '../command.js';
import { ProgressBar } from '../progress.js';
import { counted } from '../../counted.js';
import { formatTable } from '../table.js';
import { print } from '../terminal.js';
import { diagnosisText, residualTable, traceTable } from '../trace-table.js';
import { MODEL_EPOCHS_BOUND } from '../../studies/study-bounds.js';
import { percentText } from '../../percent-text.js';

/** Rows of the loss-and-accuracy table: the start, then about ten epochs spread evenly, always the last. */
export function learningCurveTable(curve: Evaluation[]): string {
  const epochs = curve.length - 1;
  const rows = Math.min(epochs, 10);
  const picks = Array.from({ length: rows + 1 }, (_, i) => (rows === 0 ? 0 : Math.round((i * epochs) / rows)));
  return formatTable(
    ['epoch', 'loss', 'accuracy'],
    picks.map((e) => [String(e), curve[e].loss.toPrecision(4), percentText(curve[e].accuracy)]),
  );
}

/** Each registered optimiser's own learning rate, as --help lists it ('sgd 0.1, …'), and those that take none. */
function defaultRatesText(): string {
  const rates = OPTIMIZERS.filter((d) => d.learningRate !== undefined).map((d) => `${d.name} ${d.learningRate}`);
  const none = OPTIMIZERS.filter((d) => d.learningRate === undefined).map((d) => d.name);
  return `${rates.join(', ')}${none.length ? `; ${none.join(' and ')} choose their own steps and take none` : ''}`;
}

/** `spec` with the options given (`momentum`, `normConstraint`) in place of its own; undefined ones are left out. */
function withOptions(spec: OptimizerSpec, given: Record<string, number | undefined>): OptimizerSpec {
  const options = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  if (Object.keys(options).length === 0) return spec;
  return typeof spec === 'string' ? { name: spec, ...options } : { ...spec, ...options };
}

/** The threads this machine runs at once, as createNetwork bounds `threads` (coresAvailable: one source for both). */
const cores = await coresAvailable();

export const studyModelCommand = command({
  words: ['study'],
  summary: 'trace, diagnose and report the gradient flow of your own model (any format convert reads) on your own data',
  flags: [
    MODEL_FLAG,
    DATA_FLAG,
    { name: 'epochs', value: 'N', default: 10, rule: { ...COUNT, ...MODEL_EPOCHS_BOUND }, about: 'epochs of training' },
    { name: 'batch-size', value: 'N', default: DEFAULT_BATCH_SIZE, rule: COUNT, about: 'rows per step' },
    { name: 'drop-last', about: "leave out each epoch's last batch when it holds fewer than --batch-size rows (train's dropLast; with batch norm a last batch of 1 or 2 rows is refused without it)" },
    { name: 'learning-rate', value: 'η', rule: { ...POSITIVE, float32: true }, about: `the step size (default: the optimiser's own: ${defaultRatesText()})` },
    {
      name: 'optimizer',
      value: 'NAME',
      default: 'sgd',
      about: `the optimiser, one of ${optimizerChoiceNames().join(', ')} (as study remedies --optimizers names them; ${denseOnlyChoiceNames().join(', ')}: models of dense layers only)`,
    },
    { name: 'momentum', value: 'μ', rule: { min: 0, float32: true }, about: `the momentum of sgd, its named settings, lars and kfac, in place of the optimiser's own (sgd 0, sgd-momentum, nesterov and layer-rates ${CHOICE_MOMENTUM})` },
    {
      name: 'norm-constraint',
      value: 'c',
      rule: { min: 0 },
      about: `kfac's norm constraint (Ba et al. 2017): each step's δᵀF̂δ at most c, in place of its ${KFAC_NORM_CONSTRAINT}; 0: off`,
    },
    { name: 'clip-norm', value: 'N', rule: { ...POSITIVE, float32: true }, about: "clip the gradient to this global norm before each step (train's clipNorm; not with lbfgs, levenberg-marquardt, hessian-free, which evaluate their own gradients; default: no clipping)" },
    {
      name: 'on-non-finite',
      value: NON_FINITE_POLICIES.join('|'),
      default: 'throw',
      about: "a step whose loss or gradient is not finite or runs away (never applied): throw stops with DIVERGED, skip leaves its batch out and goes on from the weights it faulted at (nothing is put back), halve halves the learning rate and reruns from the last epoch start judged good (train's onNonFinite)",
    },
    { ...SEED_FLAG, about: 'the random seed (the order of the batches)' },
    BACKEND_FLAG,
    {
      name: 'threads',
      value: 'N',
      default: 1,
      // createNetwork refuses more (they only add hand-offs), by the same count: the flag says so before any work.
      rule: { integer: true, min: 1, ...(cores && { max: cores.cores, why: `the threads this machine runs at once, ${cores.source}` }) },
      about: "threads of the wasm backend's large products, the main thread included",
    },
    { name: 'every', value: 'N', default: 1, rule: COUNT, about: 'trace every N-th step' },
    { ...JSON_FLAG, about: 'print the diagnosis, the learning curve and the whole trace as one JSON object' },
    { name: 'csv', value: 'FILE', about: 'also write the trace as CSV to FILE' },
    HTML_FLAG,
    { name: 'save', value: 'FILE', about: 'also save the trained model and its optimiser state to FILE, as saveModel does (.json: JSON, any other name: binary)' },
  ],
  example: 'gradscope study --model model.json --data data.json --epochs 20 --optimizer adam --html report.html',
  async run(args, terminal) {
    const modelPath = stringFlag(args, 'model', true);
    const dataPath = stringFlag(args, 'data', true);
    const epochs = numberFlag(args, 'epochs');
    const every = numberFlag(args, 'every');
    const batchSize = numberFlag(args, 'batch-size');
    const dropLast = booleanFlag(args, 'drop-last');
    const givenRate = stringFlag(args, 'learning-rate') === undefined ? undefined : numberFlag(args, 'learning-rate');
    const choice = optimizerChoices().find((c) => c.name === choiceFlag(args, 'optimizer', optimizerChoiceNames()))!;
    const momentum = stringFlag(args, 'momentum') === undefined ? undefined : numberFlag(args, 'momentum');
    const normConstraint = stringFlag(args, 'norm-constraint') === undefined ? undefined : numberFlag(args, 'norm-constraint');
    const clipNorm = stringFlag(args, 'clip-norm') === undefined ? undefined : numberFlag(args, 'clip-norm');
    const onNonFinite = choiceFlag<NonFinitePolicy>(args, 'on-non-finite')!;
    const seed = numberFlag(args, 'seed');
    const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend');
    const threads = numberFlag(args, 'threads');
    if (threads > 1 && backend !== 'wasm') throw new UsageError(`--threads ${threads}: threads apply to --backend wasm only`);
    const json = booleanFlag(args, 'json');
    const csv = await outputFileFlag(args, 'csv');
    const html = await outputFileFlag(args, 'html');
    const save = await outputFileFlag(args, 'save');
    const data = await readDataFile(dataPath);
    const model = await readModelFile(modelPath);
    const net = await withFile(modelPath, () => networkFromModel(model, { seed, backend, threads }));
    let optimizer: Optimizer | undefined;
    try {
      // An optimiser that cannot train this model's layers (K-FAC on a block model) is the flags' fault: exit 2, before anything else is checked.
      checkAsUsage(`--optimizer ${choice.name}`, () => checkOptimizerSupports(net, choice.optimizer));
      // Batches this network cannot train on (batch norm over 2 rows or fewer) are the flags' fault: exit 2, naming them.
      checkAsUsage(`--batch-size ${batchSize}`, () =>
        checkBatchRows(net[MODEL], data.inputs.length, batchSize, dropLast, { sizes: `with ${counted(data.inputs.length, 'row')} in ${dataPath}`, batchSize: '--batch-size', dropLast: '--drop-last' }),
      );
      // Built before any work: a --momentum or --norm-constraint this optimiser does not take is refused here (exit 2).
      optimizer = checkAsUsage(`--optimizer ${choice.name}${momentum === undefined ? '' : ` --momentum ${momentum}`}${normConstraint === undefined ? '' : ` --norm-constraint ${normConstraint}`}`, () =>
        createOptimizer(net, withOptions(choice.spec(net, { x: data.inputs, y: data.targets }), { momentum, normConstraint })),
      );
      // Settings this optimiser would not apply (--learning-rate or halve beside one that chooses its own steps, --clip-norm beside one that
      // evaluates its own gradients): exit 2, by train()'s own rule, the one place it is checked.
      const settings = { learningRate: givenRate, clipNorm, onNonFinite };
      const built = optimizer;
      checkOptionsAsUsage(args, { learningRate: OPTION_FLAGS.learningRate, clipNorm: OPTION_FLAGS.clipNorm, onNonFinite: OPTION_FLAGS.onNonFinite }, () => checkSettingsForOptimizer(built, settings));
      const curve = [await withFile(dataPath, async () => net.evaluate(data.inputs, data.targets))];
      const bar = json ? undefined : new ProgressBar(terminal, 'training', epochs);
      const trained = net.train(data.inputs, data.targets, {
        epochs,
        batchSize,
        dropLast,
        learningRate: givenRate,
        optimizer,
        clipNorm,
        onNonFinite,
        trace: { every },
        validation: { x: data.inputs, y: data.targets },
        onEpoch: ({ epoch, validation }) => {
          curve.push(validation!);
          bar?.update(epoch + 1, `loss ${validation!.loss.toFixed(4)}`);
        },
      });
      bar?.done();
      if (save) await saveModel(net, save, { optimizer });
      const trace = net.trace!;
      const diagnosis = diagnose(trace);
      if (csv) await writeFileAtomic(csv, trace.toCSV());
      const report = html ? await writeReport(html, { title: `gradscope: ${modelPath}`, runs: [{ label: `${modelPath} on ${dataPath}`, trace, diagnosis }], remedyTerms: remedyTerms(studyModelCommand) }) : undefined;
      if (json) {
        terminal.out(jsonLine({ diagnosis, curve, trace: trace.toJSON() }));
        return;
      }
      const shape = net.kind === 'dense' ? `[${net.sizes.join(',')}]` : `${net.inputSize} inputs → [${net.layers.map((spec) => spec.type).join(', ')}]`;
      print(terminal, `${shape} on ${counted(data.inputs.length, 'row')}, ${counted(epochs, 'epoch')}, ${counted(trace.length, 'traced step')}.`);
      const ownRate = optimizer.defaultLearningRate;
      const rate = givenRate !== undefined ? `learning rate ${givenRate}` : ownRate === undefined ? 'its own steps' : `learning rate ${ownRate} (${choice.optimizer}'s default)`;
      const clipped = clipNorm === undefined ? '' : `, gradient clipped to norm ${clipNorm}`;
      const given = `${momentum === undefined ? '' : `, momentum ${momentum}`}${normConstraint === undefined ? '' : `, norm constraint ${normConstraint}`}`;
      print(terminal, `${choice.name}${given}, ${rate}, batches of ${batchSize}${clipped}, seed ${seed}.`);
      // What --on-non-finite did: batches left out, or the learning rate halved (and where it ended).
      if (trained.skipped > 0) print(terminal, `--on-non-finite skip left out ${counted(trained.skipped, 'batch', 'batches')} whose step was not finite or ran away.`);
      if (trained.halvings > 0) print(terminal, `--on-non-finite halve halved the learning rate ${counted(trained.halvings, 'time')}, to ${trained.learningRate}.`);
      print(terminal, '');
      print(terminal, `Loss and accuracy on all ${data.inputs.length} rows, from start to end:`, learningCurveTable(curve), '');
      print(terminal, 'At the first step:', traceTable(trace, 0));
      print(terminal, '', 'At the last traced step:', traceTable(trace));
      if (trace.residualBlocks > 0) print(terminal, '', 'Residual blocks at the last traced step:', residualTable(trace));
      print(terminal, '', diagnosisText(diagnosis, remedyTerms(studyModelCommand)));
      if (csv) print(terminal, '', `Trace (CSV): ${csv}`);
      if (report) print(terminal, `Report: ${report}`);
      if (save) print(terminal, `Model: ${save}`);
    } finally {
      optimizer?.dispose();
      net.dispose();
    }
  },
});
