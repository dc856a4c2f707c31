// `gradscope convert` applies the checks loading applies (one checker, checkStoredTensor, run by
// every reader): a model file holding a parameter beyond RUNAWAY_PARAMETER, or a NaN, is refused
// with the very message `gradients --model` and loadModel give, naming the element as the file
// holds it (`layers[0].weights[1][2]` in JSON's nested rows, `0.weight[1, 2]` in a flat tensor, the
// tfjs kernel's [in, out] index), and no output file is written nor an old one changed. Before,
// convert refused only when writing (INVALID_OPTION, `model.weights[0][5]`, a flat index of no file).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockModelOf, modelOf, networkFromModel } from '../../src/io/model-data.js';
import { loadModel, saveModel } from '../../src/io/files.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { crc32 } from '../../src/io/crc32.js';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { createNetwork, type Network } from '../../src/api/network.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-convert-runaway-'));
const at = (name: string) => join(folder, name);

/** A weight no initialiser draws, planted at unit 1, input 2 of the first dense layer, so each file's bytes can be found and changed. */
const MARK = Math.fround(0.123456789);
const markBytes = new Uint8Array(Float32Array.of(MARK).buffer);

/** The file's bytes with the marked float32 replaced by `value` (the binary checkpoint's CRC-32 made right again). */
function planted(bytes: Uint8Array, value: number, checksum: boolean): Uint8Array {
  const out = Uint8Array.from(bytes);
  const found = out.findIndex((_, i) => markBytes.every((b, k) => out[i + k] === b));
  expect(found, 'the marked weight is in the file').toBeGreaterThanOrEqual(0);
  new DataView(out.buffer).setFloat32(found, value, true);
  if (checksum) new DataView(out.buffer).setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

/** JSON text with the marked weight's number replaced by `value`'s text (NaN has none in JSON: a string stands in). */
function plantedJson(path: string, value: number): string {
  const text = readFileSync(path, 'utf8');
  const mark = JSON.stringify(MARK);
  expect(text.split(mark)).toHaveLength(2);
  return text.replace(mark, Number.isNaN(value) ? '"NaN"' : JSON.stringify(value));
}

async function marked(net: Network): Promise<Network> {
  const state = net.state();
  state[0].values[1 * 3 + 2] = MARK; // 0.weight, [units][inputs] = [4][3]: unit 1, input 2
  net.loadState(state);
  return net;
}

const dense = await marked(await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', seed: 4 }));
const blocks = await marked(
  await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'batch-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], seed: 4 }),
);

interface Source {
  /** The file (or tfjs folder) given to convert. */
  input: string;
  /** The element's name as the file holds it. */
  where: RegExp;
  /** Flags the format needs to be read. */
  flags?: string[];
  /** Writes the good file, then plants `value` in it. */
  write(value: number): Promise<void>;
}

const sources: Record<string, Source> = {
  'gradscope JSON (version 1)': {
    input: at('dense.json'),
    where: /dense\.json: layers\[0\]\.weights\[1\]\[2\]: /,
    async write(value) {
      await saveModel(dense, at('dense.json'));
      writeFileSync(at('dense.json'), plantedJson(at('dense.json'), value));
    },
  },
  'gradscope JSON (version 2, blocks)': {
    input: at('blocks.json'),
    where: /blocks\.json: model\.tensors\["0\.weight"\]\.values\[5\]: /,
    async write(value) {
      await saveModel(blocks, at('blocks.json'));
      writeFileSync(at('blocks.json'), plantedJson(at('blocks.json'), value));
    },
  },
  'gradscope binary (version 1)': {
    input: at('dense.gsc'),
    where: /dense\.gsc: layers\[0\]\.weights\[1, 2\]: /,
    async write(value) {
      await saveModel(dense, at('dense.gsc'));
      writeFileSync(at('dense.gsc'), planted(readFileSync(at('dense.gsc')), value, true));
    },
  },
  'gradscope binary (version 2, blocks)': {
    input: at('blocks.gsc'),
    where: /blocks\.gsc: tensors\["0\.weight"\]\[1, 2\]: /,
    async write(value) {
      await saveModel(blocks, at('blocks.gsc'));
      writeFileSync(at('blocks.gsc'), planted(readFileSync(at('blocks.gsc')), value, true));
    },
  },
  'safetensors (dense)': {
    input: at('dense.safetensors'),
    where: /dense\.safetensors: 0\.weight\[1, 2\]: /,
    async write(value) {
      await writeModelFile(modelOf(dense), at('dense.safetensors'));
      writeFileSync(at('dense.safetensors'), planted(readFileSync(at('dense.safetensors')), value, false));
    },
  },
  'safetensors (blocks)': {
    input: at('blocks.safetensors'),
    where: /blocks\.safetensors: 0\.weight\[1, 2\]: /,
    async write(value) {
      await writeModelFile(blockModelOf(blocks), at('blocks.safetensors'));
      writeFileSync(at('blocks.safetensors'), planted(readFileSync(at('blocks.safetensors')), value, false));
    },
  },
  "a PyTorch state_dict (safetensors without gradscope's metadata)": {
    input: at('torch.safetensors'),
    where: /torch\.safetensors: 0\.weight\[1, 2\]: /,
    flags: ['--activation', 'tanh', '--output', 'softmax', '--loss', 'cross-entropy'], // TORCH_OPTIONS
    async write(value) {
      const tensors = dense.state().map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, values: t.values })); // 0.weight, 0.bias, 2.weight, 2.bias
      writeFileSync(at('torch.safetensors'), planted(encodeSafetensors({ format: 'pt' }, tensors), value, false));
    },
  },
  'tfjs folder (dense)': {
    input: at('dense-tfjs'),
    where: /dense-tfjs\/model\.json: weights \S+\/kernel\[2, 1\]: /, // a tfjs kernel is [in, out]
    async write(value) {
      const [, shard] = await writeModelFile(modelOf(dense), at('dense-tfjs/')); // weights.bin, then weights-1.bin into the folder
      writeFileSync(shard, planted(readFileSync(shard), value, false));
    },
  },
  'tfjs folder (blocks)': {
    input: at('blocks-tfjs'),
    where: /blocks-tfjs\/model\.json: weights \S+\/kernel\[2, 1\]: /,
    async write(value) {
      const [, shard] = await writeModelFile(blockModelOf(blocks), at('blocks-tfjs/')); // weights.bin, then weights-1.bin into the folder
      writeFileSync(shard, planted(readFileSync(shard), value, false));
    },
  },
};

