// A file that should be JSON and is not gets one refusal wherever it is read: one code, the file,
// and the line and column where it stops being JSON with what was expected there. The library said
// "model: not valid JSON (…)" from loadModel, "not valid JSON (…)" from the command line, and of the
// same bytes named .json "neither a gradscope model …" from loadModel, "not UTF-8 text, so not JSON"
// or "neither a gradscope binary model nor UTF-8 JSON" by reader.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, loadModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { Network } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';
import { jsonSyntaxProblem, notJsonMessage } from '../../src/json-syntax.js';
import { hasUnsafe } from '../../src/unsafe-characters.js';
import { runCliInProcess } from '../util/cli.js';

describe('jsonSyntaxProblem', () => {
  it.each([
    ['not json', 1, 1, "expected a value (an object, array, string, number, true, false or null), got 'n'"],
    ['{"format": "gradscope.model", ', 1, 31, 'expected a property name in double quotes, got the end of the text'],
    ['{"a": 1,}', 1, 9, "expected a property name in double quotes, got '}'"],
    ['{\n  "a": [1, 2\n}', 3, 1, "expected ',' or ']', got '}'"],
    ['{"a" 1}', 1, 6, "expected ':' after the property name, got '1'"],
    ['{"a": "tab\there"}', 1, 11, `expected the string's closing '"' (a control character must be escaped, e.g. \\n), got U+0009`],
    ['{"a": "\\x"}', 1, 9, `expected an escape (one of " \\ / b f n r t u) after \\, got 'x'`],
    ['[1.]', 1, 4, "expected a digit, got ']'"],
    ['{} {}', 1, 4, "expected nothing after the JSON value, got '{'"],
    ['[', 1, 2, "expected a value or ']', got the end of the text"],
    // What does not show is named by its code point: a byte order mark (readFileSync(path, 'utf8') keeps it), a zero-width space, a lone surrogate.
    ['\ufeff{}', 1, 1, 'expected a value (an object, array, string, number, true, false or null), got U+FEFF'],
    ['[1,\u200b2]', 1, 4, 'expected a value (an object, array, string, number, true, false or null), got U+200B'],
    ['[\ud800]', 1, 2, "expected a value or ']', got U+D800"],
    // A character outside the BMP is shown whole, not as half of its surrogate pair.
    ['[😀]', 1, 2, "expected a value or ']', got '😀'"],
    // What Python's json.dump writes for float('nan') and float('-inf'), which JSON has no value for (newuser43 #10).
    ['[[0.5, NaN]]', 1, 8, "expected a value (an object, array, string, number, true, false or null), got 'N' (NaN: JSON has no NaN, though Python's json.dump writes it for a float('nan'): give a number, or leave the row out)"],
    ['[-Infinity]', 1, 3, "expected a digit, got 'I' (Infinity: JSON has no Infinity, though Python's json.dump writes it for a float('inf'): give a number, or leave the row out)"],
  ])('%j: line %i, column %i', (text, line, column, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxProblem(text)).toEqual({ line, column, problem });
  });

  it('names every unsafe character by its code point (UNSHOWABLE holds UNSAFE_CLASS through its categories)', () => {
    const unsafe = [...Array(0x10000).keys()].map((code) => String.fromCharCode(code)).filter(hasUnsafe);
    expect(unsafe).toEqual(expect.arrayContaining(['\x1b', '\x9b', '\u061c', '\u2028', '\u202e', '\ufeff'])); // one of each category and range
    for (const char of unsafe.filter((c) => !'\t\n\r'.includes(c))) {
      const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(jsonSyntaxProblem(`[${char}]`)?.problem, code).toBe(`expected a value or ']', got ${code}`);
    }
  });

  it('finds nothing wrong in JSON, however deep, and no stack overflow', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e+3, "x\\u00e9\\n", true, false, null, {}]} ', '"s"', '0', '[[[]]]']) expect(jsonSyntaxProblem(text), text).toBeUndefined();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonSyntaxProblem(deep)).toBeUndefined();
    expect(jsonSyntaxProblem(deep + ']')).toEqual({ line: 1, column: 200_001, problem: "expected nothing after the JSON value, got ']'" });
  });
});

describe('a model file that is not JSON', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradscope-not-json-'));
  const data = join(folder, 'data.json');
  writeFileSync(data, JSON.stringify({ inputs: [[1, 2]], targets: [[1]] }));
  const cases = [
    ['cut short', 'cut.json', '{"format": "gradscope.model", ', "not valid JSON at line 1, column 31: expected a property name in double quotes, got the end of the text"],
    ['text that is no JSON, named .json', 'notes.json', 'model: see README\n', "not valid JSON at line 1, column 1: expected a value (an object, array, string, number, true, false or null), got 'm'"],
    ['not UTF-8', 'latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]), 'not valid JSON: not UTF-8 text'],
    // JSON whose value is a string is not parsed again: a model encoded twice read as the model (readModelJSON parses text).
    ['a model encoded twice', 'twice.json', JSON.stringify(JSON.stringify({ format: 'gradscope.model', version: 1, loss: 'mse', layers: [] })), 'model: expected a JSON object, got a JSON string'],
    ['a JSON string', 'string.json', '"x"', 'model: expected a JSON object, got a JSON string'],
  ] as const;

  it.each(cases)('%s: the same BAD_MODEL_FILE from loadModel, loadCheckpoint and readModelFile', async (_, name, content, message) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    for (const read of [loadModel, loadCheckpoint, readModelFile]) {
      const error = await (read as (path: string) => Promise<unknown>)(path).then(() => undefined, (e: unknown) => e);
      expect(error, read.name).toBeInstanceOf(GradscopeError);
      expect([(error as GradscopeError).code, (error as GradscopeError).message], read.name).toEqual(['BAD_MODEL_FILE', `${path}: ${message}`]);
    }
  });

  it.each(cases)('%s: the same line from study --model, gradients, curvature and convert', async (_, name, content, message) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    for (const args of [['study', '--model', path, '--data', data], ['gradients', '--model', path, '--data', data], ['curvature', '--model', path, '--data', data], ['convert', path, join(folder, 'out.json')]]) {
      const run = await runCliInProcess(args);
      expect([run.code, run.stderr], args[0]).toEqual([1, `gradscope: BAD_MODEL_FILE: ${path}: ${message}\n`]);
    }
  });

  it('Network.fromJSON of text says it the same way, at the field it names', async () => {
    await expect(Network.fromJSON('{"format": "gradscope.model", ')).rejects.toThrow(/not valid JSON at line 1, column 31: expected a property name in double quotes, got the end of the text$/);
    expect(notJsonMessage('{"a": 1}', 'whatever')).toBe('not valid JSON (whatever)');
  });
});
