// study --model refuses rows its model does not take in one line naming the model, the rows and the
// way out: a model `train --data own.json --out m.json` made, studied without --data, read
// 'SHAPE_MISMATCH: digits: inputs: has 784 columns, expected 2' (gradients and curvature:
// measured-rows-cases).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-rows-fit-'));

describe('study --model: rows the model does not take', () => {
  it('names the model, the rows and the way out, in one line, exit 1, before any work', async () => {
    const net = await createNetwork({ sizes: [2, 4, 2], seed: 1 });
    const model = join(folder, 'own.json');
    writeFileSync(model, JSON.stringify(net.toJSON()));
    net.dispose();
    const digits = await runCliInProcess(['study', '--model', model, '--train', '10', '--test', '10', '--epochs', '1']);
    expect([digits.code, digits.stdout]).toEqual([1, '']);
    expect(digits.stderr.trim()).toBe(`gradscope: SHAPE_MISMATCH: ${model} takes 2 inputs and gives 2 outputs, but the digits have 784 pixels and 10 classes: give the rows it was made for with --data FILE`);
    const data = join(folder, 'three.json');
    writeFileSync(data, JSON.stringify({ inputs: [[1, 2, 3]], targets: [[1, 0, 0]] }));
    const file = await runCliInProcess(['study', '--model', model, '--data', data, '--epochs', '1']);
    expect([file.code, file.stdout]).toEqual([1, '']);
    expect(file.stderr.trim()).toBe(`gradscope: SHAPE_MISMATCH: ${model} takes 2 inputs and gives 2 outputs, but ${data}'s rows have 3 inputs and 3 targets: give a --data file whose rows fit it`);
  });

  it("reads a --data file named 'digits' as that file, never as the bundled digits, and names it so", async () => {
    // The bundled digits were told apart from a --data file by its name: a file called digits was refused as the digits.
    const model = join(folder, 'own.json');
    const here = mkdtempSync(join(folder, 'cwd-'));
    writeFileSync(join(here, 'digits'), JSON.stringify({ inputs: [[1, 2, 3], [3, 2, 1]], targets: [[1, 0, 0], [0, 0, 1]] }));
    const cwd = process.cwd();
    process.chdir(here);
    try {
      const refused = await runCliInProcess(['study', '--model', model, '--data', 'digits', '--epochs', '1']);
      expect([refused.code, refused.stdout]).toEqual([1, '']);
      expect(refused.stderr.trim()).toBe(`gradscope: SHAPE_MISMATCH: ${model} takes 2 inputs and gives 2 outputs, but digits's rows have 3 inputs and 3 targets: give a --data file whose rows fit it`);
      const trained = await runCliInProcess(['train', '--data', 'digits', '--layers', '3,4,3', '--epochs', '1', '--out', 'm.json']);
      expect(trained.code, trained.stderr).toBe(0);
      // (Read across its lines: train's prose wraps at READING_WIDTH, in a file too.)
      expect(flat(trained.stdout)).toContain('2 rows of digits');
      expect(flat(trained.stdout)).toContain('To train it on from these weights with the same settings and a fresh sgd, not resuming the optimiser state saved with them, tracing and diagnosing it, on the same rows:');
      expect(trained.stdout.trimEnd().split('\n').at(-1)).toBe('  gradscope study --model m.json --data digits');
    } finally {
      process.chdir(cwd);
    }
  });

  it('one target column beside a softmax + cross-entropy model: says one-hot rows, one column per class, and class indices where the column holds them (newuser45 #10)', async () => {
    const net = await createNetwork({ sizes: [2, 4, 3], activation: 'tanh', output: 'softmax', loss: 'cross-entropy', seed: 1 });
    const model = join(folder, 'softmax.json');
    writeFileSync(model, JSON.stringify(net.toJSON()));
    net.dispose();
    const refusal = async (targets: number[][], command: string[]) => {
      const data = join(folder, 'indices.json');
      writeFileSync(data, JSON.stringify({ inputs: targets.map((_, i) => [i, -i]), targets }));
      const run = await runCliInProcess([...command, '--model', model, '--data', data, ...(command[0] === 'study' ? ['--epochs', '1'] : [])]);
      expect([run.code, run.stdout]).toEqual([1, '']);
      return run.stderr.trim().replace(`${model} takes 2 inputs and gives 3 outputs, but ${data}'s rows have 2 inputs and 1 target: give a --data file whose rows fit it`, '…');
    };
    const oneHot = 'gradscope: SHAPE_MISMATCH: …; a softmax output with cross-entropy takes one-hot targets, one column per class (3 here: class 2 is [0, 0, 1])';
    for (const command of [['study'], ['gradients'], ['curvature']]) {
      expect(await refusal([[0], [2], [1]], command), command[0]).toBe(`${oneHot}; its one column of whole numbers from 0 to 2 reads as class indices (nn.CrossEntropyLoss's targets): write each as its one-hot row`);
    }
    // Out of range, negative, not whole: the one-hot words alone, no claim that they are class indices.
    for (const column of [[[0], [3]], [[0], [-1]], [[0], [1.5]]]) expect(await refusal(column, ['gradients']), JSON.stringify(column)).toBe(oneHot);
  });
});
