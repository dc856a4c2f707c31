/** The trainable-depth study as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { counted, countedList, grouped } from '../counted.js';
import { checkStudyResult } from './study-result.js';
import type { ReportChart, ReportSection, ReportTable } from '../flow/report-html.js';
import { epochsText } from './paper-experiment.js';
import { ACCURACY_GOAL, GOAL_SETUP, lineText, type DeepestTrainable, type TrainableDepthResult, type TrainableDepthRow } from './trainable-depth.js';
import { SGD_RECIPE, SIGMOID_SGD, TRAINABLE_DEPTH_REMEDIES } from './trainable-depth-remedies.js';
import { canBeInactive, hasBatchNorm, hasRezeroGate, type ZeroCause } from './gradient-ratios.js';
import { RATIO_COLUMNS, type RatioColumn, type ZeroCauses } from './trainable-depth-run.js';
import { percentText } from '../percent-text.js';
import { ACCURACY_STANDARD_ERRORS } from './accuracy-errors.js';
import type { NetworkOptions } from '../network/config.js';
import { lossText } from '../loss-text.js';
import { chanceOf } from '../flow/chance.js';
import { MNIST_CLASSES } from '../data/mnist.js';

/** The vanishing case itself: the network every optimiser remedy trains. */
const PLAIN_SIGMOID = 'plain-sigmoid';
/** The optimiser remedies (trained on the plain sigmoid network), charted apart from the network remedies. */
const OPTIMIZER_REMEDIES = new Set([PLAIN_SIGMOID, 'adam', 'lars', 'hessian-free', 'kfac']);
/** The remedies that add layers (norms, residual blocks), charted apart from those that change activations and initialisations: at most ten lines a chart, one colour each. */
const BLOCK_REMEDIES = new Set(['batch-norm-sigmoid', 'batch-norm-relu', 'layer-norm', 'residual', 'rezero']);

/** A numeric failure's first clause, e.g. "epoch 1, batch 2 (step 2): the loss is NaN" (the JSON has all of it). */
export const shortStop = (stopped: string) => stopped.split(';')[0];
/** A row's reason for having no numbers, up to its colon (the settings list gives the rest). */
export const shortReason = (notRun: string) => notRun.split(':')[0];
/**
 * A gradient ratio to two significant digits ("∞", "—" for null). A 0 (never "0.0", which would read
 * as a measured value rounded) says why the first hidden layer's gradient is 0, by `cause` (see
 * ZeroCause): ZERO_LABELS.underflow where float32 rounded a product of nonzero factors to 0 (the ‖δ‖
 * column's smallest measured ratios beside it are subnormal, 1e-42), ZERO_LABELS.inactive where relu
 * units passed no gradient at all, ZERO_LABELS.unknown where the run did not record why. NaN, the
 * last hidden layer's gradient 0 as well, prints as "0 ÷ 0" with the first layer's cause (it printed "NaN").
 */
export const ratio = (v: number | null, cause?: ZeroCause) =>
  v === null ? '—' : v === Infinity ? '∞' : v === 0 ? ZERO_LABELS[cause ?? 'unknown'] : Number.isNaN(v) ? `0 ÷ 0 (${ZERO_WHY[cause ?? 'unknown']}, at both layers)` : v.toPrecision(2);
/** Why a first hidden layer's gradient is 0, in words, by its cause (see ratio). */
const ZERO_WHY: Record<ZeroCause | 'unknown', string> = { underflow: 'underflow', inactive: 'inactive relu units', unknown: 'cause not recorded' };
/** How a ratio of 0 prints, by its cause (see ratio). */
export const ZERO_LABELS = Object.fromEntries(Object.entries(ZERO_WHY).map(([cause, why]) => [cause, `0 (${why})`])) as Record<ZeroCause | 'unknown', string>;

/**
 * Why `row`'s ratio in `column` is 0, if it is: as the run recorded it (zeroCauses), or for a run that
 * recorded none (before zeroCauses) where the remedy's network has no relu layer, 'underflow', the
 * only cause such a network allows (canBeInactive); undefined where neither tells.
 */
