/** Study (a) as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { counted, grouped } from '../counted.js';
import { sizesList } from '../layer-runs.js';
import { checkStudyResult } from './study-result.js';
import type { ReportSection, ReportTable } from '../flow/report-html.js';
import { DEPTH_FIRST_SEED, DEPTH_TRAINING_SEED, epochOfStep, firstToLast, NIELSEN_RATIOS, NIELSEN_TRAINING, nielsenWeightDecay, spread, trainingNorms, type DepthNetworkResult, type DepthStudyResult } from './depth.js';
import { VERDICT_FIGURE_HEADING, verdictCell } from '../flow/diagnose.js';
import { lossChangeText, lossText } from '../loss-text.js';
import { sci } from '../sci-text.js';
import type { Trace } from '../flow/trace.js';
import { percentText } from '../percent-text.js';
import { givenFloat32Text } from '../number-text.js';
import { WALL_SECONDS } from './trainable-depth-report.js';

/** The header of study (a)'s ‖∂C/∂b‖ table: a column per hidden layer of its deepest network. */
function biasGradNormHeader(result: DepthStudyResult): string[] {
  const width = Math.max(...result.networks.map((n) => n.biasGradNorms.length));
  return ['network', ...Array.from({ length: width }, (_, l) => `layer ${l + 1}`)];
}

/**
 * A network's ‖∂C/∂b‖ cells under biasGradNormHeader, the same in the terminal and the report: the
 * mean ± std over the seeds, the mean alone for one seed (its "± 0e+0" would read as a measured
 * zero), blanks past the network's last hidden layer.
 */
function biasGradNormCells(result: DepthStudyResult, network: DepthNetworkResult): string[] {
  const width = biasGradNormHeader(result).length - 1;
  const cells = network.biasGradNorms.map((m, l) => (result.seeds === 1 ? m.toExponential(2) : `${m.toExponential(2)} ± ${network.biasGradNormsStd[l].toExponential(0)}`));
  return [...cells, ...Array(width - cells.length).fill('')];
}

/**
 * Study (a)'s λ as the per-step weight decay it is, "weight decay λ/n = 5/1,000 = 0.005", in the terminal and the report:
 * the diagnosis and its remedies name the decay (0.005), the study's setting λ (5), and the two read as two settings.
 */
export const weightDecayText = (result: DepthStudyResult): string =>
  `weight decay λ/n = ${result.lambda}/${grouped(result.rows)} = ${givenFloat32Text(nielsenWeightDecay(result.rows, result.lambda))}`;

/** A first ÷ last ratio as study (a) writes it, in the terminal and the report: two significant digits. */
export const ratioText = (value: number) => value.toPrecision(2);

/**
 * Study (a)'s initialisation table: its header and a row per network (‖∂C/∂b‖ per hidden layer, the first ÷ last ratio's
 * median [range] over the seeds, Nielsen's at epoch 0). The terminal prints it and the report shows it (it showed the
 * ‖∂C/∂b‖ columns only, without the ratio the study compares with Nielsen's); test/docs checks the docs' copies against it.
 */
export function depthInitialisationTable(result: DepthStudyResult): { header: string[]; rows: string[][] } {
  const header = [...biasGradNormHeader(result), 'first ÷ last', "Nielsen's"];
  const rows = result.networks.map((n, i) => {
    const s = spread(n.seedRatios);
    const nielsen = NIELSEN_RATIOS[i];
    return [
      sizesList(n.sizes),
      ...biasGradNormCells(result, n),
      // Nor a range: "[0.19 – 0.19]" would read as seeds that agreed.
      result.seeds === 1 ? ratioText(s.median) : `${ratioText(s.median)} [${ratioText(s.min)} – ${ratioText(s.max)}]`,
      nielsen ? ratioText(nielsen.start) : '',
    ];
  });
  return { header, rows };
}

/** Which seeds depthInitialisationTable's ‖∂C/∂b‖ cells hold and how: the terminal's heading and the report's text alike (the report said "mean over N seeds" beside "mean ± std" cells). */
export const depthCellsSeedsText = (result: DepthStudyResult): string => depthSeedsText(result, 'mean ± std');

/** The seeds a figure of the study is over: `seed 1` for one (no mean of one: the chart said 'mean of 1 seed'), else `${what} over seeds 1–N`. */
const depthSeedsText = (result: DepthStudyResult, what: string): string =>
  result.seeds === 1 ? `seed ${DEPTH_FIRST_SEED}` : `${what} over seeds ${DEPTH_FIRST_SEED}–${DEPTH_FIRST_SEED + result.seeds - 1}`;

