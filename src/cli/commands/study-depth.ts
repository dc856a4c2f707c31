/**
 * gradscope study depth [--seeds 20] [--epochs 500] [--lambda 5] [--json] [--html FILE]
 * Nielsen's experiment (fig/generate_gradient.py): ‖∂C/∂b‖ per hidden layer of sigmoid networks 1–4
 * hidden layers deep, at initialisation (over seeds) and along his full-batch training with L2.
 */
import { htmlReport } from '../html-report.js';
import { depthCellsSeedsText, depthEpochTable, depthInitialisationTable, depthRatioLegend, depthReportSection, depthTrainingParts } from '../../studies/depth-report.js';
import {
  DEPTH_FIRST_SEED,
  DEPTH_NETWORKS,
  DEPTH_ROWS,
  DEPTH_SEEDS,
  epochOfStep,
  nielsenLambdaBound,
  NIELSEN_TRAINING,
  runDepthStudy,
  trainingNorms,
  type DepthNetworkResult,
  type DepthStudyResult,
} from '../../studies/depth.js';
import { booleanFlag, command, COUNT, type Flag, HTML_FLAG, JSON_FLAG, jsonLine, numberFlag, outputFileFlag } from '../command.js';
import { depthRunTerms, withRunTerms } from '../study-remedy-terms.js';
import { ProgressBar } from '../progress.js';
import { print, type Terminal } from '../terminal.js';
import { parameterCountOf } from '../../network/memory-budget.js';
import { counted, grouped } from '../../counted.js';
import { formatTable } from '../table.js';
import { proseWords, readingRoom, wrap, wrapTokens } from '../prose.js';
import { diagnosisText, headlineText, traceTable } from '../trace-table.js';
import { DEPTH_SEEDS_BOUND, NIELSEN_EPOCHS_BOUND } from '../../studies/study-bounds.js';
import { shellWord } from '../../shell-word.js';
import { sizesList } from '../../layer-runs.js';


/** The study's tables and the deepest network's diagnosis, its remedies' lines starting as the user runs gradscope (`invoked`, Terminal.invokedAs), its tables fit to `width` (the terminal's: formatTable). */
export function depthTables(result: DepthStudyResult, invoked: string | undefined, width?: number): string {
  const out: string[] = [];
  const trained = result.networks.filter((n) => n.training);
  // The answer first (newuser42 #8): the deepest network's diagnosis in short, above every table; in full after them.
  const deepest = trained.at(-1);
  // Its remedies as command lines, in the headline's 'Try' as in the list after the tables.
  const terms = deepest && depthRunTerms(result, deepest.training!.trace, invoked);
  if (deepest) out.push(headlineText(deepest.training!.diagnosis, terms!, `${sizesList(deepest.sizes)}'s diagnosis`, width), '');
  out.push(
    `‖∂C/∂b‖ per hidden layer at initialisation, first to last (${depthCellsSeedsText(result)}), on the first ${grouped(result.rows)} MNIST training digits.`,
    depthRatioLegend(result),
    '',
  );
  const initialisation = depthInitialisationTable(result);
  out.push(formatTable(initialisation.header, initialisation.rows, width));
  if (deepest) {
    const { numbers, verdicts, note } = depthTrainingParts(result);
    const room = readingRoom(width);
    out.push('', numbers.caption, '', formatTable(numbers.header, numbers.rows, room));
    if (note !== undefined) out.push(wrap(note, room, ''));
    out.push('', verdicts.caption, ...verdicts.rows.map(([network, verdict]) => wrapTokens(proseWords(`${network}: ${verdict}`), room, '    ', '  ')));
    const trace = deepest.training!.trace;
    const overEpochs = depthEpochTable(result)!;
    out.push('', overEpochs.caption, '', formatTable(overEpochs.header, overEpochs.rows, width));
    out.push('', `At the first step (the start of epoch ${grouped(epochOfStep(trace.steps[0]))}):`, '', traceTable(trace, 0, width), '', diagnosisText(deepest.training!.diagnosis, terms!, width));
  }
  return out.join('\n');
}

/**
 * The JSON of `study depth --json`: what its tables print, from the same results. Per network the sizes, the norms at
 * initialisation (the seeds' mean and standard deviation, each seed's own, each seed's first ÷ last) and Nielsen's training:
 * per traced epoch the norms and the cross-entropy (the over-epochs table's), the cross-entropy before and after, the test
 * accuracy, the wall-clock seconds and the diagnosis its verdict is. It held the means, the ratios and the norms alone (newuser50 #2).
 */
export function depthJSON(result: DepthStudyResult): object {
  const { rows, seeds, epochs, learningRate, lambda } = result;
  const networks = result.networks.map((n) => ({
    sizes: n.sizes,
    biasGradNorms: n.biasGradNorms,
    biasGradNormsStd: n.biasGradNormsStd,
    perSeed: n.perSeed,
    seedRatios: n.seedRatios,
    ...(n.training ? { training: depthTrainingJSON(n.training) } : {}),
  }));
  return { rows, seeds, epochs, learningRate, lambda, networks };
}

/** One network's training in depthJSON: its epochs' norms and losses (the trace's records, one per epoch), then what the training table prints. */
function depthTrainingJSON(training: NonNullable<DepthNetworkResult['training']>): object {
  const { trace, initialLoss, finalLoss, testAccuracy, seconds, diagnosis } = training;
  return { ...trainingNorms(trace), losses: Array.from(trace.losses), initialLoss, finalLoss, testAccuracy, seconds, diagnosis };
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
    const report = await htmlReport(html, () => ({ sections: [withRunTerms(depthReportSection(result), (run) => depthRunTerms(result, run.trace, terminal.invokedAs))] }));
    if (json) {
      terminal.out(jsonLine(depthJSON(result)));
      return;
    }
    print(terminal, `Sigmoid networks, sigmoid outputs + cross-entropy, weights N(0, 1/n_in), biases N(0, 1); ${counted(DEPTH_ROWS, 'digit')}.\n`);
    print(terminal, depthTables(result, terminal.invokedAs, terminal.columns));
    if (report) print(terminal, `\nReport: ${shellWord(report)}`);
  },
});
