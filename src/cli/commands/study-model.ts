/**
 * gradscope study --model M [flags]: the gradient-flow trace, report and diagnosis for a user's own network and data (or the digits, as
 * `gradscope train` trains on them without --data). Its flags are the command table's below, which
 * `--help` prints: one list, not copied here.
 */
import { freshOptimizerText } from '../fresh-optimizer.js';
import { diagnose } from '../../flow/diagnose.js';
import { OWN_ROWS } from '../../flow/relu-remedy-rates.js';
import { classesOf } from '../../flow/training-progress.js';
import { chanceOnRows } from '../../flow/chance.js';
import { htmlReport } from '../html-report.js';
import { writeFileAtomic } from '../../io/file-access.js';
import { networkFromModel } from '../../io/model-data.js';
import { readModelFile } from '../../io/model-formats.js';
import type { Evaluation } from '../../network/rows.js';
import { isCheckpointFile, readCheckpoint, saveModel } from '../../io/files.js';
import { checkCheckpointNameOf } from '../checkpoint-name-words.js';
import type { Optimizer } from '../../optim/index.js';
import { callEndSteps } from '../../training/call-end-steps.js';
import { MODEL_EPOCHS_BOUND } from '../../studies/study-bounds.js';
import {
  BACKEND_FLAG,
  booleanFlag,
  checkDistinctFiles,
  choiceFlag,
  command,
  COUNT,
  HTML_FLAG,
  JSON_FLAG,
  jsonLine,
  MODEL_FLAG,
  numberFlag,
  outputFileFlag,
  readingFlag,
  SEED_FLAG,
  stringFlag,
  withFile,
} from '../command.js';
import { remedyTerms } from '../remedy-terms.js';
import { curvatureNextLines } from '../curvature-next.js';
import { studyModelRun } from '../run-command-line.js';
import { threadsLines } from '../threads-note.js';
import { readTrainingFlags, THREADS_FLAG, threadsFlag, TRAINING_FLAGS, nonFiniteLines, trainingOptimizer, trainingSettingsText } from '../training-flags.js';
import { ProgressBar } from '../progress.js';
import { traceAtInitialWeights } from '../initial-trace.js';
import { counted, grouped } from '../../counted.js';
import { lossText } from '../../loss-text.js';
import { formatTable } from '../table.js';
import { print, printErr } from '../terminal.js';
import { sizesText } from '../../layer-runs.js';
import { layerSpecsText } from '../../layers/spec-text.js';
import { overfittingOf, rateOffered, worseWarning } from '../worse-warning.js';
import { checkRowsFitModel, TRAINING_ROWS_FLAGS, trainingRows } from '../training-rows.js';
import { diagnosisText, headlineText, lastTableRecord, OVER_TIME_CAPTION, overTimeTableData, residualTableData, tableHeading, traceTableData } from '../trace-table.js';
import type { ReportTable } from '../../flow/report-html.js';
import { percentText } from '../../percent-text.js';
import { DivergedError, stopPointText } from '../../training/advice.js';
import type { EpochInfo, TrainResult } from '../../training/train-options.js';
import type { Trace } from '../../flow/trace.js';
import { errorLine, errorMessage, SaidError } from '../error-line.js';
import { trainedOnBoth } from '../../trained-on.js';
import { seenTestRows } from '../seen-test-rows.js';
import { fixedTrainingRows, gradientsAt, meanLossGradientOf } from '../mean-loss-ends.js';
import { shellWord } from '../../shell-word.js';
import { NO_ACCURACY_NOTE, said, traceJSONSaid } from '../accuracy-said.js';

/** The heading of study --model's one run in its HTML report, under the section headed by the model and the data. */
export const STUDY_MODEL_RUN_LABEL = 'Diagnosis and charts';

/**
 * What a run of --epochs 0 cannot say, said beside its diagnosis (which reads the trace's epochs for
 * them and, finding none, says nothing of them): the verdicts that need epochs of training.
 */
export const NOT_MEASURED_AT_INIT = 'Not measured with --epochs 0: the learning curve, and whether the loss plateaus, rises or overfits (each needs epochs of training).';