export function zeroCauseOf(row: { remedy: string; zeroCauses?: ZeroCauses }, column: RatioColumn): ZeroCause | undefined {
  const recorded = row.zeroCauses?.[column];
  if (recorded) return recorded;
  const remedy = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === row.remedy);
  return remedy && !canBeInactive(remedy.network(2, 8)) ? 'underflow' : undefined;
}

/**
 * `row`'s ratio in `column`, printed by ratio with its cause. A null beside a recorded cause is a 0 ÷ 0
 * read back from `--json`, which writes NaN as null (jsonLine): a cause is recorded only where the
 * first layer's gradient is 0, so the ratio was measured, and prints as 0 ÷ 0, not as "not measured".
 */
export function ratioCell(row: { remedy: string; zeroCauses?: ZeroCauses } & Partial<Record<RatioColumn, number | null>>, column: RatioColumn): string {
  const value = row[column] === null && row.zeroCauses?.[column] ? NaN : (row[column] ?? null);
  return ratio(value, value === 0 || Number.isNaN(value) ? zeroCauseOf(row, column) : undefined);
}

/** The header of a column of wall-clock seconds, and what it says of them: they move with the machine's load. */
export const WALL_SECONDS = 'wall-clock s';
export const WALL_SECONDS_NOTE = "wall-clock s: each run's wall-clock seconds, which move with the machine's load (the other columns do not: a fixed step budget and seed give the same numbers on any machine)";
/** The rows table's header (terminal, report and README). */
export const ROWS_HEADER = ['remedy', 'depth', 'held-out accuracy', 'train loss', 'first ÷ last ‖∂C/∂b‖, init → end', 'first ÷ last ‖δ‖, init → end', 'steps', WALL_SECONDS, 'note'];

/** One row of the rows table: the numbers, or why there are none. */
export function rowCells(row: TrainableDepthRow): string[] {
  if (row.notRun !== undefined) return [row.remedy, String(row.depth), '—', '—', '—', '—', '—', '—', shortReason(row.notRun)];
  return [
    row.remedy,
    String(row.depth),
    percentText(row.testAccuracy),
    row.trainLoss === null ? '—' : lossText(row.trainLoss),
    `${ratioCell(row, 'firstToLastAtInit')} → ${ratioCell(row, 'firstToLastAtEnd')}`,
    `${ratioCell(row, 'deltaFirstToLastAtInit')} → ${ratioCell(row, 'deltaFirstToLastAtEnd')}`,
    row.steps === null ? '—' : grouped(row.steps),
    row.seconds === null ? '—' : row.seconds.toFixed(1),
    row.stopped === undefined ? '' : shortStop(row.stopped),
  ];
}

/** The remedies (each once, in the rows' order) of the rows that ran and satisfy `holds`. */
function remediesThatRan(result: TrainableDepthResult, holds: (row: TrainableDepthRow) => boolean): string[] {
  return [...new Set(result.rows.filter((row) => row.notRun === undefined && holds(row)).map((row) => row.remedy))];
}

/** Whether remedy `key`'s network has what `has` looks for: any depth and width will do (2 layers of 8), as only its layer types are read. */
function networkHas(key: string, has: (network: NetworkOptions) => boolean): boolean {
  return TRAINABLE_DEPTH_REMEDIES.some((r) => r.key === key && has(r.network(2, 8)));
}

/**
 * Why the rows table's ‖δ‖ column reads "— → —" for the remedies that ran with batch norm, whose
 * per-example δ is not measured (TrainableDepthRow.deltaFirstToLastAtInit), or '' when none ran.
 */
export function unmeasuredDeltaNote(result: TrainableDepthResult): string {
  const remedies = remediesThatRan(result, (row) => networkHas(row.remedy, hasBatchNorm));
  return remedies.length === 0 ? '' : `first ÷ last ‖δ‖ "— → —" (${remedies.join(', ')}): not measured, as batch norm couples a batch's rows, so no example has a δ of its own.`;
}

/** What a first hidden layer's gradient of exactly 0 says, by its cause (see ZeroCause): a student read "0" as no gap. */
const ZERO_MEANS: Record<ZeroCause | 'unknown', string> = {
  underflow:
    "the first hidden layer's gradient was exactly 0 though no unit was inactive: float32 rounded the chain rule's product to 0 (below its range, or through a saturated unit whose σ' rounded to 0), so the gap is too wide to measure, not closed",
  inactive: "the first hidden layer got no gradient at all: on every row some relu layer had every unit inactive (z ≤ 0, where σ' is exactly 0)",
  unknown: "the first hidden layer's gradient was exactly 0, and the run did not record why",
};

