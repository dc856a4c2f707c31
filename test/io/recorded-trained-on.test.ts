// The record of the rows that trained a model (trainedOn) in every foreign format gradscope writes,
// each in the place its published spec gives free metadata: safetensors' __metadata__ (a string, as
// the spec requires of every value there: the JSON text of { data, rows }), ONNX's
// ModelProto.metadata_props (field 14, 'gradscope.trainedOn'), tfjs model.json's userDefinedMetadata
// (gradscope.trainedOn). Session 26 recorded it in checkpoints only, and convert dropped it. Read
// back on load; a file without it loads, recording none; a damaged record is refused (BAD_MODEL_FILE
// naming the file and the field), never read as absent.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { blockModelOf, modelOf } from '../../src/io/model-data.js';
import { saveModel } from '../../src/io/files.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { toOnnx } from '../../src/io/onnx.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-blocks.js';
import type { TrainedOn } from '../../src/trained-on.js';
import { expectError } from '../util/expect-error.js';
import { onnxMetadata, safetensorsHeader, withSafetensorsMetadata } from '../util/file-metadata.js';
import { runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-trained-on-'));
const RECORD: TrainedOn = { data: 'mnist', rows: 600 };

const DENSE = { sizes: [4, 5, 3], activation: 'relu', output: 'softmax', backend: 'ref', seed: 4 } as const;
const BLOCKS = { inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'batch-norm' }, { type: 'dense', units: 3, activation: 'softmax' }], backend: 'ref', seed: 4 } as const;

const network = (kind: 'dense' | 'blocks'): Promise<Network> => createNetwork(kind === 'dense' ? DENSE : BLOCKS);
const dataOf = (net: Network, trainedOn?: TrainedOn) => ({ ...(net.kind === 'dense' ? modelOf(net) : blockModelOf(net)), ...(trainedOn && { trainedOn }) });

