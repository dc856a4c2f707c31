/**
 * gradscope study trainable-depth [--quick] [--depths 2,5,10,20,50,100] [--width 64] [--epochs 10] [--remedies a,b] [--budgets 1,4,16,64] [--budget-depths 5,10,20] [--papers 1|0|only] [--paper-ids a,b] [--paper-epochs N] [--train 9000] [--test 1000] [--seed 1] [--json] [--json-file FILE] [--html FILE]
 * How deep each remedy trains a feed-forward network on the digits, for a fixed step budget; then
 * the budget sweep (does a longer budget move where plain sigmoid stops?) and the papers' own small
 * experiments (issue 14).
 */
import { counted, countedList, grouped } from '../../counted.js';
import { typedWord } from '../../errors.js';
import { htmlReport } from '../html-report.js';
import {
  ACCURACY_GOAL,
  checkStudySetup,
  QUICK_STUDY,
  remedyBatchNormRuns,
  runTrainableDepthStudy,
  skipReason,
  TRAINABLE_DEPTHS,
  TRAINABLE_EPOCHS,
  TRAINABLE_WIDTH,
  type GoalCheck,
  type GoalVerdict,
  type StudySetup,
  type TrainableDepthResult,
  type TrainableDepthRow,
} from '../../studies/trainable-depth.js';
import { TRAINABLE_DEPTH_REMEDIES, type TrainableDepthRemedy } from '../../studies/trainable-depth-remedies.js';
import { BUDGET_DEPTHS, BUDGET_MULTIPLES, BUDGET_REMEDIES, runBudgetSweep, type BudgetSweepResult } from '../../studies/trainable-depth-budget.js';
import { boundaryTable, budgetMatrix, BUDGET_ROWS_HEADER, budgetRowCells, budgetSweepReportSection, budgetSweepSetup, learningRateTable } from '../../studies/trainable-depth-budget-report.js';
import { epochsText, type PaperExperiment } from '../../studies/paper-experiment.js';
import { PAPER_BATCH_NORM_RUNS, PAPER_IDS, runPaperExperiments, type PaperExperimentsOptions, type PaperId } from '../../studies/paper-experiments.js';
import { shortBatchProblem } from '../../studies/batch-norm-rows.js';
import { paperNotes, paperReportSections } from '../../studies/paper-experiments-report.js';
import { accuracyMatrix, budgetNote, deepestNote, deepestTable, remediesTable, ROWS_HEADER, rowCells, trainableDepthReportSection, infiniteRatioNote, unmeasuredDeltaNote, WALL_SECONDS_NOTE, zeroRatioNote } from '../../studies/trainable-depth-report.js';
import { BACKEND_FLAG, booleanFlag, checkDigitFlags, checkDistinctFiles, choiceFlag, checkOptionsAsUsage, command, COUNT, HTML_FLAG, JSON_FLAG, jsonLine, listFlag, numberFlag, outputFileFlag, type ParsedArgs, SEED_FLAG, stringFlag, TEST_FLAG, TRAIN_FLAG, UsageError, wholeListFlag, WIDTH } from '../command.js';
import { print, printErr, type Terminal } from '../terminal.js';
import { partialText, readSavedStudy, writeStudyFile } from '../study-json-file.js';
import { ProgressBar } from '../progress.js';
import { formatTable } from '../table.js';
import { gradscopeLine } from '../invocation.js';
import { BUDGET_MULTIPLE_BOUND, DEPTH_BOUND, PAPER_EPOCHS_BOUND, TRAINABLE_EPOCHS_BOUND } from '../../studies/study-bounds.js';
import { STUDY_DIGITS } from '../../studies/study-defaults.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../data/mnist.js';
import { parameterCountOf } from '../../network/memory-budget.js';
import { shellWord } from '../../shell-word.js';
import { didYouMean } from '../../suggest.js';

/** How the study's progress lines start, in npm start's study (c) and in this command alike. */
const PROGRESS_LABEL = 'trainable depth';

/**
 * Progress over the study's remedy × depth networks, one wording wherever the study runs (npm
 * start's study (c), this command): 'trainable depth: 19 %, relu-he at 2 hidden layers, about 2 min
 * left'. Each network counts as its weights and biases, what a step of it multiplies and adds per
 * row (every network takes the same steps of the same rows), so a 50-layer network is 4.6 times a
 * 2-layer one at width 64, not one row as either: the time left is the time so far scaled by that work.
 * A network the study does not run (skipReason: hessian-free above 10 hidden layers, kfac and
 * gradient-noise above 20) is no work: its row comes at once, and counted it made the bar jump.
 */
