// A path or value in a command line gradscope prints runs as printed: pasted into bash, each word is
// the path it was, whatever characters it holds. A line break in a single-quoted word did not survive
// a line printed as one (error-line.ts' oneLine made it a space: another file) and split the command
// over two lines in the terminal; such a word is printed in $'…' with its control characters as
// escapes. Each check below asks a real bash how it reads the printed words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/cli/error-line.js';
import { gradientsCommand } from '../../src/cli/commands/gradients.js';
import { fitLine } from '../../src/cli/prose.js';
import { shellLine, shellWord } from '../../src/shell-word.js';
import { UnstatedImportOptions } from '../../src/io/import-options.js';
import { bashWords } from '../util/bash-words.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

/** Paths no plain word, nor single quotes on one line, can say: line breaks (with the spaces oneLine ate beside them), a tab, an escape, quotes and backslashes among them. */
const AWKWARD = ['a\nb.json', 'runs/a \n b.json', 'x\r\n', 'tab\there.json', 'esc\x1b[31mred.json', "it's\na\\b.json", "end\\'\n", 'del\x7f1.json', 'hex\x012.json', 'csi\u009b2J.json', 'nel\u0085.json', 'rtl\u202egnp.json', 'iso\u2066late\u2069.json', 'ls\u2028ps\u2029.json'];

describe('shell words with control characters', () => {
  it('are $-quoted, one line each, and bash reads back the path', () => {
    for (const path of AWKWARD) {
      const word = shellWord(path);
      expect(word, JSON.stringify(path)).toMatch(/^\$'[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*'$/);
      expect(bashWords(`${word} next`), word).toEqual([path, 'next']);
    }
    // Words without a control character are quoted as before.
    expect([shellWord('m.json'), shellWord('my model.json'), shellWord("it's.json")]).toEqual(['m.json', "'my model.json'", "'it'\\''s.json'"]);
    expect(bashWords(shellLine(['convert', "it's a $HOME.json", 'back\\slash x']))).toEqual(['convert', "it's a $HOME.json", 'back\\slash x']);
  });

  it("in an error's command line, printed on one line: the convert line names the file it refused", () => {
    const path = 'models/line\n break.safetensors';
    const lacks = new UnstatedImportOptions('__metadata__', 'has no "loss"', ['loss'], 'to say what the model was trained on', undefined, path);
    const said = errorMessage(lacks, gradientsCommand, undefined);
    const convert = /convert the file first: gradscope (convert .*?) \(gradscope convert --help/.exec(said);
    expect(convert, said).not.toBeNull();
    expect(bashWords(convert![1])).toEqual(['convert', path, 'models/line\n break.json', '--loss', 'L']);
    expect(bashWords(/then give --model (.*)$/.exec(said)![1])).toEqual(['models/line\n break.json']);
  });

  it('kept whole in prose fitted to a terminal, spaces and all', () => {
    const word = shellWord('my\nmodel of runs.json');
    const lines = fitLine(`Model: saved (gradscope study --model ${word} --data d.json trains it on from these weights, tracing it)`, 30).split('\n');
    expect(lines.some((line) => line.includes(`gradscope study --model ${word} --data d.json`)), lines.join('\n')).toBe(true);
  });

  it("in train's closing command: pasted into bash, it studies the model train saved", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-words-'));
    const data = join(folder, 'rows\nof data.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0], [1, 1], [0, 0]], targets: [[1, 0], [1, 0], [0, 1], [0, 1]] }));
    const out = join(folder, 'line\nbreak.json');
    const run = await runCliInProcess(['train', '--data', data, '--layers', '2,3,2', '--epochs', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    // The command is train's last line, whole: a quoted word is never broken.
    const hint = /^  gradscope (study --model .*)$/.exec(run.stdout.trimEnd().split('\n').at(-1)!);
    expect(hint, run.stdout).not.toBeNull();
    const words = bashWords(hint![1]);
    expect(words).toEqual(['study', '--model', out, '--data', data]);
    const study = await runCliInProcess([...words, '--epochs', '1']);
    expect(study.code, study.stderr).toBe(0);
  }, 60_000);

  it("in train's prose: the model saved and the rows trained on are named by the same words, no line break or escape printed raw", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-words-'));
    const data = join(folder, 'rows\nof\x1b[31m data.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0], [1, 1], [0, 0]], targets: [[1, 0], [1, 0], [0, 1], [0, 1]] }));
    const out = join(folder, 'line\nbreak\x1b[2J.json');
    const run = await runCliInProcess(['train', '--data', data, '--layers', '2,3,2', '--epochs', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/\x1b/);
    // `Model: line` then `break….json (…` over two lines, the escape clearing the screen.
    const model = /^Model: (.*)$/m.exec(run.stdout);
    expect(model, run.stdout).not.toBeNull();
    expect(bashWords(model![1])).toEqual([out]);
    const rows = / training on 4 rows of (.*?), 1 epoch\./.exec(flat(run.stdout));
    expect(rows, run.stdout).not.toBeNull();
    expect(bashWords(rows![1])).toEqual([data]);
  }, 60_000);

  it("in the refusal of a data file's one target column under softmax: the file named by its word, on one line", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-words-'));
    const data = join(folder, 'one\ntarget\x1b[31m.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0]], targets: [[1], [0]] }));
    const run = await runCliInProcess(['train', '--data', data, '--layers', '2,3,1', '--epochs', '1']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(/\x1b/);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const where = /the rows in (.*?) have 1 target:/.exec(run.stderr);
    expect(where, run.stderr).not.toBeNull();
    expect(bashWords(where![1])).toEqual([data]);
  });
});