/**
 * The loss-and-accuracy table, as the terminal prints it and the HTML report shows it: the start, then
 * about ten epochs spread evenly, always the last. `epochs`: each epoch's run as train() reported it
 * (curve[e + 1] is its validation). Where the validation rows were other rows than the training rows
 * (the test digits), train() also measured a fixed subset of the training rows after each epoch at the
 * same weights (EpochInfo.training, the trace's TraceEpoch.training): two columns give its loss and
 * accuracy, '—' at the start, before any epoch. Where --on-non-finite skip left batches out of any
 * epoch, a column says how many of each epoch's (its loss is then over the applied ones alone). Without `classes` (a regression:
 * accuracy-said.ts) no accuracy column.
 */
function learningCurveTableData(curve: Evaluation[], epochs: readonly Pick<EpochInfo, 'batches' | 'skipped' | 'training'>[] = [], classes = true): ReportTable {
  const last = curve.length - 1;
  const rows = Math.min(last, 10);
  const picks = Array.from({ length: rows + 1 }, (_, i) => (rows === 0 ? 0 : Math.round((i * last) / rows)));
  const skips = epochs.some((e) => e.skipped > 0);
  // The initial weights' row (e = 0): no epoch, no batches, no subset measured.
  const skipped = (e: number) => {
    const run = epochs[e - 1];
    return run === undefined ? '—' : `${grouped(run.skipped)} of ${grouped(run.batches + run.skipped)}`;
  };
  const subset = epochs.find((e) => e.training)?.training;
  const accuracy = (evaluation: Evaluation) => (classes ? [percentText(evaluation.accuracy)] : []);
  const onSubset = (e: number) => {
    const measured = epochs[e - 1]?.training;
    return measured === undefined ? ['—', ...(classes ? ['—'] : [])] : [lossText(measured.loss), ...accuracy(measured)];
  };
  const subsetHeader = subset && [`loss (${grouped(subset.rows)} training rows)`, ...(classes ? [`accuracy (${grouped(subset.rows)} training rows)`] : [])];
  return {
    header: ['epoch', 'loss', ...(classes ? ['accuracy'] : []), ...(subsetHeader || []), ...(skips ? ['batches skipped'] : [])],
    rows: picks.map((e) => [String(e), lossText(curve[e].loss), ...accuracy(curve[e]), ...(subset ? onSubset(e) : []), ...(skips ? [skipped(e)] : [])]),
  };
}

/**
 * What study --model says of a run before its diagnosis: how it was trained (the network, data,
 * epochs and traced steps; the optimiser, its settings and rate; what --on-non-finite did) and its
 * tables, each under its caption. The terminal prints it and the --html report shows it: one source.
 */
interface RunAccount {
  /** The network, its rows, epochs and traced steps. */
  run: string;
  /** The optimiser's settings, then any notice (a saved optimiser state not resumed, skips, halvings), a line each. */
  notices: string[];
  /** What went wrong with the outcome (it ended worse than its initial weights: worseWarning), a line each: printed after the notices, drawn above the run's diagnosis in the report. */
  warnings: string[];
  /** The learning curve, the trace at its first and last step, ‖∂C/∂b‖ per layer over time (overTimeTableData) and the residual blocks' table if any. */
  tables: ReportTable[];
}

/**
 * The optimiser state a model file holds (a checkpoint saved with its optimiser, e.g. by `train --out`): its optimiser
 * and the steps it took, or where the state counts none (lbfgs, hessian-free, levenberg-marquardt) the network's steps
 * (stepsOf 'network': 100 adam steps and 5 lbfgs steps are 105, not lbfgs's).
 */
interface SavedOptimizerState {
  name: string;
  steps: number;
  stepsOf: 'state' | 'network';
}

/**
 * The optimiser state `path` holds, or null: none saved, or a file that holds none (a model file,
 * safetensors, tfjs). A checkpoint (isCheckpointFile: its form) whose training section readCheckpoint
 * refuses is a bad file, refused with readCheckpoint's reason: it was said to hold no state.
 */
