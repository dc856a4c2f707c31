/** The plateau study as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { counted, grouped } from '../counted.js';
import { sizesList } from '../layer-runs.js';
import type { ReportSection } from '../flow/report-html.js';
import { denseLayerName } from '../layer-names.js';
import type { Series } from '../flow/svg.js';
import type { PlateauPoint, PlateauResult } from './plateau.js';
import { plateauTableColumns, plateauTableKey } from './plateau-table.js';
import { plateauAnswer, plateauRules } from './plateau-conclusion.js';

/**
 * What the study ran, in one sentence (the terminal's opening and the report section's): Nielsen's network, his init and
 * cost, and his training, full-batch descent on the first `rows` digits at his η and λ for the epochs run.
 */
export function plateauRunSentence(result: Pick<PlateauResult, 'sizes' | 'rows' | 'learningRate' | 'lambda' | 'epochs'>): string {
  return `Nielsen's ${sizesList(result.sizes)} sigmoid net, his init and cost; full-batch gradient descent on the first ${counted(result.rows, 'digit')}, η = ${result.learningRate}, L2 λ = ${result.lambda} on the weights, ${counted(result.epochs, 'epoch')}.`;
}

export function plateauReportSection(result: PlateauResult): ReportSection {
  const epochs = result.points.map((p) => p.epoch);
  const layers = result.points[0]?.gradientSNR.length ?? 0;
  const hidden = result.meanField.map((l) => l.layer + 1);
  // What the points add up to, as the terminal says it under its table (the report said what was measured and left the reading out);
  // how each verdict is read, with its count, in the key list after the columns' (lecturer52 #6: ~300 words of rules came before the answer).
  const answer = plateauAnswer(result).split('\n').join(' ');
  return {
    id: 'plateau',
    heading: 'Saddle or minimum: the plateau',
    text:
      `${plateauRunSentence(result)} The Hessian of ${result.curvatureOf === 'loss' ? 'the cross-entropy alone (the L2 term left out)' : 'the regularised objective'} by Lanczos, ` +
      `each layer's gradient signal-to-noise ratio, and at initialisation the mean-field prediction of the gradient decay (Schoenholz et al. 2017). ${answer}`,
    notes: [...plateauTableKey(result).split('\n'), ...plateauRules(result)],
    charts: [
      {
        id: 'plateau-mean-field',
        title: '‖δˡ‖/‖δᴸ‖ (hidden layer l ÷ output layer L) at initialisation (log scale): mean-field √χ products vs measured',
        xLabel: 'hidden layer',
        yLabel: '‖δˡ‖/‖δᴸ‖',
        logY: true,
        series: [
          { name: 'predicted', xs: hidden, ys: result.meanField.map((l) => l.predictedDecay) },
          { name: 'measured', xs: hidden, ys: result.meanField.map((l) => l.measuredDecay) },
        ],
      },
      {
        id: 'plateau-curvature',
        title: "λ_max and λ_min of the Hessian over training (log scale of |λ|; the key says λ_min's sign)",
        xLabel: 'epoch',
        yLabel: '|λ|',
        logY: true,
        series: [{ name: 'λ_max', xs: epochs, ys: result.points.map((p) => p.largest[0]) }, ...lambdaMinSeries(result.points)],
      },
      {
        id: 'plateau-gsnr',
        title: 'Gradient signal-to-noise ratio per layer over training (log scale)',
        xLabel: 'epoch',
        yLabel: 'GSNR',
        logY: true,
        series: Array.from({ length: layers }, (_, l) => ({
          name: denseLayerName(l, layers),
          xs: epochs,
          ys: result.points.map((p) => p.gradientSNR[l]),
        })),
        layers: { index: Array.from({ length: layers }, (_, l) => l), count: layers },
      },
    ],
    tables: [plateauTableColumns(result)],
  };
}

/** Epochs a λ_min series' name lists; at more points it counts them. */
const LISTED_EPOCHS = 4;

/**
 * λ_min of each point on the curvature chart's log axis, its sign said by the series' name: a log axis draws |λ|, and one line
 * named '|λ_min|' beside λ_max showed a class two positive curves where λ_min < 0 is the whole point (lecturer52 #6). The
 * points where λ_min < 0 are drawn as −λ_min, '−λ_min (λ_min < 0 at every point)' where they are all of them; those where
 * λ_min ≥ 0 as λ_min, a series of their own, each named with the epochs it holds where it does not hold every point.
 */
export function lambdaMinSeries(points: readonly Pick<PlateauPoint, 'epoch' | 'smallest'>[]): Series[] {
  const xs = points.map((p) => p.epoch);
  const values = points.map((p) => p.smallest[0]);
  const signs = [
    { name: '−λ_min', rule: 'λ_min < 0', holds: (v: number) => v < 0, drawn: (v: number) => -v },
    { name: 'λ_min', rule: 'λ_min ≥ 0', holds: (v: number) => v >= 0, drawn: (v: number) => v },
  ];
  return signs.flatMap(({ name, rule, holds, drawn }) => {
    const at = points.filter((p) => holds(p.smallest[0])).map((p) => p.epoch);
    if (at.length === 0) return [];
    const where = at.length === points.length ? 'at every point' : at.length <= LISTED_EPOCHS ? `at ${at.length === 1 ? 'epoch' : 'epochs'} ${at.map(grouped).join(', ')}` : `at ${at.length} of ${points.length} points`;
    return [{ name: `${name} (${rule} ${where})`, xs, ys: values.map((v) => (holds(v) ? drawn(v) : NaN)) }];
  });
}
