// Every malformed tfjs model.json (and weight shard) is refused with BAD_MODEL_FILE naming the file and the key path, by
// readModelFile on the folder, readTfjsLayersFile on model.json and fromTfjsLayers on the same JSON; the folder is left
// as it was. readTfjsLayersFile read `model.weightsManifest` before it checked model.json was an object: a model.json of
// `null` gave a raw TypeError ("Cannot read properties of null"), and a manifest's shard names were checked (and the
// shards read) before the topology, so a file wrong in both named its manifest, or a missing shard, first.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFile, readTfjsLayersFile } from '../../src/io/model-formats.js';
import { fromTfjsLayers } from '../../src/io/tfjs-layers.js';
import { expectError } from '../util/expect-error.js';

const root = mkdtempSync(join(tmpdir(), 'gradscope-malformed-tfjs-'));

const KERNEL = { name: 'd/kernel', shape: [2, 1], dtype: 'float32' };
const BIAS = { name: 'd/bias', shape: [1], dtype: 'float32' };
const SHARD_BYTES = 12; // kernel 2×1 and bias 1, float32
const dense = (config: Record<string, unknown>) => ({ class_name: 'Dense', config: { name: 'd', units: 1, batch_input_shape: [null, 2], ...config } });
const topology = (layers: unknown) => ({ class_name: 'Sequential', config: { name: 's', layers } });
const GOOD_TOPOLOGY = topology([dense({})]);
const manifest = (...groups: unknown[]) => groups;
const GOOD_MANIFEST = manifest({ paths: ['w.bin'], weights: [KERNEL, BIAS] });
const model = (parts: Record<string, unknown>) => ({ format: 'layers-model', modelTopology: GOOD_TOPOLOGY, weightsManifest: GOOD_MANIFEST, ...parts });

/**
 * A malformed model.json and the key path (after the file's path) its refusal must name; `files: true` when only the
 * folder's readers see the fault (fromTfjsLayers reads no shard names, and takes a string as model.json's text).
 */
