// A --data file's rows that are not rows are refused in the API's words for the same rows (notRowProblem), so
// class labels get the one-hot hint in both (newuser43 #5: the file said 'targets[0] is not an array' where
// net.train(x, labels) said 'class labels? give each target as a one-hot row …'), and a file of other keys
// names the keys it found.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { dataFromJSON } from '../../src/io/data-file.js';
import { expectError } from '../util/expect-error.js';

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
