/**
 * gradscope study activations [--width 256] [--epochs 2] [--train 9000] [--test 1000] [--json] [--html FILE]
 * Glorot & Bengio (2010) scaled down: 5 hidden layers, sigmoid/tanh/softsign/relu × standard/glorot/he init.
 */
import { ACTIVATIONS_HIDDEN_LAYERS, activationSizes, runActivationStudy, type ActivationProfile, type ActivationStudyResult } from '../../studies/activations.js';
import { VERDICT_CELL_HEADING, verdictCell } from '../../flow/diagnose.js';
import { PRIME_AT_MARGIN, PRIME_MAX, SATURATING, SATURATION_MARGIN, unitFailureMetric } from '../../flow/metrics.js';
import { htmlReport } from '../html-report.js';
import { activationsReportSection, startRatioText } from '../../studies/activations-report.js';
import { WALL_SECONDS } from '../../studies/trainable-depth-report.js';
import { booleanFlag, checkDigitFlags, command, COUNT, type Flag, HTML_FLAG, JSON_FLAG, jsonLine, numberFlag, outputFileFlag, SEED_FLAG, TEST_FLAG, TRAIN_FLAG, WIDTH, widthFlag } from '../command.js';
import { activationRunTerms, withRunTerms } from '../study-remedy-terms.js';
import { ProgressBar } from '../progress.js';
import { print, type Terminal } from '../terminal.js';
import { counted, grouped } from '../../counted.js';
import { sizesList } from '../../layer-runs.js';
import { formatTable } from '../table.js';
import { ACTIVATION_EPOCHS_BOUND } from '../../studies/study-bounds.js';
import { ACTIVATIONS_DEFAULTS, STUDY_DIGITS } from '../../studies/study-defaults.js';
import { percentText } from '../../percent-text.js';
import { GLOROT_BENGIO_DIFFERENCES } from '../../studies/activations-paper.js';
import { AT_ZERO_PRIME_WORDS, glorotSaturationReading, TOP_LAYER_AT_ZERO } from '../../studies/activations-saturation.js';
import { shellWord } from '../../shell-word.js';

/** The line above the study's table, in the main job's study (b) as in `gradscope study activations`: the network, its training and the rows. */
export function activationSetupLine(result: Pick<ActivationStudyResult, 'sizes' | 'epochs' | 'batchSize' | 'learningRate' | 'trainRows' | 'testRows'>, seed: number): string {
  return `${sizesList(result.sizes)}, softmax + cross-entropy; ${counted(result.epochs, 'epoch')}, batch ${result.batchSize}, η ${result.learningRate}, ${counted(result.trainRows, 'digit')}, test error on ${grouped(result.testRows)}, seed ${seed}.\n`;
}

/** One row per run: its test error, gaps, per-layer unit failures, verdict and wall-clock time (headed as study (c)'s, where it was 's'); fit to `width` (the terminal's: formatTable). */
export function activationTable(result: ActivationStudyResult, width?: number): string {
  const rows = result.runs.map((r) => {
    const t = r.trace;
    // The end is the last full batch's record: an epoch's short last batch shows its few rows alone (Trace.lastFullBatchRecord).
    const last = t?.lastFullBatchRecord() ?? -1;
    const hidden = t ? t.layers - 1 : 0;
    // Saturation for saturating units, dead units for relu: the one the activation can suffer.
    const metric = unitFailureMetric(r.activation);
    const failure = (record: number) =>
      t && metric ? Array.from({ length: hidden }, (_, l) => Math.round(100 * t.at(metric, record, l))).join('/') : '—';
    const verdict = r.diagnosis ? verdictCell(r.diagnosis, 'first record') : '—';
    return [
      r.activation,
      r.init,
      r.diverged ? 'diverged' : percentText(r.testError),
      startRatioText(r, 'deltaFirstToLast', 2),
      startRatioText(r, 'firstToLast', 2),
      // One traced step is both the start and the end.
      `${metric === 'deadFraction' ? 'dead' : 'saturated'} ${failure(0)}${last > 0 ? ` → ${failure(last)}` : ''}`,
      verdict,
      r.seconds.toFixed(1),
    ];
  });
  return formatTable(['activation', 'init', 'test error', 'first÷last RMS ‖δₓ‖', 'first÷last ‖∂C/∂b‖', '% per layer, start → end', VERDICT_CELL_HEADING, WALL_SECONDS], rows, width, 2);
}

