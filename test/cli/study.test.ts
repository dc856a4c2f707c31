/**
 * The study commands as a user runs them: `study depth --json` prints the issue's shape with the
 * norms an independent float64 computation gives; `study --model --data` traces, diagnoses and
 * writes CSV and HTML; bad command lines get a one-line error.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnosis } from '../../src/flow/diagnose.js';
import { describe, expect, it } from 'vitest';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, firstRows, nielsenLambdaBound, NIELSEN_TRAINING, runDepthStudy } from '../../src/studies/depth.js';
import { runPlateauStudy } from '../../src/studies/plateau.js';
import type { Matrix } from '../../src/data/matrix.js';
import { LATER_METRICS, LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork, Network } from '../../src/api/network.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';
import { runCli, runCliInProcess, type CliRun } from '../util/cli.js';
import { flat, printedTable } from '../util/printed-text.js';
import { main } from '../../src/cli/cli.js';
import { loadCheckpoint, loadModel, saveModel } from '../../src/io/files.js';
import { ADAM_DEFAULTS } from '../../src/optimizer-defaults.js';
import { createOptimizer } from '../../src/optim/index.js';
import { equalisingLayerRates } from '../../src/optim/layer-rates.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { EPOCH_CELLS, expectCsvMatchesJson, readTraceCsv } from '../util/trace-csv.js';
import { reportPageData } from '../util/report-data.js';
import { proseHtml } from '../../src/flow/report-html.js';
import { percentText } from '../../src/percent-text.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { NOT_MEASURED_AT_INIT, STUDY_MODEL_RUN_LABEL } from '../../src/cli/commands/study-model.js';
import { escapeHtml } from '../../src/flow/svg.js';
import { givenFloat32Text } from '../../src/number-text.js';
import { codeQuoteOn, quoteOn, quotePattern } from '../util/page-quotes.js';
import { depthJSON } from '../../src/cli/commands/study-depth.js';
import { jsonLine } from '../../src/cli/command.js';
import { depthEpochTable, depthInitialisationTable, depthTrainingTable } from '../../src/studies/depth-report.js';
import { VERDICT_FIGURE_HEADING, verdictCell } from '../../src/flow/diagnose.js';
import { WALL_SECONDS } from '../../src/studies/trainable-depth-report.js';
import { lossChangeText, lossText } from '../../src/loss-text.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-study-'));

describe('gradscope study depth --json', () => {
  // A large λ (η·λ/n = 0.05 per epoch) so that decayed biases, or a missing or mis-scaled decay, move
  // the recorded norms by percents, far above float32 rounding.
  const lambda = 500;
  const epochs = 4;

  /**
   * Nielsen's network2.py in float64, written out by hand: per epoch the average ∂C/∂b of each hidden
   * layer over the batch, then w ← (1 − η·λ/n)·w − η·∂C/∂w, b ← b − η·∂C/∂b.
   */
  async function nielsenByHand(sizes: number[], seed: number, x: Matrix, y: Matrix): Promise<number[][]> {
    const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS, backend: 'ref' });
    const eta = NIELSEN_TRAINING.learningRate;
    const norms: number[][] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const { layers } = net.gradients(x, y);
      norms.push(layers.slice(0, -1).map((layer) => layer.biasNorm));
      for (const p of net.parameters()) {
        const g = p.weightMatrix ? layers[p.group].weights : layers[p.group].biases;
        const shrink = p.weightMatrix ? 1 - (eta * lambda) / x.rows : 1;
        net.kernels.write(p.value, Float64Array.from(net.kernels.view(p.value), (v, j) => shrink * v - eta * g[j]));
      }
    }
    net.dispose();
    return norms;
  }

  it("prints the issue's shape: sizes, biasGradNorms (seed mean), seedRatios, training { epochs, biasGradNorms } — each matching float64", async () => {
    const { code, stdout, stderr } = runCli(['study', 'depth', '--json', '--seeds', '3', '--epochs', String(epochs), '--lambda', String(lambda)]);
    expect(code, stderr).toBe(0);
    type Printed = { sizes: number[]; biasGradNorms: number[]; perSeed: number[][]; seedRatios: number[]; training: { epochs: number[]; biasGradNorms: number[][] } };
    const printed = JSON.parse(stdout) as { rows: number; seeds: number; epochs: number; learningRate: number; lambda: number; networks: Printed[] };
    expect(printed).toMatchObject({ rows: DEPTH_ROWS, seeds: 3, epochs, learningRate: NIELSEN_TRAINING.learningRate, lambda });
    expect(printed.networks.map((n) => n.sizes)).toEqual(DEPTH_NETWORKS);
    for (const n of printed.networks) {
      expect(Object.keys(n)).toEqual(['sizes', 'biasGradNorms', 'biasGradNormsStd', 'perSeed', 'seedRatios', 'training']);
      const hidden = n.sizes.length - 2;
      expect(n.biasGradNorms).toHaveLength(hidden);
      expect(n.seedRatios).toHaveLength(3);
      expect(n.training.epochs).toEqual([0, 1, 2, 3]);
      n.training.biasGradNorms.forEach((norms) => expect(norms).toHaveLength(hidden));
      // The vanishing gradient itself: each hidden layer learns slower than the next.
      for (let l = 0; l + 1 < hidden; l++) expect(n.biasGradNorms[l]).toBeLessThan(n.biasGradNorms[l + 1]);
    }
    const digits = await loadMnist();
    const probe = firstRows(digits.train.x, digits.train.y, DEPTH_ROWS);
    const close = (got: number, want: number, what: string) => expect(Math.abs(got - want) / want, `${what}: ${got} vs ${want}`).toBeLessThan(1e-4);
    for (const index of [1, 3]) {
      const sizes = DEPTH_NETWORKS[index];
      const n = printed.networks[index];
      // At initialisation, per seed, recomputed in float64 on the reference backend.
      const perSeed: number[][] = [];
      for (const seed of [1, 2, 3]) {
        const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS, backend: 'ref' });
        perSeed.push(net.gradients(probe.x, probe.y).layers.slice(0, -1).map((layer) => layer.biasNorm));
        net.dispose();
      }
      perSeed.forEach((norms, s) => close(n.seedRatios[s], norms[0] / norms[norms.length - 1], `[${sizes}] seed ${s + 1} ratio`));
      // Each seed's own norms, which the ± over seeds is of (newuser50 #2: --json left both out).
      perSeed.forEach((norms, s) => norms.forEach((v, l) => close(n.perSeed[s][l], v, `[${sizes}] seed ${s + 1} layer ${l + 1}`)));
      n.biasGradNorms.forEach((v, l) => close(v, (perSeed[0][l] + perSeed[1][l] + perSeed[2][l]) / 3, `[${sizes}] mean layer ${l + 1}`));
      // Along Nielsen's training (seed 1), against his update written out by hand.
      const want = await nielsenByHand(sizes, 1, probe.x, probe.y);
      want.forEach((norms, e) => norms.forEach((v, l) => close(n.training.biasGradNorms[e][l], v, `[${sizes}] epoch ${e} layer ${l + 1}`)));
    }
  });

  // newuser50 #2: the JSON held the means, the ratios and the norms alone, not the ± over seeds, the cross-entropy, the test
  // accuracy or the verdicts the tables print. Each cell printed, written from the JSON as the table writes it from the result.
  it('holds every number its tables print: each cell again from the JSON', async () => {
    const result = await runDepthStudy({ seeds: 2, epochs: 2 });
    type Training = { epochs: number[]; biasGradNorms: number[][]; losses: number[]; initialLoss: number; finalLoss: number; testAccuracy: number; seconds: number; diagnosis: Diagnosis };
    type Printed = { sizes: number[]; biasGradNorms: number[]; biasGradNormsStd: number[]; perSeed: number[][]; training: Training };
    const printed = (JSON.parse(jsonLine(depthJSON(result))) as { networks: Printed[] }).networks;
    const init = depthInitialisationTable(result);
    printed.forEach((n, i) => {
      const cells = n.biasGradNorms.map((m, l) => `${m.toExponential(2)} ± ${n.biasGradNormsStd[l].toExponential(0)}`);
      expect(init.rows[i].slice(1, 1 + cells.length)).toEqual(cells);
      // The ± is the sample standard deviation of the seeds' own norms, the JSON's perSeed (of two: their difference ÷ √2).
      n.perSeed[0].forEach((_, l) => expect(n.biasGradNormsStd[l]).toBeCloseTo(Math.abs(n.perSeed[0][l] - n.perSeed[1][l]) / Math.SQRT2, 12));
    });
    const { header, rows } = depthTrainingTable(result);
    const column = (name: string) => header.indexOf(name);
    printed.forEach((n, i) => {
      const t = n.training;
      expect(rows[i][column('cross-entropy start → end')]).toBe(lossChangeText(t.initialLoss, t.finalLoss));
      expect(rows[i][column('test accuracy')]).toBe(percentText(t.testAccuracy));
      expect(rows[i][column(VERDICT_FIGURE_HEADING)]).toBe(verdictCell(t.diagnosis));
      expect(rows[i][column(WALL_SECONDS)]).toBe(t.seconds.toFixed(1));
      expect(t.losses).toHaveLength(t.epochs.length);
    });
    // The deepest network's epochs: the over-epochs table's cross-entropy column, from the JSON's losses.
    const overEpochs = depthEpochTable(result)!;
    const deepest = printed.at(-1)!.training;
    expect(overEpochs.rows.map((row) => row.at(-1))).toEqual(overEpochs.rows.map((row) => lossText(deepest.losses[deepest.epochs.indexOf(Number(row[0]))])));
  });

  it('with one seed prints each measured value alone: no "± 0e+0" and no "[a – a]" range', async () => {
    const { code, stdout } = await runCliInProcess(['study', 'depth', '--seeds', '1', '--epochs', '1']);
    expect(code).toBe(0);
    const table = stdout.slice(0, stdout.indexOf('Full-batch'));
    expect(table).toContain('First ÷ last: the ratio;');
    expect(table).toMatch(/\[784,30,30,10\] +[\d.e+-]+ +[\d.e+-]+ +[\d.]+ +0\.21\n/);
    expect(table).not.toMatch(/±|–/);
  });

  // npm start --epochs 1 --seeds 1 printed "1 epochs" and Nielsen's epoch 0 → 499 beside our epoch 0 → 0.
  // The main job is stopped as it starts study (b): its studies (b) and (c), which this does not check
  // and no flag of its shrinks, took it to 351 s at load 16 (2026-12-01; study depth alone 12.5 s),
  // past this test's timeout.
  it("with one epoch: '1 epoch', and Nielsen's ratio only at his epoch 0, saying why his epoch 499 is left out", async () => {
    for (const args of [['study', 'depth'], []]) {
      const { code, stdout, stderr } = args.length ? await runCliInProcess([...args, '--seeds', '1', '--epochs', '1']) : await mainJobStudyA(['--seeds', '1', '--epochs', '1', '--width', '2', '--html', join(folder, 'one-epoch.html')]);
      expect(code, stderr).toBe(args.length ? 0 : 1);
      expect(stdout).toContain("1 epoch (seed 1):");
      expect(stdout).not.toMatch(/\b1 epochs\b/);
      const training = stdout.slice(stdout.indexOf('Full-batch'));
      // The headings (wrapped to READING_WIDTH) name the epochs once: 'first ÷ last,' over 'epoch 0', 'epoch' over '0', 'Nielsen's,' over 'epoch 0'.
      expect(training).toMatch(/^ +first ÷ last, +epoch +Nielsen's, +cross-entropy/m);
      expect(training).toMatch(/^network +epoch 0 +0 +epoch 0 +start → end/m);
      expect(training).toMatch(/^\[784,30,30,10\] +0\.\d+ +0\.\d+ +0\.21 +\d/m);
      expect(training).not.toContain('0.21 → 0.36');
      expect(flat(training)).toContain("Nielsen's ratios at his last epoch (499) are left out: this run's last epoch is 0, so they would not compare like for like");
    }
  }, 300_000);

  it('refuses a negative --lambda with one line and exit 2 (a command-line error)', async () => {
    const bad = await runCliInProcess(['study', 'depth', '--lambda', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lambda must be ≥ 0, got '-1'/);
  });

  it("refuses a --lambda whose decay factor 1 − ηλ/n is below 0, before any work, as the library does (1e300 trained until a DIVERGED that blamed no flag; the plateau study's after 35 s)", async () => {
    const bound = nielsenLambdaBound();
    expect(bound.max).toBe(DEPTH_ROWS / NIELSEN_TRAINING.learningRate);
    for (const study of ['depth', 'plateau']) {
      const refused = await runCliInProcess(['study', study, '--lambda', '1e300']);
      expect([refused.code, refused.stdout], study).toEqual([2, '']);
      expect(refused.stderr).toBe(`gradscope: --lambda must be ≤ 10,000 (${bound.why}), got '1e300'\n`);
    }
    await expect(runDepthStudy({ lambda: 10_001 })).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/^depth study: lambda/) });
    await expect(runPlateauStudy({ lambda: 301, rows: 30 })).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/^plateau study: lambda/) });
  });
});

