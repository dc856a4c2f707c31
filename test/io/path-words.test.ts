// A path in an error's message is the word a printed command would give it (src/shell-word.ts):
// quoted where it holds a space, $'…' where it holds a control character. Printed raw, a forged
// path's escape reached the terminal as a command to it (clearing the screen, recolouring what
// followed) and its line break split the message; a path with a space was not quoted as the
// commands gradscope prints quote it. Each check reads the printed word back through a real bash.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/file-access.js';
import { loadModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { bashWords } from '../util/bash-words.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-path-words-'));
/** A name with a line break, an escape that clears the screen and a space. */
const forged = (name: string) => join(folder, `line\nbreak\x1b[2J ${name}`);

/** Control characters (C0, DEL, C1), the line and paragraph separators and the bidi controls: none may reach the terminal raw. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** `message` holds no control character, and its first word, up to `after`, reads back in bash as `path`. */
function expectLeadingWord(message: string, path: string, after: string): void {
  expect(message, JSON.stringify(message)).not.toMatch(CONTROL);
  const end = message.indexOf(after);
  expect(end, message).toBeGreaterThan(0);
  expect(bashWords(message.slice(0, end))).toEqual([path]);
}

describe('a path in a library error', () => {
  it("ioError: a file that does not exist, named by its word", async () => {
    const path = forged('missing.json');
    const error = await expectError(() => readModelFile(path), 'IO_ERROR', /: cannot read \(ENOENT/);
    expectLeadingWord(error.message, path, ': cannot read');
  });

  it('a C1 control (an 8-bit CSI), a bidi override and a line separator are escaped too', async () => {
    const path = join(folder, 'csi\u009b2J rtl\u202egnp.json\u2028x\u2066y\u0085');
    const error = await expectError(() => readModelFile(path), 'IO_ERROR', /: cannot read \(ENOENT/);
    expectLeadingWord(error.message, path, ': cannot read');
  });

  it('a path with a space is quoted as the printed commands quote it', async () => {
    const path = join(folder, 'my model.json');
    const error = await expectError(() => readModelFile(path), 'IO_ERROR', /: cannot read/);
    expect(error.message.startsWith(`'${path}': cannot read`), error.message).toBe(true);
  });

  it("a reader's refusal of the file's content (files.ts, model-formats.ts)", async () => {
    const path = forged('not-json.json');
    writeFileSync(path, 'inputs,targets\n1,0\n');
    const loaded = await expectError(() => loadModel(path), 'BAD_MODEL_FILE', /: not valid JSON at line 1/);
    expectLeadingWord(loaded.message, path, ': not valid JSON');
    const read = await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', /: not valid JSON at line 1/);
    expectLeadingWord(read.message, path, ': not valid JSON');
    const onnx = await expectError(() => readModelFile(path, { format: 'onnx' }), 'INVALID_OPTION', /: ONNX is an export format/);
    expectLeadingWord(onnx.message, path, ': ONNX');
  });

  it('a folder given for a file, to read (files.ts) and to write (file-access.ts)', async () => {
    const path = forged('folder');
    mkdirSync(path);
    writeFileSync(join(path, 'a\x1bb.json'), '{}');
    const read = await expectError(() => loadModel(path), 'IO_ERROR', /: cannot read \(it is a folder/);
    expectLeadingWord(read.message, path, ': cannot read');
    const example = /e\.g\. (.*)$/.exec(read.message);
    expect(example, read.message).not.toBeNull();
    expect(bashWords(example![1])).toEqual([join(path, 'a\x1bb.json')]);
    const written = await expectError(() => writeFileAtomic(path, 'x'), 'IO_ERROR', /: cannot write \(it is a folder\)/);
    expectLeadingWord(written.message, path, ': cannot write');
  });

  it('a write into a folder that does not exist names both by their words', async () => {
    const missing = forged('no folder');
    const path = join(missing, 'm.json');
    const error = await expectError(() => writeFileAtomic(path, 'x'), 'IO_ERROR', /: cannot write \(the folder .* does not exist\)/);
    expectLeadingWord(error.message, path, ': cannot write');
    expect(bashWords(/the folder (.*) does not exist/.exec(error.message)![1])).toEqual([missing]);
  });
});

describe('a path in a command-line error', () => {
  it('--data a CSV: one line on stderr, no escape, the file named by its word', async () => {
    const path = forged('rows.csv');
    writeFileSync(path, 'x,y\n1,0\n');
    const run = await runCliInProcess(['train', '--data', path, '--layers', '2,3,2', '--epochs', '1']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const message = run.stderr.replace(/^gradscope: BAD_DATA_FILE: /, '').trimEnd();
    expect(message).toContain('--data takes a JSON file');
    expectLeadingWord(message, path, ': not valid JSON');
  });

  it('--model a file that does not exist', async () => {
    const path = forged('model.json');
    const run = await runCliInProcess(['gradients', '--model', path]);
    expect(run.code).not.toBe(0);
    // The refusal names its flag first (9e7a4e65), then the path as a word.
    expect(run.stderr).toMatch(/^gradscope: IO_ERROR: --model /);
    expectLeadingWord(run.stderr.replace(/^gradscope: IO_ERROR: --model /, '').trimEnd(), path, ': cannot read');
  });
});
