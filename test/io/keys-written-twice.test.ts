// One rule for a key written twice (review52 LOW-13): every reader of a JSON text refuses an object that writes a key twice,
// naming the object and each copy's line and column, where JSON.parse kept the last copy and dropped the others without a
// word (a model file with "weights" twice lost a whole matrix; a --data file was refused, model files were not). An escaped
// spelling ("in\u0070uts") is the key it spells. Data files, model files and checkpoints (text and files), the binary
// checkpoint's header, safetensors headers (whose format disallows it) and the JSON in their metadata, tfjs model.json, traces.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetwork, fromSafetensors, loadModel, readModelJSON, readTfjsLayersFile, Trace, writeModelFile } from '../../src/node.js';
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint } from '../../src/index.js';
import { keyWrittenTwice } from '../../src/json-syntax.js';
import { crc32 } from '../../src/io/crc32.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';
import { writeSpec } from '../util/safetensors-spec.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-keys-twice-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const KEPT = 'JSON keeps the last and drops the others without a word: keep one';

describe('keyWrittenTwice', () => {
  it('names the object and every copy, and reads a text whose keys differ in each object', () => {
    expect(keyWrittenTwice('{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}')).toBeUndefined();
    expect(keyWrittenTwice('{"a": 1,\n "a": 2}')).toBe(`"a" is written 2 times (at line 1, column 2 and line 2, column 2); ${KEPT}`);
    // Three copies, in an object in a list; a `{`, `}` and `\"` inside a string are text.
    const three = '{"s": "{\\"}", "layers": [{"w": 1}, {"w": [1], "u": "a\\\\", "w": 3, "w": 4}]}';
    const columns = [...three.matchAll(/"w"/g)].slice(1).map((m) => `line 1, column ${m.index + 1}`);
    expect(keyWrittenTwice(three)).toBe(`"w" is written 3 times in layers[1] (at ${columns[0]}; ${columns[1]} and ${columns[2]}); ${KEPT}`);
    // A key that is not a name is in brackets, as the readers write a tensor's place.
    expect(keyWrittenTwice('{"0.weight": {"dtype": "F32", "dtype": "F16"}}')).toMatch(/^"dtype" is written 2 times in \["0\.weight"\] \(/);
    // A key's name inside a value is not a key.
    expect(keyWrittenTwice('{"inputs": [[1]], "note": "\\"inputs\\": [[2]]"}')).toBeUndefined();
  });

  it('an escaped spelling is the key it spells, said as written; two keys whose hashes agree are two keys', () => {
    expect(keyWrittenTwice('{"in\\u0070uts": [[1]], "inputs": [[2]]}')).toBe(`"inputs" is written 2 times (at line 1, column 2 as "in\\u0070uts" and line 1, column 24); ${KEPT}`);
    // "Aa" and "BB" share the 31-based hash: compared as text, they differ.
    expect(keyWrittenTwice('{"Aa": 1, "BB": 2}')).toBeUndefined();
    // Past the keys compared one by one (a Set holds them), escaped too.
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    expect(keyWrittenTwice(JSON.stringify(many))).toBeUndefined();
    expect(keyWrittenTwice(JSON.stringify(many).replace('}', ', "k3\\u0031": 0}'))).toMatch(/^"k31" is written 2 times \(at line 1, column \d+ and line 1, column \d+ as "k3\\u0031"\)/);
    // A copy deep down is found without a stack overflow.
    expect(keyWrittenTwice(`${'['.repeat(100_000)}{"a": 1, "a": 2}${']'.repeat(100_000)}`)).toMatch(/^"a" is written 2 times in (\[0\])+\[?0?… \(at line 1, column 100002 and line 1, column 100010\);/);
  });
});

/** A dense model's JSON text, the first layer's "weights" written twice (the first copy all zeros). */
async function modelWithWeightsTwice(): Promise<string> {
  const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
  const text = JSON.stringify(net.toJSON(), null, 1);
  net.dispose();
  return text.replace('"weights": [', '"weights": [[0, 0], [0, 0], [0, 0]],\n   "weights": [');
}

describe('every reader refuses it, naming the object and both places', () => {
  it('a model file: readModelJSON, loadModel, convert (it kept the second matrix without a word)', async () => {
    const text = await modelWithWeightsTwice();
    const line = text.split('\n').findIndex((l) => l.includes('"weights"')) + 1;
    const where = `"weights" is written 2 times in layers[0] (at line ${line}, column 4 and line ${line + 1}, column 4); ${KEPT}`;
    const exactly = (message: string) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await expectError(() => readModelJSON(text), 'BAD_MODEL_FILE', exactly(`model: ${where}`));
    const path = join(folder, 'weights-twice.json');
    writeFileSync(path, text);
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', exactly(`${path}: ${where}`));
    const run = await runCliInProcess(['convert', path, join(folder, 'out.safetensors')]);
    expect(run.stderr).toBe(`gradscope: BAD_MODEL_FILE: ${path}: ${where}\n`);
  });

  it('a checkpoint, as text and as the binary header (behind its checksum, written again)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const checkpoint = checkpointOf(net);
    net.dispose();
    const text = JSON.stringify(checkpointToJSON(checkpoint)).replace('"training":{', '"training":{"step":7,');
    await expectError(() => checkpointFromJSON(text), 'BAD_MODEL_FILE', /^model: "step" is written 2 times in training \(at line 1, column \d+ and line 1, column \d+\);/);
    // The header's "step" respelt "loss" (as long): "loss" twice, the checksum made again over the edited bytes.
    const bytes = encodeCheckpoint(checkpoint);
    const header = new TextDecoder().decode(bytes);
    const at = header.indexOf('"step":');
    expect(at).toBeGreaterThan(0);
    bytes.set(new TextEncoder().encode('"loss":'), at);
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
    await expectError(() => decodeCheckpoint(bytes), 'BAD_MODEL_FILE', /^header: "loss" is written 2 times \(at line 1, column \d+ and line 1, column \d+\);/);
  });

  it('a safetensors header (its format: "Duplicate keys are disallowed"), and the JSON its metadata holds', async () => {
    const bytes = writeSpec([
      { name: '0.weight', shape: [1, 1], values: [1] },
      { name: '2.weight', shape: [1, 1], values: [2] },
    ]);
    // The second tensor renamed as the first (as long, so the header's length holds): JSON.parse kept one of two.
    const header = new TextDecoder().decode(bytes.subarray(0, 200));
    bytes.set(new TextEncoder().encode('"0.weight"'), header.indexOf('"2.weight"'));
    await expectError(() => fromSafetensors(bytes), 'BAD_MODEL_FILE', /^safetensors header: "0\.weight" is written 2 times \(at line 1, column \d+ and line 1, column \d+\);/);
  });

  it('a key named "Infinity" written twice is said alone: no overflowed number elsewhere in the text is quoted beside it (json53)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const written = JSON.stringify(net.toJSON(), null, 1);
    net.dispose();
    // A weight the text writes beyond float64's range, which JSON reads as Infinity, in the same layer as the key written twice.
    const text = written.replace(/("weights": \[\s*\[\s*)(-?[0-9.e-]+)/, '$11e400').replace('"weights": [', '"Infinity": 1,\n   "Infinity": 2,\n   "weights": [');
    expect(text).toContain('1e400');
    const line = text.split('\n').findIndex((l) => l.includes('"Infinity"')) + 1;
    const said = `"Infinity" is written 2 times in layers[0] (at line ${line}, column 4 and line ${line + 1}, column 4); ${KEPT}`;
    expect(() => readModelJSON(text)).toThrow(new RegExp(`^model: ${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const path = join(folder, 'infinity-twice.json');
    writeFileSync(path, text);
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', new RegExp(`^${`${path}: ${said}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('a tfjs model.json, and a trace given as text (a "steps" written twice was refused as a batchRows length)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    const tfjs = join(folder, 'tfjs');
    await writeModelFile(net, tfjs, 'tfjs');
    const written = readFileSync(join(tfjs, 'model.json'), 'utf8');
    writeFileSync(join(tfjs, 'model.json'), written.replace('"units":3,', '"units":3,"units":4,'));
    await expectError(() => readTfjsLayersFile(tfjs), 'BAD_MODEL_FILE', /model\.json: "units" is written 2 times in modelTopology\.config\.layers\[0\]\.config \(at line 1, column \d+ and line 1, column \d+\);/);
    net.train([[0, 1], [1, 0]], [[1, 0], [0, 1]], { epochs: 2, batchSize: 2, trace: {} });
    const trace = JSON.stringify(net.trace!.toJSON());
    net.dispose();
    expect(trace).toContain('"steps":[1,2]');
    const at = (text: string, key: string, from = 0) => text.indexOf(key, from) + 1;
    const twice = trace.replace('"steps":[1,2]', '"steps":[1,2],"steps":[1]');
    expect(() => Trace.fromJSON(twice)).toThrow(`trace JSON: "steps" is written 2 times (at line 1, column ${at(twice, '"steps"')} and line 1, column ${at(twice, '"steps"', at(twice, '"steps"'))}); ${KEPT}`);
  });
});
