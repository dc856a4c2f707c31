/** Study (b) as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { counted, grouped } from '../counted.js';
import { sizesList } from '../layer-runs.js';
import { checkStudyResult } from './study-result.js';
import { VERDICT_CELL_HEADING, verdictCell } from '../flow/diagnose.js';
import type { ReportRun, ReportSection } from '../flow/report-html.js';
import type { ActivationRun, ActivationStudyResult } from './activations.js';
import { epochsText } from './paper-experiment.js';
import { percentText } from '../percent-text.js';
import { glorotSaturationReading } from './activations-saturation.js';

/** A ratio of two gradients that are both 0. */
export const NO_GRADIENT = '— (no gradient)';

/**
 * A run's first ÷ last hidden gradient at the start (`which`: of one example's RMS ‖δₓ‖ or of
 * ‖∂C/∂b‖), as the terminal and the report show it: NaN there is 0/0, both layers without any
 * gradient (dead relu units pass none), shown as NO_GRADIENT (or '—' for a run that diverged, whose
 * NaN may be the divergence's); '∞' where only the last's is 0.
 */
export function startRatioText(run: ActivationRun, which: 'deltaFirstToLast' | 'firstToLast', digits: number): string {
  if (!run.diagnosis) return '—';
  const value = run.diagnosis.evidence[which].first;
  if (Number.isNaN(value)) return run.diverged ? '—' : NO_GRADIENT;
  return value === Infinity ? '∞' : value.toPrecision(digits);
}

/** Study (b)'s result as an HTML report section, headed as a study run alone (the main job letters it: 'Study (b): activations × initialisations'). */
export function activationsReportSection(result: ActivationStudyResult): ReportSection {
  checkStudyResult(result, 'runs', 'activationsReportSection', 'the result of runActivationStudy');
  const runs: ReportRun[] = [];
  const reading = glorotSaturationReading(result);
  result.runs.forEach((r, i) => {
    if (r.trace && r.diagnosis) runs.push({ id: `act-${i}`, label: r.label, trace: r.trace, diagnosis: r.diagnosis, detail: 'summary' });
  });
  return {
    id: 'activations',
    heading: 'Activations × initialisations',
    text:
      `${sizesList(result.sizes)}, softmax + cross-entropy, ${epochsText(result.epochs)} of SGD (batch ${result.batchSize}, ` +
      `η = ${result.learningRate}) on ${counted(result.trainRows, 'digit')}; test error on ${grouped(result.testRows)}.${reading ? ` ${reading}` : ''}`,
    tables: [
      {
        header: ['activation', 'init', 'test error', 'first ÷ last hidden RMS ‖δₓ‖ at start', 'first ÷ last hidden ‖∂C/∂b‖ at start', VERDICT_CELL_HEADING],
        rows: result.runs.map((r) => [
          r.activation,
          r.init,
          r.diverged ? 'diverged' : percentText(r.testError),
          startRatioText(r, 'deltaFirstToLast', 3),
          startRatioText(r, 'firstToLast', 3),
          r.diagnosis ? verdictCell(r.diagnosis, 'first record') : '—',
        ]),
      },
    ],
    runs,
  };
}