export function rowProgress(terminal: Terminal, setup: Pick<StudySetup, 'remedies' | 'depths' | 'width'>): { onRow: (row: TrainableDepthRow) => void; done: () => void } {
  const work = (remedy: TrainableDepthRemedy | undefined, depth: number) => rowWork(remedy, depth, setup.width);
  const total = setup.remedies.reduce((sum, remedy) => sum + setup.depths.reduce((sum, depth) => sum + work(remedy, depth), 0), 0);
  // At least 1: a study whose every network is skipped has nothing to count (0 of 0 read NaN %).
  const bar = new ProgressBar(terminal, PROGRESS_LABEL, Math.max(1, total), { timeLeft: true });
  let done = 0;
  return {
    onRow: (row) => bar.update((done += work(setup.remedies.find((r) => r.key === row.remedy), row.depth)), `${row.remedy} at ${counted(row.depth, 'hidden layer')}`),
    done: () => bar.done(),
  };
}

/**
 * The work rowProgress counts for a network of the study (see there): its weights and biases, 0 where it is not run.
 * scripts/trainable-depth-progress-timing.ts sets it beside each network's CPU time (docs/cli.md).
 */
export function rowWork(remedy: TrainableDepthRemedy | undefined, depth: number, width: number): number {
  return remedy === undefined || skipReason(remedy, depth) !== undefined ? 0 : parameterCountOf([MNIST_PIXELS, ...Array.from({ length: depth }, () => width), MNIST_CLASSES]);
}

/** What --papers asks for: the papers' experiments after the study, not at all, or alone. */
type PapersChoice = 'with' | 'without' | 'only';

/** --papers' words, as its help shows them. */
const PAPERS_WORDS = ['1', '0', 'only'];

/** --papers: 1 runs the papers' experiments after the study (the default, but with --quick), 0 leaves them out, only runs them alone. */
function papersFlag(args: ParsedArgs, quick: boolean): PapersChoice {
  const text = stringFlag(args, 'papers');
  if (text === undefined) return quick ? 'without' : 'with';
  if (text === 'only') return 'only';
  if (!PAPERS_WORDS.includes(text)) {
    // Only 'only' is long enough for a one-edit slip to be told from the others ('-1' is no slip for '1').
    throw new UsageError(
      `--papers takes 1 (run the papers' experiments after the study: the default without --quick), 0 (leave them out) or only (run them alone), got ${typedWord(text)}${didYouMean(text, ['only'], (w) => `'${w}'`)}`,
    );
  }
  return text === '1' ? 'with' : 'without';
}

/** The flags of the study's table and budget sweep, which --papers only does not run: refused beside it, where they would change nothing. */
const TABLE_FLAGS = ['quick', 'depths', 'width', 'epochs', 'remedies', 'budgets', 'budget-depths'];

/** The flags of the papers' experiments alone, which --papers 0 (and --quick's default) does not run: refused there, where they would change nothing. */
const PAPER_FLAGS = ['paper-ids', 'paper-epochs'];

/**
 * What --paper-ids and --paper-epochs ask of runPaperExperiments: which experiments (default: all) and how many
 * epochs each trains (default: each its own, as documented).
 */
function paperChoices(args: ParsedArgs): Pick<PaperExperimentsOptions, 'ids' | 'epochs'> {
  const ids = listFlag(args, 'paper-ids', PAPER_IDS) as PaperId[] | undefined;
  const epochs = args.flags.has('paper-epochs') ? numberFlag(args, 'paper-epochs') : undefined;
  return { ...(ids && { ids }), ...(epochs !== undefined && { epochs }) };
}

/**
 * Progress of the papers' experiments on stderr: a bar per experiment over its networks' epochs
 * ('trainable depth: paper-selu: 40 %, SNN (SELU), 16 layers'), then a line as each is done. No
 * time left: an experiment's networks differ in depth, so its epochs are not of like cost.
 */
