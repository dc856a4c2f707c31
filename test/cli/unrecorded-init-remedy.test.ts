// A model file that records no initialisation (a PyTorch or Keras export, or the docs' JSON written by hand) still gets
// its remedies as train lines to paste, each saying what it assumes of the initialisation it cannot read (newuser43 #3:
// 'train cannot make this run: it does not record its biases' initialisation', though the same line typed by hand ran).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/init/rng.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { codeQuoteOn } from '../util/page-quotes.js';
import { bashWords } from '../util/bash-words.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-unrecorded-init-'));
const at = (name: string) => join(folder, name);

const rng = new Rng(9);
const inputs = Array.from({ length: 24 }, () => Array.from({ length: 4 }, () => rng.normal()));
const targets = inputs.map((row) => (row[0] > 0 ? [1, 0, 0] : row[1] > 0 ? [0, 1, 0] : [0, 0, 1]));
const dataPath = at('data.json');
writeFileSync(dataPath, JSON.stringify({ inputs, targets }));

describe('remedies for a model file that records no initialisation', () => {
  it('are train lines that say what they assume of the init, and each runs as printed', async () => {
    const made = at('made.json');
    expect((await runCliInProcess(['train', '--data', dataPath, '--layers', '4,16,16,16,16,16,16,3', '--epochs', '0', '--out', made])).code).toBe(0);
    // As another library's export reads: the layers and the loss, no record of how they were initialised or trained.
    const file = JSON.parse(readFileSync(made, 'utf8'));
    delete file.initialisation;
    delete file.training;
    const model = at('export.json');
    writeFileSync(model, JSON.stringify(file));
    const run = await runCliInProcess(['study', '--model', model, '--data', dataPath, '--epochs', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('cannot make this run');
    const text = flat(run.stdout);
    expect(text).toContain('# the run records no initialisation of its biases: this line starts them as train does without # --bias-init (zero)');
    expect(text.replaceAll(' # ', ' ')).toContain(codeQuoteOn('docs/gradient-flow.md', 'the run records no initialisation of its biases'));
    const lines = run.stdout.split('\n').map((line) => line.trim().replace(/^(• )?/, '')).filter((line) => line.startsWith('gradscope train '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const words = bashWords(line).slice(1);
      const again = await runCliInProcess(words);
      expect(again.stderr, line).toBe('');
      expect(again.code, line).toBe(0);
    }
  });
});
