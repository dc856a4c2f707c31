/** Study (b) as a section of the HTML report: plain data for src/flow/report-html.ts. */
import { checkStudyResult } from './study-result.js';
import { verdictLabel } from '../flow/diagnose.js';
import type { ReportRun, ReportSection } from '../flow/report-html.js';
import type { ActivationStudyResult } from './activations.js';

/** Study (b)'s result as an HTML report section. */
export function activationsReportSection(result: ActivationStudyResult): ReportSection {
  checkStudyResult(result, 'runs', 'activationsReportSection', 'the result of runActivationStudy');
  const runs: ReportRun[] = [];
  result.runs.forEach((r, i) => {
    if (r.trace && r.diagnosis) runs.push({ id: `act-${i}`, label: r.label, trace: r.trace, diagnosis: r.diagnosis, detail: 'summary' });
  });
  return {
    id: 'activations',
    heading: 'Study (b): activations × initialisations',
    text:
      `[${result.sizes.join(',')}], softmax + cross-entropy, ${result.epochs} epoch(s) of SGD (batch ${result.batchSize}, ` +
      `η = ${result.learningRate}) on ${result.trainRows} digits; test error on ${result.testRows}.`,
    tables: [
      {
        header: ['activation', 'init', 'test error', 'first ÷ last hidden RMS ‖δₓ‖ at start', 'first ÷ last hidden ‖∂C/∂b‖ at start', 'verdict'],
        rows: result.runs.map((r) => [
          r.activation,
          r.init,
          r.diverged ? 'diverged' : `${(100 * r.testError).toFixed(1)} %`,
          r.diagnosis ? r.diagnosis.evidence.deltaFirstToLast.first.toPrecision(3) : '—',
          r.diagnosis ? r.diagnosis.evidence.firstToLast.first.toPrecision(3) : '—',
          r.diagnosis ? verdictLabel(r.diagnosis) : '—',
        ]),
      },
    ],
    runs,
  };
}