/** What depthInitialisationTable's last two columns are. */
export function depthRatioLegend(result: DepthStudyResult): string {
  return `First ÷ last: ${result.seeds === 1 ? 'the ratio' : "the per-seed ratio's median [range]"}; Nielsen's: his one recorded network.`;
}

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
 * epoch, Nielsen's, the cross-entropy, the test accuracy, the verdict with its figure, wall-clock seconds headed as study (c)'s), the last epoch trained and
 * whether Nielsen's ratios at his last epoch compare with it. The epochs are the headings' (every network trains as
 * long); a cell names its own only where a network's differs. The terminal and the report show it as depthTrainingParts
 * splits it, the verdicts under the numbers; test/docs checks docs/gradient-flow.md's copy against it.
 */
export function depthTrainingTable(result: DepthStudyResult): { header: string[]; rows: string[][]; lastEpoch: number; likeForLike: boolean } {
  const trained = result.networks.filter((n) => n.training);
  // Nielsen published his ratios at epochs 0 and 499 only: his end sits beside ours only when ours is at 499 too.
  const lastEpoch = Math.max(...trained.map((n) => trainingNorms(n.training!.trace).epochs.at(-1)!));
  const likeForLike = lastEpoch === NIELSEN_TRAINING.epochs - 1;
  const firstEpoch = Math.min(...trained.map((n) => trainingNorms(n.training!.trace).epochs[0]));
  const header = ['network', `first ÷ last, epoch ${grouped(firstEpoch)}`, `epoch ${grouped(lastEpoch)}`, likeForLike ? "Nielsen's, epoch 0 → 499" : "Nielsen's, epoch 0", 'cross-entropy start → end', 'test accuracy', VERDICT_FIGURE_HEADING, WALL_SECONDS];
  // A ratio at the heading's epoch as it is; at another (a run that stopped early), with its own.
  const atEpoch = (value: number, epoch: number, headed: number) => `${ratioText(value)}${epoch === headed ? '' : ` (epoch ${grouped(epoch)})`}`;
  const rows = trained.map((n) => {
    const t = n.training!;
    const { epochs, biasGradNorms } = trainingNorms(t.trace);
    const nielsen = NIELSEN_RATIOS[result.networks.indexOf(n)];
    return [
      sizesList(n.sizes),
      atEpoch(firstToLast(biasGradNorms[0]), epochs[0], firstEpoch),
      atEpoch(firstToLast(biasGradNorms[biasGradNorms.length - 1]), epochs[epochs.length - 1], lastEpoch),
      nielsen ? (likeForLike ? `${ratioText(nielsen.start)} → ${ratioText(nielsen.end)}` : ratioText(nielsen.start)) : '',
      lossChangeText(t.initialLoss, t.finalLoss),
      percentText(t.testAccuracy),
      verdictCell(t.diagnosis),
      t.seconds.toFixed(1),
    ];
  });
  return { header, rows, lastEpoch, likeForLike };
}

/**
 * depthTrainingTable as the terminal prints it and the report shows it: its numbers under the study's setting, then each
 * network's verdict under them (beside the numbers the verdicts' sentences made the terminal's table 250 characters
 * wide, and the report's a card per network at 1280 px), and nielsenEndLeftOut where Nielsen's epoch 499 is left out.
 */
export function depthTrainingParts(result: DepthStudyResult): {
  numbers: ReportTable & { caption: string };
  verdicts: ReportTable & { caption: string };
  note?: string;
} {
  const { header, rows, lastEpoch, likeForLike } = depthTrainingTable(result);
  const verdict = header.indexOf(VERDICT_FIGURE_HEADING);
  const without = (cells: string[]) => cells.filter((_, c) => c !== verdict);
  return {
    numbers: { caption: depthSetting(result), header: without(header), rows: rows.map(without) },
    verdicts: { caption: `Each network's ${VERDICT_FIGURE_HEADING}:`, header: ['network', 'verdict'], rows: rows.map((row) => [row[0], row[verdict]]) },
    ...(!likeForLike && { note: nielsenEndLeftOut(lastEpoch) }),
  };
}

/** Why the training table leaves out Nielsen's ratios at his last epoch, for a run whose last epoch (`lastEpoch`) is not his 499: the terminal's line under the table and the report's note. */
export const nielsenEndLeftOut = (lastEpoch: number): string =>
  `Nielsen's ratios at his last epoch (499) are left out: this run's last epoch is ${grouped(lastEpoch)}, so they would not compare like for like (his ${NIELSEN_TRAINING.epochs} epochs: --epochs ${NIELSEN_TRAINING.epochs}).`;

/** The epochs study (a)'s over-time table shows, where the run has them: the first two, a few along the way, and the last. */
const EPOCHS_SHOWN = [0, 1, 10, 50, 100, 250];

/**
 * The deepest trained network's ‖∂C/∂b‖ per hidden layer at the start of chosen epochs (EPOCHS_SHOWN and the last), with
 * first ÷ last and the cross-entropy: over depth (a row) and over time (a column) at once, what README points at to tell
 * the two apart. The terminal prints it and the report shows it (it had the chart alone, newuser40); undefined when no
 * network trained (--epochs 0).
 */