function paperProgress(terminal: Terminal): Pick<PaperExperimentsOptions, 'onProgress' | 'onExperiment'> {
  let bar: { id: string; bar: ProgressBar } | undefined;
  return {
    onProgress: (p) => {
      if (bar?.id !== p.id) bar = { id: p.id, bar: new ProgressBar(terminal, `${PROGRESS_LABEL}: ${p.id}`, p.total) };
      bar.bar.update(p.done, p.network);
    },
    onExperiment: (e) => {
      if (bar?.id === e.id) bar.bar.done();
      printErr(terminal, `${PROGRESS_LABEL}: ${e.id} done`);
    },
  };
}

/** --budgets as multiples of the step budget; [] for '0' (no sweep); the default unless --quick. */
function budgetsFlag(args: ParsedArgs, quick: boolean): number[] {
  const text = stringFlag(args, 'budgets');
  if (text?.trim() === '0') return [];
  return wholeListFlag(args, 'budgets', 1, ' (or 0: no budget sweep)') ?? (quick ? [] : [...BUDGET_MULTIPLES]);
}

/** The flag of each option checkStudySetup may name, with `depths` the flag of the depths it checks (--depths, or the sweep's --budget-depths). */
const setupFlags = (depths: string): Record<string, string> => ({ depths, width: 'width', epochs: 'epochs', remedies: 'remedies', trainRows: 'train', testRows: 'test', seed: 'seed' });

const verdict = (met: GoalVerdict) => (met === null ? 'not measured' : met === 'on the line' ? 'ON THE LINE' : met ? 'met' : 'NOT met');

/** The goal of issue 14 as one run (`seed`) judged it, each part with its verdict and the numbers behind it. */
export function goalText(goal: GoalCheck, seed: number): string {
  const { plainSigmoidStops: stops, hundredLayers: hundred } = goal;
  const percent = `${100 * ACCURACY_GOAL} %`;
  return [
    `Goal (seed ${seed}): plain sigmoid stops training between 5 and 20 hidden layers (its deepest depth above ${percent} is ≥ 5 and < 20): ${verdict(stops.met)}` +
      `${stops.met === null ? '' : ` (deepest: ${stops.deepest ?? 'none'})`}; ${stops.why}.`,
    `Goal (seed ${seed}): at least one remedy trains 100 hidden layers to above ${percent}: ${verdict(hundred.met)}${hundred.remedies.length ? ` (${hundred.remedies.join(', ')})` : ''}; ${hundred.why}.`,
  ].join('\n');
}

/** The command line of study trainable-depth as the user runs gradscope (`invoked`: Terminal.invokedAs): on its own budget, budgetNote's. */
export const trainableDepthLine = (invoked: string | undefined) => gradscopeLine(invoked, 'study trainable-depth');

/** The study's tables, the goal check and the remedies' settings, as the terminal shows them (its tables fit to `width`: formatTable); `invoked`: Terminal.invokedAs. */
export function trainableDepthText(result: TrainableDepthResult, width: number | undefined, invoked: string | undefined): string {
  const note = budgetNote(result, trainableDepthLine(invoked));
  const deepest = deepestTable(result);
  const matrix = accuracyMatrix(result);
  const remedies = remediesTable(result);
  return [
    `Networks of ${countedList(result.depths, 'hidden layer')} of ${counted(result.width, 'unit')}, 784 inputs, 10 softmax outputs + cross-entropy; ` +
      `${epochsText(result.epochs)} over ${counted(result.trainRows, 'digit')} (seed ${result.seed}), held-out accuracy on the next ${grouped(result.testRows)}.`,
    `First ÷ last: ‖∂C/∂b‖ (or one example's RMS ‖δ‖) of the first hidden layer over the last's, on the first ${grouped(result.probeRows)} training digits.`,
    '',
    formatTable(ROWS_HEADER, result.rows.map(rowCells), width, 2), // a row is a remedy at a depth
    WALL_SECONDS_NOTE,
    ...(unmeasuredDeltaNote(result) ? [unmeasuredDeltaNote(result)] : []),
    ...(infiniteRatioNote(result) ? [infiniteRatioNote(result)] : []),
    ...(zeroRatioNote(result) ? [zeroRatioNote(result)] : []),
    '',
    `${matrix.caption}:`,
    formatTable(matrix.header, matrix.rows, width),
    '',
    formatTable(deepest.header, deepest.rows, width),
    deepestNote(result),
    '',
    ...(note ? [note, ''] : []),
    goalText(result.goal, result.seed),
    '',
    `${remedies.caption}:`,
    ...remedies.rows.map(([key, settings]) => `  ${key}: ${settings}`),
  ].join('\n');
}

