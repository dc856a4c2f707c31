// `gradscope convert` through every format and back leaves the model unchanged, the ONNX it writes
// runs, the content decides what an input holds (docs/interop.md's `convert model.json
// model.safetensors` failed: model.json was taken for tfjs), and bad files or names get a one-line
// error and exit 1.
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { saveModel } from '../../src/io/files.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { createNetwork } from '../../src/api/network.js';
import { createOptimizer } from '../../src/optim/index.js';
import { runCli, runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { expectClose } from '../util/close.js';
import { logitsExportNote } from '../../src/io/safetensors-blocks.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-convert-'));
const at = (name: string) => join(folder, name);

describe('gradscope convert', async () => {
  const net = await createNetwork({ sizes: [3, 5, 4, 2], activation: 'leaky-relu', loss: 'cross-entropy', backend: 'ref', seed: 9 });
  const original = net.toJSON();
  writeFileSync(at('start.json'), JSON.stringify(original));

  it('goes gradscope → safetensors → tfjs folder → gradscope unchanged, and exports runnable ONNX', async () => {
    const steps = [
      ['start.json', 'model.safetensors'],
      ['model.safetensors', 'tfjs/'],
      ['tfjs', 'end.json'],
      ['end.json', 'model.onnx'],
    ];
    for (const [input, output] of steps) {
      const { code, stdout, stderr } = runCli(['convert', at(input), at(output)]);
      expect(stderr, `${input} → ${output}`).toBe('');
      expect(code).toBe(0);
      // (Its line names two paths and wraps at READING_WIDTH: read across its lines.)
      expect(flat(stdout)).toContain('[3,5,4,2] leaky-relu, leaky-relu, softmax, loss cross-entropy');
      expect(flat(stdout)).toContain(`(${({ 'model.safetensors': 'safetensors', 'tfjs/': 'tfjs', 'end.json': 'gradscope', 'model.onnx': 'onnx' } as Record<string, string>)[output]}):`);
    }
    expect(readdirSync(at('tfjs')).sort()).toEqual(['model.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(at('end.json'), 'utf8'))).toEqual(original);

    const session = await ort.InferenceSession.create(readFileSync(at('model.onnx')));
    const x = [0.2, -1, 0.5];
    const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x), [1, 3]) });
    expectClose(result.output.data as Float32Array, net.predict([x])[0], { abs: 1e-5 }, 'onnx vs predict');
    await session.release();
  }, 120_000);

  it('writes the format --to names where OUT\'s name says none, and says it', async () => {
    const { code, stdout } = await runCliInProcess(['convert', at('start.json'), at('odd.weights'), '--to', 'safetensors']);
    expect(code).toBe(0);
    expect(flat(stdout)).toContain('odd.weights (safetensors): [3,5,4,2]');
    const written = await readModelFile(at('odd.weights'));
    expect('sizes' in written && written.sizes).toEqual([3, 5, 4, 2]);
  }, 60_000);

  it.each([
    ['a truncated safetensors file', () => (writeFileSync(at('cut.safetensors'), new Uint8Array([1, 2, 3])), ['cut.safetensors', 'x.json']), /^gradscope: BAD_MODEL_FILE: .*cut\.safetensors: safetensors: file is 3 bytes/],
    ['a missing input', () => ['absent.json', 'x.json'], /^gradscope: IO_ERROR: .*absent\.json: cannot read \(ENOENT: no such file or directory\)/],
  ])('refuses %s with one line and exit 1', async (_label, setup, pattern) => {
    const { code, stdout, stderr } = await runCliInProcess(['convert', ...setup().map(at)]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  }, 60_000);

  // What the words and flags ask cannot be done with these files: a usage error, exit 2, as a flag's
  // reader gives (the library's INVALID_OPTION, found once IN was opened, exited 1).
  it.each([
    ['an ONNX input', () => [at('model.onnx'), at('x.json')], /^gradscope: INVALID_OPTION: .*ONNX is an export format/],
    ['an unknown output extension', () => [at('start.json'), at('x.h5')], /^gradscope: INVALID_OPTION: .*x\.h5: cannot tell the output format/],
    ['a folder read --from safetensors', () => (mkdirSync(at('a-folder'), { recursive: true }), [at('a-folder'), at('x.json'), '--from', 'safetensors']), /^gradscope: INVALID_OPTION: .*a-folder: a folder can only be a tfjs model, not safetensors\n$/],
  ])('refuses %s with one line and exit 2', async (_label, setup, pattern) => {
    const { code, stdout, stderr } = await runCliInProcess(['convert', ...setup()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  }, 60_000);

  it.each([
    ['--activation', 'tanh', 'start.json', /^gradscope: --activation does not apply to .*start\.json: a gradscope model records its layers, activations and loss$/],
    ['--output', 'sigmoid', 'start.json', /^gradscope: --output does not apply to .*start\.json: a gradscope model records/],
    ['--loss', 'mse', 'start.json', /^gradscope: --loss does not apply to .*start\.json: a gradscope model records/],
    ['--layers', 'fc1,fc2', 'start.json', /^gradscope: --layers does not apply to .*start\.json: a gradscope model records/],
    ['--pytorch', 'nn.Linear(3, 2)', 'start.json', /^gradscope: --pytorch does not apply to .*start\.json: a gradscope model records/],
    ['--activation', 'tanh', 'own-tfjs', /^gradscope: --activation does not apply to .*own-tfjs: a tfjs model records its layers and activations \(only the loss may be given\)$/],
  ])('refuses %s for a file that records it (%s on %s): one line, exit 2, nothing written', async (flag, value, input, pattern) => {
    if (input === 'own-tfjs' && !existsSync(at(input))) expect((await runCliInProcess(['convert', at('start.json'), at('own-tfjs/')])).code).toBe(0);
    const output = at(`not-written-${flag.slice(2)}.json`);
    const { code, stdout, stderr } = await runCliInProcess(['convert', at(input), output, flag, value]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(pattern);
    expect(existsSync(output)).toBe(false);
  });

  it.each([
    // It wrote loss cross-entropy (--loss mse) and kept softmax (--output sigmoid), exit 0, as gradscope JSON and tfjs refuse such flags.
    ['--loss', 'mse', /^gradscope: --loss mse contradicts .*own\.safetensors: its __metadata__\.loss is cross-entropy \(leave --loss out, or give --loss cross-entropy\)$/],
    ['--output', 'sigmoid', /^gradscope: --output sigmoid contradicts .*own\.safetensors: its __metadata__\.activations \(output layer\) is softmax/],
    ['--activation', 'relu', /^gradscope: --activation relu contradicts .*own\.safetensors: its __metadata__\.activations \(hidden layers\) is leaky-relu/],
  ])("refuses %s %s where the safetensors file's own metadata says otherwise: one line naming both values, exit 2, nothing written", async (flag, value, pattern) => {
    if (!existsSync(at('own.safetensors'))) expect((await runCliInProcess(['convert', at('start.json'), at('own.safetensors')])).code).toBe(0);
    const output = at(`contradicted-${flag.slice(2)}.json`);
    const { code, stdout, stderr } = await runCliInProcess(['convert', at('own.safetensors'), output, flag, value]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(pattern);
    expect(existsSync(output)).toBe(false);
  });

  it('takes flags that agree with the safetensors metadata', async () => {
    if (!existsSync(at('own.safetensors'))) expect((await runCliInProcess(['convert', at('start.json'), at('own.safetensors')])).code).toBe(0);
    const agreed = await runCliInProcess(['convert', at('own.safetensors'), at('agreed.json'), '--loss', 'cross-entropy', '--output', 'softmax', '--activation', 'leaky-relu']);
    expect(agreed.stderr).toBe('');
    expect(agreed.code).toBe(0);
    expect(JSON.parse(readFileSync(at('agreed.json'), 'utf8'))).toEqual(original);
  });

  it("reads docs/interop.md's model.json as the gradscope model it is, and --from json, and binary checkpoints", async () => {
    writeFileSync(at('model.json'), JSON.stringify(original));
    const plain = await runCliInProcess(['convert', at('model.json'), at('from-name.safetensors')]);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    const told = await runCliInProcess(['convert', at('model.json'), at('from-json.safetensors'), '--from', 'json']);
    expect(told.code).toBe(0);
    expect(readFileSync(at('from-json.safetensors'))).toEqual(readFileSync(at('from-name.safetensors')));
    await saveModel(net, at('checkpoint.gsc'));
    // --from offers only what can be read: ONNX is written only, so --help does not list it and --from onnx is a command-line error.
    const help = await runCliInProcess(['convert', '--help']);
    expect(help.stdout).toMatch(/--from F +IN's format, overriding what its content says: json, gradscope, safetensors, tfjs \(ONNX is written only\)\n/);
    const onnx = await runCliInProcess(['convert', at('model.json'), at('from-onnx.json'), '--from', 'onnx']);
    expect([onnx.code, onnx.stderr]).toEqual([2, "gradscope: --from must be one of json, gradscope, safetensors, tfjs, got 'onnx'\n"]);
    const binary = await runCliInProcess(['convert', at('checkpoint.gsc'), at('from-binary.json')]);
    expect(binary.code).toBe(0);
    expect(JSON.parse(readFileSync(at('from-binary.json'), 'utf8'))).toEqual(original);
  });

  // A checkpoint's training section (step, RNG, optimiser state, the rows that trained it) has no place in any format
  // convert writes (but for the rows, which every format records): `convert model.json model.json` rewrote a checkpoint as a bare model file with no word (newuser27).
  it('says what a checkpoint keeps that OUT leaves behind, and refuses to write over it', async () => {
    const trained = await createNetwork({ sizes: [3, 5, 2], seed: 3, backend: 'ref' });
    const adam = createOptimizer(trained, 'adam');
    trained.train([[0, 1, 2], [2, 1, 0]], [[1, 0], [0, 1]], { epochs: 2, batchSize: 1, optimizer: adam });
    await saveModel(trained, at('ckpt.json'), { optimizer: adam, trainedOn: { data: 'mnist', rows: 9000 } });
    adam.dispose();
    trained.dispose();
    const before = readFileSync(at('ckpt.json'));
    const held = "the step (4), the RNG state and adam's optimiser state, which a run resumes from";
    const over = await runCliInProcess(['convert', at('ckpt.json'), at('ckpt.json')]);
    expect([over.code, over.stdout]).toEqual([2, '']);
    expect(over.stderr).toBe(`gradscope: INVALID_OPTION: ${at('ckpt.json')}: OUT is IN, a checkpoint: writing gradscope's JSON model file over it would lose what only the checkpoint holds (${held}); give OUT another name; nothing was written\n`);
    expect(readFileSync(at('ckpt.json'))).toEqual(before);
    // Every format keeps the record of the rows that trained it (gradscope's JSON model file had no place for it, and was said to hold the model alone).
    for (const [out, format] of [['bare.json', "gradscope's JSON model file"], ['bare.safetensors', 'a safetensors file'], ['bare.onnx', 'an ONNX file']]) {
      const run = await runCliInProcess(['convert', at('ckpt.json'), at(out)]);
      expect([run.code, run.stderr]).toEqual([0, '']);
      // newuser29 found the note's old form ('not written: … holds the model …: the step (4) and RNG state a run resumes from and … stay in …') awkward.
      // The note is the indented lines under the model's line (wrapped at READING_WIDTH).
      expect(flat(run.stdout.split('\n').filter((line) => line.startsWith('  ')).join('\n'))).toBe(` ${at('ckpt.json')} is a checkpoint: ${at(out)}, ${format}, holds only the model and the record of the rows that trained it; ${at('ckpt.json')} alone keeps ${held}${out.endsWith('.safetensors') ? ` ${logitsExportNote('cross-entropy', 'softmax')}` : ''}`);
    }
    // A hard link of IN is another name: the write renames a new file over that name, and IN keeps the checkpoint.
    linkSync(at('ckpt.json'), at('ckpt-hard-link.json'));
    const hard = await runCliInProcess(['convert', at('ckpt.json'), at('ckpt-hard-link.json')]);
    expect([hard.code, hard.stderr]).toEqual([0, '']);
    expect(flat(hard.stdout)).toMatch(/is a checkpoint: .*ckpt-hard-link\.json, gradscope's JSON model file, holds only the model/);
    expect(readFileSync(at('ckpt.json'))).toEqual(before);
    // A tfjs OUT is a folder: its model.json (or shard) may be IN, and writing it would replace the checkpoint (the note said it stayed).
    mkdirSync(at('run'));
    writeFileSync(at('run/model.json'), before);
    const intoFolder = await runCliInProcess(['convert', at('run/model.json'), at('run/')]);
    expect([intoFolder.code, intoFolder.stdout]).toEqual([2, '']);
    expect(intoFolder.stderr).toBe(`gradscope: INVALID_OPTION: ${at('run/')}: OUT writes ${at('run/model.json')}, which is IN, a checkpoint: writing a tfjs model over it would lose what only the checkpoint holds (${held}); give OUT another name; nothing was written\n`);
    expect([readFileSync(at('run/model.json')), readdirSync(at('run'))]).toEqual([before, ['model.json']]);
    mkdirSync(at('bin'));
    await saveModel(net, at('bin/weights.bin'));
    const binary = readFileSync(at('bin/weights.bin'));
    const shard = await runCliInProcess(['convert', at('bin/weights.bin'), at('bin')]);
    expect([shard.code, shard.stderr]).toEqual([2, `gradscope: INVALID_OPTION: ${at('bin')}: OUT writes ${at('bin/weights.bin')}, which is IN, a checkpoint: writing a tfjs model over it would lose what only the checkpoint holds (the step (0) and the RNG state, which a run resumes from); give OUT another name; nothing was written\n`]);
    expect([readFileSync(at('bin/weights.bin')), readdirSync(at('bin'))]).toEqual([binary, ['weights.bin']]);
    // A checkpoint that records no rows: OUT holds the model alone.
    const alone = await runCliInProcess(['convert', at('bin/weights.bin'), at('alone.json')]);
    expect([alone.code, alone.stderr, flat(alone.stdout.split('\n').filter((line) => line.startsWith('  ')).join('\n'))]).toEqual([0, '', ` ${at('bin/weights.bin')} is a checkpoint: ${at('alone.json')}, gradscope's JSON model file, holds only the model; ${at('bin/weights.bin')} alone keeps the step (0) and the RNG state, which a run resumes from`]);
    // A checkpoint whose training section does not read is still one (its "training" key says so): it was taken for a model file and written over.
    const damaged = JSON.parse(before.toString('utf8'));
    damaged.training.step = 'four';
    writeFileSync(at('damaged.json'), JSON.stringify(damaged));
    const broken = readFileSync(at('damaged.json'));
    const overDamaged = await runCliInProcess(['convert', at('damaged.json'), at('damaged.json')]);
    expect([overDamaged.code, overDamaged.stdout]).toEqual([2, '']);
    expect(overDamaged.stderr).toMatch(/^gradscope: INVALID_OPTION: .*damaged\.json: OUT is IN, a checkpoint: writing gradscope's JSON model file over it would lose what only the checkpoint holds \(a training section readCheckpoint refuses \(.*damaged\.json: .*step.*\)\); give OUT another name; nothing was written\n$/);
    expect(readFileSync(at('damaged.json'))).toEqual(broken);
    // A model file holds no training section: nothing is said, and writing it over itself rewrites the same model.
    const again = await runCliInProcess(['convert', at('bare.json'), at('bare.json')]);
    // (Its line, wrapped at READING_WIDTH, and no note under it: no indented line.)
    expect([again.code, again.stderr, again.stdout.split('\n').filter((line) => line.startsWith('  '))]).toEqual([0, '', []]);
  });

  it('writes a tfjs folder whole: into a new folder by renaming a finished one, leaving no temporary behind', async () => {
    // As for every file gradscope writes, the folder it goes in must exist: none is created above it.
    const missing = await runCliInProcess(['convert', at('start.json'), at('fresh/nested/web/')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/IO_ERROR: .*web\/?: cannot write \(the folder .*fresh\/nested does not exist\)/);
    mkdirSync(at('fresh/nested'), { recursive: true });
    const { code } = await runCliInProcess(['convert', at('start.json'), at('fresh/nested/web/')]);
    expect(code).toBe(0);
    expect(readdirSync(at('fresh/nested'))).toEqual(['web']);
    expect(readdirSync(at('fresh/nested/web')).sort()).toEqual(['model.json', 'weights.bin']);
    // Into the existing folder: the new shard beside the old until model.json switches to it (src/io/tfjs-folder.ts).
    const again = await runCliInProcess(['convert', at('fresh/nested/web'), at('fresh/nested/web/')]);
    expect(again.code).toBe(0);
    expect(readdirSync(at('fresh/nested/web')).sort()).toEqual(['model.json', 'weights-1.bin']);
  });
});
