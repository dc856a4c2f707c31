// A number beyond float64's range in a JSON input (1e400) is read by JSON.parse as ±Infinity, and the refusal said
// 'Infinity is not a finite number', a word the file never holds (edges47 #9): it now quotes what the text writes, and
// where, scanned on the refusal's path only. A string that holds such digits is text, not a number, and is not quoted.
// Model files and checkpoints (readModelJSON's text, loadModel's file, readModelFile's: convert and study --model), and a
// --data file (readDataFile, before any flag is read against its rows). The number quoted is the one at the place the refusal
// names, as JSON.parse read it: not the text's first (keys in another order than the reader's: review51; a key written twice
// is refused before any value is read: keys-written-twice).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, loadModel, readModelJSON, readTfjsLayersFile, Trace, writeModelFile } from '../../src/node.js';
import { jsonValueSpan } from '../../src/json-syntax.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-overflow-'));

/** A model file's text whose first weight is written `written`. */
async function modelText(written: string): Promise<string> {
  const net = await createNetwork({ sizes: [2, 2, 1], output: 'sigmoid', loss: 'mse', seed: 1 });
  const text = JSON.stringify(net.toJSON(), null, 1);
  net.dispose();
  return text.replace(/("weights": \[\s*\[\s*)(-?[0-9.e-]+)/, `$1${written}`);
}

describe('a number JSON reads as Infinity is quoted as the text writes it', () => {
  it('readModelJSON of the text and loadModel of the file: what it wrote, at its line and column', async () => {
    const text = await modelText('1e400');
    const line = text.split('\n').findIndex((l) => l.includes('1e400')) + 1;
    const said = `layers\\[0\\]\\.weights\\[0\\]\\[0\\]: Infinity is not a finite number \\(the text writes 1e400 at line ${line}, column \\d+: beyond float64's range, which JSON reads as Infinity\\)$`;
    await expectError(() => readModelJSON(text), 'BAD_MODEL_FILE', new RegExp(`^${said}`));
    const path = join(folder, 'model.json');
    writeFileSync(path, text);
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', new RegExp(said));
  });

  it('a negative one, and not a string that holds such digits', async () => {
    const text = (await modelText('-2E+999')).replace('"standard"', '"standard 1e400"');
    await expectError(() => readModelJSON(text), 'BAD_MODEL_FILE', /writes -2E\+999 at line/);
    // Parsed JSON has no text to quote: the refusal is as before.
    const parsed: unknown = JSON.parse(await modelText('1e400'));
    await expectError(() => readModelJSON(parsed), 'BAD_MODEL_FILE', /Infinity is not a finite number$/);
  });

  it('a --data file: the file, the row and column, and what the text wrote there', async () => {
    const path = join(folder, 'data.json');
    writeFileSync(path, '{"inputs": [[0, 1], [1, 1e400], [0.5, 0.2]],\n "targets": [[1, 0], [0, 1], [1, 0]]}\n');
    const run = await runCliInProcess(['train', '--data', path, '--epochs', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`gradscope: NON_FINITE_INPUT: ${path}: inputs: row 1, column 1 is Infinity, not a finite number (the text writes 1e400 at line 1, column 25: beyond float64's range, which JSON reads as Infinity)\n`);
    writeFileSync(path, '{"inputs": [[0, 1], [1, 1]],\n "targets": [[1, 0], [0, -1E+999]]}\n');
    const targets = await runCliInProcess(['train', '--data', path, '--epochs', '1']);
    expect(targets.stderr).toBe(`gradscope: NON_FINITE_INPUT: ${path}: targets: row 1, column 1 is -Infinity, not a finite number (the text writes -1E+999 at line 2, column 26: beyond float64's range, which JSON reads as -Infinity)\n`);
    // review51 #4: targets before inputs in the file, each with such a number: the refusal names the one it quotes (it named the input's cell beside the target's text).
    writeFileSync(path, '{"targets": [[1, 0], [0, 1e999]],\n "inputs": [[0, 1], [1, 2e400]]}\n');
    const reordered = await runCliInProcess(['train', '--data', path, '--epochs', '1']);
    expect(reordered.stderr).toBe(`gradscope: NON_FINITE_INPUT: ${path}: targets: row 1, column 1 is Infinity, not a finite number (the text writes 1e999 at line 1, column 26: beyond float64's range, which JSON reads as Infinity)\n`);
  });
});

describe('the number quoted is the one refused', () => {
  it('jsonValueSpan: the value at a path, a key written twice read at its last copy as JSON.parse reads it', () => {
    const text = '{"a": [1, {"b": "x]}\\"", "b": [2, [3, 4]]}], "a": [5, {"b": 6}], "in\\u0070uts": [7]}';
    const at = (path: (string | number)[]) => {
      const span = jsonValueSpan(text, path);
      return span && text.slice(span.start, span.end);
    };
    expect(at(['a'])).toBe('[5, {"b": 6}]');
    expect(at(['a', 1, 'b'])).toBe('6');
    expect(at(['inputs', 0])).toBe('7');
    expect([at(['a', 2]), at(['c']), at(['a', 0, 'b'])]).toEqual([undefined, undefined, undefined]);
    // Counted, not recursed: past a value nested 100,000 deep.
    const deep = `{"x": ${'['.repeat(100_000)}1e400${']'.repeat(100_000)}, "y": 2}`;
    const y = jsonValueSpan(deep, ['y'])!;
    expect([deep.slice(y.start, y.end), y.start]).toEqual(['2', deep.length - 2]);
  });

  it('a model file whose biases come before its weights: the weight refused, quoted (a key written twice is refused before: keys-written-twice)', async () => {
    // The first layer's biases written before its weights, a bias 1e400 and a weight 2e400: the reader refuses the weight first.
    const file = JSON.parse(await modelText('0')) as { layers: Record<string, unknown>[] };
    const { weights, biases, ...rest } = file.layers[0];
    file.layers[0] = { ...rest, biases: ['BIAS', ...(biases as number[]).slice(1)], weights: [['WEIGHT', ...(weights as number[][])[0].slice(1)], ...(weights as number[][]).slice(1)] };
    const reordered = JSON.stringify(file, null, 1).replace('"BIAS"', '1e400').replace('"WEIGHT"', '2e400');
    const line = reordered.split('\n').findIndex((l) => l.includes('2e400')) + 1;
    expect(line).toBeGreaterThan(reordered.split('\n').findIndex((l) => l.includes('1e400')) + 1);
    await expectError(() => readModelJSON(reordered), 'BAD_MODEL_FILE', new RegExp(`^layers\\[0\\]\\.weights\\[0\\]\\[0\\]: Infinity is not a finite number \\(the text writes 2e400 at line ${line}, column \\d+:`));
    // convert and study --model read it with readModelFile, which quoted nothing.
    const path = join(folder, 'reordered.json');
    writeFileSync(path, reordered);
    const run = await runCliInProcess(['convert', path, join(folder, 'reordered.safetensors')]);
    expect(run.stderr).toMatch(new RegExp(`BAD_MODEL_FILE: .*reordered\\.json: layers\\[0\\]\\.weights\\[0\\]\\[0\\]: Infinity is not a finite number \\(the text writes 2e400 at line ${line}, column \\d+:`));
  });

  it('a block model file: a tensor named in brackets, under the root the refusal calls model', async () => {
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'dense', units: 3 }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 1 }], loss: 'mse', seed: 1 });
    const text = JSON.stringify(net.toJSON());
    net.dispose();
    const bad = text.replace(/("3\.bias":\{"shape":\[1\],"values":\[)[^\]]+/, '$1-3e400');
    await expectError(() => readModelJSON(bad), 'BAD_MODEL_FILE', /^model\.tensors\["3\.bias"\]\.values\[0\]: -Infinity is not a finite number \(the text writes -3e400 at line 1, column \d+: beyond float64's range, which JSON reads as -Infinity\)$/);
  });

  it('a tfjs model.json: the place the refusal names, and nothing where it names no place the file holds (never another place\'s number)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const tfjs = join(folder, 'tfjs');
    await writeModelFile(net, tfjs, 'tfjs');
    net.dispose();
    const written = readFileSync(join(tfjs, 'model.json'), 'utf8');
    const recorded = written.replace('"loss":"cross-entropy",', '"loss":"cross-entropy","trainedOn":{"data":"mnist","rows":7e400},');
    expect(recorded).not.toBe(written);
    writeFileSync(join(tfjs, 'model.json'), recorded);
    const column = recorded.indexOf('7e400') + 1;
    await expectError(() => readTfjsLayersFile(tfjs), 'BAD_MODEL_FILE', new RegExp(`userDefinedMetadata\\.gradscope\\.trainedOn\\.rows: expected a whole number ≥ 1, got Infinity \\(the text writes 7e400 at line 1, column ${column}: beyond float64's range, which JSON reads as Infinity\\)$`));
    // A Dense layer's units named where model.json holds them, in its config (edges52: 'layers[0] (dense_1).units', a place the
    // text does not hold, quoted nothing): its own number is quoted, not the 7e400 before it.
    const units = recorded.replace('"units":3,', '"units":3e400,');
    writeFileSync(join(tfjs, 'model.json'), units);
    await expectError(() => readTfjsLayersFile(tfjs), 'BAD_MODEL_FILE', new RegExp(`modelTopology\\.config\\.layers\\[0\\] \\(dense_1\\)\\.config\\.units: expected a whole number of units from 1 to [\\d,]+, got Infinity \\(the text writes 3e400 at line 1, column ${units.indexOf('3e400') + 1}: beyond float64's range, which JSON reads as Infinity\\)$`));
  });

  it('a --data file whose inputs or targets are written twice is refused naming both places (it quoted the copy JSON.parse dropped)', async () => {
    const path = join(folder, 'inputs-twice.json');
    writeFileSync(path, '{"inputs": [[1e400, 0]],\n "inputs": [[1, 2e400]],\n "targets": [[1, 0]]}\n');
    const run = await runCliInProcess(['train', '--data', path, '--epochs', '1']);
    expect(run.stderr).toBe(`gradscope: BAD_DATA_FILE: ${path}: "inputs" is written 2 times (at line 1, column 2 and line 2, column 2); JSON keeps the last and drops the others without a word: keep one\n`);
    // Targets twice, the kept copy one row short: it was refused as rows that do not pair up, naming the kept copy's 1 row.
    writeFileSync(path, '{"inputs": [[0, 1], [1, 1]], "targets": [[1, 0], [0, 1]], "targets": [[1, 0]]}');
    expect((await runCliInProcess(['train', '--data', path, '--epochs', '1'])).stderr).toMatch(/: "targets" is written 2 times \(at line 1, column 30 and line 1, column 59\);/);
    // A key's name inside another's value is not a key: "inputs" once as a key is read.
    writeFileSync(path, '{"inputs": [[0, 1], [1, 1]], "targets": [[1, 0], [0, 1]]}');
    expect((await runCliInProcess(['train', '--data', path, '--epochs', '1', '--batch-size', '2'])).code).toBe(0);
  });
});

describe('a trace given as text (edges52: its refusals open with "trace JSON: ", and an Infinity was said unquoted)', () => {
  it('quotes the number at the place refused', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    net.train([[0, 1], [1, 0]], [[1, 0], [0, 1]], { epochs: 2, batchSize: 2, trace: {} });
    const text = JSON.stringify(net.trace!.toJSON());
    net.dispose();
    expect(text).toContain('"steps":[1,2]');
    const step = text.replace('"steps":[1,2]', '"steps":[1,2e400]');
    expect(() => Trace.fromJSON(step)).toThrow(new RegExp(`^trace JSON: steps\\[1\\] must be .*, got Infinity \\(the text writes 2e400 at line 1, column ${step.indexOf('2e400') + 1}: beyond float64's range, which JSON reads as Infinity\\)$`));
    // Parsed JSON has no text to quote.
    expect(() => Trace.fromJSON(JSON.parse(step))).toThrow(/steps\[1\] must be .*, got Infinity$/);
  });
});