/** The budget sweep's tables as the terminal shows them, fit to `width` (formatTable). */
export function budgetSweepText(result: BudgetSweepResult, width?: number): string {
  const matrix = budgetMatrix(result);
  const boundary = boundaryTable(result);
  const rates = learningRateTable(result);
  return [
    `Budget sweep: ${budgetSweepSetup(result)}`,
    '',
    formatTable(matrix.header, matrix.rows, width),
    '',
    formatTable(boundary.header, boundary.rows, width),
    '',
    `Learning rate of ${result.learningRateGrid.remedy} at ${counted(result.learningRateGrid.depth, 'hidden layer')}, 1×:`,
    formatTable(rates.header, rates.rows, width),
    '',
    formatTable(BUDGET_ROWS_HEADER, result.rows.map(budgetRowCells), width, 4), // a remedy, depth, rate and budget
  ].join('\n');
}

/** The papers' experiments as the terminal shows them: title, set-up, findings, differences. */
export function papersText(experiments: readonly PaperExperiment[]): string {
  return experiments.map((e) => [e.title, e.setup, ...paperNotes(e).map((n) => `  ${n}`)].join('\n')).join('\n\n');
}

/** --papers only: the papers' experiments alone, on the study's digits, seed and backend; --json writes { papers }, --html their sections. */
async function runPapersOnly(args: ParsedArgs, terminal: Terminal, json: boolean): Promise<void> {
  const trainRows = numberFlag(args, 'train');
  const testRows = numberFlag(args, 'test');
  checkDigitFlags(trainRows, testRows);
  const shortBatch = shortBatchProblem(trainRows, PAPER_BATCH_NORM_RUNS, '--train');
  if (shortBatch) throw new UsageError(shortBatch);
  const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend');
  const choices = paperChoices(args);
  const html = await outputFileFlag(args, 'html');
  const experiments = await runPaperExperiments({ trainRows, testRows, seed: numberFlag(args, 'seed'), backend, ...choices, ...paperProgress(terminal) });
  const report = await htmlReport(html, () => ({ sections: paperReportSections(experiments) }));
  if (json) {
    terminal.out(jsonLine({ papers: experiments }));
    return;
  }
  print(terminal, papersText(experiments));
  if (report) print(terminal, `\nReport: ${shellWord(report)}`);
}