/**
 * Why some rows' ratios read "0 (…)", or '' when none does: one sentence per cause present, naming the remedies whose
 * ratio it is (the ‖δ‖ column beside an underflowed ‖∂C/∂b‖ can still hold a subnormal number of its own).
 */
export function zeroRatioNote(result: TrainableDepthResult): string {
  const causes = new Map<ZeroCause | 'unknown', Set<string>>();
  for (const row of result.rows) {
    if (row.notRun !== undefined) continue;
    for (const column of RATIO_COLUMNS) {
      const value = row[column];
      if (value !== 0) continue; // 0 ÷ 0 (NaN) prints with its cause already: '0 ÷ 0 (underflow, at both layers)'
      const cause = zeroCauseOf(row, column) ?? 'unknown';
      causes.set(cause, (causes.get(cause) ?? new Set()).add(row.remedy));
    }
  }
  return [...causes]
    .map(([cause, remedies]) => `first ÷ last "${ZERO_LABELS[cause]}" (${[...remedies].join(', ')}): ${ZERO_MEANS[cause]}.`)
    .join(' ');
}

/**
 * Why some rows' ratios read "∞", or '' when none does: the last hidden layer's gradient was exactly 0
 * there. For ReZero (a residual block with gate 'rezero') that is its design, not a fault: α = 0 at
 * initialisation, so no gradient reaches the branch's weights and biases until α has moved.
 */
export function infiniteRatioNote(result: TrainableDepthResult): string {
  const infinite = remediesThatRan(result, (row) => RATIO_COLUMNS.some((c) => row[c] === Infinity));
  if (infinite.length === 0) return '';
  const gated = infinite.filter((key) => networkHas(key, hasRezeroGate));
  const others = infinite.filter((key) => !gated.includes(key));
  const rezero = "ReZero's blocks scale their branch by α, which is 0 at initialisation, so the branch (the last hidden layer) gets no gradient until α has moved";
  // Each remedy named with its own reason: ReZero's zero is its design, any other's is what no gradient reaching it means.
  const why = others.length === 0 ? rezero : gated.length === 0 ? 'no gradient reached it' : `for ${gated.join(', ')} by design: ${rezero}; for ${others.join(', ')}, no gradient reached it`;
  return `first ÷ last "∞" (${infinite.join(', ')}): the last hidden layer's gradient was exactly 0: ${why}.`;
}

/** The header of the deepest-depth columns: the deepest depth above the line by more than its margin (lineSide). */
export const DEEPEST_HEADER = `deepest above ${100 * ACCURACY_GOAL} %`;

/**
 * The DEEPEST_HEADER cell of `deepest` (an entry of result.deepest): the depth, or 'none' with the best accuracy
 * the remedy did reach and where ("none (best 85.7 % at 20)": a remedy just short of the line reads apart from
 * one at chance), then the deeper depths on the line, where one seed decides neither way ("10; on the line at
 * 20"). A result written before DeepestTrainable had onTheLine reads as having none.
 */
export function deepestCell(result: TrainableDepthResult, deepest: Pick<DeepestTrainable, 'remedy' | 'depth'> & { onTheLine?: number[] }): string {
  const onTheLine = deepest.onTheLine ?? [];
  const line = onTheLine.length > 0 ? `; on the line at ${onTheLine.join(', ')}` : '';
  if (deepest.depth !== null) return `${deepest.depth}${line}`;
  const ran = result.rows.filter((r) => r.remedy === deepest.remedy && r.testAccuracy !== null);
  if (ran.length === 0) return 'none';
  if (line) return `none${line}`;
  const best = ran.reduce((a, b) => (b.testAccuracy! > a.testAccuracy! ? b : a));
  return `none (best ${percentText(best.testAccuracy)} at ${best.depth})`;
}

