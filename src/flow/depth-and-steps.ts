/**
 * How to read a run's ‖∂C/∂b‖ heatmap and its chart of each layer over training, in the run's own numbers (lecturer52 #9): both
 * show every layer falling along the steps, and a class read that fall as "the gradient vanishing over time". The vanishing
 * gradient is the gap over depth, read at one step (down a heatmap's column, across the chart's lines); the fall along the steps,
 * where the run ends on a plateau, is the loss reaching and holding it, said with the trace's numbers. Each part is said only
 * where the trace shows it.
 */
import { chartedBiasRows } from './cancelled-biases.js';
import { hiddenChain, positiveFinite } from './diagnosis/gap-measures.js';
import { gapText, timesOf } from './diagnosis/diagnosis-words.js';
import type { TrainingState } from './training-progress.js';
import type { Trace } from './trace.js';
import { grouped } from '../counted.js';
import { lossText } from '../loss-text.js';
import { multipleText } from '../number-text.js';

/** The loss has come to its plateau at the first record after which it stays within this share of its fall from its start to its end. */
const PLATEAU_REACHED = 0.01;

/**
 * The heatmap's note and the chart's, each '' where the trace shows neither part. `heatmapShown`: the report draws the heatmap
 * beside the chart ('full' detail), so the chart's note names the parts and leaves their numbers to the heatmap's (they are the
 * same numbers: said twice they took ~0.6 KB of npm start's report); without it ('summary'), the chart's note gives them.
 */
export function depthAndStepsNotes(trace: Trace, state: TrainingState | undefined, heatmapShown: boolean): { heatmap: string; chart: string } {
  const gap = gapOverDepth(trace);
  const fall = state === 'plateau' ? fallOnPlateau(trace) : '';
  const note = (where: string, along: string) => [gap && `${where}, the gap over depth: ${gap}.`, fall && `${along}, ${fall}: ${NOT_VANISHING}.`].filter(Boolean).join(' ');
  const heatmap = heatmapShown ? note('Down a column (one step)', 'Along a row') : '';
  if (!heatmapShown) return { heatmap, chart: note('Across the lines at one step', 'Along a line') };
  const named = [gap && 'across the lines at one step, the gap over depth', fall && `along a line, ${NOT_VANISHING}`].filter(Boolean).join('; ');
  return { heatmap, chart: named && `${named[0].toUpperCase()}${named.slice(1)} (the heatmap's note gives the numbers).` };
}

/** What the fall along the steps of a run on a plateau is (fallOnPlateau): said once in each note. */
const NOT_VANISHING = 'the fall along the steps is the loss reaching and holding its plateau, not the vanishing gradient';

/** The first hidden layer's ‖∂C/∂b‖ over the last hidden layer's at the traced steps: '1/193 to 1/60 of the last hidden layer's at every traced step'; '' with fewer than two hidden layers. */
function gapOverDepth(trace: Trace): string {
  const chain = hiddenChain(trace);
  if (chain.length < 2) return '';
  const first = trace.series('biasGradNorm', chain[0]);
  const last = trace.series('biasGradNorm', chain[chain.length - 1]);
  const ratios = Array.from(first, (g, r) => g / last[r]).filter(positiveFinite);
  if (ratios.length === 0) return '';
  const [low, high] = [Math.min(...ratios), Math.max(...ratios)];
  const range = low === high ? timesOf(low) : high < 0.5 ? `${gapText(low)} to ${gapText(high)} of` : `${gapText(low)} to ${timesOf(high)}`;
  const where = ratios.length === 1 ? 'at its one traced step' : ratios.length === trace.length ? 'at every traced step' : `at ${grouped(ratios.length)} of its ${grouped(trace.length)} traced steps`;
  return `the first hidden layer's ‖∂C/∂b‖ is ${range} the last hidden layer's ${where}`;
}

/**
 * What every charted layer's ‖∂C/∂b‖ did along the steps of a run that ended on a plateau: 'each layer's ‖∂C/∂b‖ fell 171–529× over
 * the run (4.68–14.4× by step 13, where the loss, 3.289, had come within 1 % of its plateau)': within 1 % of its fall from the first
 * step's loss to the last's, which the diagnosis above the charts quotes (8.435 at the first step, the plateau 3.237), so the note
 * does not. Study (a)'s deepest run reads so: most of the fall comes after the loss is within 1 % of its end. '' where the loss or
 * some layer's gradient did not fall.
 */
function fallOnPlateau(trace: Trace): string {
  const losses = Array.from(trace.losses);
  const [start, end] = [losses[0], losses[losses.length - 1]];
  if (!(start > end) || losses.length < 3) return '';
  const band = end + PLATEAU_REACHED * (start - end);
  let reached = losses.length - 1;
  while (reached > 0 && losses[reached - 1] <= band) reached--;
  const falls = chartedBiasRows(trace).map((l) => {
    const g = trace.series('biasGradNorm', l);
    return { byThen: g[0] / g[reached], inAll: g[0] / g[g.length - 1] };
  });
  if (falls.length === 0 || !falls.every(({ byThen, inAll }) => positiveFinite(byThen) && positiveFinite(inAll) && inAll > 1)) return '';
  const span = (values: number[]) => {
    const [low, high] = [Math.min(...values), Math.max(...values)];
    return low === high ? `${multipleText(low)}×` : `${multipleText(low)}–${multipleText(high)}×`;
  };
  return (
    `each layer's ‖∂C/∂b‖ fell ${span(falls.map((f) => f.inAll))} over the run (${span(falls.map((f) => f.byThen))} by step ${grouped(trace.steps[reached])}, ` +
    `where the loss, ${lossText(losses[reached])}, had come within ${100 * PLATEAU_REACHED} % of its plateau)`
  );
}