/**
 * The study's printed part, in `gradscope study activations` as in the main job's study (b): the setup line, the table fit to `width`,
 * what its columns are, and the sigmoid runs read against Glorot & Bengio's Figure 2 (glorotSaturationReading, absent without a
 * sigmoid run). One text for both: npm start's study (b) left out the gradients' legend (newuser30).
 */
export function activationStudyText(result: ActivationStudyResult, seed: number, width?: number): string {
  const reading = glorotSaturationReading(result);
  return [activationSetupLine(result, seed), activationTable(result, width), '', unitFailureNote(), GRADIENT_COLUMNS_LEGEND, ...(reading ? ['', reading] : [])].join('\n');
}

/** What the table's two ratio columns are. */
export const GRADIENT_COLUMNS_LEGEND = 'RMS ‖δₓ‖: the per-example gradient the verdict uses; ‖∂C/∂b‖: the batch gradient, how fast each layer learns.';

/**
 * What the table's "% per layer" column counts, from the statistics kernel's own rule (flow/metrics.ts):
 * saturated, the (row, unit) pairs whose activation is within SATURATION_MARGIN of a limit, i.e. σ'
 * below PRIME_AT_MARGIN (a share of σ''s maximum that differs per activation); dead, relu units with
 * z ≤ 0 on every row of the batch.
 */
export function unitFailureNote(): string {
  const percent = (x: number) => `${Number((100 * x).toPrecision(x < 0.01 ? 1 : 2))} %`;
  const below = SATURATING.map((f) => `${f} ${Number(PRIME_AT_MARGIN[f](SATURATION_MARGIN).toPrecision(2))}, ${percent(PRIME_AT_MARGIN[f](SATURATION_MARGIN) / PRIME_MAX[f])} of its maximum`);
  return [
    `saturated % (sigmoid, tanh, softsign): the share of the batch's (row, unit) pairs whose activation is within ${SATURATION_MARGIN} of a limit (sigmoid 0 or 1, tanh and softsign ±1), where σ' is below ${below.join('; ')}. ` +
      `A unit short of the band is not counted, however close: a sigmoid layer whose units all sit at ${TOP_LAYER_AT_ZERO.toFixed(3)} (σ' ${AT_ZERO_PRIME_WORDS}) reads 0 %; ` +
      "the top hidden layer's mean activation (Glorot & Bengio's measure, read below) shows that saturation.",
    "dead % (relu): the share of units whose z ≤ 0 on every row of the batch, so their output and σ' are 0 for all of it and no gradient passes them.",
    "Per hidden layer, first/…/last, at the first step → the last (the last full batch's, where the run's last batch is short).",
  ].join('\n');
}

/**
 * Glorot & Bengio's measure per run, at the first record and the last full batch's (Trace.lastFullBatchRecord: not an epoch's
 * short last batch, whose statistics are of its few rows alone): mean activation, 98th percentile and % saturated by value, per
 * hidden layer; fit to `width` (formatTable).
 */
export function profileTable(result: ActivationStudyResult, width?: number): string {
  const cell = (p: ActivationProfile, record: number, l: number) => {
    const saturated = p.saturated[record][l];
    return `${p.mean[record][l].toFixed(2)} ${p.p98[record][l].toFixed(2)} ${Number.isNaN(saturated) ? '—' : `${Math.round(100 * saturated)}%`}`;
  };
  const rows = result.runs.flatMap((r) => {
    const p = r.profile;
    if (!p) return [];
    const hidden = p.mean[0].length;
    // The profile is the trace's, record for record. One record (a single step) is both the first and the last: one row.
    const last = r.trace?.lastFullBatchRecord() ?? p.steps.length - 1;
    return [...new Set([0, last])].map((record) => [r.activation, r.init, `step ${grouped(p.steps[record])}`, ...Array.from({ length: hidden }, (_, l) => cell(p, record, l))]);
  });
  const hidden = result.sizes.length - 2;
  return formatTable(['activation', 'init', 'when', ...Array.from({ length: hidden }, (_, l) => `layer ${l + 1}: mean p98 sat`)], rows, width, 3);
}

