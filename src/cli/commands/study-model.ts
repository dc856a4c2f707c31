/**
 * gradscope study --model M.json --data D.json [--epochs 10] [--batch-size 32] [--learning-rate 0.1]
 *   [--optimizer NAME] [--every 1] [--json] [--csv FILE] [--html FILE]
 * The gradient-flow trace, report and diagnosis for a user's own network and data.
 */
import { diagnose } from '../../flow/diagnose.js';
import { writeReport } from '../../io/report-file.js';
import { dataFromJSON } from '../../io/data-file.js';
import { Network } from '../../api/network.js';
import { createOptimizer } from '../../optim/index.js';
import { booleanFlag, type Command, COUNT, numberFlag, POSITIVE, readJsonFile, stringFlag, UsageError } from '../command.js';
import { ProgressBar } from '../progress.js';
import { diagnosisText, traceTable } from '../trace-table.js';

export const studyModelCommand: Command = {
  words: ['study'],
  summary: "trace, diagnose and report the gradient flow of your own model on your own data",
  usage: 'gradscope study --model M.json --data D.json [--epochs 10] [--batch-size 32] [--learning-rate 0.1] [--optimizer NAME] [--every 1] [--json] [--csv FILE] [--html FILE]',
  async run(args) {
    if (args.positional.length) throw new UsageError(`unknown study '${args.positional[0]}' (depth, activations, or --model with --data)`);
    const modelPath = stringFlag(args, 'model', true);
    const dataPath = stringFlag(args, 'data', true);
    const epochs = numberFlag(args, 'epochs', 10, COUNT);
    const every = numberFlag(args, 'every', 1, COUNT);
    const json = booleanFlag(args, 'json');
    const data = dataFromJSON(await readJsonFile(dataPath, 'BAD_DATA_FILE'), dataPath);
    const net = await Network.fromJSON(await readJsonFile(modelPath, 'BAD_MODEL_FILE'));
    try {
      const optimizerName = stringFlag(args, 'optimizer');
      const optimizer = optimizerName ? createOptimizer(net, optimizerName) : undefined;
      const bar = json ? undefined : new ProgressBar('training', epochs);
      net.train(data.inputs, data.targets, {
        epochs,
        batchSize: numberFlag(args, 'batch-size', 32, COUNT),
        learningRate: numberFlag(args, 'learning-rate', 0.1, POSITIVE),
        optimizer,
        trace: { every },
        onEpoch: ({ epoch, loss }) => bar?.update(epoch + 1, `loss ${loss.toFixed(4)}`),
      });
      bar?.done();
      optimizer?.dispose();
      const trace = net.trace!;
      const diagnosis = diagnose(trace);
      const csv = stringFlag(args, 'csv');
      if (csv) {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(csv, trace.toCSV());
      }
      const html = stringFlag(args, 'html');
      const report = html ? await writeReport(html, { title: `gradscope: ${modelPath}`, runs: [{ label: `${modelPath} on ${dataPath}`, trace, diagnosis }] }) : undefined;
      if (json) {
        process.stdout.write(JSON.stringify({ diagnosis, trace: trace.toJSON() }) + '\n');
        return;
      }
      console.log(`[${net.sizes.join(',')}] on ${data.inputs.length} rows, ${epochs} epochs, ${trace.length} traced steps.\n`);
      console.log('At the first step:\n' + traceTable(trace, 0));
      console.log('\nAt the last traced step:\n' + traceTable(trace));
      console.log('\n' + diagnosisText(diagnosis));
      if (csv) console.log(`\nTrace (CSV): ${csv}`);
      if (report) console.log(`Report: ${report}`);
    } finally {
      net.dispose();
    }
  },
};