/** What DEEPEST_HEADER's column says, for the line under its table: the line's margin on this run's held-out digits, and the seed. */
export function deepestNote(result: TrainableDepthResult): string {
  return (
    `${DEEPEST_HEADER}: the deepest depth whose held-out accuracy is above ${100 * ACCURACY_GOAL} % by more than ${ACCURACY_STANDARD_ERRORS} binomial standard errors; ` +
    `"on the line at" names the deeper depths whose accuracy lies ${lineText(result.testRows)}, where this one run (seed ${result.seed}) decides neither way.`
  );
}

/**
 * What the DEEPEST_HEADER verdicts of a run on a shorter budget than the study's measure, or ''
 * when the run has the study's budget or every remedy reached the line somewhere: with fewer steps a
 * 'none' can be steps rather than depth, and the learning rates are set for the study's budget.
 * `studyCommand`: the command line that runs the study on its own budget as the reader runs gradscope
 * (the CLI's gradscopeLine: `npx gradscope study trainable-depth` under npx), said in brackets; the
 * library knows no invocation, so without it the note names no command.
 */
export function budgetNote(result: TrainableDepthResult, studyCommand?: string): string {
  const short = result.deepest.filter((d) => d.depth === null && result.rows.some((r) => r.remedy === d.remedy && r.testAccuracy !== null)).map((d) => d.remedy);
  if (result.epochs >= GOAL_SETUP.epochs || short.length === 0) return '';
  return (
    `This run's budget is ${epochsText(result.epochs)}, not the study's ${GOAL_SETUP.epochs}, for which its learning rates are set ` +
    `(one SGD recipe, lr ${SGD_RECIPE.learningRate}, for the remedies that change the network, chosen on ${GOAL_SETUP.epochs}-epoch pilots; plain-sigmoid lr ${SIGMOID_SGD.learningRate}). ` +
    `'none' (${short.join(', ')}) says the remedy was above ${100 * ACCURACY_GOAL} % at no depth within this budget, not that it trains less deep than one that did: ` +
    `its best accuracy is beside it, and a run on the study's budget measures it${studyCommand === undefined ? '' : ` (${studyCommand})`}.`
  );
}

/** The 'next depth run' of a remedy that reached the goal at the deepest depth run. */
const NONE_DEEPER = 'none deeper';

/**
 * Per remedy, the deepest depth above the goal (DEEPEST_HEADER) beside the gradient ratios that explain it: first ÷
 * last ‖∂C/∂b‖ at initialisation and after training at that depth, and at the next depth it ran,
 * where it fell short (with the accuracy there). A remedy that reached the goal at no depth has no
 * next depth: '—' there (its best accuracy is in the deepest cell), not its shallowest depth; one that
 * reached it at the deepest depth run has none either: NONE_DEEPER, then '—', or, where the study has
 * deeper depths it did not run (hessian-free and kfac above their cost limits), why ('not run above 10
 * hidden layers'), which the accuracy table's cells say too.
 */
export function deepestTable(result: TrainableDepthResult): { caption: string; header: string[]; rows: string[][] } {
  const header = [
    'remedy',
    DEEPEST_HEADER,
    // Each column its own header: the two ratio columns were both "its first ÷ last ‖∂C/∂b‖", one at each depth.
    'first ÷ last ‖∂C/∂b‖ there, init → end',
    'next depth run',
    'accuracy at the next depth',
    'first ÷ last ‖∂C/∂b‖ at the next depth, init → end',
  ];
  const rows = result.deepest.map((deepest) => {
    const { remedy, depth } = deepest;
    const ran = result.rows.filter((r) => r.remedy === remedy && r.notRun === undefined);
    if (ran.length === 0) return [remedy, shortReason(result.rows.find((r) => r.remedy === remedy)?.notRun ?? 'not run'), '', '', '', ''];
    if (depth === null) return [remedy, deepestCell(result, deepest), '—', '—', '—', '—'];
    const at = ran.find((r) => r.depth === depth);
    const next = ran.find((r) => r.depth > depth);
    const pair = (r: TrainableDepthRow | undefined) => (r ? `${ratioCell(r, 'firstToLastAtInit')} → ${ratioCell(r, 'firstToLastAtEnd')}` : '');
    // Reached at the deepest depth run: no deeper one to show, said as such (the cells were blank, beside '—' elsewhere);
    // where the study has a deeper depth this remedy did not run (its cost limit), why, not 'none deeper'.
    if (!next) {
      const skipped = result.rows.find((r) => r.remedy === remedy && r.depth > depth && r.notRun !== undefined);
      return [remedy, deepestCell(result, deepest), pair(at), skipped ? shortReason(skipped.notRun!) : NONE_DEEPER, '—', '—'];
    }
    return [remedy, deepestCell(result, deepest), pair(at), String(next.depth), percentText(next.testAccuracy), pair(next)];
  });
  return { caption: `Deepest depth above ${100 * ACCURACY_GOAL} % per remedy, and the next depth run`, header, rows };
}

