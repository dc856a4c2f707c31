/**
 * gradscope study activations [--width 256] [--epochs 2] [--train 9000] [--test 1000] [--json] [--html FILE]
 * Glorot & Bengio (2010) scaled down: 5 hidden layers, sigmoid/tanh/softsign/relu × standard/glorot/he init.
 */
import { runActivationStudy, type ActivationStudyResult } from '../../studies/activations.js';
import { writeReport } from '../../flow/report-html.js';
import { activationsReportSection } from '../../studies/activations-report.js';
import { booleanFlag, type Command, COUNT, numberFlag, stringFlag } from '../command.js';
import { ProgressBar } from '../progress.js';
import { formatTable } from '../table.js';

export function activationTable(result: ActivationStudyResult): string {
  const rows = result.runs.map((r) => {
    const t = r.trace;
    const last = t ? t.length - 1 : -1;
    const hidden = t ? t.layers - 1 : 0;
    const saturation = (record: number) =>
      t ? Array.from({ length: hidden }, (_, l) => Math.round(100 * t.at('saturatedFraction', record, l))).join('/') : '—';
    return [
      r.activation,
      r.init,
      r.diverged ? 'diverged' : `${(100 * r.testError).toFixed(1)} %`,
      r.diagnosis ? r.diagnosis.evidence.firstToLast.first.toPrecision(2) : '—',
      saturation(0),
      saturation(last),
      r.diagnosis?.verdict ?? '—',
      r.seconds.toFixed(1),
    ];
  });
  return formatTable(['activation', 'init', 'test error', 'first÷last ‖∂C/∂b‖', 'saturated % start', 'saturated % end', 'verdict', 's'], rows);
}

export const studyActivationsCommand: Command = {
  words: ['study', 'activations'],
  summary: 'Glorot & Bengio scaled down: saturation, gradient histograms and test error per activation × init',
  usage: 'gradscope study activations [--width 256] [--epochs 2] [--train 9000] [--test 1000] [--json] [--html FILE]',
  async run(args) {
    const json = booleanFlag(args, 'json');
    const width = numberFlag(args, 'width', 256, COUNT);
    const epochs = numberFlag(args, 'epochs', 2, COUNT);
    const html = stringFlag(args, 'html');
    let bar: ProgressBar | undefined;
    const result = await runActivationStudy({
      width,
      epochs,
      trainRows: numberFlag(args, 'train', 9000, COUNT),
      testRows: numberFlag(args, 'test', 1000, COUNT),
      onRun: json
        ? undefined
        : (label, done, total) => {
            bar ??= new ProgressBar('activations', total);
            bar.update(done, label);
          },
    });
    bar?.done();
    if (json) {
      const runs = result.runs.map((r) => ({
        activation: r.activation,
        init: r.init,
        testError: r.diverged ? null : r.testError,
        verdict: r.diagnosis?.verdict ?? null,
        firstToLastAtStart: r.diagnosis?.evidence.firstToLast.first ?? null,
        saturatedFraction: r.trace ? [0, r.trace.length - 1].map((rec) => Array.from(r.trace!.row('saturatedFraction', rec)).slice(0, -1)) : null,
      }));
      process.stdout.write(JSON.stringify({ sizes: result.sizes, epochs: result.epochs, runs }) + '\n');
      return;
    }
    console.log(`[${result.sizes.join(',')}], softmax + cross-entropy; ${result.epochs} epoch(s), batch ${result.batchSize}, η ${result.learningRate}, ${result.trainRows} digits.\n`);
    console.log(activationTable(result));
    console.log("\nsaturated %: per hidden layer, first/…/last, units with σ'(z) < 1 % of its maximum.");
    if (html) console.log(`\nReport: ${await writeReport(html, { sections: [activationsReportSection(result)] })}`);
  },
};
