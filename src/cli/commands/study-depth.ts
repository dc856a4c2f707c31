/**
 * gradscope study depth [--seeds 5] [--epochs 300] [--json] [--html FILE]
 * The classic experiment: ‖∂C/∂b‖ per hidden layer of sigmoid networks 1–4 hidden layers deep, at
 * initialisation (mean ± std over seeds) and along full-batch gradient descent.
 */
import { runDepthStudy, DEPTH_ROWS, type DepthStudyResult } from '../../studies/depth.js';
import { writeReport } from '../../flow/report-html.js';
import { depthReportSection } from '../../studies/depth-report.js';
import { booleanFlag, type Command, COUNT, numberFlag, stringFlag } from '../command.js';
import { ProgressBar } from '../progress.js';
import { formatTable, sci } from '../table.js';
import { diagnosisText, traceTable } from '../trace-table.js';

export function depthTables(result: DepthStudyResult): string {
  const out: string[] = [];
  out.push(
    `‖∂C/∂b‖ per hidden layer at initialisation, first to last (mean ± std over ${result.seeds} seeds), on the first ${result.rows} MNIST training digits:`,
    '',
  );
  const width = Math.max(...result.networks.map((n) => n.biasGradNorms.length));
  const header = ['network', ...Array.from({ length: width }, (_, l) => `layer ${l + 1}`), 'first ÷ last'];
  out.push(
    formatTable(
      header,
      result.networks.map((n) => [
        `[${n.sizes.join(',')}]`,
        ...n.biasGradNorms.map((m, l) => `${sci(m)} ± ${n.biasGradNormsStd[l].toExponential(0)}`),
        ...Array(width - n.biasGradNorms.length).fill(''),
        `${(n.biasGradNorms[0] / n.biasGradNorms[n.biasGradNorms.length - 1]).toPrecision(2)}`,
      ]),
    ),
  );
  const trained = result.networks.filter((n) => n.training);
  if (trained.length) {
    out.push('', `Full-batch gradient descent on those ${result.rows} digits, η = ${result.learningRate}, ${result.epochs} epochs (seed 1):`, '');
    out.push(
      formatTable(
        ['network', 'first ÷ last at start', 'at end', 'loss start → end', 'test accuracy', 'verdict', 'seconds'],
        trained.map((n) => {
          const t = n.training!;
          const e = t.diagnosis.evidence.firstToLast;
          return [
            `[${n.sizes.join(',')}]`,
            e.first.toPrecision(2),
            e.last.toPrecision(2),
            `${t.initialLoss.toFixed(3)} → ${t.finalLoss.toFixed(3)}`,
            `${(100 * t.testAccuracy).toFixed(1)} %`,
            t.diagnosis.verdict,
            t.seconds.toFixed(1),
          ];
        }),
      ),
    );
    const deepest = trained[trained.length - 1];
    const trace = deepest.training!.trace;
    out.push('', `[${deepest.sizes.join(',')}], ‖∂C/∂b‖ per hidden layer along training:`, '');
    const hidden = deepest.sizes.length - 2;
    const picks = [...new Set([0, 1, 2, Math.floor(trace.length / 2), trace.length - 1].filter((r) => r < trace.length))];
    out.push(
      formatTable(
        ['epoch', ...Array.from({ length: hidden }, (_, l) => `layer ${l + 1}`), 'batch loss'],
        picks.map((r) => [String(trace.steps[r] - 1), ...Array.from({ length: hidden }, (_, l) => sci(trace.at('biasGradNorm', r, l))), trace.losses[r].toFixed(3)]),
      ),
    );
    out.push('', `At the first step:`, '', traceTable(trace, 0), '', diagnosisText(deepest.training!.diagnosis));
  }
  return out.join('\n');
}

export const studyDepthCommand: Command = {
  words: ['study', 'depth'],
  summary: 'vanishing gradients vs depth: ‖∂C/∂b‖ per hidden layer of sigmoid nets 1–4 hidden layers deep',
  usage: 'gradscope study depth [--seeds 5] [--epochs 300] [--json] [--html FILE]',
  async run(args) {
    const json = booleanFlag(args, 'json');
    const seeds = numberFlag(args, 'seeds', 5, COUNT);
    const epochs = numberFlag(args, 'epochs', json ? 0 : 300, { integer: true, min: 0 });
    const html = stringFlag(args, 'html');
    let bar: ProgressBar | undefined;
    const result = await runDepthStudy({
      seeds,
      epochs,
      onProgress: json
        ? undefined
        : (network, epoch, total) => {
            if (epoch === 1) bar = new ProgressBar(`network ${network + 1}/4`, total);
            bar!.update(epoch);
            if (epoch === total) bar!.done();
          },
    });
    if (json) {
      const networks = result.networks.map((n) => ({ sizes: n.sizes, biasGradNorms: n.biasGradNorms }));
      process.stdout.write(JSON.stringify({ networks }) + '\n');
      return;
    }
    console.log(`Sigmoid networks, sigmoid outputs + binary cross-entropy, weights N(0, 1/n_in), biases N(0, 1); ${DEPTH_ROWS} digits.\n`);
    console.log(depthTables(result));
    if (html) console.log(`\nReport: ${await writeReport(html, { sections: [depthReportSection(result)] })}`);
  },
};