/** Held-out accuracy per remedy (a row) and depth (a column), with each remedy's deepest depth above the goal (deepestCell); a cell says why a depth did not run. */
export function accuracyMatrix(result: TrainableDepthResult): { caption: string; header: string[]; rows: string[][] } {
  const header = ['remedy', ...result.depths.map((d) => `${d}`), DEEPEST_HEADER];
  const rows = result.deepest.map((deepest) => [
    deepest.remedy,
    ...result.depths.map((d) => {
      const row = result.rows.find((r) => r.remedy === deepest.remedy && r.depth === d);
      return !row ? '' : row.notRun !== undefined ? shortReason(row.notRun).replace(/^not run above .*/, 'not run') : percentText(row.testAccuracy);
    }),
    deepestCell(result, deepest),
  ]);
  return { caption: 'Held-out accuracy by hidden layers', header, rows };
}

/**
 * The held-out accuracy per remedy of `keys` over depth, on one axis for every such chart: 0 to 1, chance (the most frequent of
 * the digits' MNIST_CLASSES classes, as chanceOf reads it without their counts: 1/10) a line across. Each fitted to its own data,
 * the three panels shown side by side had floors near 0.48, 0.1 and 0, and relu-he's 48.6 % at 50 layers sat on the first one's
 * floor, reading as a failure beside panels whose floor was chance (lecturer52 #10).
 */
function accuracyOverDepth(result: TrainableDepthResult, id: string, title: string, keys: string[]): ReportChart {
  const chance = chanceOf(MNIST_CLASSES).best;
  return { ...overDepth(result, id, title, 'accuracy', keys, (r) => r.testAccuracy, false), yRange: [0, 1], guides: [{ y: chance, label: `chance, 1/${1 / chance}` }] };
}

/** A line per remedy of `keys` over depth (log axis), of one number of the rows. */
function overDepth(result: TrainableDepthResult, id: string, title: string, yLabel: string, keys: string[], value: (r: TrainableDepthRow) => number | null, logY: boolean): ReportChart {
  return {
    id,
    title,
    xLabel: 'hidden layers (log scale)',
    yLabel,
    logX: true,
    logY,
    series: keys.map((key) => {
      const rows = result.rows.filter((r) => r.remedy === key && r.notRun === undefined);
      return { name: key, xs: rows.map((r) => r.depth), ys: rows.map((r) => value(r) ?? NaN) };
    }),
  };
}

/**
 * What each remedy of the run is: its network, initialisation, optimiser, learning rate and batch, and the depth it is not
 * run above with why (result.remedies). The terminal prints it as its "Remedies:" list and the report shows it as a table:
 * the report named relu-he, rezero and the rest without saying what any was (newuser40).
 */
export function remediesTable(result: TrainableDepthResult): ReportTable & { caption: string } {
  return { caption: 'Remedies', header: ['remedy', 'settings'], rows: result.remedies.map((r) => [r.key, `${r.settings}${r.limit ? `; ${r.limit}` : ''}`]) };
}

/** The id and heading of the study's report section. */
const TRAINABLE_DEPTH_SECTION = { id: 'trainable-depth', heading: 'Trainable depth: how deep each remedy trains' } as const;

/** The study's set-up in words: the report section's text begins with it (firstToLastText follows, for its ratio columns and charts). */
function trainableDepthSetupText(result: TrainableDepthResult): string {
  return (
    `Networks of ${countedList(result.depths, 'hidden layer')} of ${counted(result.width, 'unit')} (784 inputs, 10 softmax outputs, cross-entropy), ` +
    `${epochsText(result.epochs)} over ${counted(result.trainRows, 'digit')} per network, seed ${result.seed}; held-out accuracy on the next ${grouped(result.testRows)}.`
  );
}