describe('the rows that trained a model, in every foreign format', () => {
  for (const kind of ['dense', 'blocks'] as const) {
    it(`are written where each spec gives metadata and read back (${kind})`, async () => {
      const net = await network(kind);
      const model = dataOf(net, RECORD);
      // The bytes, by each format's layout.
      const safetensors = toSafetensors(model);
      expect(safetensorsHeader(safetensors).__metadata__.trainedOn).toBe('{"data":"mnist","rows":600}');
      expect(onnxMetadata(toOnnx(model))['gradscope.trainedOn']).toBe('{"data":"mnist","rows":600}');
      const tfjs = toTfjsLayers(model);
      expect(tfjs.modelJson.userDefinedMetadata.gradscope.trainedOn).toEqual(RECORD);
      // Read back: the readers in memory, and the files through readModelFile.
      expect(readSafetensors(safetensors).trainedOn).toEqual(RECORD);
      const parsed = JSON.parse(JSON.stringify(tfjs.modelJson));
      expect((kind === 'dense' ? fromTfjsLayers(parsed, tfjs.weightData) : blockModelFromTfjsLayers(parsed, tfjs.weightData)).trainedOn).toEqual(RECORD);
      const file = join(folder, `${kind}.safetensors`);
      const dir = join(folder, `${kind}-tfjs/`);
      await writeModelFile(model, file);
      await writeModelFile(model, dir);
      expect((await readModelFile(file)).trainedOn).toEqual(RECORD);
      expect((await readModelFile(dir)).trainedOn).toEqual(RECORD);
      // A model that records none writes none, and reads back with none.
      const bare = dataOf(net);
      expect(safetensorsHeader(toSafetensors(bare)).__metadata__).not.toHaveProperty('trainedOn');
      expect(onnxMetadata(toOnnx(bare))).not.toHaveProperty(['gradscope.trainedOn']);
      expect(toTfjsLayers(bare).modelJson.userDefinedMetadata.gradscope).not.toHaveProperty('trainedOn');
      expect(readSafetensors(toSafetensors(bare))).not.toHaveProperty('trainedOn');
      net.dispose();
    });
  }

  it('readModelFile reads them from a checkpoint, JSON or binary, so convert carries them to every format with a place for them', async () => {
    const net = await network('dense');
    for (const name of ['ck.json', 'ck.bin']) {
      const path = join(folder, name);
      await saveModel(net, path, { trainedOn: RECORD });
      expect((await readModelFile(path)).trainedOn).toEqual(RECORD);
      const out = join(folder, `${name}.safetensors`);
      const converted = await runCliInProcess(['convert', path, out]);
      expect(converted.code, converted.stderr).toBe(0);
      expect(converted.stdout).toContain(`  not written: ${path} is a checkpoint, and a safetensors file holds the model and the record of the rows that trained it: the step (0) and RNG state a run resumes from stay in ${path}\n`);
      expect(JSON.parse(safetensorsHeader(readFileSync(out)).__metadata__.trainedOn)).toEqual(RECORD);
    }
    const onnx = join(folder, 'ck.onnx');
    expect((await runCliInProcess(['convert', join(folder, 'ck.bin'), onnx])).code).toBe(0);
    expect(JSON.parse(onnxMetadata(readFileSync(onnx))['gradscope.trainedOn'])).toEqual(RECORD);
    const tfjs = join(folder, 'ck-tfjs/');
    expect((await runCliInProcess(['convert', join(folder, 'ck.json'), tfjs])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(tfjs, 'model.json'), 'utf8')).userDefinedMetadata.gradscope.trainedOn).toEqual(RECORD);
    // And back: a tfjs folder converted to safetensors keeps it too.
    const again = join(folder, 'again.safetensors');
    expect((await runCliInProcess(['convert', tfjs, again])).code).toBe(0);
    expect((await readModelFile(again)).trainedOn).toEqual(RECORD);
    // gradscope's JSON model file has no place for it: convert says so rather than drop it unsaid.
    const modelFile = join(folder, 'model-file.json');
    const toJson = await runCliInProcess(['convert', again, modelFile]);
    expect(toJson.code, toJson.stderr).toBe(0);
    expect(toJson.stdout).toContain(
      "\n  not written: the record of the rows that trained it (digits 0–599), for which gradscope's JSON model file has no place (.safetensors, .onnx and a tfjs folder keep it)\n",
    );
    expect(JSON.parse(readFileSync(modelFile, 'utf8'))).not.toHaveProperty('trainedOn');
    net.dispose();
  }, 60_000);

  it("is refused where damaged, naming the file and the field: safetensors' __metadata__", async () => {
    const net = await network('dense');
    const good = toSafetensors(dataOf(net, RECORD));
    const path = join(folder, 'damaged.safetensors');
    const cases: [unknown, RegExp][] = [
      ['mnist', /damaged\.safetensors: __metadata__\.trainedOn: not valid JSON/],
      ['{"data":"mnist","rows":0}', /damaged\.safetensors: __metadata__\.trainedOn\.rows: expected a whole number ≥ 1, got 0$/],
      ['{"data":"","rows":3}', /damaged\.safetensors: __metadata__\.trainedOn\.data: expected a name of 1 to 4,096 characters, got/],
      ['[600]', /damaged\.safetensors: __metadata__\.trainedOn: expected an object \{ data, rows \}, got/],
      // Not a string at all, which the spec forbids in __metadata__: the container's own check names it.
      [{ data: 'mnist', rows: 600 }, /damaged\.safetensors: __metadata__\.trainedOn: expected a string, got/],
    ];
    for (const [value, message] of cases) {
      writeFileSync(path, withSafetensorsMetadata(good, 'trainedOn', value));
      await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', message);
    }
    // The block reader reads gradscope's metadata the same way.
    const blocks = toSafetensors(dataOf(await network('blocks'), RECORD));
    writeFileSync(path, withSafetensorsMetadata(blocks, 'trainedOn', '{"data":"mnist","rows":1.5}'));
    await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', /damaged\.safetensors: __metadata__\.trainedOn\.rows: expected a whole number ≥ 1, got 1\.5$/);
    net.dispose();
  });

  it("is refused where damaged: tfjs' userDefinedMetadata", async () => {
    for (const kind of ['dense', 'blocks'] as const) {
      const dir = join(folder, `damaged-tfjs-${kind}/`);
      const net = await network(kind);
      await writeModelFile(dataOf(net, RECORD), dir);
      const jsonPath = join(dir, 'model.json');
      const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
      json.userDefinedMetadata.gradscope.trainedOn = 'mnist';
      writeFileSync(jsonPath, JSON.stringify(json));
      await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', /model\.json: userDefinedMetadata\.gradscope\.trainedOn: expected an object \{ data, rows \}, got the string "mnist"/);
      json.userDefinedMetadata.gradscope.trainedOn = { data: 'mnist', rows: -1 };
      writeFileSync(jsonPath, JSON.stringify(json));
      await expectError(() => readModelFile(dir), 'BAD_MODEL_FILE', /model\.json: userDefinedMetadata\.gradscope\.trainedOn\.rows: expected a whole number ≥ 1, got -1$/);
      net.dispose();
    }
  });

  it('is refused in data given in memory before anything is written', async () => {
    const net = await network('dense');
    const bad = { ...modelOf(net), trainedOn: { data: 'mnist', rows: 0 } };
    for (const write of [toSafetensors, toOnnx, toTfjsLayers]) expect(() => write(bad)).toThrow(/^model\.trainedOn\.rows: expected a whole number ≥ 1, got 0$/);
    const path = join(folder, 'never-written.safetensors');
    await expectError(() => writeModelFile(bad, path), 'INVALID_OPTION', /model\.trainedOn\.rows/);
    expect(() => readFileSync(path)).toThrow();
    const blocks = { ...blockModelOf(await network('blocks')), trainedOn: 'mnist' as never };
    expect(() => toSafetensors(blocks)).toThrow(/^model\.trainedOn: expected an object \{ data, rows \}, got the string "mnist"$/);
    net.dispose();
  });
});
