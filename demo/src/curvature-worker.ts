/**
 * The curvature worker: measureCurvature of a copy of the training worker's network (Network.fromJSON of its toJSON:
 * the same parameters, bit for bit) on its probe rows, with its progress, then the reading in `gradscope curvature`'s
 * words. A worker of its own, so that the page stays responsive, Cancel ends it at once (terminate) and the
 * network that trains is never touched (curvature-measure.ts).
 */
import { curvatureEvidenceOf, measureCurvature, Network, pointReadingText, pointText } from '../../src/index.js';
import { PAGE_CURVATURE_OPTIONS, PROGRESS_MS, STUDY_PLATEAU_COMMAND, type FromCurvatureWorker, type ToCurvatureWorker } from './curvature-measure.js';
import { errorText } from './stop-reason.js';

interface WorkerScope {
  postMessage(message: FromCurvatureWorker): void;
  onmessage: ((event: MessageEvent<ToCurvatureWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => void measure(event.data);

async function measure({ model, x, y, measured }: ToCurvatureWorker): Promise<void> {
  let net: Network | undefined;
  try {
    net = await Network.fromJSON(model);
    const started = performance.now();
    let posted = started;
    const report = measureCurvature(net, x, y, {
      ...PAGE_CURVATURE_OPTIONS,
      onProgress: ({ fraction }) => {
        const now = performance.now();
        if (now - posted < PROGRESS_MS) return;
        posted = now;
        scope.postMessage({ type: 'progress', fraction });
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const lines = pointText(report, STUDY_PLATEAU_COMMAND).split('\n').filter((line) => line !== '');
    scope.postMessage({ type: 'measured', reading: pointReadingText(report), lines, evidence: curvatureEvidenceOf(report, measured), rows: report.rows, seconds });
  } catch (error) {
    scope.postMessage({ type: 'failed', reason: errorText(error) });
  } finally {
    net?.dispose();
  }
}
