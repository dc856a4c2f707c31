/** Study (a) as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { counted, grouped } from '../counted.js';
import { sizesList } from '../layer-runs.js';
import { checkStudyResult } from './study-result.js';
import type { ReportSection } from '../flow/report-html.js';
import { DEPTH_FIRST_SEED, epochOfStep, NIELSEN_RATIOS, nielsenWeightDecay, spread, type DepthNetworkResult, type DepthStudyResult } from './depth.js';
import type { Trace } from '../flow/trace.js';
import { percentText } from '../percent-text.js';
import { givenFloat32Text } from '../number-text.js';

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
    tables: [depthInitialisationTable(result)],
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