async function savedOptimizerState(path: string): Promise<SavedOptimizerState | null> {
  const checkpoint = await readCheckpoint(path).catch(async (error: unknown) => {
    if (await isCheckpointFile(path)) throw error;
    return undefined;
  });
  const state = checkpoint?.optimizer;
  if (checkpoint === undefined || state === undefined) return null;
  // Optimisers count their steps under their own names (kfac: steps; lbfgs, hessian-free, levenberg-marquardt: none), and
  // reading only `step` said '(0 steps)' of a kfac state 7 steps old: where the state counts none, the network's steps say it.
  const own = state.scalars.step ?? state.scalars.steps;
  return own === undefined ? { name: state.name, steps: checkpoint.step, stepsOf: 'network' } : { name: state.name, steps: own, stepsOf: 'state' };
}

/**
 * Said where a run's last step is not its trace's (its end is traced beside the grid of --every as planned, callEndSteps):
 * the batches --on-non-finite skip left out take no step, so the run ended before the steps planned.
 */
function endUntracedText(lastTraced: number, last: number): string {
  return `Its last traced step is step ${grouped(lastTraced)}, not the run's last (step ${grouped(last)}): the batches --on-non-finite skip left out took no step, which moved the run's end off the steps traced.`;
}

/**
 * `train()`, and the DIVERGED it throws when the network's trace holds steps before it (Network.trace:
 * what explains it, which study --model still writes and diagnoses); any other error, or a DIVERGED
 * before any traced step, is thrown.
 */
function tracedUpToDivergence(train: () => TrainResult, net: { trace?: Trace }): { trained?: TrainResult; diverged?: DivergedError } {
  try {
    return { trained: train() };
  } catch (error) {
    if (error instanceof DivergedError && net.trace !== undefined && net.trace.length > 0) return { diverged: error };
    throw error;
  }
}

