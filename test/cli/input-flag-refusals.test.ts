// A file a flag names that cannot be read is refused with its flag first, as the output flags' refusals are (`--out out/m.json: …`):
// `IO_ERROR: nope.json: cannot read (ENOENT…)` named no flag, where a command reads a model and one or two data files (newuser43 #10).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-input-flags-'));
const at = (name: string) => join(folder, name);
const data = at('data.json');
writeFileSync(data, JSON.stringify({ inputs: [[1, 2], [3, 4]], targets: [[1, 0], [0, 1]] }));
const model = at('model.json');
const missing = at('nope.json');

describe('a file a flag names that cannot be read', () => {
  it.each([
    ['train --data', ['train', '--data', missing], 'data'],
    ['train --test-data', ['train', '--data', data, '--test-data', missing], 'test-data'],
    ['study --data', ['study', '--model', missing, '--data', missing], 'data'],
    ['study --model', ['study', '--model', missing, '--data', data], 'model'],
    ['gradients --model', ['gradients', '--model', missing, '--data', data], 'model'],
    ['curvature --model', ['curvature', '--model', missing, '--data', data], 'model'],
  ])('%s: named by its flag, in one line, exit 1, nothing on stdout', async (_, args, flag) => {
    const run = await runCliInProcess(args);
    expect(run.stderr).toBe(`gradscope: IO_ERROR: --${flag} ${missing}: cannot read (ENOENT: no such file or directory)\n`);
    expect([run.code, run.stdout]).toEqual([1, '']);
  });

  it('names the --data file of gradients and curvature once the model is read, and a folder given as --data', async () => {
    writeFileSync(model, JSON.stringify((await createNetwork({ sizes: [2, 3, 2], seed: 1 })).toJSON()));
    for (const command of ['gradients', 'curvature']) {
      const run = await runCliInProcess([command, '--model', model, '--data', missing]);
      expect(run.stderr).toBe(`gradscope: IO_ERROR: --data ${missing}: cannot read (ENOENT: no such file or directory)\n`);
    }
    const asFolder = await runCliInProcess(['train', '--data', folder]);
    expect(asFolder.stderr).toBe(`gradscope: IO_ERROR: --data ${folder}: cannot read (it is a folder, not a file)\n`);
  });
});