export const studyTrainableDepthCommand = command({
  words: ['study', 'trainable-depth'],
  summary: 'how deep each remedy trains a feed-forward net on the digits, for a fixed step budget',
  flags: [
    {
      name: 'quick',
      about: `a quick subset: ${QUICK_STUDY.remedies.length} remedies at ${QUICK_STUDY.depths.join(', ')} hidden layers, ${QUICK_STUDY.epochs} epochs, no budget sweep, no papers (what npm start prints as study (c))`,
    },
    { name: 'depths', value: 'A,B', default: TRAINABLE_DEPTHS.join(','), rule: DEPTH_BOUND, about: 'hidden layers of the networks, comma-separated' },
    { name: 'width', value: 'N', default: TRAINABLE_WIDTH, rule: WIDTH, about: 'units of each hidden layer' },
    { name: 'epochs', value: 'N', default: TRAINABLE_EPOCHS, rule: { ...COUNT, ...TRAINABLE_EPOCHS_BOUND }, about: 'the step budget, in epochs of the training digits' },
    { name: 'remedies', value: 'A,B', about: `the remedies to run, comma-separated, of ${TRAINABLE_DEPTH_REMEDIES.map((r) => r.key).join(', ')} (default: all)` },
    { name: 'budgets', value: 'A,B', default: BUDGET_MULTIPLES.join(','), rule: BUDGET_MULTIPLE_BOUND, about: 'the budget sweep: multiples of the step budget (0: no sweep)' },
    { name: 'budget-depths', value: 'A,B', default: BUDGET_DEPTHS.join(','), rule: DEPTH_BOUND, about: "the budget sweep's hidden layers" },
    { name: 'papers', value: PAPERS_WORDS.join('|'), about: "1 runs the papers' own small experiments after the study, 0 leaves them out, only runs them alone (default: 1; 0 with --quick)" },
    { name: 'paper-ids', value: 'A,B', about: `the papers' experiments to run, comma-separated, of ${PAPER_IDS.join(', ')} (default: all)` },
    { name: 'paper-epochs', value: 'N', rule: { ...COUNT, ...PAPER_EPOCHS_BOUND }, about: "every paper experiment's epochs over the training digits (default: each its own, as docs/trainable-depth.md gives them)" },
    TRAIN_FLAG(STUDY_DIGITS.trainRows),
    TEST_FLAG(STUDY_DIGITS.testRows),
    SEED_FLAG,
    BACKEND_FLAG,
    JSON_FLAG,
    {
      name: 'json-file',
      value: 'FILE',
      about:
        "also write --json's object to FILE as the study goes, after each network (a stopped run leaves what it measured, its \"partial\" saying what is missing); " +
        'given a file a stopped run of the same set-up left, measure only the rest (another set-up is refused)',
    },
    HTML_FLAG,
  ],
  example: 'study trainable-depth --quick --html trainable-depth.html',
  async run(args, terminal) {
    const json = booleanFlag(args, 'json');
    const quick = booleanFlag(args, 'quick');
    const papers = papersFlag(args, quick);
    const unrun = papers === 'without' ? PAPER_FLAGS.find((flag) => args.flags.has(flag)) : undefined;
    if (unrun) throw new UsageError(`--${unrun} sets the papers' experiments, which ${quick && !args.flags.has('papers') ? '--quick leaves out' : '--papers 0 leaves out'}: leave it out, or give --papers 1 or only`);
    if (papers === 'only') {
      const given = TABLE_FLAGS.find((flag) => args.flags.has(flag));
      if (given) throw new UsageError(`--${given} sets the study's table or budget sweep, which --papers only does not run: leave it out`);
      if (args.flags.has('json-file')) throw new UsageError("--json-file writes the study's table as it goes, which --papers only does not run: give --json instead");
      return runPapersOnly(args, terminal, json);
    }
    const depths = wholeListFlag(args, 'depths', 1) ?? (quick ? QUICK_STUDY.depths : undefined);
    // The budget sweep's budgets as multiples of --epochs ([]: not run; --quick leaves it out), at its depths.
    const budgets = budgetsFlag(args, quick);
    const budgetDepths = wholeListFlag(args, 'budget-depths', 1);
    const options = {
      depths,
      width: numberFlag(args, 'width'),
      epochs: numberFlag(args, 'epochs', quick ? QUICK_STUDY.epochs : undefined),
      remedies: listFlag(args, 'remedies', TRAINABLE_DEPTH_REMEDIES.map((r) => r.key)) ?? (quick ? QUICK_STUDY.remedies : undefined),
      trainRows: numberFlag(args, 'train'),
      testRows: numberFlag(args, 'test'),
      seed: numberFlag(args, 'seed'),
    };
    const backend = choiceFlag<'wasm' | 'ref'>(args, 'backend');
    checkDigitFlags(options.trainRows, options.testRows);
    // Every run that trains with batch norm must get no one-row batch from --train (it would fail after the runs before it).
    const shortBatch = shortBatchProblem(options.trainRows, [...remedyBatchNormRuns(options.remedies), ...(papers === 'with' ? PAPER_BATCH_NORM_RUNS : [])], '--train');
    if (shortBatch) throw new UsageError(shortBatch);
    const choices = paperChoices(args);
    // The study's and the sweep's own checks (each remedy's deepest network within the model limits), before any work.
    const setup = checkOptionsAsUsage(args, setupFlags('depths'), () => checkStudySetup(options, { depths: TRAINABLE_DEPTHS }));
    if (budgets.length) checkOptionsAsUsage(args, setupFlags('budget-depths'), () => checkStudySetup({ ...options, depths: budgetDepths, remedies: undefined }, { depths: BUDGET_DEPTHS, remedies: BUDGET_REMEDIES }));
    const html = await outputFileFlag(args, 'html');
    const jsonFile = await outputFileFlag(args, 'json-file');
    await checkDistinctFiles(args, ['html', 'json-file'], []);
    const fileSetup = {
      study: 'trainable-depth',
      depths: setup.depths,
      width: setup.width,
      epochs: setup.epochs,
      remedies: setup.remedies.map((r) => r.key),
      trainRows: setup.trainRows,
      testRows: setup.testRows,
      seed: setup.seed,
      backend: backend ?? 'wasm',
      budgets,
      budgetDepths: budgets.length ? (budgetDepths ?? BUDGET_DEPTHS) : null,
      papers: papers === 'with' ? { ids: choices.ids ?? PAPER_IDS, epochs: choices.epochs ?? null } : null,
    };
    const saved = jsonFile === undefined ? undefined : await readSavedStudy(jsonFile, fileSetup);
    const networks = setup.remedies.length * setup.depths.length;
    if (saved) {
      const before = [
        `${saved.rows.length} of ${counted(networks, 'network')} of the table`,
        budgets.length && saved.budgetSweep !== undefined ? 'the budget sweep' : '',
        papers === 'with' && saved.papers !== undefined ? "the papers' experiments" : '',
      ].filter(Boolean);
      // A progress line ('…: done'), as the others on stderr.
      printErr(terminal, `${PROGRESS_LABEL}: ${before.join(', ')} measured before, taken from ${shellWord(jsonFile!)}: done`);
    }
    const save = (value: object, missing?: string) => (jsonFile === undefined ? undefined : writeStudyFile(jsonFile, { ...value, setup: fileSetup }, missing && partialText(missing)));
    const after = [budgets.length ? 'the budget sweep' : '', papers === 'with' ? "the papers' experiments" : ''].filter(Boolean).join(' and ');
    // What the file held beyond the table stays in it while the table's rows are written again.
    const kept = { ...(saved?.budgetSweep !== undefined && { budgetSweep: saved.budgetSweep }), ...(saved?.papers !== undefined && { papers: saved.papers }) };
    const progress = rowProgress(terminal, setup);
    const rows: TrainableDepthRow[] = [];
    const result = await runTrainableDepthStudy({
      ...options,
      backend,
      measured: saved?.rows,
      onRow: (row) => {
        progress.onRow(row);
        rows.push(row);
        return save({ rows, ...kept }, `${rows.length} of ${networks} networks of the table measured${after && `; ${after} not yet`}`);
      },
    });
    progress.done();
    if (after) await save({ ...result, ...kept }, `the table measured; ${after} not yet`);
    const sweep =
      saved?.budgetSweep !== undefined
        ? (saved.budgetSweep as BudgetSweepResult | null)
        : budgets.length > 0
          ? await runBudgetSweep({
              budgets,
              depths: budgetDepths,
              width: options.width,
              epochs: options.epochs,
              trainRows: options.trainRows,
              testRows: options.testRows,
              seed: options.seed,
              backend,
              onNetwork: (n) => printErr(terminal, `${PROGRESS_LABEL}: budget sweep, ${n.remedy} at ${counted(n.depth, 'hidden layer')} (lr ${n.learningRate ?? 'default'}) done`),
            })
          : null;
    if (papers === 'with') await save({ ...result, budgetSweep: sweep, ...kept }, `${sweep ? 'the table and the budget sweep' : 'the table'} measured; the papers' experiments not yet`);
    const experiments =
      saved?.papers !== undefined
        ? (saved.papers as PaperExperiment[])
        : papers === 'with'
          ? await runPaperExperiments({ trainRows: options.trainRows, testRows: options.testRows, seed: options.seed, backend, ...choices, ...paperProgress(terminal) })
          : [];
    await save({ ...result, budgetSweep: sweep, papers: experiments });
    const report = await htmlReport(html, () => ({ sections: [trainableDepthReportSection(result, trainableDepthLine(terminal.invokedAs)), ...(sweep ? [budgetSweepReportSection(sweep)] : []), ...paperReportSections(experiments)] }));
    if (json) {
      terminal.out(jsonLine({ ...result, budgetSweep: sweep, papers: experiments }));
      return;
    }
    print(terminal, trainableDepthText(result, terminal.columns, terminal.invokedAs));
    if (sweep) print(terminal, '', budgetSweepText(sweep, terminal.columns));
    if (experiments.length) print(terminal, '', papersText(experiments));
    if (report) print(terminal, `\nReport: ${shellWord(report)}`);
  },
});
