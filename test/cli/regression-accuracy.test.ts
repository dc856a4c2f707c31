// A regression (one linear output, mse, real-valued targets) has no classes, so no row is right or wrong: train's epoch
// lines and study --model's tables, CSV and report printed a "training accuracy 56.0 %" that was the share of rows whose
// output and target lay on the same side of ½ (newuser43 #12). They say no accuracy there, and why once; a network with
// classes over one output (binary cross-entropy) keeps it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { NO_ACCURACY_NOTE } from '../../src/cli/accuracy-said.js';
import { Trace, type TraceJSON } from '../../src/flow/trace.js';
import { runCliInProcess } from '../util/cli.js';
import { flat, printedTable } from '../util/printed-text.js';
import { codeQuoteOn } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-regression-'));
const at = (name: string) => join(folder, name);

// 5 inputs, a target 1.5 × their sum: real values from about −8 to 8, some rows' on each side of ½.
const rng = new Rng(3);
const inputs = Array.from({ length: 48 }, () => Array.from({ length: 5 }, () => rng.normal()));
const regression = at('reg.json');
writeFileSync(regression, JSON.stringify({ inputs, targets: inputs.map((row) => [1.5 * row.reduce((a, b) => a + b, 0)]) }));
const binary = at('binary.json');
writeFileSync(binary, JSON.stringify({ inputs, targets: inputs.map((row) => [row[0] > 0 ? 1 : 0]) }));

