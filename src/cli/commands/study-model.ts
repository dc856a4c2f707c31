/**
 * gradscope study --model M --data D.json [--epochs 10] [--batch-size 32] [--learning-rate 0.1]
 *   [--optimizer NAME] [--every 1] [--json] [--csv FILE] [--html FILE]
 * The gradient-flow trace, report and diagnosis for a user's own network and data.
 */
import { diagnose } from '../../flow/diagnose.js';
import { writeReport } from '../../io/report-file.js';
import { writeFileAtomic } from '../../io/file-access.js';
import { networkFromModel } from '../../io/model-data.js';
import { readModelFile } from '../../io/model-formats.js';
import type { Evaluation } from '../../network/rows.js';
import { createOptimizer, OPTIMIZERS } from '../../optim/index.js';
import { booleanFlag, choiceFlag, command, COUNT, DATA_FLAG, HTML_FLAG, JSON_FLAG, jsonLine, MODEL_FLAG, numberFlag, outputFileFlag, POSITIVE, readDataFile, stringFlag } from '../command.js';
import { ProgressBar } from '../progress.js';
import { counted, formatTable } from '../table.js';
import { print } from '../terminal.js';
import { diagnosisText, residualTable, traceTable } from '../trace-table.js';
import { withFile } from './gradients.js';
import { MODEL_EPOCHS_BOUND } from '../../studies/study-bounds.js';

/** Rows of the loss-and-accuracy table: the start, then about ten epochs spread evenly, always the last. */
export function learningCurveTable(curve: Evaluation[]): string {
  const epochs = curve.length - 1;
  const rows = Math.min(epochs, 10);
  const picks = Array.from({ length: rows + 1 }, (_, i) => (rows === 0 ? 0 : Math.round((i * epochs) / rows)));
  return formatTable(
    ['epoch', 'loss', 'accuracy'],
    picks.map((e) => [String(e), curve[e].loss.toPrecision(4), `${(100 * curve[e].accuracy).toFixed(1)} %`]),
  );
}

export const studyModelCommand = command({
  words: ['study'],
  summary: 'trace, diagnose and report the gradient flow of your own model (any format convert reads) on your own data',
  flags: [
    MODEL_FLAG,
    DATA_FLAG,
    { name: 'epochs', value: 'N', default: 10, rule: { ...COUNT, ...MODEL_EPOCHS_BOUND }, about: 'epochs of training' },
    { name: 'batch-size', value: 'N', default: 32, rule: COUNT, about: 'rows per step' },
    { name: 'learning-rate', value: 'η', default: 0.1, rule: POSITIVE, about: 'the step size' },
    { name: 'optimizer', value: 'NAME', about: `the optimiser, one of ${OPTIMIZERS.map((d) => d.name).join(', ')} (default: sgd)` },
    { name: 'every', value: 'N', default: 1, rule: COUNT, about: 'trace every N-th step' },
    { ...JSON_FLAG, about: 'print the diagnosis, the learning curve and the whole trace as one JSON object' },
    { name: 'csv', value: 'FILE', about: 'also write the trace as CSV to FILE' },
    HTML_FLAG,
  ],
  example: 'gradscope study --model model.json --data data.json --epochs 20 --optimizer adam --html report.html',
  async run(args, terminal) {
    const modelPath = stringFlag(args, 'model', true);
    const dataPath = stringFlag(args, 'data', true);
    const epochs = numberFlag(args, 'epochs');
    const every = numberFlag(args, 'every');
    const batchSize = numberFlag(args, 'batch-size');
    const learningRate = numberFlag(args, 'learning-rate');
    const optimizerName = choiceFlag(args, 'optimizer', OPTIMIZERS.map((d) => d.name));
    const json = booleanFlag(args, 'json');
    const csv = await outputFileFlag(args, 'csv');
    const html = await outputFileFlag(args, 'html');
    const data = await readDataFile(dataPath);
    const model = await readModelFile(modelPath);
    const net = await withFile(modelPath, () => networkFromModel(model));
    try {
      const curve = [await withFile(dataPath, async () => net.evaluate(data.inputs, data.targets))];
      const optimizer = optimizerName ? createOptimizer(net, optimizerName) : undefined;
      const bar = json ? undefined : new ProgressBar(terminal, 'training', epochs);
      net.train(data.inputs, data.targets, {
        epochs,
        batchSize,
        learningRate,
        optimizer,
        trace: { every },
        validation: { x: data.inputs, y: data.targets },
        onEpoch: ({ epoch, validation }) => {
          curve.push(validation!);
          bar?.update(epoch + 1, `loss ${validation!.loss.toFixed(4)}`);
        },
      });
      bar?.done();
      optimizer?.dispose();
      const trace = net.trace!;
      const diagnosis = diagnose(trace);
      if (csv) await writeFileAtomic(csv, trace.toCSV());
      const report = html ? await writeReport(html, { title: `gradscope: ${modelPath}`, runs: [{ label: `${modelPath} on ${dataPath}`, trace, diagnosis }] }) : undefined;
      if (json) {
        terminal.out(jsonLine({ diagnosis, curve, trace: trace.toJSON() }));
        return;
      }
      const shape = net.kind === 'dense' ? `[${net.sizes.join(',')}]` : `${net.inputSize} inputs → [${net.layers.map((spec) => spec.type).join(', ')}]`;
      print(terminal, `${shape} on ${counted(data.inputs.length, 'row')}, ${counted(epochs, 'epoch')}, ${counted(trace.length, 'traced step')}.`, '');
      print(terminal, `Loss and accuracy on all ${data.inputs.length} rows, from start to end:`, learningCurveTable(curve), '');
      print(terminal, 'At the first step:', traceTable(trace, 0));
      print(terminal, '', 'At the last traced step:', traceTable(trace));
      if (trace.residualBlocks > 0) print(terminal, '', 'Residual blocks at the last traced step:', residualTable(trace));
      print(terminal, '', diagnosisText(diagnosis));
      if (csv) print(terminal, '', `Trace (CSV): ${csv}`);
      if (report) print(terminal, `Report: ${report}`);
    } finally {
      net.dispose();
    }
  },
});