/** --width of study activations, which the main job shares. */
export const ACTIVATIONS_WIDTH_FLAG: Flag = { name: 'width', value: 'N', default: ACTIVATIONS_DEFAULTS.width, rule: WIDTH, about: `units of each of the ${ACTIVATIONS_HIDDEN_LAYERS} hidden layers` };

export const studyActivationsCommand = command({
  words: ['study', 'activations'],
  summary: 'Glorot & Bengio scaled down: mean activation, 98th percentile, saturation or dead units, gradient histograms and test error per activation × init',
  flags: [
    ACTIVATIONS_WIDTH_FLAG,
    { name: 'epochs', value: 'N', default: ACTIVATIONS_DEFAULTS.epochs, rule: { ...COUNT, ...ACTIVATION_EPOCHS_BOUND }, about: 'epochs of SGD per network' },
    TRAIN_FLAG(STUDY_DIGITS.trainRows),
    TEST_FLAG(STUDY_DIGITS.testRows),
    SEED_FLAG,
    JSON_FLAG,
    HTML_FLAG,
  ],
  notes: [GLOROT_BENGIO_DIFFERENCES],
  example: 'study activations --width 64 --epochs 1 --html activations.html',
  async run(args, terminal) {
    const json = booleanFlag(args, 'json');
    const width = widthFlag(args, 'width', activationSizes);
    const epochs = numberFlag(args, 'epochs');
    const trainRows = numberFlag(args, 'train');
    const testRows = numberFlag(args, 'test');
    const seed = numberFlag(args, 'seed');
    checkDigitFlags(trainRows, testRows);
    const html = await outputFileFlag(args, 'html');
    const progress = activationProgress(terminal);
    const result = await runActivationStudy({ width, epochs, trainRows, testRows, seed, onRun: progress.onRun });
    progress.done();
    const report = await htmlReport(html, () => ({ sections: [withRunTerms(activationsReportSection(result), (run) => activationRunTerms(result, seed, run.trace, run.label, terminal.invokedAs))] }));
    if (json) {
      const runs = result.runs.map((r) => ({
        activation: r.activation,
        init: r.init,
        testError: r.diverged ? null : r.testError,
        verdict: r.diagnosis?.verdict ?? null,
        severity: r.diagnosis?.severity ?? null,
        deltaFirstToLastAtStart: r.diagnosis?.evidence.deltaFirstToLast.first ?? null,
        firstToLastAtStart: r.diagnosis?.evidence.firstToLast.first ?? null,
        seconds: r.seconds,
        // [record][hidden layer]; saturated is null (NaN) for relu, deadFraction null for the others.
        profile: r.profile ?? null,
        deadFraction: r.trace ? Array.from({ length: r.trace.length }, (_, rec) => Array.from(r.trace!.row('deadFraction', rec)).slice(0, -1)) : null,
        // Glorot & Bengio's Figures 6–7, as the report's trace download holds them: δ per layer (the output's too) at the first and the last traced step.
        histograms: r.trace ? r.trace.toJSON().histograms : null,
      }));
      terminal.out(jsonLine({ sizes: result.sizes, epochs: result.epochs, runs }));
      return;
    }
    print(terminal, activationStudyText(result, seed, terminal.columns));
    print(terminal, `\nGlorot & Bengio's measure: per hidden layer the mean activation, its 98th percentile, and % within ${SATURATION_MARGIN} of the limits.\n`);
    print(terminal, profileTable(result, terminal.columns));
    if (report) print(terminal, `\nReport: ${shellWord(report)}`);
  },
});

/** The activations study's progress bar, sized by the study's own count of runs (its first onRun): 'done' at the last. Shared with the main job's study (b). */
export function activationProgress(terminal: Terminal): { onRun: (label: string, done: number, total: number) => void; done: () => void } {
  let bar: ProgressBar | undefined;
  return {
    onRun: (label, done, total) => {
      // Each run trains one network of the same shape for the same epochs: runs are the work.
      bar ??= new ProgressBar(terminal, 'activations', total, { timeLeft: true });
      bar.update(done, done === total ? 'done' : label);
    },
    done: () => bar?.done(),
  };
}