describe('a regression says no accuracy', () => {
  it("train's epoch lines give the loss alone, and the legend says why once", async () => {
    const run = await runCliInProcess(['train', '--data', regression, '--layers', '5,8,1', '--output', 'linear', '--epochs', '2', '--seed', '2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const epochs = run.stdout.split('\n').filter((line) => line.startsWith('epoch '));
    expect(epochs).toHaveLength(3);
    for (const line of epochs) expect(line).toMatch(/^epoch \d\/2 {2}(batch loss \d+\.\d+ {2})?training loss \d+\.\d+$/);
    expect(flat(run.stdout)).toContain(`training loss, on all 48 rows after it. ${NO_ACCURACY_NOTE}`);
    // docs/cli.md's quote of it.
    expect(codeQuoteOn('docs/cli.md', 'No accuracy: the targets')).toBe(NO_ACCURACY_NOTE);
    expect(run.stdout).not.toMatch(/accuracy \d/);
    // --epochs 0 prints one line too, under the same note.
    const made = await runCliInProcess(['train', '--data', regression, '--layers', '5,8,1', '--output', 'linear', '--epochs', '0', '--out', at('reg-model.json')]);
    expect(made.code).toBe(0);
    expect(flat(made.stdout)).toContain(NO_ACCURACY_NOTE);
    expect(made.stdout).toMatch(/^epoch 0\/0 {2}training loss \d+\.\d+$/m);
  });

  it('study --model: no accuracy column, empty accuracy cells in the CSV, no accuracy chart or column in the report', async () => {
    const model = at('reg-model.json');
    await runCliInProcess(['train', '--data', regression, '--layers', '5,8,1', '--output', 'linear', '--epochs', '0', '--out', model]);
    const [csv, html] = [at('reg.csv'), at('reg.html')];
    const run = await runCliInProcess(['study', '--model', model, '--data', regression, '--epochs', '2', '--csv', csv, '--html', html]);
    expect(run.code, run.stderr).toBe(0);
    expect(flat(run.stdout)).toContain(NO_ACCURACY_NOTE);
    const table = printedTable(run.stdout, 'Loss on all 48 rows, from start to end:');
    expect(table.header).toEqual(['epoch', 'loss']);
    expect(run.stdout).not.toContain('Loss and accuracy');
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
    for (const name of ['accuracy', 'validationAccuracy', 'trainingSubsetAccuracy']) {
      const column = lines[0].indexOf(name);
      expect(column, name).toBeGreaterThan(0);
      expect(lines.slice(1).map((cells) => cells[column]).filter((cell) => cell !== ''), name).toEqual([]);
    }
    // The loss cells are there: only the accuracy is left out.
    expect(lines.slice(1).some((cells) => cells[lines[0].indexOf('validationLoss')] !== '')).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Loss of the batch at each traced step');
    expect(page).not.toContain('Accuracy of the batch');
    expect(page).not.toMatch(/<th[^>]*>accuracy/);
    expect(page).toContain(NO_ACCURACY_NOTE);
    // --json agrees: its curve has no accuracy, the trace's accuracies are null ("not defined"), the losses are there.
    const json = await runCliInProcess(['study', '--model', model, '--data', regression, '--epochs', '2', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const said = JSON.parse(json.stdout) as { curve: object[]; trace: TraceJSON };
    expect(said.curve).toHaveLength(3);
    for (const entry of said.curve) expect(Object.keys(entry)).toEqual(['loss']);
    expect(said.trace.accuracy.length).toBeGreaterThan(0);
    expect(new Set(said.trace.accuracy)).toEqual(new Set([null]));
    for (const epoch of said.trace.epochs!) expect([epoch.validation?.accuracy, typeof epoch.validation?.loss]).toEqual([null, 'number']);
    expect(Number.isNaN(Trace.fromJSON(said.trace).accuracy[0]), 'read back as NaN').toBe(true);
  });

  // review44 #1: 0/1 targets over a sigmoid output under mse (train's default loss there) are a binary classifier that
  // classesOf reads as no classes: the note says so as a reading, not as a fact about the targets, and names the flag
  // that reads them as classes.
  it('0/1 targets under mse: the note names --loss binary-cross-entropy, which brings the accuracy back', async () => {
    const run = await runCliInProcess(['train', '--data', binary, '--layers', '5,8,1', '--output', 'sigmoid', '--epochs', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(flat(run.stdout)).toContain(NO_ACCURACY_NOTE);
    expect(NO_ACCURACY_NOTE).toContain('Targets of 0 or 1 over one output are classes under --loss binary-cross-entropy.');
    const bce = await runCliInProcess(['train', '--data', binary, '--layers', '5,8,1', '--output', 'sigmoid', '--loss', 'binary-cross-entropy', '--epochs', '1']);
    expect(bce.code, bce.stderr).toBe(0);
    expect(bce.stdout).toMatch(/training accuracy [\d.]+ %$/m);
  });

  it('one output under binary cross-entropy has classes: its accuracy is said, in the lines, table and CSV', async () => {
    const model = at('binary-model.json');
    const run = await runCliInProcess(['train', '--data', binary, '--layers', '5,8,1', '--output', 'sigmoid', '--loss', 'binary-cross-entropy', '--epochs', '1', '--out', model]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^epoch 1\/1 {2}batch loss \d\.\d+ {2}training loss \d\.\d+ {2}training accuracy [\d.]+ %$/m);
    expect(run.stdout).not.toContain('No accuracy');
    const csv = at('binary.csv');
    const study = await runCliInProcess(['study', '--model', model, '--data', binary, '--epochs', '1', '--csv', csv]);
    expect(study.code, study.stderr).toBe(0);
    expect(printedTable(study.stdout, 'Loss and accuracy on all 48 rows, from start to end:').header).toEqual(['epoch', 'loss', 'accuracy']);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
    expect(lines.slice(1).filter((cells) => cells[lines[0].indexOf('accuracy')] !== '').length).toBeGreaterThan(0);
    const json = await runCliInProcess(['study', '--model', model, '--data', binary, '--epochs', '1', '--json']);
    const kept = JSON.parse(json.stdout) as { curve: { accuracy?: number }[]; trace: TraceJSON };
    expect(kept.curve.every((entry) => typeof entry.accuracy === 'number')).toBe(true);
    expect(kept.trace.accuracy.every((a) => typeof a === 'number')).toBe(true);
  });
});