export const studyModelCommand = command({
  words: ['study'],
  summary: 'trace, diagnose and report the gradient flow of your own model (any format convert reads) on your own data, or on the digits as train does',
  flags: [
    MODEL_FLAG,
    ...TRAINING_ROWS_FLAGS,
    // It keeps every traced step of every epoch for its report, so its epochs are bounded; train() and `gradscope train` take any number.
    ...TRAINING_FLAGS.map((f) => (f.name === 'epochs' ? { ...f, rule: { ...f.rule, ...MODEL_EPOCHS_BOUND }, about: `${f.about}; 0: one traced step's gradients at the model's weights as they are, no update` } : f)),
    { ...SEED_FLAG, about: 'the random seed (the order of the batches)' },
    BACKEND_FLAG,
    THREADS_FLAG,
    { name: 'every', value: 'N', default: 1, rule: COUNT, about: "trace every N-th step, and the run's last step and last full batch's" },
    { ...JSON_FLAG, about: 'print the diagnosis, the learning curve and the whole trace as one JSON object' },
    { name: 'csv', value: 'FILE', about: 'also write the trace as CSV to FILE: a row per traced step and layer, and one per epoch with its losses (Trace.toCSV)' },
    HTML_FLAG,
    { name: 'save', value: 'FILE', about: 'also save a checkpoint to FILE (the trained model, its step, its RNG state and its optimiser state), as saveModel does (.json: JSON; .safetensors, .onnx or a folder: refused, convert writes those from it; any other name: binary); not after a DIVERGED' },
  ],
  example: 'study --model model.json --data data.json --epochs 20 --optimizer adam --html report.html',
  async run(args, terminal) {
    const modelPath = stringFlag(args, 'model', true);
    const settings = readTrainingFlags(args);
    const { epochs, batchSize, dropLast, clipNorm, onNonFinite } = settings;
    const every = numberFlag(args, 'every');
    const seed = numberFlag(args, 'seed');
    const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend');
    const threads = threadsFlag(args, backend);
    const json = booleanFlag(args, 'json');
    const csv = await outputFileFlag(args, 'csv');
    const html = await outputFileFlag(args, 'html');
    const save = await outputFileFlag(args, 'save', checkCheckpointNameOf('study --model', terminal.invokedAs));
    await checkDistinctFiles(args, ['csv', 'html', 'save'], ['model', 'data', 'test-data'], [['save', 'model']]);
    const rows = await trainingRows(args);
    const model = await readingFlag('model', modelPath, () => readModelFile(modelPath));
    // study --model trains with the optimiser its flags name, from a fresh state: a saved one is said, not resumed.
    const savedState = await readingFlag('model', modelPath, () => savedOptimizerState(modelPath));
    // Every format records the rows that trained the model where it was saved with them (readModelFile reads them back).
    const trainedOn = model.trainedOn;
    const seenRows = seenTestRows(modelPath, trainedOn, rows);
    const net = await withFile(shellWord(modelPath), () => networkFromModel(model, { seed, backend, threads }));
    let optimizer: Optimizer | undefined;
    try {
      checkRowsFitModel(modelPath, net, rows, rows.train.y);
      const built = await trainingOptimizer(args, net, settings, rows.train, rows.where);
      optimizer = built.optimizer;
      const initial = await withFile(rows.checkFile, async () => net.evaluate(rows.check.x, rows.check.y));
      const atInit = epochs === 0 ? await withFile(rows.file, async () => traceAtInitialWeights(net, optimizer!, settings, rows.train)) : undefined;
      // Over training time from the mean loss over fixed training rows at the run's two ends (mean-loss-ends.ts), not from batches alone.
      const fixed = atInit ? undefined : fixedTrainingRows(rows.train, rows.check.count);
      const gradientsAtStart = fixed && (await withFile(rows.file, async () => gradientsAt(net, fixed)));
      const bar = atInit ? undefined : new ProgressBar(terminal, 'training', epochs);
      const reported: EpochInfo[] = [];
      // The run's end (its last step, and its last full batch's), which the grid of --every misses unless it lands there, is traced besides.
      const ends = callEndSteps(net.step, epochs, rows.train.count, batchSize, dropLast);
      const train = () => net.train(rows.train.x, rows.train.y, {
        epochs,
        batchSize,
        shuffle: settings.shuffle,
        dropLast,
        learningRate: settings.learningRate,
        schedule: settings.schedule,
        optimizer,
        clipNorm,
        onNonFinite,
        trace: { every, ...(ends && { extraSteps: [ends.lastFull, ends.last] }) },
        validation: { x: rows.check.x, y: rows.check.y },
        onEpoch: (info) => {
          // 'halve' reports an epoch again after going back to it: its new run replaces the old one and those after it.
          reported.length = info.epoch - 1;
          reported.push(info);
          bar!.update(info.epoch, `loss ${lossText(info.validation!.loss)}`);
        },
      });
      const { trained, diverged } = atInit ? {} : tracedUpToDivergence(train, net);
      bar?.done();
      // Said first, as main() would say it: what follows is of the steps before it.
      if (diverged) printErr(terminal, errorLine(diverged, studyModelCommand, terminal.invokedAs));
      // From the epochs train() returns, not from onEpoch: 'halve' runs an epoch again (onEpoch called again for it), and
      // the result keeps one entry per epoch, its last run's. A DIVERGED returns none: the epochs onEpoch reported, kept the same way.
      const epochsRun = trained?.epochs ?? reported;
      const curve = [initial, ...epochsRun.map((info) => info.validation!)];
      const trace = atInit?.trace ?? net.trace!;
      const last = lastTableRecord(trace);
      // The held-out loss before the first epoch, which the trace does not hold: where it was the lowest, no epoch to stop at is offered.
      // Test digits that trained the model (seenRows) are not held out: the diagnosis calls them the validation rows.
      // Rows of --data are none of the set-ups the relu switch's rate was measured on (OWN_ROWS): the digits' 0.002 is not theirs.
      // A diverged run's weights are not where it ended: no end is measured.
      const meanLossGradient = fixed && trained ? meanLossGradientOf(trace, fixed, gradientsAtStart, await withFile(rows.file, async () => gradientsAt(net, fixed))) : undefined;
      const diagnosis = diagnose(trace, {
        ...(meanLossGradient && { meanLossGradient }),
        ...(Number.isFinite(curve[0].loss) && { heldOutAtStart: curve[0].loss }),
        ...(seenRows.seen !== undefined && { validationSeen: true }),
        ...(!rows.digits && { reluRates: OWN_ROWS }),
      });
      const overfitting = overfittingOf(diagnosis);
      // The classes the diagnosis reads (classesOf): without them no accuracy is said (accuracy-said.ts).
      const classes = classesOf(trace);
      const worse = trained && worseWarning({ checked: rows.checked, checkedName: rows.checkedName, initial: said(curve[0], classes), final: said(curve[curve.length - 1], classes), trained, optimizer: settings.choice.name, saved: save && '--save', chance: chanceOnRows(classes, rows.check.y), diagnosis: "the run's diagnosis says what holds it", overfitting, seen: seenRows.seen, restarted: savedState ? { file: shellWord(modelPath), ...savedState } : undefined, rateOffered: rateOffered(diagnosis) });
      const warnings = [...(seenRows.warning ? [seenRows.warning] : []), ...(worse ? [worse] : [])];
      // A diverged run's weights are not the trained model asked for: nothing is saved. The rows that trained it are the file's (--epochs 0) and
      // this run's where one range says both (trainedOnBoth), else none: a record that left rows out would clear test rows it saw.
      const savedRows = trained ? trainedOnBoth(trainedOn, rows.trainedOn) : trainedOn;
      if (save && !diverged) await saveModel(net, save, { optimizer, ...(savedRows && { trainedOn: savedRows }) });
      if (csv) await writeFileAtomic(csv, trace.toCSV());
      const shape = net.kind === 'dense' ? sizesText(net.sizes) : layerSpecsText(net.inputSize, net.layers);
      // --epochs 0 takes no step: 'trains with a fresh sgd' would say a training that does not happen.
      const instead = epochs === 0 ? 'this run takes no step (--epochs 0)' : `this run trains with ${freshOptimizerText(settings.choice.name)}${args.flags.has('optimizer') ? '' : ' (--optimizer)'}`;
      const saidState = savedState && `${shellWord(modelPath)} holds ${savedState.name}'s optimiser state (${savedState.stepsOf === 'network' ? "saved after the network's " : ''}${counted(savedState.steps, 'step')}), which study --model does not resume: ${instead}.`;
      const measured = rows.checkedWords;
      // Per layer at a few steps, between the first and the last tables: fading over depth or over training time.
      const overTime = overTimeTableData(trace);
      const account: RunAccount = {
        run: atInit
          ? `${shape} on ${counted(rows.train.count, rows.digits ? 'digit' : 'row')}, 0 epochs: 1 traced step at the model's weights as they are, the gradients of its first ${counted(atInit.batch, rows.digits ? 'digit' : 'row')} (one batch, in their order), no update made.`
          : `${shape} on ${counted(rows.train.count, rows.digits ? 'digit' : 'row')}, ${counted(epochs, 'epoch')}${diverged ? `: DIVERGED, stopped at ${stopPointText(diverged.stoppedAt)}` : ''}, ${counted(trace.length, 'traced step')}${diverged ? ' before it' : ''}.`,
        notices: [
          trainingSettingsText(settings, built, seed, rows.train.count),
          ...(atInit ? [NOT_MEASURED_AT_INIT] : []),
          ...(classes === undefined ? [NO_ACCURACY_NOTE] : []),
          ...(saidState ? [saidState] : []),
          ...(seenRows.notice ? [seenRows.notice] : []),
          ...(trained ? [...nonFiniteLines(trained), ...threadsLines(threads, trained)] : []),
          ...(trained && trace.steps[trace.length - 1] !== net.step ? [endUntracedText(trace.steps[trace.length - 1], net.step)] : []),
          ...(diverged && save ? [`--save ${shellWord(save)}: not saved, the run diverged.`] : []),
        ],
        warnings,
        tables: [
          { caption: `${classes === undefined ? 'Loss' : 'Loss and accuracy'} on ${measured}${atInit ? " at the model's weights:" : ', from start to end:'}`, ...learningCurveTableData(curve, epochsRun, classes !== undefined) },
          // One traced step is both the first and the last: one table (two printed the same cells twice).
          // The last is the last full batch's: an epoch's short last batch after it holds a gradient of its few rows alone (lastTableRecord).
          ...(last.record === 0
            ? [{ caption: tableHeading(trace.length === 1 ? 'At the only traced step' : "At the first step, the only full batch's traced", trace, 0), ...traceTableData(trace, 0) }]
            : [
                { caption: tableHeading('At the first step', trace, 0), ...traceTableData(trace, 0) },
                { caption: tableHeading(`At ${last.words}`, trace, last.record), ...traceTableData(trace, last.record) },
              ]),
          ...(overTime ? [{ caption: OVER_TIME_CAPTION, ...overTime, readAcross: true }] : []),
          ...(trace.residualBlocks > 0 ? [{ caption: tableHeading(`Residual blocks at ${last.words}`, trace, last.record), ...residualTableData(trace, last.record) }] : []),
        ],
      };
      // Each remedy as the command line that reruns this run with its change (this model's network, these flags).
      const terms = remedyTerms(studyModelRun(studyModelCommand, args, trace, modelPath, terminal.invokedAs, net.kind === 'blocks' ? net.layers : undefined), terminal.invokedAs);
      const heading = `${shellWord(modelPath)} on ${rows.file}`;
      // The terminal said the DIVERGED on stderr before all this; the report says it above the run's diagnosis.
      const divergedNote = diverged ? [`DIVERGED: ${errorMessage(diverged, studyModelCommand, terminal.invokedAs)}`] : [];
      const report = await htmlReport(html, () => ({
        title: `gradscope: ${shellWord(modelPath)}`,
        // The run's own heading says what it holds: the section's heading again (newuser29) read as a second section of the same name.
        sections: [{ id: 'run', heading, text: `${account.run} Data: ${rows.source}.`, notes: account.notices, tables: account.tables, runs: [{ label: STUDY_MODEL_RUN_LABEL, trace, diagnosis, warnings: [...divergedNote, ...warnings] }] }],
        remedyTerms: terms,
      }));
      if (json) {
        const optimizerUsed = { name: settings.choice.name, savedState: savedState && { ...savedState, used: false } };
        const stopped = diverged && { message: errorMessage(diverged, studyModelCommand, terminal.invokedAs), stoppedAt: diverged.stoppedAt };
        // The notice that the test rows' overlap with the training rows cannot be checked qualifies the curve as a warning does: with them.
        const jsonWarnings = [...(seenRows.notice ? [seenRows.notice] : []), ...warnings];
        // Without classes no accuracy, as the terminal says none (b0abe169): the curve's left out, the trace's null.
        terminal.out(jsonLine({ ...(stopped && { diverged: stopped }), diagnosis, curve: curve.map((e) => said(e, classes)), warnings: jsonWarnings, optimizer: optimizerUsed, trace: traceJSONSaid(trace, classes) }));
        if (diverged) throw new SaidError(diverged);
        return;
      }
      print(terminal, account.run);
      for (const line of [...account.notices, ...account.warnings]) print(terminal, line);
      // The answer first (newuser42 #8): after what ran, above every table; in full after them.
      print(terminal, '', headlineText(diagnosis, terms, 'The diagnosis', terminal.columns));
      for (const { caption, header, rows: cells } of account.tables) print(terminal, '', caption!, formatTable(header, cells, terminal.columns));
      print(terminal, '', diagnosisText(diagnosis, terms, terminal.columns));
      if (csv) print(terminal, '', `Trace (CSV): ${csv}`);
      if (report) print(terminal, `Report: ${shellWord(report)}`);
      if (diverged) throw new SaidError(diverged);
      if (save) print(terminal, `Model: ${shellWord(save)}`);
      // Asked "minimum, saddle or slope?", the line that measures it, last: what to run next.
      const next = curvatureNextLines(diagnosis, trace, args, modelPath, save, terminal.invokedAs);
      if (next.length) print(terminal, '', ...next);
    } finally {
      optimizer?.dispose();
      net.dispose();
    }
  },
});
