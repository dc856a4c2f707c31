/** gradscope curvature --model M --data D.json [--k 5] [--backend wasm|ref] [--json] */
import { measureCurvature, type CurvatureReport } from '../../curvature/curvature.js';
import { networkFromModel } from '../../io/model-data.js';
import { readModelFile } from '../../io/model-formats.js';
import { booleanFlag, COUNT, numberFlag, readDataFile, stringFlag, UsageError, type Command } from '../command.js';
import { formatTable, sci } from '../table.js';
import { withFile } from './gradients.js';

export const curvatureCommand: Command = {
  words: ['curvature'],
  summary: 'extreme eigenvalues and traces of the Hessian and the Gauss-Newton matrix of a model on a data set, whole and per layer',
  usage: 'gradscope curvature --model M --data D.json [--k 5] [--backend wasm|ref] [--json]',
  async run(args, terminal) {
    const modelPath = stringFlag(args, 'model', true);
    const dataPath = stringFlag(args, 'data', true);
    const backend = stringFlag(args, 'backend') ?? 'wasm';
    if (backend !== 'wasm' && backend !== 'ref') throw new UsageError(`--backend must be wasm or ref, got '${backend}'`);
    const k = numberFlag(args, 'k', 5, COUNT);
    const model = await readModelFile(modelPath);
    const data = await readDataFile(dataPath);
    const net = await withFile(modelPath, () => networkFromModel(model, { backend }));
    try {
      const report = await withFile(dataPath, async () => measureCurvature(net, data.inputs, data.targets, { k }));
      terminal.out((booleanFlag(args, 'json') ? JSON.stringify(report) : curvatureTable(report)) + '\n');
    } finally {
      net.dispose();
    }
  },
};

const values = (list: number[]) => list.map(sci).join(' ');
const traceText = (trace: number, error: number, exact: boolean) => (exact ? sci(trace) : `${sci(trace)} ± ${sci(error)}`);

/** The report as a terminal table: one row per matrix, whole network first, then each layer. */
export function curvatureTable(report: CurvatureReport): string {
  const exact = report.traceExact;
  const rows: string[][] = [
    ['Hessian', values(report.hessian.largest), values(report.hessian.smallest), traceText(report.hessian.trace, report.hessian.traceStdError, exact), `${(100 * report.hessian.negativeMass).toFixed(1)} %`],
    ['Gauss-Newton', values(report.gaussNewton.largest), '', traceText(report.gaussNewton.trace, report.gaussNewton.traceStdError, exact), ''],
  ];
  for (const layer of report.layers) {
    const name = `layer ${layer.layer} (${layer.parameters})`;
    rows.push([`${name} H`, values(layer.hessian.largest), values(layer.hessian.smallest), traceText(layer.hessian.trace, layer.hessian.traceStdError, exact), `${(100 * layer.hessian.negativeMass).toFixed(1)} %`]);
    rows.push([`${name} G`, values(layer.gaussNewton.largest), '', traceText(layer.gaussNewton.trace, layer.gaussNewton.traceStdError, exact), '']);
  }
  const unconverged = [report.hessian, report.gaussNewton, ...report.layers.flatMap((l) => [l.hessian, l.gaussNewton])].some((s) => !s.converged);
  return [
    `loss ${sci(report.loss)} over ${report.rows} rows; ${report.parameters} parameters; traces ${exact ? 'exact' : 'by Hutchinson (± standard error)'}`,
    formatTable(['matrix', 'largest eigenvalues', 'smallest eigenvalues', 'trace', 'negative mass'], rows),
    ...(unconverged ? ['some eigenvalues did not reach Lanczos\' tolerance within its step limit'] : []),
  ].join('\n');
}