/** What the "first ÷ last" columns and charts of the section hold. */
function firstToLastText(result: TrainableDepthResult): string {
  return `First ÷ last: the first hidden layer's ‖∂C/∂b‖ (or one example's RMS ‖δ‖) over the last hidden layer's, on the first ${grouped(result.probeRows)} training digits, at initialisation → after training.`;
}

/**
 * The study's result as an HTML report section. `studyCommand`: the command line that runs the study on
 * its own budget, as the report's reader runs gradscope (the CLI passes `npx gradscope study
 * trainable-depth` or `gradscope study trainable-depth`), which a run on a shorter budget names
 * (budgetNote); none by default.
 */
export function trainableDepthReportSection(result: TrainableDepthResult, studyCommand?: string): ReportSection {
  checkStudyResult(result, 'remedies', 'trainableDepthReportSection', 'the result of runTrainableDepthStudy');
  const run = result.remedies.map((r) => r.key).filter((key) => result.rows.some((row) => row.remedy === key && row.notRun === undefined));
  const optimizers = run.filter((key) => OPTIMIZER_REMEDIES.has(key));
  const blocks = run.filter((key) => BLOCK_REMEDIES.has(key));
  const inits = run.filter((key) => !OPTIMIZER_REMEDIES.has(key) && !BLOCK_REMEDIES.has(key));
  // The optimisers start from the plain sigmoid network's weights, so its line is theirs too: the
  // vanishing case each ratio chart is read against.
  const reference = run.filter((key) => key === PLAIN_SIGMOID);
  const referenceWords = reference.length > 0 ? ', beside the plain sigmoid network (the optimisers start from its weights)' : '';
  const withReference = (keys: string[]) => (keys.length > 0 ? [...reference, ...keys] : []);
  const goal = `${100 * ACCURACY_GOAL} %`;
  return {
    ...TRAINABLE_DEPTH_SECTION,
    text: [trainableDepthSetupText(result), firstToLastText(result), unmeasuredDeltaNote(result), infiniteRatioNote(result), zeroRatioNote(result), deepestNote(result), budgetNote(result, studyCommand)].filter(Boolean).join(' '),
    charts: [
      accuracyOverDepth(result, 'trainable-depth-accuracy', 'Held-out accuracy by depth: activations and initialisations', inits),
      accuracyOverDepth(result, 'trainable-depth-accuracy-blocks', 'Held-out accuracy by depth: normalisation and residual blocks', blocks),
      accuracyOverDepth(result, 'trainable-depth-accuracy-optimizers', 'Held-out accuracy by depth: the plain sigmoid network and the optimisers', optimizers),
      overDepth(result, 'trainable-depth-ratio', `First ÷ last hidden ‖∂C/∂b‖ at initialisation by depth (log scale): activations and initialisations${referenceWords}`, 'first ÷ last', withReference(inits), (r) => r.firstToLastAtInit, true),
      overDepth(result, 'trainable-depth-ratio-blocks', `First ÷ last hidden ‖∂C/∂b‖ at initialisation by depth (log scale): normalisation and residual blocks${referenceWords}`, 'first ÷ last', withReference(blocks), (r) => r.firstToLastAtInit, true),
    ].filter((chart) => chart.series.length > 0),
    bars: [
      {
        id: 'trainable-depth-deepest',
        title: `Deepest network above ${goal} held-out accuracy by more than ${ACCURACY_STANDARD_ERRORS} standard errors, per remedy (hidden layers, log scale)`,
        xLabel: 'hidden layers',
        ticks: result.depths,
        // A missing bar says how near the remedy came (its table cell: "none (best 89.7 % at 50)"): read as bare "none", a
        // short run's near misses looked like remedies training less deep than plain sigmoid's bar at 2 (newuser49 #1).
        bars: result.deepest.map((d) => ({ label: d.remedy, value: d.depth, ...(d.depth === null && { none: deepestCell(result, d) }) })),
      },
    ],
    tables: [
      remediesTable(result),
      accuracyMatrix(result),
      deepestTable(result),
      {
        caption: 'Each run: a remedy at a depth',
        header: ROWS_HEADER,
        rows: result.rows.map(rowCells),
      },
    ],
  };
}
