// What the studies print reads in a file as on a terminal: every line of every study's output (its tables, the deepest
// network's first-step trace table and diagnosis in study depth, the prose), the main job's studies (the same texts)
// and curvature's, written with no terminal width (a file or a pipe), fits READING_WIDTH (100) columns, counted as a
// terminal shows them (display width, not UTF-16 length); only a line that is one unbreakable token may run past it: a
// path, or a command line a reader copies (proseWords keeps one whole, its paths and flags on one line, after its list
// marker). Written to a file, study depth's per-layer and init tables printed 212 and 219 characters, study
// activations' 202, trainable-depth's 144 and 177, the first-step trace table 144, and a sentence ran to 497 (session
// 36's measure). (study --model, gradients and train do not yet: they print whole to a file.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proseWords, READING_WIDTH } from '../../src/cli/prose.js';
import { runCliInProcess } from '../util/cli.js';
import { displayWidth } from '../../src/display-width.js';
import { writeStudyModelFiles } from '../util/study-model-files.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-printed-width-'));

/** The lines of `stdout` wider than READING_WIDTH that are more than one token (proseWords' words: a path, a command line), after an indent and a list marker. */
function tooWide(stdout: string): string[] {
  return stdout.split('\n').filter((line) => displayWidth(line) > READING_WIDTH && proseWords(line.trim().replace(/^[-•*] /, '')).length > 1);
}

describe("every line a study prints fits READING_WIDTH, written to a file", async () => {
  const { modelPath, dataPath } = await writeStudyModelFiles(folder, 37);

  it.each([
    ['study depth', ['study', 'depth', '--seeds', '2', '--epochs', '2']],
    ['study activations', ['study', 'activations', '--width', '4', '--epochs', '1', '--train', '40', '--test', '10']],
    ['study trainable-depth', ['study', 'trainable-depth', '--depths', '1,2', '--width', '4', '--epochs', '1', '--train', '64', '--test', '16', '--papers', '1', '--budgets', '1,2', '--budget-depths', '1']],
    ['study trainable-depth --quick', ['study', 'trainable-depth', '--quick', '--depths', '1', '--width', '4', '--epochs', '1', '--train', '32', '--test', '8']],
    ['study autoencoder', ['study', 'autoencoder', '--seconds', '0.05', '--train', '40', '--test', '10', '--points', '2']],
    ['study remedies', ['study', 'remedies', '--seconds', '0.05', '--train', '40', '--test', '10']],
    ['study plateau', ['study', 'plateau', '--epochs', '1', '--points', '1', '--k', '1']],
    ['curvature', ['curvature', '--model', modelPath, '--data', dataPath, '--k', '2', '--backend', 'ref']],
  ])('%s', async (_name, args) => {
    const { code, stdout, stderr } = await runCliInProcess(args);
    expect(code, stderr).toBe(0);
    expect(tooWide(stdout)).toEqual([]);
  }, 600_000);

  it('counts columns as a terminal shows them: an emoji is two, a combining accent none', () => {
    expect(displayWidth('‖∂C/∂b‖ δₓ ─')).toBe(12);
    expect(displayWidth('😀a')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});
