// What a command prints reads in a file as on a terminal: every line of every command's output (the studies' tables,
// the trace tables and diagnoses, train's epoch lines, the prose), the main job's studies (the same texts) included,
// written with no terminal width (a file or a pipe), fits READING_WIDTH (100) columns, counted as a terminal shows them
// (display width, not UTF-16 length); only a line that is one unbreakable token may run past it: a path, or a command
// line a reader copies (proseWords keeps one whole, its paths and flags on one line, after its list marker). Written to
// a file, study depth's per-layer and init tables printed 212 and 219 characters, study activations' 202,
// trainable-depth's 144 and 177, the first-step trace table 144, and a sentence ran to 497 (session 36's measure);
// study --model's remedy lines with their notes (a shell comment after a command line) 221 to 231, and train's closing
// line 300 with a 38-character path in it twice (session 38's: train --train 200 --test 50 --out PATH); gradients' and
// convert's first lines run as long as their paths make them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { COMMANDS } from '../../src/cli/cli.js';
import { epochLine } from '../../src/cli/commands/train.js';
import { proseWords, READING_WIDTH } from '../../src/cli/prose.js';
import { runCliInProcess } from '../util/cli.js';
import { displayWidth } from '../../src/display-width.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-printed-width-'));

/** The lines of `stdout` wider than READING_WIDTH that are more than one token (proseWords' words: a path, a command line), after an indent and a list marker. */
function tooWide(stdout: string): string[] {
  return stdout.split('\n').filter((line) => displayWidth(line) > READING_WIDTH && proseWords(line.trim().replace(/^[-•*] /, '')).length > 1);
}

describe('every line a command prints fits READING_WIDTH, written to a file', async () => {
  const { modelPath, dataPath } = await writeStudyModelFiles(folder, 37);
  const blocks = await createNetwork({
    inputs: 6,
    seed: 2,
    layers: [{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 8, activation: 'relu' }] }, { type: 'dense', units: 2, activation: 'softmax' }],
  });
  const blockPath = join(folder, 'blocks.json');
  writeFileSync(blockPath, JSON.stringify(blocks.toJSON()));
  blocks.dispose();
  const trained = join(folder, 'trained-on-the-digits.json');

  const cases: [string, string[]][] = [
    ['study depth', ['study', 'depth', '--seeds', '2', '--epochs', '2']],
    ['study activations', ['study', 'activations', '--width', '4', '--epochs', '1', '--train', '40', '--test', '10']],
    ['study trainable-depth', ['study', 'trainable-depth', '--depths', '1,2', '--width', '4', '--epochs', '1', '--train', '64', '--test', '16', '--papers', '1', '--budgets', '1,2', '--budget-depths', '1']],
    ['study trainable-depth --quick', ['study', 'trainable-depth', '--quick', '--depths', '1', '--width', '4', '--epochs', '1', '--train', '32', '--test', '8']],
    ['study autoencoder', ['study', 'autoencoder', '--seconds', '0.05', '--train', '40', '--test', '10', '--points', '2']],
    ['study remedies', ['study', 'remedies', '--seconds', '0.05', '--train', '40', '--test', '10']],
    ['study plateau', ['study', 'plateau', '--epochs', '1', '--points', '1', '--k', '1']],
    ['curvature', ['curvature', '--model', modelPath, '--data', dataPath, '--k', '2', '--backend', 'ref']],
    ['train', ['train', '--train', '200', '--test', '50', '--layers', '784,16,10', '--epochs', '2', '--init', 'lsuv', '--optimizer', 'layer-rates', '--out', trained]],
    ['train --data', ['train', '--data', dataPath, '--layers', '6,8,8,8,2', '--epochs', '0', '--init', 'normal:0.5', '--bias-init', 'constant:0.1']],
    ['gradients', ['gradients', '--model', modelPath, '--data', dataPath]],
    ['gradients (blocks)', ['gradients', '--model', blockPath, '--data', dataPath]],
    ['study --model', ['study', '--model', modelPath, '--data', dataPath, '--epochs', '3', '--batch-size', '10', '--csv', join(folder, 'trace.csv')]],
    ['study --model --epochs 0', ['study', '--model', modelPath, '--data', dataPath, '--epochs', '0']],
    ['study --model (blocks)', ['study', '--model', blockPath, '--data', dataPath, '--epochs', '2', '--batch-size', '10']],
    ['study --model (a checkpoint, the digits)', ['study', '--model', trained, '--train', '200', '--test', '50', '--epochs', '2']],
    ['convert', ['convert', trained, join(folder, 'trained.safetensors')]],
  ];

  it.each(cases)('%s', async (_name, args) => {
    const { code, stdout, stderr } = await runCliInProcess(args);
    expect(code, stderr).toBe(0);
    expect(tooWide(stdout)).toEqual([]);
  }, 600_000);

  it('runs every command but the main job (its studies are the study commands here; test/cli/main-job-report prints it)', () => {
    const run = new Set(cases.map(([, args]) => COMMANDS.find((c) => c.words.length > 0 && c.words.every((word, i) => args[i] === word) && !COMMANDS.some((longer) => longer.words.length > c.words.length && longer.words.every((word, i) => args[i] === word)))));
    expect(COMMANDS.filter((c) => c.words.length > 0 && !run.has(c)).map((c) => c.words.join(' '))).toEqual([]);
  });

  // With --on-non-finite skip counting thousands of batches and the training rows checked, an epoch's line ran to 117 columns.
  it("fits train's epoch line: its fields on more lines, each after the first indented, where one line does not fit", () => {
    const line = epochLine('1,000/1,000', 'training', { loss: 0.1234, accuracy: 1 }, READING_WIDTH, { loss: 0.1234, batches: 1234, skipped: 1234 });
    expect(line.split('\n').length).toBeGreaterThan(1);
    for (const part of line.split('\n')) expect(displayWidth(part), part).toBeLessThanOrEqual(READING_WIDTH);
    expect(line.replace(/\n +/g, '  ')).toBe('epoch 1,000/1,000  batch loss 0.1234 (1,234 batches applied, 1,234 skipped)  training loss 0.1234  training accuracy 100.0 %');
    expect(epochLine('1/2', 'test', { loss: 2.3, accuracy: 0.1 }, READING_WIDTH, { loss: 2.31, batches: 16, skipped: 0 })).toBe('epoch 1/2  batch loss 2.310  test loss 2.300  test accuracy 10.0 %');
  });

  it('counts columns as a terminal shows them: an emoji is two, a combining accent none', () => {
    expect(displayWidth('‖∂C/∂b‖ δₓ ─')).toBe(12);
    expect(displayWidth('😀a')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});
