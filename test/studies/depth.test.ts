/**
 * The depth study reads its rows from datasets uploaded once (createDataset). Its numbers must be
 * those of the same calls on the rows themselves: every network's ‖∂C/∂b‖ per seed, and a short
 * training run's losses, trace and test accuracy, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_NETWORKS, DEPTH_ROWS, epochOfStep, firstRows, NIELSEN_TRAINING, runDepthStudy, trainingNorms } from '../../src/studies/depth.js';
import { expectClose } from '../util/close.js';
import { depthEpochTable, depthReportSection, depthSetting, depthTrainingParts, depthTrainingTable, nielsenEndLeftOut } from '../../src/studies/depth-report.js';
import { depthTables } from '../../src/cli/commands/study-depth.js';
import { READING_WIDTH } from '../../src/cli/prose.js';
import { VERDICT_FIGURE_HEADING } from '../../src/flow/diagnose.js';
import { flat } from '../util/printed-text.js';

describe('depth study', () => {
  it('gives, from its datasets, exactly what the same calls give on rows', async () => {
    const [seeds, epochs, lambda] = [2, 2, NIELSEN_TRAINING.lambda];
    const result = await runDepthStudy({ seeds, epochs });
    const digits = await loadMnist();
    const probe = firstRows(digits.train.x, digits.train.y, DEPTH_ROWS);
    for (const [index, sizes] of DEPTH_NETWORKS.entries()) {
      const study = result.networks[index];
      for (let seed = 1; seed <= seeds; seed++) {
        const net = await createNetwork({ sizes, seed, ...DEPTH_NETWORK_OPTIONS });
        const norms = net.gradients(probe.x, probe.y).layers.slice(0, -1).map((layer) => layer.biasNorm);
        expect(study.perSeed[seed - 1], `[${sizes}] seed ${seed}`).toEqual(norms);
        net.dispose();
      }
      const net = await createNetwork({ sizes, seed: 1, ...DEPTH_NETWORK_OPTIONS });
      const initialLoss = net.evaluate(probe.x, probe.y).loss;
      net.train(probe.x, probe.y, {
        epochs,
        batchSize: DEPTH_ROWS,
        learningRate: NIELSEN_TRAINING.learningRate,
        optimizer: { name: 'sgd', weightDecay: lambda / probe.x.rows, decayBiases: false },
        shuffle: false,
        trace: { every: 1, histogramSteps: [1, epochs] },
      });
      const training = study.training!;
      expect(training.initialLoss, `[${sizes}] initial loss`).toBe(initialLoss);
      expect(training.finalLoss, `[${sizes}] final loss`).toBe(net.evaluate(probe.x, probe.y).loss);
      expect(training.testAccuracy, `[${sizes}] test accuracy`).toBe(net.evaluate(digits.test.x, digits.test.y).accuracy);
      expect(JSON.stringify(training.trace), `[${sizes}] trace`).toBe(JSON.stringify(net.trace));
      net.dispose();
    }
  });

  it('labels its records as what they are: step s is the start of epoch s − 1, before its update, in the table and the report', async () => {
    const epochs = 3;
    const result = await runDepthStudy({ seeds: 1, epochs });
    const section = depthReportSection(result);
    for (const [index, network] of result.networks.entries()) {
      const trace = network.training!.trace;
      expect([...trace.steps]).toEqual([1, 2, 3]);
      expect(trainingNorms(trace).epochs).toEqual([0, 1, 2]);
      expect(epochOfStep(trace.steps[trace.length - 1])).toBe(epochs - 1);
      // Epoch 0 is the initial weights: the record of step 1 is seed 1's gradient at initialisation
      // (the trace sums the squares in the backend, gradients() in float64), the next record not.
      expectClose(trainingNorms(trace).biasGradNorms[0], network.perSeed[0], { rel: 1e-6 }, `[${network.sizes}] step 1`);
      expect(Math.abs(trainingNorms(trace).biasGradNorms[1][0] / network.perSeed[0][0] - 1), `[${network.sizes}] step 2`).toBeGreaterThan(1e-4);
      // The report's charts count steps; its run heading says which epochs they are.
      // Its weight decay, which the diagnosis names, is said beside λ: λ = 5 and 0.005 read as two settings.
      expect(section.runs![index].label).toContain('L2 λ = 5 on the weights (weight decay λ/n = 5/1,000 = 0.005), 3 epochs;');
      expect(section.runs![index].label).toContain('One step per epoch, each recorded before its update: steps 1–3 are the starts of epochs 0–2.');
    }
    // The terminal's line above its training table said λ = 5 alone, and the diagnoses under it "weight decay 0.005" (newuser40).
    expect(depthSetting(result)).toBe("Full-batch gradient descent on those 1,000 digits, η = 0.1, L2 λ = 5 on the weights only (Nielsen's; weight decay λ/n = 5/1,000 = 0.005), 3 epochs (seed 1):");
  });

  it("says another λ's weight decay beside it, and that it is not Nielsen's", async () => {
    const other = await runDepthStudy({ seeds: 1, epochs: 1, lambda: 2 });
    expect(depthSetting(other)).toContain("L2 λ = 2 on the weights only (weight decay λ/n = 2/1,000 = 0.002; NOT Nielsen's λ = 5), 1 epoch");
    expect(depthReportSection(other).runs![0].label).toContain('L2 λ = 2 on the weights (weight decay λ/n = 2/1,000 = 0.002), 1 epoch;');
    const none = await runDepthStudy({ seeds: 1, epochs: 1, lambda: 0 });
    expect(depthSetting(none)).toContain("η = 0.1, no L2 (NOT Nielsen's λ = 5), 1 epoch");
  });

  // README answers "over depth or over time?" with the terminal's per-epoch table and its first ÷ last beside Nielsen's at
  // epochs 0 and 499; the report had neither, only the chart of the same norms (newuser40).
  it('shows in the report the training tables the terminal prints: first ÷ last beside Nielsen\'s, and the deepest network over epochs', async () => {
    const result = await runDepthStudy({ seeds: 1, epochs: 3 });
    const section = depthReportSection(result);
    const terminal = depthTables(result, undefined);
    const training = depthTrainingTable(result);
    const overEpochs = depthEpochTable(result)!;
    const { numbers, verdicts, note } = depthTrainingParts(result);
    expect(section.tables!.slice(1)).toEqual([numbers, verdicts, overEpochs]);
    // The tables of ‖∂C/∂b‖ per layer are read across (over depth): on a phone they scroll in their box, not a card per row.
    expect(section.tables!.map((t) => t.readAcross ?? false)).toEqual([true, false, false, true]);
    // The whole training table, its verdicts in a table of their own (in one they made a card per network at 1280 px).
    const verdict = training.header.indexOf(VERDICT_FIGURE_HEADING);
    expect(numbers.caption).toBe(depthSetting(result));
    expect(numbers.header).toEqual(training.header.filter((_, c) => c !== verdict));
    expect(numbers.rows).toEqual(training.rows.map((row) => row.filter((_, c) => c !== verdict)));
    expect(verdicts.caption).toBe(`Each network's ${VERDICT_FIGURE_HEADING}:`);
    expect(verdicts.rows).toEqual(training.rows.map((row) => [row[0], row[verdict]]));
    expect(numbers.header.slice(1, 4)).toEqual(['first ÷ last, epoch 0', 'epoch 2', "Nielsen's, epoch 0"]);
    expect(overEpochs.caption).toBe('[784,30,30,30,30,10], ‖∂C/∂b‖ per hidden layer at the start of an epoch:');
    expect(overEpochs.header).toEqual(['epoch', 'layer 1', 'layer 2', 'layer 3', 'layer 4', 'first ÷ last', 'cross-entropy']);
    expect(overEpochs.rows.map((row) => row[0])).toEqual(['0', '1', '2']);
    const trace = result.networks.at(-1)!.training!.trace;
    expect(overEpochs.rows.map((row) => row.at(-2))).toEqual([0, 1, 2].map((r) => (trace.at('biasGradNorm', r, 0) / trace.at('biasGradNorm', r, 3)).toPrecision(2)));
    // The terminal prints the same table under the same caption.
    expect(terminal).toContain(`\n${overEpochs.caption}\n`);
    for (const row of overEpochs.rows) expect(terminal).toMatch(new RegExp(`^ *${row.map((cell) => cell.replace(/[.+[\]]/g, '\\$&')).join(' +')} *$`, 'm'));
    // The answer first (newuser42 #8): the deepest network's diagnosis in short above every table, in full after them.
    const headline = `[784,30,30,30,30,10]'s diagnosis, in short (in full after the tables): ${result.networks.at(-1)!.training!.diagnosis.headline}`;
    expect(flat(terminal).startsWith(headline), terminal.slice(0, 600)).toBe(true);
    expect(flat(terminal).indexOf('Diagnosis: ')).toBeGreaterThan(flat(terminal).indexOf(overEpochs.caption));
    // Three epochs are not Nielsen's 500: his ratios at 499 are left out, and both say why.
    expect(training.likeForLike).toBe(false);
    expect(note).toBe(nielsenEndLeftOut(2));
    expect(section.notes).toEqual([note]);
    expect(terminal.replace(/\s+/g, ' ')).toContain(nielsenEndLeftOut(2));
    // No training (--epochs 0): no training tables, no note.
    const untrained = depthReportSection(await runDepthStudy({ seeds: 1, epochs: 0 }));
    expect([untrained.tables!.length, untrained.notes]).toEqual([1, undefined]);
  });

  it("prints each ‖∂C/∂b‖ cell alike in the terminal and the report: ± one digit of spread over seeds, none for one seed", async () => {
    // The report printed '1.23e-2 ± 7.0e-2' where the terminal printed '1.23e-2 ± 7e-2', and '± 0.0e+0' for one seed.
    for (const seeds of [1, 2]) {
      const result = await runDepthStudy({ seeds, epochs: 1 });
      const table = depthReportSection(result).tables![0];
      const terminal = depthTables(result, undefined);
      expect(terminal).toContain(`on the first 1,000 MNIST training digits.`);
      // The training table's verdicts give figures of RMS ‖δₓ‖ beside its ‖∂C/∂b‖ columns: its heading says which (it was 'verdict').
      expect(flat(terminal)).toContain("verdict (a gap's figure: first ÷ last RMS ‖δₓ‖)");
      // Written to a file (no terminal width) the training table ran 250 characters wide, each row's verdict sentence beside its
      // numbers: it fits READING_WIDTH, its verdicts under it, one per network, every cell still printed.
      const lines = terminal.split('\n');
      const training = lines.slice(lines.findIndex((line) => line.startsWith('Full-batch gradient descent')) + 1, lines.findIndex((line) => line.includes('per hidden layer at the start of an epoch')));
      for (const line of training) expect(line.length, line).toBeLessThanOrEqual(READING_WIDTH);
      const { header, rows } = depthTrainingTable(result);
      const said = flat(training.join('\n'));
      for (const row of rows) {
        expect(said).toContain(`${row[0]}: ${row[header.indexOf(VERDICT_FIGURE_HEADING)]}`);
        for (const cell of row.filter((_, c) => header[c] !== VERDICT_FIGURE_HEADING)) expect(training.some((line) => line.includes(cell)), cell).toBe(true);
      }
      // The report's table is the terminal's whole: it had the ‖∂C/∂b‖ columns only, not the first ÷ last ratio and Nielsen's.
      expect(table.header).toEqual(['network', 'layer 1', 'layer 2', 'layer 3', 'layer 4', 'first ÷ last', "Nielsen's"]);
      // The report said "mean over 2 seeds" beside the cells' "mean ± std": the terminal heading's words, in both.
      const seedsWords = seeds === 1 ? 'seed 1' : 'mean ± std over seeds 1–2';
      expect(terminal).toContain(`first to last (${seedsWords}), on`);
      expect(depthReportSection(result).text).toContain(`(the mean of each digit's δ), ${seedsWords}. First ÷ last`);
      // Its chart's title said 'mean of 1 seed' for one.
      expect(depthReportSection(result).charts![0].title).toMatch(seeds === 1 ? /a line per network \(seed 1\)$/ : /a line per network \(mean over seeds 1–2\)$/);
      expect(depthReportSection(result).text).toContain(seeds === 1 ? "First ÷ last: the ratio; Nielsen's: his one recorded network." : "First ÷ last: the per-seed ratio's median [range]; Nielsen's: his one recorded network.");
      for (const [index, network] of result.networks.entries()) {
        const cells = table.rows[index].slice(1, 1 + network.biasGradNorms.length);
        for (const cell of cells) expect(cell).toMatch(seeds === 1 ? /^\d\.\d\de[+-]\d+$/ : /^\d\.\d\de[+-]\d+ ± \de[+-]\d+$/);
        for (const cell of cells) expect(terminal).toContain(cell);
        expect(table.rows[index].slice(1 + network.biasGradNorms.length, 5).every((cell) => cell === '')).toBe(true);
        const [ratio, nielsen] = table.rows[index].slice(5);
        expect(ratio).toMatch(seeds === 1 ? /^[\d.e+-]+$/ : /^[\d.e+-]+ \[[\d.e+-]+ – [\d.e+-]+\]$/);
        expect(terminal).toMatch(new RegExp(`^\\[${network.sizes.join(',')}\\] .* ${ratio.replace(/[[\]]/g, '\\$&')} *${nielsen}$`, 'm'));
      }
    }
  });
});