export function depthEpochTable(result: DepthStudyResult): (ReportTable & { caption: string }) | undefined {
  const deepest = result.networks.filter((n) => n.training).at(-1);
  if (deepest === undefined) return undefined;
  const trace = deepest.training!.trace;
  const { epochs, biasGradNorms } = trainingNorms(trace);
  const picks = [...new Set([...EPOCHS_SHOWN, epochs.length - 1].map((e) => epochs.findIndex((x) => x >= e)).filter((r) => r >= 0))];
  return {
    caption: `${sizesList(deepest.sizes)}, ‖∂C/∂b‖ per hidden layer at the start of an epoch:`,
    header: ['epoch', ...Array.from({ length: deepest.sizes.length - 2 }, (_, l) => `layer ${l + 1}`), 'first ÷ last', 'cross-entropy'],
    rows: picks.map((r) => [grouped(epochs[r]), ...biasGradNorms[r].map(sci), ratioText(firstToLast(biasGradNorms[r])), lossText(trace.losses[r])]),
    // Over time down a column, over depth along a row: on a phone it scrolls sideways rather than become a card per epoch.
    readAcross: true,
  };
}

/** Study (a)'s result as an HTML report section, headed as a study run alone (the main job letters it: "Study (a): Nielsen's vanishing gradient"). */
export function depthReportSection(result: DepthStudyResult): ReportSection {
  checkStudyResult(result, 'networks', 'depthReportSection', 'the result of runDepthStudy');
  return {
    id: 'depth',
    heading: "Depth: Nielsen's vanishing gradient",
    text:
      `Nielsen's experiment: sigmoid networks with sigmoid outputs and cross-entropy, weights N(0, 1/n_in), biases N(0, 1); ` +
      `‖∂C/∂b‖ of each hidden layer on the first ${grouped(result.rows)} MNIST training digits (the mean of each digit's δ), ${depthCellsSeedsText(result)}. ${depthRatioLegend(result)}`,
    charts: [
      {
        id: 'depth-init',
        title: `‖∂C/∂b‖ vs hidden layer at initialisation (log scale), a line per network (${depthSeedsText(result, 'mean')})`,
        xLabel: 'hidden layer',
        yLabel: '‖∂C/∂b‖',
        logY: true,
        series: result.networks.map((n) => ({ name: sizesList(n.sizes), xs: n.biasGradNorms.map((_, l) => l + 1), ys: n.biasGradNorms })),
      },
    ],
    // Its rows are each network's ‖∂C/∂b‖ over depth, read across.
    tables: [{ ...depthInitialisationTable(result), readAcross: true }, ...trainingTables(result)],
    ...trainingNotes(result),
    runs: result.networks.flatMap((n) =>
      n.training
        ? [
            {
              id: `depth-${n.sizes.length - 2}`,
              label: `${sizesList(n.sizes)}: full-batch gradient descent, η = ${result.learningRate}, L2 λ = ${result.lambda} on the weights (${weightDecayText(result)}), ${counted(result.epochs, 'epoch')}; test accuracy ${percentText(n.training.testAccuracy)}. ${stepsAsEpochs(n.training.trace)}`,
              trace: n.training.trace,
              diagnosis: n.training.diagnosis,
            },
          ]
        : [],
    ),
  };
}

/** What the charts' steps are in epochs: one step per epoch, each recorded before its update (epochOfStep). */
function stepsAsEpochs(trace: Trace): string {
  if (trace.length === 0) return '';
  const [first, last] = [trace.steps[0], trace.steps[trace.length - 1]];
  const which = first === last ? `step ${grouped(first)} is the start of epoch ${grouped(epochOfStep(first))}` : `steps ${grouped(first)}–${grouped(last)} are the starts of epochs ${grouped(epochOfStep(first))}–${grouped(epochOfStep(last))}`;
  return `One step per epoch, each recorded before its update: ${which}.`;
}

/**
 * The training tables the terminal prints, for the report (none when no network trained): first ÷ last at the first and
 * the last epoch beside Nielsen's, each network's verdict, and the deepest network over its epochs.
 */
function trainingTables(result: DepthStudyResult): ReportTable[] {
  const overEpochs = depthEpochTable(result);
  if (overEpochs === undefined) return [];
  const { numbers, verdicts } = depthTrainingParts(result);
  return [numbers, verdicts, overEpochs];
}

/** The section's notes: the training table's (nielsenEndLeftOut) where Nielsen's ratios at epoch 499 are left out, else none. */
function trainingNotes(result: DepthStudyResult): Pick<ReportSection, 'notes'> {
  const note = result.networks.some((n) => n.training) ? depthTrainingParts(result).note : undefined;
  return note === undefined ? {} : { notes: [note] };
}
