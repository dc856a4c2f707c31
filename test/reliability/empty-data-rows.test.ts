// A --data file whose rows hold no values is refused as the data's fault (BAD_DATA_FILE naming the file
// and the row): `gradscope train` built a network of 0 units from it and said
// 'sizes[0]: expected a whole number of units from 1 to 1,048,576, got 0', an API option no flag gives,
// without naming the file; the commands that read a model said the rows have 0 inputs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { runCliInProcess } from '../util/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gradscope-empty-rows-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const model = join(dir, 'm.json');
const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
await saveModel(net, model);
net.dispose();

describe('a --data file with rows of no values', () => {
  it.each([
    ['inputs', { inputs: [[], []], targets: [[1, 0], [0, 1]] }, 'inputs\\[0\\]'],
    ['targets', { inputs: [[1, 2], [3, 4]], targets: [[], []] }, 'targets\\[0\\]'],
  ])('of %s: BAD_DATA_FILE naming the file and the row, from train and from a command reading a model', async (_, content, row) => {
    const data = file(`${row.slice(0, 6)}.json`, content);
    const expected = new RegExp(`^gradscope: BAD_DATA_FILE: ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${row} is empty; each row holds at least one number\\n$`);
    for (const args of [['train', '--data', data, '--epochs', '1'], ['gradients', '--model', model, '--data', data]]) {
      const { code, stdout, stderr } = await runCliInProcess(args);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(expected);
    }
  });
});
