// A number beyond float64's range in a JSON input (1e400) is read by JSON.parse as ±Infinity, and the refusal said
// 'Infinity is not a finite number', a word the file never holds (edges47 #9): it now quotes what the text writes, and
// where, scanned on the refusal's path only. A string that holds such digits is text, not a number, and is not quoted.
// Model files and checkpoints (readModelJSON's text, loadModel's file), and a --data file (readDataFile, before any flag is read against its rows).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, loadModel, readModelJSON } from '../../src/node.js';
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

