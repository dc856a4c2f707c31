// docs/gradient-flow.md's and docs/studies.md's study (a) training tables (Nielsen's 500 epochs, seed 1) are what `gradscope study depth` prints:
// every cell but the seconds, the verdicts with the figures they were read from (session 27 left the table's verdicts
// without them, as 'vanishing (severe)', where the command printed 'vanishing (severe: 0.0307, median over 500 records)'),
// and every heading: the epochs they name (0 and 499, the epochs the cells say) and the command's others, as the docs word them.
// Their initialisation tables (docs/gradient-flow.md's and README.md's, over seeds 1–20) are too: the [784,30,10] row's
// ratio was '1' in one, where the command prints '1.0 [1.0 – 1.0]'.
// The study runs once here, as the command does, and feeds every table: 20 seeds at initialisation (its default), then the
// training at seed 1 (4 networks × 500 full-batch epochs of 1,000 digits: ~8 s of CPU time).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthInitialisationTable, depthTrainingTable } from '../../src/studies/depth-report.js';
import { grouped } from '../../src/counted.js';
import { VERDICT_FIGURE_HEADING } from '../../src/flow/diagnose.js';
import { WALL_SECONDS } from '../../src/studies/trainable-depth-report.js';
import { loadMnist } from '../../src/data/mnist.js';
import { createNetwork } from '../../src/api/network.js';
import { DEPTH_FIRST_SEED, DEPTH_NETWORK_OPTIONS, DEPTH_SEEDS, NIELSEN_RATIOS, nielsenTraining, runDepthStudy, type DepthStudyResult } from '../../src/studies/depth.js';
import { median } from '../../src/median.js';
import { tableStarting } from '../util/markdown-tables.js';
import { flat } from '../util/printed-text.js';
import { sci } from '../../src/sci-text.js';

