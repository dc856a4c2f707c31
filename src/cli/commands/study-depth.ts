/**
 * gradscope study depth [--seeds 20] [--epochs 500] [--lambda 5] [--json] [--html FILE]
 * Nielsen's experiment (fig/generate_gradient.py): ‖∂C/∂b‖ per hidden layer of sigmoid networks 1–4
 * hidden layers deep, at initialisation (over seeds) and along his full-batch training with L2.
 */
import { VERDICT_FIGURE_HEADING, verdictCell } from '../../flow/diagnose.js';
import { lossChangeText, lossText } from '../../loss-text.js';
import { writeReport } from '../../io/report-file.js';
import { depthCellsSeedsText, depthInitialisationTable, depthRatioLegend, depthReportSection, ratioText as ratio, weightDecayText } from '../../studies/depth-report.js';
import {
  DEPTH_FIRST_SEED,
  DEPTH_NETWORKS,
  DEPTH_ROWS,
  DEPTH_SEEDS,
  epochOfStep,
  firstToLast,
  DEPTH_TRAINING_SEED,
  NIELSEN_RATIOS,
  nielsenLambdaBound,
  NIELSEN_TRAINING,
  runDepthStudy,
  trainingNorms,
  type DepthStudyResult,
} from '../../studies/depth.js';
import { booleanFlag, command, COUNT, type Flag, HTML_FLAG, JSON_FLAG, jsonLine, numberFlag, outputFileFlag } from '../command.js';
import { depthRunTerms, withRunTerms } from '../study-remedy-terms.js';
import { ProgressBar } from '../progress.js';
import { print, type Terminal } from '../terminal.js';
import { parameterCountOf } from '../../network/memory-budget.js';
import { counted, grouped } from '../../counted.js';
import { sizesList } from '../../layer-runs.js';
import { formatTable } from '../table.js';
import { proseWords, readingRoom, wrap, wrapTokens } from '../prose.js';
import { sci } from '../../sci-text.js';
import { diagnosisText, traceTable } from '../trace-table.js';
import { DEPTH_SEEDS_BOUND, NIELSEN_EPOCHS_BOUND } from '../../studies/study-bounds.js';
import { percentText } from '../../percent-text.js';
import { shellWord } from '../../shell-word.js';


/** The study's setting in one line, with where it departs from Nielsen's. */
export function depthSetting(result: DepthStudyResult): string {
  const l2 =
    result.lambda === NIELSEN_TRAINING.lambda
      ? `L2 λ = ${result.lambda} on the weights only (Nielsen's; ${weightDecayText(result)})`
      : result.lambda === 0
        ? `no L2 (NOT Nielsen's λ = ${NIELSEN_TRAINING.lambda})`
        : `L2 λ = ${result.lambda} on the weights only (${weightDecayText(result)}; NOT Nielsen's λ = ${NIELSEN_TRAINING.lambda})`;
  return `Full-batch gradient descent on those ${counted(result.rows, 'digit')}, η = ${result.learningRate}, ${l2}, ${counted(result.epochs, 'epoch')} (seed ${DEPTH_TRAINING_SEED}):`;
}

/**
 * Study (a)'s training table: its header and a row per trained network (first ÷ last ‖∂C/∂b‖ at the first and the last
 * epoch, Nielsen's, the cross-entropy, the test accuracy, the verdict with its figure, seconds), the last epoch trained and
 * whether Nielsen's ratios at his last epoch compare with it. The epochs are the headings' (every network trains as
 * long); a cell names its own only where a network's differs. The terminal prints it with the verdicts under it
 * (depthTables); test/docs checks docs/gradient-flow.md's copy against it.
 */