/**
 * The main job's output up to the end of study (a): its terminal refuses the heading of study (b),
 * which ends the run there (exit 1, an internal error naming STUDY_A_ONLY; checked).
 */
async function mainJobStudyA(args: string[]): Promise<CliRun> {
  const STUDY_A_ONLY = 'stopped by the test once study (a) is printed';
  let stdout = '';
  let stderr = '';
  const out = (text: string) => {
    if (text.includes('Study (b)')) throw new Error(STUDY_A_ONLY);
    stdout += text;
  };
  const code = await main(args, { out, err: (text) => void (stderr += text), live: false });
  expect(stderr.trimEnd().split('\n').at(-1)).toBe(`gradscope: internal error (a bug; please report it): Error: ${STUDY_A_ONLY}`);
  expect(stderr.trimEnd().split('\n').at(-1)).toMatch(quotePattern(codeQuoteOn('docs/reliability.md', 'gradscope: internal error'))); // as the page quotes it
  return { code, stdout, stderr };
}

describe('gradscope study --model --data', async () => {
  const { inputs, targets, net, modelPath, dataPath } = await writeStudyModelFiles(folder, 51);

  it('traces, diagnoses, prints loss and accuracy from start to end, and writes the CSV and the report', () => {
    const csv = join(folder, 'trace.csv');
    const html = join(folder, 'report.html');
    const args = ['study', '--model', modelPath, '--data', dataPath, '--epochs', '3', '--batch-size', '10', '--every', '2', '--csv', csv, '--html', html];
    const { code, stdout, stderr } = runCli(args);
    // Not a terminal: progress is a plain line per tenth of the epochs, on stderr.
    expect(stderr.trimEnd().split('\n').map((line) => line.replace(/, loss .*/, ''))).toEqual(['training: 33 %', 'training: 67 %', 'training: 100 %']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[6,8,8,8,2\] on 30 rows, 3 epochs, 5 traced steps\.\n/);
    // (The trace tables fit READING_WIDTH, in a file too: headers over several lines, columns in parts; read whole.)
    expect(printedTable(stdout, 'At the first step (step 1):').header.slice(0, 2)).toEqual(['layer', '‖∂C/∂W‖']);
    // The last table's heading names its step (9); its chain columns are of step 1, whose ‖W‖₂ is the last measured (every 5th record), and say so.
    expect(printedTable(stdout, 'At the last traced step (step 9):').header).toEqual(expect.arrayContaining(['factor ‖δˡ‖/‖δˡ⁺¹‖ (step 1: the last with ‖W‖₂)', "bound max σ'·‖Wˡ⁺¹‖₂ (step 1)"]));
    expect(stdout).toMatch(/Loss and accuracy on all 30 rows, from start to end:\nepoch +loss +accuracy\n[─ ]+\n0 +\d\.\d+ +\d+\.\d %\n1 .*\n2 .*\n3 +\d\.\d+ +\d+\.\d %\n/);
    expect(stdout).toMatch(/Diagnosis: (VANISHING|EXPLODING|DEAD|SATURATED|HEALTHY)/);
    // 3 epochs × 3 batches = 9 steps, every 2nd from the first: 5 records × 4 layers, and a row for each epoch (ending at steps 3, 6 and 9).
    const written = readTraceCsv(readFileSync(csv, 'utf8'));
    // A dense model's trace records no batch norm's flatFraction, which it then leaves out (LATER_METRICS).
    const recorded = LAYER_METRIC_NAMES.filter((name) => !(LATER_METRICS as readonly string[]).includes(name));
    expect(written.header).toEqual(['step', 'epoch', 'layer', 'loss', 'accuracy', 'batchRows', ...recorded, ...EPOCH_CELLS]);
    expect(written.steps.map((row) => `${row.step}:${row.epoch}`)).toEqual(['1:1', '3:1', '5:2', '7:3', '9:3'].flatMap((s) => [s, s, s, s]));
    expect(written.epochs.map((row) => `${row.step}:${row.epoch}`)).toEqual(['3:1', '6:2', '9:3']);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>.*data-verdict="(vanishing|exploding|dead|saturated|healthy)"/s);
    // One section headed by the model and the data; its run headed by what it holds, not by the same words again (newuser29); this
    // run's diagnosis asks the curvature question, so the report ends with its one section on how to measure it (newuser49 #7).
    expect([...page.matchAll(/<h([23])>([^<]*)<\/h\1>/g)].map(([, level, text]) => `h${level} ${text}`)).toEqual([
      `h2 ${escapeHtml(`${modelPath} on ${dataPath}`)}`,
      `h3 ${STUDY_MODEL_RUN_LABEL}`,
      'h2 Measuring the curvature where a run stopped',
    ]);
  });

  it("--html carries how the run was trained and every table and notice the terminal prints, cell for cell (it had only the charts: no 'adam', no rate, no halving)", async () => {
    /** The rows of every table in `html`, each as its non-empty cells joined by '|' (entities decoded, non-breaking spaces as spaces). */
    const decode = (text: string) => text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\u00a0|\u202f/g, ' ');
    const htmlRows = (html: string) => [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<t[dh]>(.*?)<\/t[dh]>/g)].map(([, c]) => decode(c)).filter(Boolean).join('|'));
    for (const [flags, said] of [
      [['--optimizer', 'adam', '--batch-size', '10'], 'adam, learning rate 0.001 (adam\'s default), batches of 10'],
      [['--batch-size', '10', '--learning-rate', '10000000', '--on-non-finite', 'halve'], '--on-non-finite halve halved the learning rate'],
    ] as const) {
      const html = join(folder, 'account.html');
      const { code, stdout } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--html', html, ...flags]);
      expect(code).toBe(0);
      const page = readFileSync(html, 'utf8');
      const text = decode(page);
      const lines = stdout.split('\n');
      expect(stdout).toContain(said);
      // The run's line and every notice, word for word.
      const diagnosisAt = lines.findIndex((line) => line.startsWith('Diagnosis: '));
      const before = lines.slice(0, diagnosisAt);
      for (const line of before.filter((l) => l && !l.startsWith('─') && !/ {2}/.test(l) && !/^\d/.test(l))) expect(text).toContain(line);
      // Every table: its caption, its header and each row, cell for cell (printed at READING_WIDTH, a table's headers may
      // take several lines and its columns several parts: each is read whole), and every part printed is one of theirs.
      const rows = new Set(htmlRows(page));
      const captions = [...page.matchAll(/<caption>(.*?)<\/caption>/g)].map(([, caption]) => decode(caption));
      expect(captions.length).toBe(4); // the loss, the first step's, the last full batch's, and ‖∂C/∂b‖ over training (8b87df31)
      const tables = captions.map((caption) => printedTable(stdout, caption));
      for (const table of tables) for (const cells of [table.header, ...table.rows]) expect(rows).toContain(cells.filter(Boolean).join('|'));
      expect(tables.reduce((parts, table) => parts + table.parts, 0)).toBe(before.filter((line) => line.startsWith('─')).length);
    }
  });

  it('counts one epoch and one traced step in the singular, and prints that step\'s table once (it printed it as the first and again as the last)', async () => {
    const { code, stdout } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '30']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[6,8,8,8,2\] on 30 rows, 1 epoch, 1 traced step\.\n/);
    expect(stdout.match(/^layer +‖∂C\/∂W‖/gm)).toHaveLength(1);
    expect(printedTable(stdout, 'At the only traced step (step 1):').header[0]).toBe('layer');
    expect(stdout).not.toMatch(/At the (first|last traced) step/);
  });

  it("--epochs 0 traces one step's gradients at the model's weights, no update: the first --batch-size rows' gradients, each table once, what it cannot measure said", async () => {
    const saved = join(folder, 'at-init.json');
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '0', '--batch-size', '10', '--save', saved]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // (Its sentences wrap at READING_WIDTH, in a file too: read across their lines.)
    const opening = `[6,8,8,8,2] on 30 rows, 0 epochs: 1 traced step at the model's weights as they are, the gradients of its first 10 rows (one batch, in their order), no update made. sgd, learning rate 0.1 (sgd's default), batches of 10, seed 1. ${NOT_MEASURED_AT_INIT} `;
    expect(flat(stdout).slice(0, opening.length)).toBe(opening);
    expect(stdout).toMatch(/\nLoss and accuracy on all 30 rows at the model's weights:\nepoch +loss +accuracy\n[─ ]+\n0 +\d\.\d+ +\d+\.\d %\n\n/);
    expect(stdout.match(/^layer +‖∂C\/∂W‖/gm)).toHaveLength(1);
    expect(printedTable(stdout, 'At the only traced step (step 1):').header[0]).toBe('layer');
    expect(stdout).toMatch(/\nDiagnosis: (VANISHING|EXPLODING|DEAD|SATURATED|HEALTHY)\b/);
    // Nothing in the diagnosis's summary reads an epoch: there are none.
    expect(stdout.slice(stdout.indexOf('\nDiagnosis: '), stdout.indexOf('What to try:'))).not.toMatch(/epoch|training/i);
    // Nothing moved: the model saved is the one read.
    const read = await loadModel(modelPath); // a model file (toJSON's): no checkpoint
    const kept = await loadCheckpoint(saved);
    expect(kept.network.toJSON()).toEqual(read.toJSON());
    // The trace is the gradients of the first 10 rows at those weights (net.gradients), with no update measured.
    const json = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '0', '--batch-size', '10', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const printed = JSON.parse(json.stdout);
    const trace = Trace.fromJSON(printed.trace);
    expect([...trace.steps]).toEqual([1]);
    expect(trace.epochs).toEqual([]);
    expect(printed.curve).toHaveLength(1);
    expect(trace.run).toMatchObject({ optimizer: 'sgd', learningRate: 0.1, batchSize: 10 });
    const gradients = read.gradients(inputs.slice(0, 10), targets.slice(0, 10));
    gradients.layers.forEach((layer, l) => {
      expect(trace.at('biasGradNorm', 0, l)).toBeCloseTo(layer.biasNorm, 6);
      expect(trace.at('weightGradNorm', 0, l)).toBeCloseTo(layer.weightNorm, 6);
      expect(trace.at('updateRatio', 0, l)).toBeNaN();
    });
    expect(trace.losses[0]).toBeCloseTo(gradients.loss, 6);
    expect(printed.diagnosis.evidence.training).toBeUndefined();
    read.dispose();
    kept.network.dispose();
  });

  it('prints the diagnosis and the trace as JSON', () => {
    const { code, stdout } = runCli(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '30', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed.trace.format).toBe('gradscope.trace');
    expect(printed.trace.steps).toEqual([1]);
    expect(printed.trace.metrics.biasGradNorm[0]).toHaveLength(4);
    expect(['vanishing', 'exploding', 'dead', 'saturated', 'healthy']).toContain(printed.diagnosis.verdict);
    expectTraceInvariants(Trace.fromJSON(printed.trace), 'study --json');
  });

  it('writes --csv as --json prints the trace: every step row and every epoch row, value for value', async () => {
    const csv = join(folder, 'trace-and-json.csv');
    const run = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '4', '--batch-size', '8', '--every', '3', '--json', '--csv', csv]);
    expect(run.code, run.stderr).toBe(0);
    const { trace, curve } = JSON.parse(run.stdout) as { trace: TraceJSON; curve: { loss: number; accuracy: number }[] };
    expect(trace.epochs).toHaveLength(4);
    expectCsvMatchesJson(readFileSync(csv, 'utf8'), trace);
    // Each epoch row's validation is the learning curve's point after that epoch (study --model validates on the checked rows).
    expect(readTraceCsv(readFileSync(csv, 'utf8')).epochs.map((row) => [Number(row.validationLoss), Number(row.validationAccuracy)])).toEqual(curve.slice(1).map((p) => [p.loss, p.accuracy]));
  });

  it('prints the same start-to-end loss and accuracy as evaluate() before and after the same training', async () => {
    const run = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10', '--json']);
    expect(run.code).toBe(0);
    const { curve } = JSON.parse(run.stdout) as { curve: { loss: number; accuracy: number }[] };
    const twin = await Network.fromJSON(net.toJSON());
    expect(curve[0]).toEqual(twin.evaluate(inputs, targets));
    twin.train(inputs, targets, { epochs: 2, batchSize: 10, learningRate: 0.1 });
    expect(curve).toHaveLength(3);
    expect(curve[2]).toEqual(twin.evaluate(inputs, targets));
    twin.dispose();
  });

  /** The curve of `study --json` with `flags`, and its twin's: the same model trained by train() with `options` (seed `seed`). */
  async function curveAndTwin(flags: string[], options: Record<string, unknown>, seed = 1) {
    const run = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10', '--json', ...flags]);
    expect(run.code, run.stderr).toBe(0);
    const twin = await Network.fromJSON(net.toJSON(), { seed });
    twin.train(inputs, targets, { epochs: 2, batchSize: 10, ...options });
    const end = twin.evaluate(inputs, targets);
    twin.dispose();
    return { curve: (JSON.parse(run.stdout) as { curve: { loss: number; accuracy: number }[] }).curve, end };
  }

  it("trains at the optimiser's own learning rate without --learning-rate (Adam 1e-3, not SGD's 0.1), and says so", async () => {
    const { curve, end } = await curveAndTwin(['--optimizer', 'adam'], { optimizer: 'adam', learningRate: ADAM_DEFAULTS.learningRate });
    expect(curve[2]).toEqual(end);
    const printed = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--optimizer', 'adam']);
    expect(flat(printed.stdout)).toContain(" adam, learning rate 0.001 (adam's default), batches of 30 (--batch-size 32 capped at the 30 rows), seed 1. ");
    const given = await curveAndTwin(['--optimizer', 'adam', '--learning-rate', '0.1'], { optimizer: 'adam', learningRate: 0.1 });
    expect(given.curve[2]).toEqual(given.end);
  });

  it('--drop-last leaves out the short last batch, which batch norm refuses at 1 row (30 rows at --batch-size 29) and takes at 2 (at 28)', async () => {
    const blocks = await createNetwork({ inputs: 6, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 2 });
    const blocksPath = join(folder, 'batch-norm-model.json');
    writeFileSync(blocksPath, JSON.stringify(blocks.toJSON()));
    blocks.dispose();
    const args = ['study', '--model', blocksPath, '--data', dataPath, '--epochs', '2', '--batch-size', '29'];
    // An optimiser that trains dense layers only is the first fault named: exit 2, before any work.
    const denseOnly = await runCliInProcess([...args, '--optimizer', 'kfac']);
    expect(denseOnly.code).toBe(2);
    // In the flags' terms, not the API's (createNetwork({ sizes }), 'lbfgs' quoted as a value).
    expect(denseOnly.stderr).toBe(
      'gradscope: --optimizer kfac trains networks of dense layers only, and this one is made of layer specs (norm layers or residual blocks: --norm, --residual-gate); choose another --optimizer (all but layer-rates and kfac train any layer)\n',
    );
    expect(denseOnly.stderr).toContain(quoteOn('docs/second-order.md', '--optimizer kfac trains').replace(' …', ''));
    expect(denseOnly.stdout).toBe('');
    const refused = await runCliInProcess(args);
    // The command line's fault, refused before any work as the README promises: exit 2, naming the flags.
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^gradscope: --batch-size 29: with 30 rows in .*data\.json, the last batch has 1 row, but batch norm in training needs at least 2 per batch \(one row's variance is 0.*\); give --drop-last .* or a --batch-size that leaves 0 or at least 2 rows over\n$/);
    expect(refused.stdout).toBe('');
    const oneRow = await runCliInProcess(['study', '--model', blocksPath, '--data', dataPath, '--batch-size', '1', '--drop-last']);
    expect(oneRow.code).toBe(2);
    expect(oneRow.stderr).toMatch(/^gradscope: --batch-size 1: with 30 rows in .*, every batch has 1 row, but batch norm in training needs at least 2 per batch .*; choose a --batch-size of at least 2\n$/);
    const dropped = await runCliInProcess([...args, '--drop-last', '--json']);
    expect(dropped.code, dropped.stderr).toBe(0);
    const { trace } = JSON.parse(dropped.stdout) as { trace: { steps: number[] } };
    expect(trace.steps).toEqual([1, 2]); // one batch of 29 per epoch
    // A last batch of 2 rows trains, as a batch of 2 does: two batches per epoch.
    const twoRows = await runCliInProcess([...args.slice(0, -1), '28', '--json']);
    expect(twoRows.code, twoRows.stderr).toBe(0);
    expect((JSON.parse(twoRows.stdout) as { trace: { steps: number[] } }).trace.steps).toEqual([1, 2, 3, 4]);
  });

  it('says that levenberg-marquardt chooses its own steps, not that it trains at a learning rate it does not use', async () => {
    const mse = await createNetwork({ sizes: [6, 4, 2], output: 'linear', loss: 'mse', seed: 2 });
    const msePath = join(folder, 'mse-model.json');
    writeFileSync(msePath, JSON.stringify(mse.toJSON()));
    mse.dispose();
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', msePath, '--data', dataPath, '--epochs', '1', '--batch-size', '30', '--optimizer', 'levenberg-marquardt']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/\nlevenberg-marquardt, its own steps, batches of 30, seed 1\.\n/);
    expect(stdout).not.toMatch(/learning rate 1\b/);
  });

  it("takes the remedies study's names (sgd-momentum, nesterov, layer-rates) and --momentum, as the same optimisers", async () => {
    const momentum = await curveAndTwin(['--optimizer', 'sgd-momentum'], { optimizer: { name: 'sgd', momentum: 0.9 } });
    expect(momentum.curve[2]).toEqual(momentum.end);
    const nesterov = await curveAndTwin(['--optimizer', 'nesterov', '--momentum', '0.5'], { optimizer: { name: 'sgd', momentum: 0.5, nesterov: true } });
    expect(nesterov.curve[2]).toEqual(nesterov.end);
    // layer-rates trains with momentum 0.9 and the rates equalisingLayerRates measures on the training rows before training, and says both.
    const measuredOn = await Network.fromJSON(net.toJSON());
    const measured = equalisingLayerRates(measuredOn, { x: inputs, y: targets });
    measuredOn.dispose();
    const rates = await curveAndTwin(['--optimizer', 'layer-rates'], { optimizer: { name: 'sgd', momentum: 0.9, layerRates: measured } });
    expect(rates.curve[2]).toEqual(rates.end);
    const plain = await curveAndTwin(['--optimizer', 'sgd-momentum'], {});
    expect(rates.curve[2]).not.toEqual(plain.curve[2]);
    // The line after the run's, read across its lines (it wraps at READING_WIDTH, in a file too).
    const said = async (choice: string) => {
      const { stdout } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--optimizer', choice]);
      return flat(stdout.split('\n\n')[0]).split(/ traced steps?\. /)[1].trim();
    };
    const shown = measured.map((r) => Number(r.toPrecision(3)));
    expect(shown.some((r) => r !== 1)).toBe(true);
    expect(await said('layer-rates')).toBe(
      `layer-rates, momentum 0.9, per-layer rates [${shown.join(', ')}] (one per weight layer, hidden layer 1 first and the output layer last: the last hidden layer's ‖∂C/∂W‖ ÷ each hidden layer's, the output layer's 1; measured on the 30 training rows before training), learning rate 0.1 (sgd's default), batches of 10, seed 1.`,
    );
    expect(await said('sgd-momentum')).toBe("sgd-momentum, momentum 0.9, learning rate 0.1 (sgd's default), batches of 10, seed 1.");
    const refused = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'adam', '--momentum', '0.5']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("gradscope: --optimizer adam --momentum 0.5: adam takes no --momentum (its beta1 plays that part, and no flag sets it)\n");
  });

  it("passes --norm-constraint to kfac as normConstraint (0: off), says so, and refuses it beside an optimiser without one", async () => {
    // Batch 10 on the [6, 8, 8, 8, 2] sigmoid net: the default 0.01 binds, so 0.5 and 0 train differently.
    const loose = await curveAndTwin(['--optimizer', 'kfac', '--norm-constraint', '0.5'], { optimizer: { name: 'kfac', normConstraint: 0.5 } });
    expect(loose.curve[2]).toEqual(loose.end);
    const off = await curveAndTwin(['--optimizer', 'kfac', '--norm-constraint', '0'], { optimizer: { name: 'kfac', normConstraint: 0 } });
    expect(off.curve[2]).toEqual(off.end);
    const byDefault = await curveAndTwin(['--optimizer', 'kfac'], { optimizer: 'kfac' });
    expect(byDefault.curve[2]).not.toEqual(off.curve[2]);
    expect(byDefault.curve[2]).not.toEqual(loose.curve[2]);
    const printed = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--optimizer', 'kfac', '--norm-constraint', '0.5']);
    expect(flat(printed.stdout)).toContain(" kfac, norm constraint 0.5, learning rate 1 (kfac's default), batches of 30 (--batch-size 32 capped at the 30 rows), seed 1. ");
    const refused = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'adam', '--norm-constraint', '0.5']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('gradscope: --optimizer adam --norm-constraint 0.5: adam takes no --norm-constraint\n');
    const negative = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'kfac', '--norm-constraint', '-1']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/--norm-constraint/);
  });

  it('says what it trained with: the choice, a --momentum given, the rate given or whose default it is, or that the optimiser takes none', async () => {
    // (Read across its lines: it wraps at READING_WIDTH, in a file too.)
    const printed = async (flags: string[]) => flat((await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', ...flags])).stdout);
    expect(await printed(['--optimizer', 'nesterov', '--momentum', '0.5', '--learning-rate', '0.2', '--batch-size', '10', '--seed', '3'])).toContain(' nesterov, momentum 0.5, learning rate 0.2, batches of 10, seed 3. ');
    expect(await printed([])).toContain(" sgd, learning rate 0.1 (sgd's default), batches of 30 (--batch-size 32 capped at the 30 rows), seed 1. ");
    // Without --batch-size Hessian-free takes its own batch (wantedBatchSize), capped at the rows as any; with it, the one given.
    expect(await printed(['--optimizer', 'hessian-free'])).toContain(" hessian-free, its own steps, batches of 30 (hessian-free's own 1,000 capped at the 30 rows; no --batch-size given), seed 1. ");
    expect(await printed(['--optimizer', 'hessian-free', '--batch-size', '32'])).toContain(' hessian-free, its own steps, batches of 30 (--batch-size 32 capped at the 30 rows), seed 1. ');
  });

  it('shuffles the batches by --seed', async () => {
    const seeded = await curveAndTwin(['--seed', '7'], {}, 7);
    expect(seeded.curve[2]).toEqual(seeded.end);
    const first = await curveAndTwin([], {});
    expect(seeded.curve[2]).not.toEqual(first.curve[2]);
  });

  it('runs on --backend ref as on wasm (float64 against float32), and saves the trained model with --save', async () => {
    const saved = join(folder, 'trained.json');
    const [ref, wasm] = [
      await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10', '--json', '--backend', 'ref']),
      await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10', '--save', saved]),
    ];
    expect(ref.code, ref.stderr).toBe(0);
    expect(wasm.code, wasm.stderr).toBe(0);
    expect(wasm.stdout).toMatch(/\nModel: .*trained\.json\n/);
    const refEnd = (JSON.parse(ref.stdout) as { curve: { loss: number }[] }).curve[2].loss;
    const { network: trained, checkpoint } = await loadCheckpoint(saved);
    // With its optimiser state, as saveModel saves it: the optimiser's name and the steps it took.
    expect(checkpoint.optimizer?.name).toBe('sgd');
    expect(checkpoint.optimizer?.scalars.step).toBe(checkpoint.step);
    expect(checkpoint.step).toBeGreaterThan(0);
    const end = trained.evaluate(inputs, targets);
    trained.dispose();
    expect(Math.abs(end.loss - refEnd)).toBeLessThan(1e-5);
    const { end: twinEnd } = await curveAndTwin([], {});
    expect(end).toEqual(twinEnd);
  });

  // A checkpoint's optimiser state is not resumed by study --model: it says so, in words and in --json, never silently.
  it("says that a saved optimiser's state is not used and what it trains with instead", async () => {
    const withAdam = join(folder, 'with-adam.json');
    const adamNet = await createNetwork({ sizes: [6, 8, 2], seed: 4 });
    const adam = createOptimizer(adamNet, 'adam');
    adamNet.train(inputs, targets, { epochs: 1, batchSize: 10, optimizer: adam });
    await saveModel(adamNet, withAdam, { optimizer: adam });
    adam.dispose();
    adamNet.dispose();
    const notUsed = (trains: string) => `${withAdam} holds adam's optimiser state (3 steps), which study --model does not resume: this run trains with a fresh ${trains}.`;
    const fresh = await runCliInProcess(['study', '--model', withAdam, '--data', dataPath, '--epochs', '1', '--batch-size', '10']);
    expect(fresh.code, fresh.stderr).toBe(0);
    // The paragraph's third sentence (each wraps at READING_WIDTH, in a file too).
    expect(flat(fresh.stdout.split('\n\n')[0]).split(' seed 1. ')[1]).toBe(notUsed('sgd (--optimizer)'));
    // docs/cli.md quotes it of a model.json, its N standing for the steps.
    expect(notUsed('sgd (--optimizer)')).toMatch(quotePattern(codeQuoteOn('docs/cli.md', "model.json holds adam's").replace('model.json', withAdam).replace(/\bN\b/, '3')));
    // --epochs 0 trains nothing: it said 'this run trains with a fresh sgd'.
    const none = await runCliInProcess(['study', '--model', withAdam, '--data', dataPath, '--epochs', '0', '--batch-size', '10']);
    expect(none.code, none.stderr).toBe(0);
    expect(flat(none.stdout)).toContain(`${withAdam} holds adam's optimiser state (3 steps), which study --model does not resume: this run takes no step (--epochs 0).`);
    const named = await runCliInProcess(['study', '--model', withAdam, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--optimizer', 'adam', '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).optimizer).toEqual({ name: 'adam', savedState: { name: 'adam', steps: 3, stepsOf: 'state', used: false } });
    // A model without optimiser state gets no such line, and --json says none was saved.
    const plain = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10']);
    expect(plain.stdout).not.toMatch(/optimiser state/);
    const plainJson = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--json']);
    expect(JSON.parse(plainJson.stdout).optimizer).toEqual({ name: 'sgd', savedState: null });
    // A checkpoint whose training section does not read was said to hold no state (savedState: null): refused, readCheckpoint's reason given.
    const damaged = JSON.parse(readFileSync(withAdam, 'utf8'));
    damaged.training.step = 'three';
    const damagedPath = join(folder, 'damaged-adam.json');
    writeFileSync(damagedPath, JSON.stringify(damaged));
    const refused = await runCliInProcess(['study', '--model', damagedPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--json']);
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toMatch(/^gradscope: BAD_MODEL_FILE: .*damaged-adam\.json: .*step.*\n$/);
  });

  // K-FAC counts its steps as `steps`, L-BFGS none: the line read `step` alone and said '(0 steps)' of both (newuser27).
  it.each([
    ['kfac', 3],
    ['lbfgs', 1],
  ])("counts the steps a saved %s state took", async (name, steps) => {
    const saved = join(folder, `with-${name}.json`);
    const savedNet = await createNetwork({ sizes: [6, 8, 2], seed: 4 });
    const optimizer = createOptimizer(savedNet, name);
    savedNet.train(inputs, targets, { epochs: 1, batchSize: name === 'lbfgs' ? inputs.length : 10, optimizer });
    await saveModel(savedNet, saved, { optimizer });
    optimizer.dispose();
    savedNet.dispose();
    const run = await runCliInProcess(['study', '--model', saved, '--data', dataPath, '--epochs', '0', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).optimizer.savedState).toEqual({ name, steps, stepsOf: name === 'lbfgs' ? 'network' : 'state', used: false });
    // L-BFGS's state counts no steps: the network's count was printed as the state's ('lbfgs's optimiser state (105 steps)' after 100 adam steps and 5 lbfgs).
    const said = await runCliInProcess(['study', '--model', saved, '--data', dataPath, '--epochs', '0']);
    expect(flat(said.stdout)).toContain(`${saved} holds ${name}'s optimiser state (${name === 'lbfgs' ? "saved after the network's 1 step" : '3 steps'}), which study --model does not resume`);
    // docs/cli.md quotes the words of a state that counts no steps, its N steps standing for the network's (1 step here).
    if (name === 'lbfgs') expect(flat(said.stdout)).toContain(codeQuoteOn('docs/cli.md', "saved after the network's").replace('N steps', '1 step'));
  });

  it('takes --data or the digits (--train, --test), not both: one line, exit 2', async () => {
    const both = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--train', '100']);
    expect([both.code, both.stdout, both.stderr]).toEqual([2, '', 'gradscope: --train counts the digits: leave it out with --data\n']);
    // Without --data the model meets the digits, whose 784 inputs this 6-input model does not take: said of the model and the digits, exit 1.
    const digits = await runCliInProcess(['study', '--model', modelPath, '--train', '100', '--test', '20', '--epochs', '1']);
    expect(digits.code).toBe(1);
    expect(digits.stderr).toMatch(/^gradscope: SHAPE_MISMATCH: \S+ takes 6 inputs and gives \d+ outputs?, but the digits have 784 pixels and 10 classes: give the rows it was made for with --data FILE$/m);
  });

  it('reads a binary checkpoint as --model and studies it as the JSON model', async () => {
    const binaryPath = join(folder, 'model.gsc');
    await saveModel(net, binaryPath);
    const args = ['--data', dataPath, '--epochs', '2', '--batch-size', '10', '--json'];
    const [fromJson, fromBinary] = [await runCliInProcess(['study', '--model', modelPath, ...args]), await runCliInProcess(['study', '--model', binaryPath, ...args])];
    expect(fromBinary.code).toBe(0);
    expect(JSON.parse(fromBinary.stdout).curve).toEqual(JSON.parse(fromJson.stdout).curve);
  });

  it('studies a block network: rows by module name, its residual blocks, the report and the CSV with names', async () => {
    const blocks = await createNetwork({
      inputs: 6,
      seed: 2,
      layers: [
        { type: 'dense', units: 8 },
        { type: 'batch-norm' },
        { type: 'activation', activation: 'tanh' },
        { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 8, activation: 'relu' }] },
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
    });
    const blockPath = join(folder, 'blocks.json');
    writeFileSync(blockPath, JSON.stringify(blocks.toJSON()));
    blocks.dispose();
    const csv = join(folder, 'blocks.csv');
    const html = join(folder, 'blocks.html');
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', blockPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10', '--csv', csv, '--html', html]);
    expect(code, stderr).toBe(0);
    expect(flat(stdout)).toMatch(/^6 inputs → dense 8 linear → batch-norm → activation tanh → residual rezero \[dense 8 relu\] → dense 2 softmax on 30 rows, 2 epochs, 6 traced steps\. /);
    const table = printedTable(stdout, 'At the first step (step 1):');
    const row = (name: string) => table.rows.find((cells) => cells[0] === name);
    expect(row("layers[0] ('0', dense) (linear)")).toBeDefined();
    expect(row(`${quoteOn('docs/gradient-flow.md', "layers[3].layers[0] ('4.branch.0', dense)")} (relu)`)).toBeDefined();
    // A row without a bias has no ratio to show.
    expect(row("layers[2] ('3', activation) (tanh)")!.slice(1, 5)).toEqual(['—', '—', expect.stringMatching(/^\S+$/), '—']);
    const residual = /Residual blocks at the last traced step \(step \d+\):/.exec(stdout)![0];
    const blocksTable = printedTable(stdout, residual);
    expect(blocksTable.header.slice(0, 3)).toEqual(['residual block', 'gate', 'RMS ‖∂C/∂x‖ via skip']);
    expect(blocksTable.rows[0].slice(0, 2)).toEqual([quoteOn('docs/gradient-flow.md', "layers[3] ('4', residual)"), 'rezero']);
    expect(stdout).toMatch(/Diagnosis: (VANISHING|EXPLODING|DEAD|SATURATED|HEALTHY)/);
    const written = readTraceCsv(readFileSync(csv, 'utf8'));
    expect(written.header).toEqual(['step', 'epoch', 'layer', 'loss', 'accuracy', 'batchRows', ...LAYER_METRIC_NAMES, 'path', 'name', 'type', ...EPOCH_CELLS]);
    expect(written.steps.slice(0, 6).map((row) => `${row.path} ${row.name} ${row.type}`)).toEqual(['layers[0] 0 dense', 'layers[1] 2 batch-norm', 'layers[2] 3 activation', 'layers[3] 4 residual', 'layers[3].layers[0] 4.branch.0 dense', 'layers[4] 5 dense']);
    expect(written.epochs.map((row) => row.epoch)).toEqual(['1', '2']);
    expect(readFileSync(html, 'utf8')).toMatch(/id="run-0-residual-0"/);
  });

  it("names the CLI's flags in a divergence's advice (--learning-rate, --clip-norm, --on-non-finite), not the API's options; train() itself names its options", async () => {
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--learning-rate', '1e9', '--epochs', '2', '--batch-size', '10']);
    expect(code).toBe(1);
    // The steps before it were traced: their run and diagnosis follow the DIVERGED line (study-model-diverged.test.ts).
    expect(flat(stdout.split('\n\n')[0])).toMatch(/: DIVERGED, stopped at epoch \d+, batch \d+ \(step \d+\), \d+ traced steps? before it\. /);
    const line = stderr.trimEnd().split('\n').pop()!;
    expect(line).toMatch(/^gradscope: DIVERGED: .*try a --learning-rate below 1e\+9, --clip-norm, or --on-non-finite halve; --on-non-finite skip if a few batches are outliers/);
    expect(line).toContain(codeQuoteOn('docs/reliability.md', 'try a --learning-rate below'));
    expect(line).not.toMatch(/learningRate|clipNorm|onNonFinite/);
    const twin = await Network.fromJSON(net.toJSON());
    expect(() => twin.train(inputs, targets, { learningRate: 1e9, epochs: 2, batchSize: 10 })).toThrow(/try a learningRate below 1e\+9, clipNorm, or onNonFinite 'halve'; onNonFinite 'skip' if a few batches are outliers/);
    twin.dispose();
  });

  it('does not advise --on-non-finite skip to a run that skipped every batch with it', async () => {
    const { code, stderr } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--learning-rate', '1e30', '--on-non-finite', 'skip']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^gradscope: DIVERGED: epoch 1: every batch had .*try a --learning-rate below 1e\+30, --clip-norm, or --on-non-finite halve\)\n$/);
  });

  it('--on-non-finite and --clip-norm reach train(): the same runs as train() with onNonFinite and clipNorm, and it says what they did', async () => {
    const run = async (flags: string[], options: TrainOptions) => {
      const { code, stdout } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', ...flags, '--json']);
      expect(code).toBe(0);
      const twin = await Network.fromJSON(net.toJSON());
      const result = twin.train(inputs, targets, { epochs: 1, batchSize: 10, ...options });
      const evaluation = twin.evaluate(inputs, targets);
      twin.dispose();
      const curve = JSON.parse(stdout).curve;
      expect(curve[curve.length - 1].loss).toBeCloseTo(evaluation.loss, 5);
      return result;
    };
    const skipped = await run(['--learning-rate', '1e9', '--on-non-finite', 'skip'], { learningRate: 1e9, onNonFinite: 'skip' });
    expect(skipped.skipped).toBeGreaterThan(0);
    const printed = (await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--learning-rate', '1e9', '--on-non-finite', 'skip'])).stdout;
    expect(flat(printed)).toContain(`--on-non-finite skip left out ${skipped.skipped} batches whose step was not finite or ran away.`);
    // The epoch's loss is over its applied batches alone: the table says how many of its 3 it left out, and the trace records it.
    expect(printed).toMatch(new RegExp(`\nepoch +loss +accuracy +batches skipped\n[─ ]+\n0 +\\S+ +\\S+ % +—\n1 +\\S+ +\\S+ % +${skipped.skipped} of 3\n`));
    const traced = JSON.parse((await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--learning-rate', '1e9', '--on-non-finite', 'skip', '--json'])).stdout).trace;
    expect(traced.epochs.map((e: { skipped?: number }) => e.skipped)).toEqual([skipped.skipped]);
    await run(['--learning-rate', '1000', '--clip-norm', '5'], { learningRate: 1000, clipNorm: 5 });
    expect(flat((await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--learning-rate', '1000', '--clip-norm', '5'])).stdout)).toContain(', gradient clipped to norm 5,');
    // 'halve' reaches train(): its halvings are what the DIVERGED counts.
    const halved = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--learning-rate', '1e12', '--on-non-finite', 'halve']);
    expect(halved.code).toBe(1);
    expect(halved.stderr).toMatch(/DIVERGED: .* after 10 halvings of the learning rate/);
  });

  it('warns when the run ends worse than its initial weights, in the printed lines, --json and the report; never when it ends better', async () => {
    const html = join(folder, 'worse.html');
    const flags = ['study', '--model', modelPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10'];
    const json = await runCliInProcess([...flags, '--learning-rate', '10', '--json', '--html', html]);
    expect(json.code, json.stderr).toBe(0);
    const { curve, warnings, diagnosis } = JSON.parse(json.stdout) as { curve: { loss: number; accuracy: number }[]; warnings: string[]; diagnosis: Diagnosis };
    expect(curve[2].loss).toBeGreaterThan(curve[0].loss);
    // The rate the diagnosis offers: a third of 10, or where a third would still overshoot at the first step, the rate sized from it (test/flow/runaway-rate-words).
    const offered = diagnosis.remedies.flatMap((r) => r.settings).find((s) => s.option === 'learningRate' && s.direction === 'smaller')!.flagValue!;
    expect(Number(offered)).toBeLessThan(10);
    const said = `Warning: the trained network is worse than the initial weights on the training rows (training loss ${curve[0].loss.toPrecision(4)} → ${curve[2].loss.toPrecision(4)}, training accuracy ${percentText(curve[0].accuracy)} → ${percentText(curve[2].accuracy)}); the likely cause is a learning rate too large (10): the run's diagnosis, which reads this run's own steps, offers a smaller one: --learning-rate ${offered}.`;
    expect(warnings).toEqual([said]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(`<p class="warning">${proseHtml(said)}</p>`);
    expect((reportPageData(page) as { runs: Record<string, { warnings?: string[] }> }).runs['run-0'].warnings).toEqual([said]);
    // Printed as one line with what the run did, before the diagnosis in short and the tables; --save saves it, as asked, and the warning says so.
    const saved = join(folder, 'worse-saved.json');
    const printed = await runCliInProcess([...flags, '--learning-rate', '10', '--save', saved]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(flat(printed.stdout)).toContain(` ${said.replace('); the likely', '); --save saves it as asked; the likely')} The diagnosis, in short (in full after the tables): `);
    expect(existsSync(saved)).toBe(true);
    // At the default rate the same run ends better: no warning anywhere.
    const better = await runCliInProcess([...flags, '--json', '--html', html]);
    const ended = JSON.parse(better.stdout) as { curve: { loss: number }[]; warnings: string[] };
    expect(ended.curve[2].loss).toBeLessThan(ended.curve[0].loss);
    expect(ended.warnings).toEqual([]);
    expect(readFileSync(html, 'utf8')).not.toContain('class="warning"');
    expect((await runCliInProcess(flags)).stdout).not.toContain('Warning');
  });

  it("keeps one learning-curve row per epoch when --on-non-finite halve runs an epoch again: the epoch's last run", async () => {
    // At 1e6, epoch 2 faults and 'halve' runs it again from its start (onEpoch is called 5 times for 4 epochs).
    const flags = ['--epochs', '4', '--batch-size', '10', '--learning-rate', '1000000', '--on-non-finite', 'halve'];
    const twin = await Network.fromJSON(net.toJSON());
    const initial = twin.evaluate(inputs, targets);
    const seen: number[] = [];
    const result = twin.train(inputs, targets, { epochs: 4, batchSize: 10, learningRate: 1e6, onNonFinite: 'halve', validation: { x: inputs, y: targets }, onEpoch: (info) => void seen.push(info.epoch) });
    twin.dispose();
    expect(result.halvings).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(4);
    const json = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, ...flags, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { curve, trace } = JSON.parse(json.stdout) as { curve: { loss: number; accuracy: number }[]; trace: TraceJSON };
    expect(curve).toEqual([initial, ...result.epochs.map((e) => e.validation)]);
    expect(trace.epochs!.map((e) => e.validation)).toEqual(curve.slice(1));
    const printed = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, ...flags]);
    const table = /from start to end:\nepoch .*\n[─ ]+\n((?:\d.*\n)+)/.exec(printed.stdout)![1];
    expect(table.trimEnd().split('\n').map((row) => row.split(/ +/)[0])).toEqual(['0', '1', '2', '3', '4']);
  });

  it("says how often --on-non-finite halve halved the rate in words: 'once', '3 times' (it said '1 time')", async () => {
    for (const [rate, said] of [['3000000', 'once'], ['10000000', '3 times']]) {
      const twin = await Network.fromJSON(net.toJSON());
      const result = twin.train(inputs, targets, { epochs: 1, batchSize: 10, learningRate: Number(rate), onNonFinite: 'halve' });
      twin.dispose();
      const { code, stdout } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--epochs', '1', '--batch-size', '10', '--learning-rate', rate, '--on-non-finite', 'halve']);
      expect(code).toBe(0);
      expect(flat(stdout)).toContain(`--on-non-finite halve halved the learning rate ${said}, to ${givenFloat32Text(result.learningRate!)}.`);
      expect(said).toBe(result.halvings === 1 ? 'once' : `${result.halvings} times`);
    }
  });

  it("refuses --learning-rate beside an optimiser that chooses its own steps by train()'s one rule, in its words (it had a second check of its own)", async () => {
    const twin = await Network.fromJSON(net.toJSON());
    const refusal = (() => {
      try {
        twin.train(inputs, targets, { optimizer: 'hessian-free', learningRate: 1 });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    twin.dispose();
    expect(refusal).toMatch(/^learningRate: /);
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'hessian-free', '--learning-rate', '1']);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`gradscope: --learning-rate: ${refusal!.slice('learningRate: '.length)}\n`);
  });

  it.each([
    [['study', 'sideways'], 2, /^gradscope: unknown command 'study sideways' \('gradscope study' goes on with --model M or with one of autoencoder, remedies, trainable-depth, plateau, depth, activations; see gradscope --help\)$/],
    [['study', '--model', join(folder, 'nope.json'), '--data', dataPath], 1, /^gradscope: IO_ERROR: .*nope\.json: cannot read/],
    [['study', '--model', modelPath, '--data', dataPath, '--test', '10'], 2, /^gradscope: --test counts the digits: leave it out with --data$/],
    [['study', 'depth', '--seeds', '0'], 2, /^gradscope: --seeds must be ≥ 1, got '0'$/],
    [['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'hessian-free', '--learning-rate', '1'], 2, /^gradscope: --learning-rate: 'hessian-free' chooses its own steps \(its damping sets them\) and takes none$/],
    [['study', '--model', modelPath, '--data', dataPath, '--backend', 'ref', '--threads', '2'], 2, /^gradscope: --threads 2: threads apply to --backend wasm only$/],
    [['study', '--model', modelPath, '--data', dataPath, '--threads', String(availableParallelism() + 1)], 2, /^gradscope: --threads must be ≤ \d+ \(the threads this machine runs at once, os\.availableParallelism\(\)\), got '\d+'$/],
    [['study', '--model', modelPath, '--data', dataPath, '--save', join(folder, 'missing', 'm.json')], 1, /^gradscope: IO_ERROR: --save .*m\.json: cannot write \(the folder .*missing does not exist\)$/],
    // Settings the optimiser would not apply: the flags' fault, before any work.
    [['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'lbfgs', '--clip-norm', '1'], 2, /^gradscope: --clip-norm: 'lbfgs' evaluates its own gradients, so clipping the first one would not match them$/],
    [['study', '--model', modelPath, '--data', dataPath, '--optimizer', 'hessian-free', '--on-non-finite', 'halve'], 2, /^gradscope: --on-non-finite: 'halve' halves the learning rate, which 'hessian-free' does not take/],
    [['study', '--model', modelPath, '--data', dataPath, '--on-non-finite', 'retry'], 2, /^gradscope: --on-non-finite must be one of throw, skip, halve, got 'retry'$/],
    [['study', '--model', modelPath, '--data', dataPath, '--clip-norm', '0'], 2, /^gradscope: --clip-norm must be > 0, got '0'$/],
  ])('%j fails with one line, exit %i', async (args, exit, message) => {
    const { code, stderr } = await runCliInProcess(args as string[]);
    expect(code).toBe(exit);
    expect(stderr.trimEnd()).toMatch(message as RegExp);
  });
});