const read = (file: string) => ({ file, text: readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8') });
const GRADIENT_FLOW = read('docs/gradient-flow.md');
const STUDIES = read('docs/studies.md');
const README = read('README.md');

let result: DepthStudyResult;
beforeAll(async () => {
  result = await runDepthStudy();
  expect(result.seeds).toBe(DEPTH_SEEDS);
}, 300_000);

describe("the docs' study (a) initialisation tables", () => {
  it('show what the study prints over its 20 seeds, Nielsen\'s ratio with its reciprocal', () => {
    const printed = depthInitialisationTable(result);
    // The docs head the ratio column with the seeds it spans, and give Nielsen's ratio as 1/x too ('0.21 (1/4.7)').
    const seedsHeader = [...printed.header.slice(0, -2), `${printed.header.at(-2)}, ${result.seeds} seeds`, printed.header.at(-1)];
    const nielsen = (row: string[], i: number) => [...row.slice(0, -1), NIELSEN_RATIOS[i] ? `${row.at(-1)} (1/${(1 / NIELSEN_RATIOS[i]!.start).toPrecision(2)})` : ''];
    for (const doc of [GRADIENT_FLOW, README]) {
      const table = tableStarting(doc, '| network | layer 1 | layer 2 | layer 3 | layer 4 | first ÷ last, 20 seeds |');
      expect(table.header, doc.file).toEqual(seedsHeader);
      expect(table.rows, doc.file).toEqual(printed.rows.map(nielsen));
    }
  });
});

describe("README's over-depth-or-over-time paragraph", () => {
  // It quotes the deepest network's diagnosis, which `npm start` prints: each quote is in it, word for word.
  it("quotes the [784,30,30,30,30,10] diagnosis as the study gives it", () => {
    const training = result.networks.at(-1)!.training!;
    const summary = flat(training.diagnosis.summary);
    const paragraph = flat(README.text.slice(README.text.indexOf('Over depth or over training time?')).split('\n\n')[0]);
    const quotes = [...paragraph.matchAll(/\*"([^"]+)"\*/g)].map((m) => m[1]);
    // The speed by ‖∂C/∂b‖, the weights' beside it (lecturer52 #5), and the fall over training time.
    expect(quotes).toHaveLength(3);
    for (const quote of quotes) expect(summary).toContain(quote);
    expect(paragraph).toContain(`loss ${training.finalLoss.toFixed(3)}, test accuracy ${(training.testAccuracy * 100).toFixed(1)} %`);
  });
});

describe("docs/studies.md's diagnosis in words", () => {
  // It quotes the deepest network's diagnosis, cut where it says '…': each piece is in the summary the study gives, word for word.
  it('quotes the [784,30,30,30,30,10] diagnosis as the study gives it', () => {
    const summary = flat(result.networks.at(-1)!.training!.diagnosis.summary);
    const paragraph = flat(STUDIES.text.slice(STUDIES.text.indexOf('Every run ends with a diagnosis in words')).split('\n\n')[0]);
    const quotes = [...paragraph.matchAll(/\*"([^"]+)"\*/g)].map((m) => m[1]);
    expect(quotes).toHaveLength(1);
    const pieces = quotes[0].split('…').map((piece) => piece.trim()).filter(Boolean);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(summary).toContain(piece);
  });
});

describe("the docs' study (a) training tables", () => {
  it('show what the study prints, the verdicts with their figures, under the headings it prints', () => {
    const printed = depthTrainingTable(result);
    // The headings name epochs 0 and 499, and Nielsen's end beside ours: the study's last epoch is his, like for like.
    expect([printed.lastEpoch, printed.likeForLike]).toEqual([499, true]);
    const [first, last] = ['0', grouped(printed.lastEpoch)];
    // The epochs are the headings' ('first ÷ last, epoch 0', 'epoch 499'), said once: no cell names another (it was '0.19 (epoch 0)' in every cell).
    const ratio = (cell: string) => {
      expect(cell, cell).toMatch(/^[\d.e+-]+$/);
      return cell;
    };
    // The command's headings, which the docs reword with the epochs and the digits they stand for.
    expect(printed.header).toEqual([
      'network',
      `first ÷ last, epoch ${first}`,
      `epoch ${last}`,
      "Nielsen's, epoch 0 → 499",
      'cross-entropy start → end',
      'test accuracy',
      VERDICT_FIGURE_HEADING,
      WALL_SECONDS,
    ]);
    const digits = grouped(result.rows);
    // docs/gradient-flow.md: a column per ratio, the verdict column headed as the command heads it.
    const flow = tableStarting(GRADIENT_FLOW, '| network | first ÷ last, epoch ');
    expect(flow.header).toEqual(['network', printed.header[1], printed.header[2], `Nielsen's, ${first} → ${last}`, `cross-entropy (${digits} digits)`, printed.header[5], printed.header[6]]);
    expect(flow.rows).toEqual(printed.rows.map((row) => [row[0], ratio(row[1]), ratio(row[2]), ...row.slice(3, 7)]));
    // docs/studies.md: the first and last epoch's ratios in one cell.
    const studies = tableStarting(STUDIES, '| network | first ÷ last, epoch ');
    expect(studies.header).toEqual(['network', `first ÷ last, epoch ${first} → ${last}`, printed.header[3], `cross-entropy on the ${digits} digits`, printed.header[5], printed.header[6]]);
    expect(studies.rows).toEqual(printed.rows.map((row) => [row[0], `${ratio(row[1])} → ${ratio(row[2])}`, ...row.slice(3, 7)]));
  });
});

// docs/studies.md's paragraph after its table quotes the deepest network's trace (truth37, 2026-12-05: backed by nothing before).
describe("docs/studies.md's account of the deepest network's 500 epochs", () => {
  const prose = flat(STUDIES.text);
  const quoted = (pattern: RegExp) => {
    const places = [...prose.matchAll(new RegExp(pattern.source, 'g'))];
    expect(places.length, pattern.source).toBe(1);
    return places[0].slice(1);
  };
  const twoDigits = (value: number) => Number(value.toPrecision(2));

  it('gives the range of first ÷ last over every epoch, and the fall of each hidden layer\'s ‖∂C/∂b‖, as its trace records them', () => {
    const trace = result.networks.at(-1)!.training!.trace;
    const hidden = trace.layers - 1;
    const first = trace.series('biasGradNorm', 0);
    const last = trace.series('biasGradNorm', hidden - 1);
    const ratios = Array.from(first, (value, i) => value / last[i]);
    expect(ratios).toHaveLength(500);
    const [low, high, slowLow, slowHigh] = quoted(/the ratio stays between ([\d.]+) and ([\d.]+) over all 500 epochs \(the first hidden layer learns (\d+)–(\d+)× slower than the last throughout\)/).map(Number);
    expect([low, high]).toEqual([Math.min(...ratios), Math.max(...ratios)].map(twoDigits));
    expect([slowLow, slowHigh]).toEqual([1 / Math.max(...ratios), 1 / Math.min(...ratios)].map(twoDigits));
    const falls = quoted(/its hidden layers' ‖∂C\/∂b‖ fall (\d+)×, (\d+)×, (\d+)× and (\d+)× \(first to last\)/).map(Number);
    expect(falls).toEqual(Array.from({ length: hidden }, (_, l) => {
      const series = trace.series('biasGradNorm', l);
      return Math.round(series[0] / series[series.length - 1]);
    }));
  });

  it("says the two deepest networks' loss is that of predicting each class's frequency among the 1,000 digits", async () => {
    const { y } = (await loadMnist({ take: { train: result.rows } })).train;
    const frequency = Array.from({ length: y.cols }, (_, j) => {
      let count = 0;
      for (let r = 0; r < y.rows; r++) count += y.data[r * y.cols + j];
      return count / y.rows;
    });
    // The networks' sigmoid outputs with binary cross-entropy: each output's loss at the frequency is its binary entropy.
    const entropy = frequency.reduce((sum, f) => sum - f * Math.log(f) - (1 - f) * Math.log(1 - f), 0);
    const [loss, accuracy] = quoted(/learn only the class frequencies \(([\d.]+) is the loss of predicting, for every digit, each class's frequency among the 1,000; ([\d.]+) % test accuracy\)/);
    expect(loss).toBe(entropy.toFixed(3));
    for (const network of result.networks.slice(-2)) {
      // They end at 3.236 and 3.237: within a thousandth and a half of the frequencies' loss.
      expect(Math.abs(network.training!.finalLoss - entropy)).toBeLessThan(0.0015);
      expect((network.training!.testAccuracy * 100).toFixed(1)).toBe(accuracy);
    }
  });
});

// auditor54 #1: the table along training and README's two falls quoted from it were held by nothing (README said 208×, the
// rounded cells' ratio, where the trace's is 207×).
describe("docs/gradient-flow.md's table along training and README's falls from it", () => {
  it("give the deepest network's ‖∂C/∂b‖, ratio and loss at each epoch named, as its trace records them", () => {
    const trace = result.networks.at(-1)!.training!.trace;
    const hidden = trace.layers - 1;
    const layers = Array.from({ length: hidden }, (_, l) => trace.series('biasGradNorm', l));
    const table = tableStarting(GRADIENT_FLOW, '| epoch | layer 1 | layer 2 | layer 3 | layer 4 | first ÷ last | loss |');
    expect(table.rows.length).toBeGreaterThan(2);
    for (const row of table.rows) {
      const epoch = Number(row[0]);
      // One record per full-batch epoch: its one step's (counted from 1), the gradient at the weights the epoch starts from.
      expect(trace.steps[epoch], row[0]).toBe(epoch + 1);
      expect(row, `epoch ${epoch}`).toEqual([
        row[0],
        ...layers.map((series) => sci(series[epoch])),
        String(Number((layers[0][epoch] / layers[hidden - 1][epoch]).toPrecision(2))),
        trace.losses[epoch].toFixed(3),
      ]);
    }
  });

  it("say README's fall of the last hidden layer's ‖∂C/∂b‖ by epoch 50, and over the plateau study's last 125 epochs, from the trace", () => {
    const trace = result.networks.at(-1)!.training!.trace;
    const last = trace.series('biasGradNorm', trace.layers - 2);
    const paragraph = flat(README.text.slice(README.text.indexOf('Over depth or over training time?')).split('\n\n')[0]);
    const byFifty = /by epoch 50 that layer's ‖∂C\/∂b‖ had fallen (\d+)× \(([\d.e-]+) → ([\d.e-]+)\), as the loss fell from ([\d.]+) to ([\d.]+)/.exec(paragraph);
    expect(byFifty, "README: 'by epoch 50 … had fallen'").not.toBeNull();
    expect(byFifty!.slice(1)).toEqual([String(Math.round(last[0] / last[50])), sci(last[0]), sci(last[50]), trace.losses[0].toFixed(3), trace.losses[50].toFixed(3)]);
    // The plateau study diagnoses epochs 376 to 500, the records at the starts of epochs 375 to 499 counted from 0.
    const plateau = /the last 125 of those epochs \(376 to 500\), where the same layer's ‖∂C\/∂b‖ fell ([\d.]+)×/.exec(paragraph);
    expect(plateau, "README: 'the last 125 of those epochs'").not.toBeNull();
    expect(plateau![1]).toBe((last[375] / last[499]).toFixed(2));
  });
});

describe("docs/gradient-flow.md's Why: the gap of Nielsen's four hidden layers at initialisation", () => {
  // "measured at initialisation over seeds 1–20: median 1/121 for ‖∂C/∂b‖, 1/119 per example; seed 1 alone 1/193 and 1/163"
  it('gives the median over the seeds and seed 1\'s, for ‖∂C/∂b‖ and per example, as measured', async () => {
    const joined = GRADIENT_FLOW.text.replace(/\s*\n\s*/g, ' ');
    const match = /\(measured at initialisation over seeds 1–(\d+): median 1\/(\d+) for ‖∂C\/∂b‖, 1\/(\d+) per example; seed 1 alone 1\/(\d+) and 1\/(\d+);/.exec(joined);
    expect(match, 'docs/gradient-flow.md: the Why section\'s measured gap').not.toBeNull();
    const [seeds, medianBatch, medianPerExample, seedOneBatch, seedOnePerExample] = match!.slice(1).map(Number);
    const deepest = result.networks.at(-1)!;
    expect(deepest.sizes).toEqual([784, 30, 30, 30, 30, 10]);
    expect(seeds).toBe(result.seeds);
    expect(medianBatch).toBe(Math.round(1 / median(deepest.seedRatios)));
    expect(seedOneBatch).toBe(Math.round(1 / deepest.seedRatios[0]));
    // Per example: each seed's first traced record, its per-example RMS ‖δ‖ at the initial weights over the same
    // digits (one full-batch step of the study's training, traced; the study keeps only seed 1's trace).
    const { x, y } = (await loadMnist({ take: { train: result.rows } })).train;
    const hidden = deepest.sizes.length - 2;
    const perExample: number[] = [];
    for (let seed = DEPTH_FIRST_SEED; seed < DEPTH_FIRST_SEED + result.seeds; seed++) {
      const net = await createNetwork({ sizes: deepest.sizes, seed, ...DEPTH_NETWORK_OPTIONS });
      const { trace } = net.train(x, y, { epochs: 1, ...nielsenTraining(x.rows, result.lambda), trace: { every: 1 } });
      perExample.push(trace!.series('deltaRms', hidden - 1)[0] / trace!.series('deltaRms', 0)[0]);
      net.dispose();
    }
    const trained = deepest.training!.trace;
    expect(perExample[0]).toBe(trained.series('deltaRms', hidden - 1)[0] / trained.series('deltaRms', 0)[0]);
    expect([medianPerExample, seedOnePerExample]).toEqual([Math.round(median(perExample)), Math.round(perExample[0])]);
  });
});