export function depthTrainingTable(result: DepthStudyResult): { header: string[]; rows: string[][]; lastEpoch: number; likeForLike: boolean } {
  const trained = result.networks.filter((n) => n.training);
  // Nielsen published his ratios at epochs 0 and 499 only: his end sits beside ours only when ours is at 499 too.
  const lastEpoch = Math.max(...trained.map((n) => trainingNorms(n.training!.trace).epochs.at(-1)!));
  const likeForLike = lastEpoch === NIELSEN_TRAINING.epochs - 1;
  const firstEpoch = Math.min(...trained.map((n) => trainingNorms(n.training!.trace).epochs[0]));
  const header = ['network', `first ÷ last, epoch ${grouped(firstEpoch)}`, `epoch ${grouped(lastEpoch)}`, likeForLike ? "Nielsen's, epoch 0 → 499" : "Nielsen's, epoch 0", 'cross-entropy start → end', 'test accuracy', VERDICT_FIGURE_HEADING, 'seconds'];
  // A ratio at the heading's epoch as it is; at another (a run that stopped early), with its own.
  const atEpoch = (value: number, epoch: number, headed: number) => `${ratio(value)}${epoch === headed ? '' : ` (epoch ${grouped(epoch)})`}`;
  const rows = trained.map((n) => {
    const t = n.training!;
    const { epochs, biasGradNorms } = trainingNorms(t.trace);
    const nielsen = NIELSEN_RATIOS[result.networks.indexOf(n)];
    return [
      sizesList(n.sizes),
      atEpoch(firstToLast(biasGradNorms[0]), epochs[0], firstEpoch),
      atEpoch(firstToLast(biasGradNorms[biasGradNorms.length - 1]), epochs[epochs.length - 1], lastEpoch),
      nielsen ? (likeForLike ? `${ratio(nielsen.start)} → ${ratio(nielsen.end)}` : ratio(nielsen.start)) : '',
      lossChangeText(t.initialLoss, t.finalLoss),
      percentText(t.testAccuracy),
      verdictCell(t.diagnosis),
      t.seconds.toFixed(1),
    ];
  });
  return { header, rows, lastEpoch, likeForLike };
}

/** The study's tables and the deepest network's diagnosis, its remedies' lines starting as the user runs gradscope (`invoked`, Terminal.invokedAs), its tables fit to `width` (the terminal's: formatTable). */
export function depthTables(result: DepthStudyResult, invoked: string | undefined, width?: number): string {
  const out: string[] = [];
  out.push(
    `‖∂C/∂b‖ per hidden layer at initialisation, first to last (${depthCellsSeedsText(result)}), on the first ${grouped(result.rows)} MNIST training digits.`,
    depthRatioLegend(result),
    '',
  );
  const initialisation = depthInitialisationTable(result);
  out.push(formatTable(initialisation.header, initialisation.rows, width));
  const trained = result.networks.filter((n) => n.training);
  if (trained.length) {
    out.push('', depthSetting(result), '');
    const { header, rows, lastEpoch, likeForLike } = depthTrainingTable(result);
    // Its verdicts, a sentence each, go under it, wrapped: beside the numbers they made the table 250 characters wide.
    const verdict = header.indexOf(VERDICT_FIGURE_HEADING);
    const without = (cells: string[]) => cells.filter((_, c) => c !== verdict);
    const room = readingRoom(width);
    out.push(formatTable(without(header), rows.map(without), room));
    if (!likeForLike) {
      out.push(wrap(`Nielsen's ratios at his last epoch (499) are left out: this run's last epoch is ${grouped(lastEpoch)}, so they would not compare like for like (his ${NIELSEN_TRAINING.epochs} epochs: --epochs ${NIELSEN_TRAINING.epochs}).`, room, ''));
    }
    out.push('', `Each network's ${VERDICT_FIGURE_HEADING}:`, ...rows.map((row) => wrapTokens(proseWords(`${row[0]}: ${row[verdict]}`), room, '    ', '  ')));
    const deepest = trained[trained.length - 1];
    const { epochs, biasGradNorms } = trainingNorms(deepest.training!.trace);
    const trace = deepest.training!.trace;
    out.push('', `${sizesList(deepest.sizes)}, ‖∂C/∂b‖ per hidden layer at the start of an epoch:`, '');
    const hidden = deepest.sizes.length - 2;
    const picks = [...new Set([0, 1, 10, 50, 100, 250, epochs.length - 1].map((e) => epochs.findIndex((x) => x >= e)).filter((r) => r >= 0))];
    out.push(
      formatTable(
        ['epoch', ...Array.from({ length: hidden }, (_, l) => `layer ${l + 1}`), 'first ÷ last', 'cross-entropy'],
        picks.map((r) => [grouped(epochs[r]), ...biasGradNorms[r].map(sci), ratio(firstToLast(biasGradNorms[r])), lossText(trace.losses[r])]),
        width,
      ),
    );
    out.push('', `At the first step (the start of epoch ${grouped(epochOfStep(trace.steps[0]))}):`, '', traceTable(trace, 0, width), '', diagnosisText(deepest.training!.diagnosis, depthRunTerms(result, trace, invoked), width));
  }
  return out.join('\n');
}

