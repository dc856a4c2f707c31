// Every reader of a model or checkpoint file, given a good file with one value anywhere in its JSON (the safetensors
// header, a tfjs model.json, a checkpoint's JSON, a binary checkpoint's header) replaced by an odd one (null, an array,
// an object, a negative, a fraction, 1e308, 2⁵³, a string, a boolean, lying shapes and offsets), either reads it or
// refuses it with BAD_MODEL_FILE: never a TypeError, a RangeError or an allocation of a size the file declares.
// (readTfjsLayersFile gave a raw TypeError for a model.json of `null`; test/io/malformed-tfjs-files.test.ts names each
// refusal of model.json. Truncations and byte changes: test/io/safetensors.test.ts and test/reliability/persistence.test.ts.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, type Network } from '../../src/api/network.js';
import { GradscopeError, type ErrorCode } from '../../src/errors.js';
import { createOptimizer } from '../../src/optim/index.js';
import { checkpointBytes, checkpointFromJSON, checkpointOf, checkpointToJSON, decodeCheckpoint } from '../../src/io/checkpoint.js';
import { crc32 } from '../../src/io/crc32.js';
import { tfjsModelOf, writeModelFile } from '../../src/io/model-formats.js';
import { readModelJSON } from '../../src/network/model-file.js';
import { blockModelFromSafetensors } from '../../src/io/safetensors-blocks.js';
import { fromSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { blockModelFromTfjsLayers } from '../../src/io/tfjs-block-reader.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { safetensorsHeader } from '../util/file-metadata.js';
import { withSpecHeader } from '../util/safetensors-spec.js';

const ODD: unknown[] = [null, [], {}, -1, 0, 1.5, 1e308, 2 ** 53, 'x', true, [null], [-1, 2], [2 ** 31, 2 ** 31]];

type Path = (string | number)[];

/** Every path into `value` (arrays: their first three elements), the root included. */
function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, i) => paths(item, [...at, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) paths(item, [...at, key], out);
  return out;
}

/** A copy of `value` with `replacement` at `at`. */
function replaced(value: unknown, at: Path, replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[at[at.length - 1]] = replacement;
  return copy;
}

/**
 * Each odd value at each path of `json`, read: the faults (neither a model nor a GradscopeError of one of `codes`), and how
 * many were read and refused.
 */
async function oddValues(json: unknown, read: (json: unknown) => unknown, codes: readonly ErrorCode[] = ['BAD_MODEL_FILE']): Promise<{ faults: string[]; read: number; refused: number }> {
  const faults: string[] = [];
  let [readCount, refused] = [0, 0];
  for (const at of paths(json)) {
    for (const odd of ODD) {
      try {
        await read(replaced(json, at, odd));
        readCount++;
      } catch (error) {
        if (error instanceof GradscopeError && codes.includes(error.code)) refused++;
        else faults.push(`${at.join('.') || '(the whole)'} = ${JSON.stringify(odd)}: ${String(error)}`);
      }
    }
  }
  return { faults, read: readCount, refused };
}

// The binary checkpoint's layout (src/io/checkpoint.ts): 8 magic bytes, u32 version, u32 header length, the header,
// padding to 4, the float32 payload, a CRC-32 of all before it.
const HEADER_AT = 16;
const aligned = (n: number) => Math.ceil(n / 4) * 4;

/** `bytes` with its JSON header replaced by `header` and the CRC made right again, so the header itself is what is read. */
function withCheckpointHeader(bytes: Uint8Array, header: unknown): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const payloadAt = aligned(HEADER_AT + view.getUint32(12, true));
  const text = new TextEncoder().encode(JSON.stringify(header));
  const newPayloadAt = aligned(HEADER_AT + text.length);
  const out = new Uint8Array(newPayloadAt + bytes.length - payloadAt);
  out.set(bytes.subarray(0, HEADER_AT));
  const outView = new DataView(out.buffer);
  outView.setUint32(12, text.length, true);
  out.set(text, HEADER_AT);
  out.set(bytes.subarray(payloadAt), newPayloadAt);
  outView.setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

const checkpointHeader = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_AT, HEADER_AT + new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true))));

describe('an odd value anywhere in a model file', async () => {
  const dense = await createNetwork({ sizes: [2, 3, 1], activation: 'tanh', output: 'sigmoid', loss: 'mse', backend: 'ref', seed: 3 });
  const adam = createOptimizer(dense, 'adam');
  dense.train([[0, 1], [1, 0]], [[1], [0]], { epochs: 1, batchSize: 2, optimizer: adam });
  const blocks = await createNetwork({ inputs: 2, loss: 'mse', seed: 4, backend: 'ref', layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'batch-norm' }, { type: 'layer-norm' }, { type: 'dense', units: 1, activation: 'linear' }] });
  const nets: [string, Network][] = [
    ['a dense chain', dense],
    ['a block network', blocks],
  ];

  /** Expects no fault, and both reads and refusals (a case that refuses everything, or nothing, tests nothing). */
  const expectRefusedOrRead = ({ faults, read, refused }: Awaited<ReturnType<typeof oddValues>>) => {
    expect(faults).toEqual([]);
    expect(read).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  };

  it.each(nets)('%s: the safetensors header', async (_, net) => {
    const bytes = toSafetensors(net);
    const read = net === dense ? fromSafetensors : blockModelFromSafetensors;
    expectRefusedOrRead(await oddValues(safetensorsHeader(bytes), (header) => read(withSpecHeader(bytes, header))));
  });

  it.each(nets)("%s: tfjs' model.json, in memory and in its folder", async (_, net) => {
    const { modelJson, weightData } = toTfjsLayers(net);
    const read = net === dense ? fromTfjsLayers : blockModelFromTfjsLayers;
    expectRefusedOrRead(await oddValues(modelJson, (json) => read(json, weightData)));
    const folder = join(mkdtempSync(join(tmpdir(), 'gradscope-odd-values-')), 'model');
    await writeModelFile(net, folder, 'tfjs');
    // A shard name changed to another file's: IO_ERROR, that file cannot be read.
    expectRefusedOrRead(await oddValues(modelJson, (json) => tfjsModelOf(join(folder, 'model.json'), json, new TextEncoder().encode(JSON.stringify(json)), {}), ['BAD_MODEL_FILE', 'IO_ERROR']));
  });

  it.each(nets)("%s: a JSON checkpoint's model and training sections", async (_, net) => {
    const json = JSON.parse(JSON.stringify(checkpointToJSON(checkpointOf(net, net === dense ? adam : undefined))));
    expectRefusedOrRead(await oddValues(json, (file) => checkpointFromJSON(file)));
    expectRefusedOrRead(await oddValues(json, (file) => readModelJSON(file)));
  });

  it.each(nets)("%s: a binary checkpoint's header (its CRC made right)", async (_, net) => {
    const bytes = checkpointBytes(checkpointOf(net, net === dense ? adam : undefined));
    expectRefusedOrRead(await oddValues(checkpointHeader(bytes), (header) => decodeCheckpoint(withCheckpointHeader(bytes, header))));
  });
});
