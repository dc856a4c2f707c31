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
import { checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src/io/checkpoint.js';
import { readCheckpoint } from '../../src/io/files.js';
import { readModelJSON } from '../../src/network/model-file.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import type { TrainedOn } from '../../src/trained-on.js';
import { expectError } from '../util/expect-error.js';
import { onnxMetadata, safetensorsHeader, withSafetensorsMetadata } from '../util/file-metadata.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { logitsExportNote } from '../../src/io/safetensors-blocks.js';

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
      // The note: the indented lines under the model's (wrapped at READING_WIDTH), read across them.
      expect(flat(converted.stdout.split('\n').filter((line) => line.startsWith('  ')).join('\n'))).toBe(` ${path} is a checkpoint: ${out}, a safetensors file, holds only the model and the record of the rows that trained it; ${path} alone keeps the step (0) and the RNG state, which a run resumes from ${logitsExportNote('cross-entropy', 'softmax')}`);
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
    // gradscope's JSON model file keeps it at its top level (it had no place for it, and convert said 'not written: …').
    const modelFile = join(folder, 'model-file.json');
    const toJson = await runCliInProcess(['convert', again, modelFile]);
    expect([toJson.code, toJson.stderr]).toEqual([0, '']);
    expect(toJson.stdout).not.toContain('not written');
    expect(JSON.parse(readFileSync(modelFile, 'utf8')).trainedOn).toEqual(RECORD);
    expect((await readModelFile(modelFile)).trainedOn).toEqual(RECORD);
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

// A record of another data set than the digits (a --data file's path, as train --out writes it), through every format and
// both encodings of a checkpoint. Session 27 tested only { data: 'mnist' }; gradscope's JSON model file had no place for
// any record, and encodeCheckpoint wrote the checkpoint's alone, dropping one its model carried.
describe("the rows that trained a model, of a data file's path, in every format gradscope writes", () => {
  const OWN: TrainedOn = { data: 'runs/2026-12/rows ü.json', rows: 37 };
  const OTHER: TrainedOn = { data: 'older.json', rows: 5 };

  for (const kind of ['dense', 'blocks'] as const) {
    it(`round trip in each format, gradscope's JSON model file among them (${kind})`, async () => {
      const net = await network(kind);
      const model = dataOf(net, OWN);
      for (const name of ['model.json', 'model.safetensors', 'model-tfjs/']) {
        const path = join(folder, `own-${kind}-${name}`);
        await writeModelFile(model, path);
        expect((await readModelFile(path)).trainedOn, name).toEqual(OWN);
      }
      // The JSON model file's place: its top level, as { data, rows }; Network.fromJSON's reader takes it back too.
      const file = JSON.parse(readFileSync(join(folder, `own-${kind}-model.json`), 'utf8'));
      expect(file.trainedOn).toEqual(OWN);
      expect(readModelJSON(file).trainedOn).toEqual(OWN);
      expect(JSON.parse(onnxMetadata(toOnnx(model))['gradscope.trainedOn'])).toEqual(OWN);
      // Checkpoints, JSON and binary: the checkpoint's own record, and one only its model carries (encodeCheckpoint wrote none).
      const bare = dataOf(net);
      const base = checkpointOf(net);
      for (const checkpoint of [{ ...base, model: bare, trainedOn: OWN }, { ...base, model }] as Checkpoint[]) {
        expect(checkpointFromJSON(JSON.parse(JSON.stringify(checkpointToJSON(checkpoint)))).trainedOn).toEqual(OWN);
        const bytes = encodeCheckpoint(checkpoint);
        expect(decodeCheckpoint(bytes).trainedOn).toEqual(OWN);
        const path = join(folder, `own-${kind}.bin`);
        writeFileSync(path, bytes);
        expect((await readModelFile(path)).trainedOn).toEqual(OWN);
        expect((await readCheckpoint(path)).trainedOn).toEqual(OWN);
      }
      // A model file without it (written before) loads, recording none.
      delete file.trainedOn;
      expect(readModelJSON(file)).not.toHaveProperty('trainedOn');
      net.dispose();
    });
  }

  it("a checkpoint holding two records gives the training section's, JSON or binary (docs/interop.md says why)", async () => {
    const net = await network('dense');
    const checkpoint: Checkpoint = { ...checkpointOf(net), model: dataOf(net, OTHER), trainedOn: OWN };
    const json = join(folder, 'two.json');
    writeFileSync(json, JSON.stringify(checkpointToJSON(checkpoint)));
    const file = JSON.parse(readFileSync(json, 'utf8'));
    expect([file.trainedOn, file.training.trainedOn]).toEqual([OTHER, OWN]);
    const binary = join(folder, 'two.bin');
    writeFileSync(binary, encodeCheckpoint(checkpoint));
    for (const path of [json, binary]) {
      expect((await readCheckpoint(path)).trainedOn, path).toEqual(OWN);
      expect((await readModelFile(path)).trainedOn, path).toEqual(OWN);
    }
    // Both readers give one shape for one content: the winning record on the checkpoint and on its model (the binary header has one place).
    const [fromJson, fromBinary] = [checkpointFromJSON(file), decodeCheckpoint(readFileSync(binary))];
    for (const read of [fromJson, fromBinary]) expect([read.trainedOn, read.model.trainedOn]).toEqual([OWN, OWN]);
    expect(fromBinary).toEqual(fromJson);
    net.dispose();
  });

  it('reads a checkpoint saved both ways back alike, whichever place held its record', async () => {
    const net = await network('dense');
    const base = checkpointOf(net);
    for (const checkpoint of [{ ...base, trainedOn: OWN }, { ...base, model: dataOf(net, OWN) }, base] as Checkpoint[]) {
      const fromJson = checkpointFromJSON(JSON.parse(JSON.stringify(checkpointToJSON(checkpoint))));
      expect(decodeCheckpoint(encodeCheckpoint(checkpoint))).toEqual(fromJson);
    }
    net.dispose();
  });

  it("is refused where damaged in gradscope's JSON model file, naming the file and the field", async () => {
    for (const kind of ['dense', 'blocks'] as const) {
      const net = await network(kind);
      const path = join(folder, `damaged-${kind}.json`);
      await writeModelFile(dataOf(net, OWN), path);
      const file = JSON.parse(readFileSync(path, 'utf8'));
      const field = kind === 'dense' ? 'trainedOn' : 'model\\.trainedOn';
      const cases: [unknown, string][] = [
        [{ data: 'rows.json', rows: 0 }, `${field}\\.rows: expected a whole number ≥ 1, got 0$`],
        [{ data: '', rows: 3 }, `${field}\\.data: expected a name of 1 to 4,096 characters, got`],
        ['rows.json', `${field}: expected an object \\{ data, rows \\}, got the string "rows\\.json"$`],
      ];
      for (const [value, message] of cases) {
        writeFileSync(path, JSON.stringify({ ...file, trainedOn: value }));
        await expectError(() => readModelFile(path), 'BAD_MODEL_FILE', new RegExp(`damaged-${kind}\\.json: ${message}`));
      }
      net.dispose();
    }
  });
});
