// A --data file's rows that are not rows are refused in the API's words for the same rows (notRowProblem), so
// class labels get the one-hot hint in both (newuser43 #5: the file said 'targets[0] is not an array' where
// net.train(x, labels) said 'class labels? give each target as a one-hot row …'), and a file of other keys
// names the keys it found. A value that is no number (a string, null, a boolean) is a file that holds no rows of numbers:
// BAD_DATA_FILE naming the row and column and where the text writes it, not NON_FINITE_INPUT (edges52's 5), on every command's
// --data and --test-data; the API's rows say the same words under SHAPE_MISMATCH (strict-input).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { dataFromJSON } from '../../src/io/data-file.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-data-values-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('dataFromJSON refusals', () => {
  it('class labels as targets: the API\'s message, with the one-hot hint for the classes the labels count', async () => {
    const inputs = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];
    const labels = [2, 0, 1];
    const net = await createNetwork({ sizes: [2, 4, 3], seed: 1 });
    let api = '';
    try {
      net.train(inputs, labels as never, { epochs: 1 });
    } catch (error) {
      api = (error as Error).message;
    }
    net.dispose();
    expect(api).toMatch(/^targets: row 0 is 2, not an array of numbers; class labels\?/);
    await expectError(() => dataFromJSON({ inputs, targets: labels }, 'labels.json'), 'BAD_DATA_FILE', exactly(`labels.json: ${api}`));
  });

  it('a row that is no array in inputs: the row and what it is', async () => {
    await expectError(() => dataFromJSON({ inputs: [[1], 'x'], targets: [[1], [0]] }, 'd.json'), 'BAD_DATA_FILE', exactly('d.json: inputs: row 1 is the string "x", not an array of numbers'));
  });

  it('other keys than inputs and targets: the keys it found', async () => {
    await expectError(() => dataFromJSON({ x: [[1]], y: [[1]] }, 'xy.json'), 'BAD_DATA_FILE', exactly('xy.json: expected "inputs" and "targets", found "x", "y": rename them ({ "inputs": [[…]], "targets": [[…]] })'));
  });

  // As a model file's unknown field: a "validation" block beside the rows trained without it, silently (edges47 #6).
  it('a key beside inputs and targets: refused, named, not dropped', async () => {
    await expectError(() => dataFromJSON({ inputs: [[1]], targets: [[1]], validation: {} }, 'd.json'), 'BAD_DATA_FILE', exactly("d.json: unknown field 'validation' (known: inputs, targets); gradscope reads no such setting and will not drop it silently"));
    await expectError(() => dataFromJSON({ inputs: [[1]], targets: [[1]], target: [[1]] }, 'd.json'), 'BAD_DATA_FILE', exactly("d.json: unknown field 'target'; did you mean 'targets'? (known: inputs, targets); gradscope reads no such setting and will not drop it silently"));
  });
});

describe('a value that is no number in a data file', () => {
  const refused = (text: string) => {
    const json: unknown = JSON.parse(text);
    return expectError(() => dataFromJSON(json, 'd.json', () => text), 'BAD_DATA_FILE', /^d\.json: /);
  };

  it.each([
    ['a string', '{"inputs": [[0, 1], [1, "2"]], "targets": [[1], [0]]}', 'inputs: row 1, column 1 is the string "2", not a number (at line 1, column 25)'],
    ['a boolean in targets', '{"inputs": [[0, 1]],\n "targets": [[false]]}', 'targets: row 0, column 0 is false, not a number (at line 2, column 15)'],
    ['an array', '{"inputs": [[[0], 1]], "targets": [[1]]}', 'inputs: row 0, column 0 is an array, not a number (at line 1, column 14)'],
    ['an object', '{"inputs": [[0, {}]], "targets": [[1]]}', 'inputs: row 0, column 1 is an object, not a number (at line 1, column 17)'],
    // JSON has no NaN: JSON.stringify writes it as null, and a file so written says so.
    ['null, as JSON.stringify writes NaN', JSON.stringify({ inputs: [[0, NaN]], targets: [[1]] }), 'inputs: row 0, column 1 is null, not a number (JSON.stringify writes NaN and ±Infinity as null; at line 1, column 15)'],
  ])('%s: BAD_DATA_FILE, its row and column, where the text writes it', async (_what, text, said) => {
    expect((await refused(text)).message).toBe(`d.json: ${said}`);
  });

  it("the file's first in its own order, beside a number beyond float64's range (NON_FINITE_INPUT, quoted as written) after it", async () => {
    expect((await refused('{"targets": [[1], ["0"]], "inputs": [[0], [1e400]]}')).message).toBe('d.json: targets: row 1, column 0 is the string "0", not a number (at line 1, column 20)');
    const text = '{"inputs": [[1e400], ["0"]], "targets": [[1], [0]]}';
    await expectError(() => dataFromJSON(JSON.parse(text), 'd.json', () => text), 'NON_FINITE_INPUT', /^d\.json: inputs: row 0, column 0 is Infinity, not a finite number \(the text writes 1e400 at line 1, column 14: /);
  });

  it('parsed JSON without its text: the row and column alone', async () => {
    await expectError(() => dataFromJSON({ inputs: [['x']], targets: [[1]] }, 'd.json'), 'BAD_DATA_FILE', exactly('d.json: inputs: row 0, column 0 is the string "x", not a number'));
  });

  // Every command reads --data (and --test-data) through one reader (training-rows' checkedDataRows): the same refusal from each.
  it('train, study --model, gradients and curvature, --data and --test-data: one line, exit 1', async () => {
    const good = join(folder, 'good.json');
    writeFileSync(good, JSON.stringify({ inputs: [[0, 1], [1, 0]], targets: [[1, 0], [0, 1]] }));
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, '{"inputs": [[0, 1], [1, "0.5"]], "targets": [[1, 0], [0, 1]]}');
    const model = join(folder, 'model.json');
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    writeFileSync(model, JSON.stringify(net.toJSON()));
    net.dispose();
    const line = `gradscope: BAD_DATA_FILE: ${bad}: inputs: row 1, column 1 is the string "0.5", not a number (at line 1, column 25)\n`;
    for (const args of [['train', '--data', bad], ['train', '--data', good, '--test-data', bad], ['study', '--model', model, '--data', bad], ['gradients', '--model', model, '--data', bad], ['curvature', '--model', model, '--data', bad]]) {
      const run = await runCliInProcess([...args, ...(args[0] === 'train' || args[0] === 'study' ? ['--epochs', '1'] : [])]);
      expect([run.code, run.stdout, run.stderr], args.join(' ')).toEqual([1, '', line]);
    }
  });
});