/** The JSON of `study depth --json`: per network the sizes, the mean norms at initialisation, the per-seed ratios and the training record. */
export function depthJSON(result: DepthStudyResult): object {
  const { rows, seeds, epochs, learningRate, lambda } = result;
  const networks = result.networks.map((n) => ({
    sizes: n.sizes,
    biasGradNorms: n.biasGradNorms,
    seedRatios: n.seedRatios,
    ...(n.training ? { training: trainingNorms(n.training.trace) } : {}),
  }));
  return { rows, seeds, epochs, learningRate, lambda, networks };
}

/** Hidden layers of a network of `sizes` (its inputs and outputs are no layers of units it hides). */
const hiddenLayersOf = (sizes: readonly number[]) => sizes.length - 2;

/** --seeds and --epochs of study depth, which the main job shares. */
export const DEPTH_SEEDS_FLAG: Flag = {
  name: 'seeds',
  value: 'N',
  default: DEPTH_SEEDS,
  rule: { ...COUNT, ...DEPTH_SEEDS_BOUND },
  about: `seeds of the initial weights measured at initialisation (N of them, from ${DEPTH_FIRST_SEED} up)`,
};
export const DEPTH_EPOCHS_FLAG: Flag = { name: 'epochs', value: 'N', default: NIELSEN_TRAINING.epochs, rule: { integer: true, min: 0, ...NIELSEN_EPOCHS_BOUND }, about: "epochs of Nielsen's full-batch training (0: none)" };

/**
 * Progress of the study's training, its networks one after another on one bar, in npm start's
 * study (a) and this command alike: 'depth: 30 %, network 2/4, about 10 s left'. An epoch counts as
 * its network's weights and biases (one full-batch step of the same rows multiplies and adds each
 * once per row), so the time left is the time so far scaled by that work.
 */
export function networkProgress(terminal: Terminal, label: string): { onProgress: (network: number, epoch: number, epochs: number) => void; done: () => void } {
  const work = DEPTH_NETWORKS.map((sizes) => parameterCountOf(sizes));
  const before = (network: number) => work.slice(0, network).reduce((sum, w) => sum + w, 0);
  let bar: ProgressBar | undefined;
  return {
    onProgress: (network, epoch, epochs) => {
      bar ??= new ProgressBar(terminal, label, epochs * before(work.length), { timeLeft: true });
      bar.update(epochs * before(network) + epoch * work[network], `network ${network + 1}/${work.length}`);
    },
    done: () => bar?.done(),
  };
}

export const studyDepthCommand = command({
  words: ['study', 'depth'],
  summary: `Nielsen's vanishing-gradient experiment: ‖∂C/∂b‖ per hidden layer of sigmoid nets ${hiddenLayersOf(DEPTH_NETWORKS[0])}–${hiddenLayersOf(DEPTH_NETWORKS[DEPTH_NETWORKS.length - 1])} hidden layers deep`,
  flags: [
    DEPTH_SEEDS_FLAG,
    DEPTH_EPOCHS_FLAG,
    { name: 'lambda', value: 'λ', default: NIELSEN_TRAINING.lambda, rule: { min: 0, ...nielsenLambdaBound() }, about: 'L2 regularisation on the weights (0: none)' },
    JSON_FLAG,
    HTML_FLAG,
  ],
  example: 'study depth --seeds 5 --epochs 100 --html depth.html',
  async run(args, terminal) {
    const json = booleanFlag(args, 'json');
    const seeds = numberFlag(args, 'seeds');
    const epochs = numberFlag(args, 'epochs');
    const lambda = numberFlag(args, 'lambda');
    const html = await outputFileFlag(args, 'html');
    const progress = networkProgress(terminal, 'depth');
    const result = await runDepthStudy({ seeds, epochs, lambda, onProgress: progress.onProgress });
    progress.done();
    if (json) {
      terminal.out(jsonLine(depthJSON(result)));
      return;
    }
    print(terminal, `Sigmoid networks, sigmoid outputs + cross-entropy, weights N(0, 1/n_in), biases N(0, 1); ${counted(DEPTH_ROWS, 'digit')}.\n`);
    print(terminal, depthTables(result, terminal.invokedAs, terminal.columns));
    if (html) print(terminal, `\nReport: ${shellWord(await writeReport(html, { sections: [withRunTerms(depthReportSection(result), (run) => depthRunTerms(result, run.trace, terminal.invokedAs))] }))}`);
  },
});
