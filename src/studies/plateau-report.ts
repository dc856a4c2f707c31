/** The plateau study as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { counted } from '../counted.js';
import { sizesList } from '../layer-runs.js';
import type { ReportSection } from '../flow/report-html.js';
import { denseLayerName } from '../layer-names.js';
import type { PlateauResult } from './plateau.js';
import { plateauTableColumns, plateauTableKey } from './plateau-table.js';
import { plateauSummary } from './plateau-conclusion.js';

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
  // What the points count and add up to, the terminal's summary under its table: the report said what was measured and left the reading out, then the counts.
  const summary = plateauSummary(result).split('\n').filter(Boolean).join(' ');
  return {
    id: 'plateau',
    heading: 'Saddle or minimum: the plateau',
    text:
      `${plateauRunSentence(result)} The Hessian of ${result.curvatureOf === 'loss' ? 'the cross-entropy alone (the L2 term left out)' : 'the regularised objective'} by Lanczos, ` +
      `each layer's gradient signal-to-noise ratio, and at initialisation the mean-field prediction of the gradient decay (Schoenholz et al. 2017). ${summary}`,
    notes: plateauTableKey(result).split('\n'),
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
        title: 'λ_max and |λ_min| of the Hessian over training (log scale; the sign of λ_min is in the table)',
        xLabel: 'epoch',
        yLabel: '|λ|',
        logY: true,
        series: [
          { name: 'λ_max', xs: epochs, ys: result.points.map((p) => p.largest[0]) },
          { name: '|λ_min|', xs: epochs, ys: result.points.map((p) => Math.abs(p.smallest[0])) },
        ],
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
