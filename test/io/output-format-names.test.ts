// An output's format follows its name where the name says one, and a format given beside a name that
// says another is refused, before anything is read or written: `gradscope convert model.json m.bin
// --to gradscope` wrote JSON into m.bin, and `--to safetensors odd.onnx` wrote safetensors under
// ONNX's name. `.bin` says gradscope's binary checkpoint, which a model file is not: refused.
// loadModel words the formats it does not read as readModelFile does (an .onnx said 'neither a
// gradscope model…', a tfjs model.json 'format: expected "gradscope.model"…').
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { isBinaryCheckpoint } from '../../src/io/checkpoint.js';
import { readModelFile, writeModelFile } from '../../src/io/model-formats.js';
import { blockModelOf, modelOf } from '../../src/io/model-data.js';
import { createNetwork } from '../../src/api/network.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-output-names-'));
const at = (name: string) => join(folder, name);

describe('output format by name', async () => {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', loss: 'cross-entropy', backend: 'ref', seed: 3 });
  const model = modelOf(net);
  await writeModelFile(model, at('model.json'));

  it('refuses gradscope format under a .bin name (gradscope\'s binary checkpoint: JSON was written into it), and writes JSON under a name of no format', async () => {
    const binary = /\.bin: \.bin is gradscope's binary checkpoint, which saveModel and train --out write with the step and RNG state a run resumes from; a model file holds the model alone, without them \(convert writes a checkpoint's model, not its training state\): name it \.json for gradscope's model file \(or \.safetensors\); nothing was written$/;
    await expectError(() => writeModelFile(model, at('m.bin')), 'INVALID_OPTION', binary);
    await expectError(() => writeModelFile(model, at('m.bin'), 'gradscope'), 'INVALID_OPTION', binary);
    expect(existsSync(at('m.bin'))).toBe(false);
    await writeModelFile(model, at('m.weights'), 'gradscope');
    expect(await readModelFile(at('m.weights'))).toEqual(model);
  });

  it.each([
    ['m.onnx', 'safetensors', 'onnx', '.safetensors'],
    ['m.bin', 'safetensors', 'gradscope', '.safetensors'],
    ['m.json', 'onnx', 'gradscope', '.onnx'],
    ['m.safetensors', 'gradscope', 'safetensors', '.json'],
    ['folder/', 'gradscope', 'tfjs', '.json'],
  ] as const)('refuses %s written as %s (its name says %s), writing nothing', async (name, format, named, rename) => {
    const message = new RegExp(`^${at(name).replace(/[.]/g, '\\.')}: format ${format} contradicts the name, which says ${named}; name the file ${rename}, or leave format out; nothing was written$`);
    await expectError(() => writeModelFile(model, at(name), format), 'INVALID_OPTION', message);
    expect(existsSync(at(name))).toBe(false);
  });

  it('still writes tfjs to a path named model.json (tfjs\' own name: the folder holds it)', async () => {
    expect(await writeModelFile(model, at('web/model.json'), 'tfjs')).toEqual([at('web/model.json'), at('web/weights.bin')]);
  });

  it('saveModel refuses a name that says safetensors, ONNX or a tfjs folder (it wrote its binary checkpoint under it), writing nothing; writeModelFile writes those', async () => {
    for (const [name, named] of [['s.safetensors', 'safetensors'], ['o.ONNX', 'onnx'], ['saved/', 'tfjs']] as const) {
      const said = `^${at(name).replace(/[.]/g, '\\.')}: the name says ${named}, and saveModel writes gradscope's checkpoint \\(JSON for a name ending in \\.json, else binary: \\.bin, \\.ckpt, any name that says no other format\\); writeModelFile\\(net, path\\) \\(gradscope convert, from the checkpoint\\) writes ${named}, the model without the step, RNG or optimiser state; nothing was written$`;
      await expectError(() => saveModel(net, at(name)), 'INVALID_OPTION', new RegExp(said));
      await expectError(() => saveModel(net, at(name), { format: 'binary' }), 'INVALID_OPTION', new RegExp(said));
      expect(existsSync(at(name)), name).toBe(false);
    }
  });

  it.each([
    ['fb.json', 'binary', 'json', '\\.bin \\(or any name that says no other format\\)'],
    ['fj.BIN', 'json', 'binary', '\\.json'],
  ] as const)('saveModel refuses %s saved as %s (its name says %s: x.json held the binary checkpoint), as writeModelFile refuses a contradicted format, writing nothing', async (name, format, named, rename) => {
    const message = new RegExp(`^${at(name).replace(/[.]/g, '\\.')}: format ${format} contradicts the name, which says ${named}; name the file ${rename}, or leave format out; nothing was written$`);
    await expectError(() => saveModel(net, at(name), { format }), 'INVALID_OPTION', message);
    expect(existsSync(at(name))).toBe(false);
    await saveModel(net, at(`agrees-${name}`), { format: named });
    await saveModel(net, at(`says-none-${format}.ckpt`), { format }); // a name that says no encoding takes either
    for (const written of [`agrees-${name}`, `says-none-${format}.ckpt`]) expect((await loadModel(at(written))).inputSize, written).toBe(3);
  });

  // In the command's words: it said 'saveModel writes …; writeModelFile(net, path) …', functions the user had not called.
  it('train --out and study --save refuse such a name in one line, in their own words, exit 2, before any rows or model are read (they trained, then saved a binary under it)', async () => {
    for (const [args, flag, out, command, named, checkpoint] of [
      [['train', '--data', at('absent-data.json')], 'out', 'trained.safetensors', 'train', 'safetensors', 'trained.json'],
      [['study', '--model', at('absent.json')], 'save', 'studied.onnx', 'study --model', 'onnx', 'studied.json'],
      [['train', '--data', at('absent-data.json')], 'out', 'refused-web/', 'train', 'tfjs', 'refused-web.json'],
    ] as const) {
      const run = await runCliInProcess([...args, `--${flag}`, at(out)]);
      expect([run.code, run.stdout]).toEqual([2, '']);
      expect(run.stderr).toBe(
        `gradscope: INVALID_OPTION: --${flag} ${at(out)}: the name says ${named}, and ${command} writes gradscope's checkpoint (JSON for a name ending in .json, else binary: .bin, .ckpt, any name that says no other format); ` +
          `\`gradscope convert ${at(checkpoint)} ${at(out)}\` writes ${named} from it, the model without the step, RNG or optimiser state; nothing was written\n`,
      );
      expect(existsSync(at(out))).toBe(false);
    }
    // What the words say the command does: a name of no format (m.ckpt), not only .bin, gets the binary checkpoint; .json gets JSON.
    writeFileSync(at('rows.json'), JSON.stringify({ inputs: [[0, 1], [1, 0]], targets: [[1, 0], [0, 1]] }));
    for (const [out, binary] of [['trained.ckpt', true], ['trained-json.json', false]] as const) {
      const run = await runCliInProcess(['train', '--data', at('rows.json'), '--layers', '2,3,2', '--epochs', '0', '--out', at(out)]);
      expect(run.code, run.stderr).toBe(0);
      expect(isBinaryCheckpoint(readFileSync(at(out))), out).toBe(binary);
      expect((await readCheckpoint(at(out))).model, out).toMatchObject({ sizes: [2, 3, 2] });
    }
  }, 60_000);

  it('writeModelFile takes a network as the exporters do (a dense one read as a block model: "model.kind: expected \'blocks\'")', async () => {
    for (const name of ['n.json', 'n.safetensors', 'n.onnx', 'n-tfjs/']) await writeModelFile(net, at(name));
    for (const name of ['n.json', 'n.safetensors', 'n-tfjs/']) expect(await readModelFile(at(name)), name).toMatchObject(model);
    const blocks = await createNetwork({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 2, activation: 'softmax' }], backend: 'ref', seed: 3 });
    await writeModelFile(blocks, at('b.json'));
    expect(await readModelFile(at('b.json'))).toMatchObject(blockModelOf(blocks));
    blocks.dispose();
  });

  it('convert: OUT .bin, and a --to OUT\'s name contradicts, are one line, exit 2, before IN is read (IN here is absent)', async () => {
    for (const [out, flags, said] of [
      ['c.bin', [], ".bin is gradscope's binary checkpoint"],
      ['c.bin', ['--to', 'gradscope'], ".bin is gradscope's binary checkpoint"],
      ['d.onnx', ['--to', 'safetensors'], '--to safetensors contradicts the name, which says onnx; name the file .safetensors, or leave --to out; nothing was written'],
    ] as const) {
      const run = await runCliInProcess(['convert', at('absent.json'), at(out), ...flags]);
      expect([run.code, run.stdout]).toEqual([2, '']);
      expect(run.stderr.startsWith(`gradscope: INVALID_OPTION: ${at(out)}: ${said}`), run.stderr).toBe(true);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(at(out))).toBe(false);
    }
  }, 60_000);

  it('loadModel refuses an ONNX file in readModelFile\'s words, and names a tfjs model for what it is', async () => {
    await writeModelFile(model, at('m.onnx'));
    const said = await expectError(() => readModelFile(at('m.onnx')), 'INVALID_OPTION', /ONNX is an export format; gradscope cannot read it back$/);
    await expectError(() => loadModel(at('m.onnx'), { backend: 'ref' }), 'INVALID_OPTION', new RegExp(`^${said.message.replace(/[.]/g, '\\.')}$`));
    await writeModelFile(model, at('tfjs/'));
    await expectError(() => loadModel(at('tfjs/model.json'), { backend: 'ref' }), 'BAD_MODEL_FILE', /tfjs[/]model\.json: a tfjs layers model, which loadModel does not read: readModelFile or readTfjsLayersFile does/);
  });

  it('reads a cut .bin as the binary it is named (it said "not valid JSON")', async () => {
    writeFileSync(at('cut.bin'), new Uint8Array([0x47, 0x53, 0x43]));
    await expectError(() => loadModel(at('cut.bin'), { backend: 'ref' }), 'BAD_MODEL_FILE', /cut\.bin: truncated: 3 bytes is shorter than any model$/);
    await expectError(() => readModelFile(at('cut.bin')), 'BAD_MODEL_FILE', /cut\.bin: truncated: 3 bytes is shorter than any model$/);
  });
});