const TORCH_OPTIONS = { activation: 'tanh', output: 'softmax', loss: 'cross-entropy' } as const;
const data = at('data.json');
writeFileSync(data, JSON.stringify({ inputs: [[0.1, 0.2, 0.3]], targets: [[1, 0]] }));
const OUTPUTS = ['out.json', 'out.safetensors', 'out.onnx', 'out-tfjs/'];

describe('convert refuses what load refuses, with the same message, writing nothing', () => {
  it.each(Object.entries(sources))('%s', async (_label, source) => {
    for (const [value, fault] of [
      [1e20, /\S+ is beyond ±1\.80e\+16, the largest parameter training allows/],
      [NaN, /(the string "NaN"|NaN) is not a finite number/],
    ] as const) {
      await source.write(value);
      // What loading says: `gradients --model` for what it reads, the library (readModelFile with the options) for a file that needs flags.
      const load =
        source.flags === undefined
          ? await runCliInProcess(['gradients', '--model', source.input, '--data', data])
          : { code: 1, stderr: `gradscope: BAD_MODEL_FILE: ${(await expectError(() => readModelFile(source.input, TORCH_OPTIONS).then(networkFromModel), 'BAD_MODEL_FILE', /./)).message}\n` };
      expect(load.code).toBe(1);
      expect(load.stderr).toMatch(new RegExp(`^gradscope: BAD_MODEL_FILE: .*${source.where.source}${fault.source}`));
      if (/\.(json|gsc)$/.test(source.input)) {
        await expectError(() => loadModel(source.input), 'BAD_MODEL_FILE', new RegExp(`${source.where.source}${fault.source}`));
      }
      for (const output of OUTPUTS) {
        const converted = await runCliInProcess(['convert', source.input, at(output), ...(source.flags ?? [])]);
        expect([converted.code, converted.stdout, converted.stderr], `${source.input} → ${output}`).toEqual([1, '', load.stderr]);
        expect(existsSync(at(output)), `${output} was not written`).toBe(false);
      }
    }
    // An output that exists is left as it was.
    writeFileSync(at('kept.json'), 'the old file\n');
    await runCliInProcess(['convert', source.input, at('kept.json'), ...(source.flags ?? [])]);
    expect(readFileSync(at('kept.json'), 'utf8')).toBe('the old file\n');
  }, 60_000);
});