const CASES: { name: string; json: unknown; where: RegExp; files?: true }[] = [
  { name: 'null', json: null, where: /expected a JSON object$/ },
  { name: 'an array', json: [], where: /expected a JSON object$/ },
  { name: 'a number', json: 3, where: /expected a JSON object$/ },
  { name: 'true', json: true, where: /expected a JSON object$/ },
  // A string is model.json's value, not its text: never parsed again (fromTfjsLayers takes text, so these are the folder's readers' alone).
  { name: 'a string', json: 'x', where: /expected a JSON object$/, files: true },
  { name: 'a model encoded twice', json: JSON.stringify({ format: 'layers-model', modelTopology: GOOD_TOPOLOGY, weightsManifest: GOOD_MANIFEST }), where: /expected a JSON object$/, files: true },
  { name: 'an empty object', json: {}, where: /modelTopology: missing or not an object$/ },
  { name: 'no modelTopology', json: { weightsManifest: GOOD_MANIFEST }, where: /modelTopology: missing or not an object$/ },
  { name: 'a null modelTopology', json: model({ modelTopology: null }), where: /modelTopology: missing or not an object$/ },
  { name: 'an array as modelTopology', json: model({ modelTopology: [] }), where: /modelTopology: missing or not an object$/ },
  { name: 'null layers', json: model({ modelTopology: topology(null) }), where: /modelTopology\.config\.layers: expected an array of layers$/ },
  { name: 'a null layer', json: model({ modelTopology: topology([null]) }), where: /modelTopology\.config\.layers\[0\]: expected \{ class_name, config \}$/ },
  { name: 'units as a string', json: model({ modelTopology: topology([dense({ units: '1' })]) }), where: /modelTopology\.config\.layers\[0\] \(d\)\.config\.units: expected a number, got the string "1"$/ },
  { name: 'absurd units', json: model({ modelTopology: topology([dense({ units: 1e12 })]) }), where: /modelTopology\.config\.layers\[0\] \(d\)\.config\.units: expected a whole number of units from 1 to [\d,]+, got 1000000000000$/ },
  // Keras 3's first Dense may give its input only in the layer's build_config (not its config): named there (edges52).
  { name: 'a build_config input shape of three', json: model({ modelTopology: topology([{ class_name: 'Dense', config: { name: 'd', units: 1 }, build_config: { input_shape: [null, 2, 1] } }]) }), where: /modelTopology\.config\.layers\[0\] \(d\)\.build_config\.input_shape: expected \[null, features\], got \[null, 2, 1\]$/ },
  { name: 'an input shape of three', json: model({ modelTopology: topology([dense({ batch_input_shape: [null, 2, 1] })]) }), where: /modelTopology\.config\.layers\[0\] \(d\)\.config\.batch_input_shape: expected \[null, features\], got \[null, 2, 1\]$/ },
  { name: 'no weightsManifest', json: { modelTopology: GOOD_TOPOLOGY }, where: /weightsManifest: missing: expected an array of \{ paths, weights \}$/ },
  { name: 'a null weightsManifest', json: model({ weightsManifest: null }), where: /weightsManifest: expected an array of \{ paths, weights \}$/ },
  { name: 'an object as weightsManifest', json: model({ weightsManifest: {} }), where: /weightsManifest: expected an array of \{ paths, weights \}$/ },
  { name: 'a null group', json: model({ weightsManifest: [null] }), where: /weightsManifest\[0\]: expected \{ paths, weights: \[\.\.\.\] \}$/ },
  { name: 'a number as group', json: model({ weightsManifest: [7] }), where: /weightsManifest\[0\]: expected \{ paths, weights: \[\.\.\.\] \}$/ },
  { name: 'null weights', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: null }) }), where: /weightsManifest\[0\]: expected \{ paths, weights: \[\.\.\.\] \}$/ },
  { name: 'a null weight', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [null, BIAS] }) }), where: /weightsManifest weight 0: expected \{ name, shape, dtype \}$/ },
  { name: 'a negative dimension', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [{ ...KERNEL, shape: [-2, 1] }, BIAS] }) }), where: /weightsManifest weight 0 \(d\/kernel\)\.shape: expected non-negative integers, got \[-2, 1\]$/ },
  { name: 'a fractional dimension', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [{ ...KERNEL, shape: [1.5, 1] }, BIAS] }) }), where: /weightsManifest weight 0 \(d\/kernel\)\.shape: expected non-negative integers, got \[1\.5, 1\]$/ },
  { name: 'an object as dtype', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [{ ...KERNEL, dtype: {} }, BIAS] }) }), where: /weightsManifest weight 0 \(d\/kernel\): dtype an object is not supported \(float32, int32, bool\)$/ },
  { name: 'a quantized weight', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [{ ...KERNEL, quantization: { dtype: 'uint8' } }, BIAS] }) }), where: /weightsManifest weight 0 \(d\/kernel\): dtype "float32" \(quantized\) is not supported/ },
  { name: 'an int32 kernel', json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [{ ...KERNEL, dtype: 'int32' }, BIAS] }) }), where: /weights d\/kernel: dtype int32 should be float32$/ },
  {
    name: 'a shape that declares 2⁶² bytes',
    json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [{ ...KERNEL, shape: [2 ** 30, 2 ** 30] }, BIAS] }) }),
    where: /weights.*4,611,686,018,427,387,90[48] bytes but .*12/,
  },
  { name: 'null paths', json: model({ weightsManifest: manifest({ paths: null, weights: [KERNEL, BIAS] }) }), where: /weightsManifest\[0\]\.paths: expected an array of file names$/, files: true },
  { name: 'a number as a shard name', json: model({ weightsManifest: manifest({ paths: [3], weights: [KERNEL, BIAS] }) }), where: /weightsManifest\[0\]\.paths: 3 is not a file name inside the model's folder$/, files: true },
  { name: 'a shard outside the folder', json: model({ weightsManifest: manifest({ paths: ['../w.bin'], weights: [KERNEL, BIAS] }) }), where: /weightsManifest\[0\]\.paths: "\.\.\/w\.bin" is not a file name inside the model's folder$/, files: true },
  {
    name: 'a shard short of what its group declares',
    json: model({ weightsManifest: manifest({ paths: ['w.bin'], weights: [KERNEL, BIAS, { name: 'extra', shape: [1], dtype: 'float32' }] }) }),
    where: /weightsManifest\[0\]: its weights take 16 bytes but its shard file, w\.bin, holds 12/,
    files: true,
  },
  // Faults in two places: model.json's topology is named first, as fromTfjsLayers names it, before any shard is read.
  { name: 'a bad topology and a missing shard', json: model({ modelTopology: null, weightsManifest: manifest({ paths: ['missing.bin'], weights: [KERNEL, BIAS] }) }), where: /modelTopology: missing or not an object$/ },
  { name: 'a bad topology and a bad group', json: model({ modelTopology: topology([null]), weightsManifest: [null] }), where: /modelTopology\.config\.layers\[0\]: expected \{ class_name, config \}$/ },
  // A weight's dtype before a missing shard: the manifest is checked whole before any file is opened.
  { name: 'a bad dtype and a missing shard', json: model({ weightsManifest: manifest({ paths: ['missing.bin'], weights: [{ ...KERNEL, dtype: 'complex64' }, BIAS] }) }), where: /weightsManifest weight 0 \(d\/kernel\): dtype "complex64" is not supported/ },
];

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every file in `dir` with its bytes, to see that a refused read changed nothing. */
const contents = (dir: string) => readdirSync(dir).map((name) => [name, readFileSync(join(dir, name)).toString('hex')]);

describe('malformed tfjs model files', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: BAD_MODEL_FILE naming the file and the key, nothing changed', async (_, { json, where, files }, i) => {
    const dir = join(root, `case-${i}`);
    mkdirSync(dir);
    const jsonPath = join(dir, 'model.json');
    writeFileSync(jsonPath, JSON.stringify(json));
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(SHARD_BYTES));
    const before = contents(dir);
    const inFile = new RegExp(`^${escaped(jsonPath)}: ${where.source.replace(/^\^/, '')}`);
    await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', inFile);
    await expectError(() => readTfjsLayersFile(jsonPath), 'BAD_MODEL_FILE', inFile);
    await expectError(() => readTfjsLayersFile(dir), 'BAD_MODEL_FILE', inFile);
    if (!files) await expectError(() => fromTfjsLayers(json, new Uint8Array(SHARD_BYTES)), 'BAD_MODEL_FILE', where);
    expect(contents(dir)).toEqual(before);
  });

  it('the well-formed file the cases break reads (so each case fails for its own fault)', async () => {
    const dir = join(root, 'good');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(model({})));
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(new Float32Array([0.5, -0.25, 0.125]).buffer));
    const read = await readModelFile(dir);
    expect('sizes' in read && read.sizes).toEqual([2, 1]);
    expect('weights' in read && [...read.weights[0], ...read.biases[0]]).toEqual([0.5, -0.25, 0.125]);
  });
});
