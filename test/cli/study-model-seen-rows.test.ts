/**
 * The rows that trained a model, recorded in the files gradscope writes (trainedOn: JSON's
 * training.trainedOn, binary's header), and study --model's warning where its test digits are among
 * them (newuser26: a model trained on digits 0–8,999, studied with --train 1000 --test 200, printed
 * test accuracy 100.0 % on digits 1,000–1,199 it had trained on, with no word of it). A file without
 * the record still loads, and the overlap is said to be unchecked (in --json among the warnings). The
 * record is read from every format convert writes it to (safetensors, tfjs).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeQuoteOn } from '../util/page-quotes.js';
import { createNetwork } from '../../src/api/network.js';
import { loadModel, readCheckpoint, saveModel } from '../../src/io/files.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpoint.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { fencedBlocks } from '../util/markdown-examples.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-seen-rows-'));
/** The text block of docs/cli.md that starts with `start`: the doc quotes each message as a run printed it, of a file named model.json. */
const cliDoc = (start: string) => {
  const found = fencedBlocks(readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8')).filter((b) => b.language === 'text' && b.code.startsWith(start));
  expect(found, `one text block of docs/cli.md starting ${start}`).toHaveLength(1);
  return found[0].code;
};
const studyJson = async (model: string, flags: string[]) => {
  const ran = await runCliInProcess(['study', '--model', model, '--epochs', '1', ...flags, '--json']);
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout) as { warnings: string[] };
};

describe('the rows that trained a model', () => {
  it('train --out records them, JSON and binary; study --model warns of test digits among them and says how to choose others', async () => {
    const model = join(folder, 'm.json');
    const trained = await runCliInProcess(['train', '--train', '600', '--test', '100', '--depth', '1', '--width', '8', '--epochs', '1', '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(readFileSync(model, 'utf8')).training.trainedOn).toEqual({ data: 'mnist', rows: 600 });
    const binary = join(folder, 'm.gsc');
    expect((await runCliInProcess(['train', '--train', '600', '--test', '100', '--depth', '1', '--width', '8', '--epochs', '1', '--out', binary])).code).toBe(0);
    expect((await readCheckpoint(binary)).trainedOn).toEqual({ data: 'mnist', rows: 600 });

    // Every test digit among them; some of them; none.
    const warning = (await studyJson(model, ['--train', '100', '--test', '100'])).warnings[0];
    expect(warning).toBe(
      `Warning: the test digits 100–199 are among the 600 digits that trained ${model} (0–599), so its test loss and accuracy are on rows it has seen, not held-out ones; ` +
        'give --train 600 --test 100 to test it on digits after them (the test digits are the --test after the --train).',
    );
    expect(cliDoc('Warning: the test digits')).toBe(warning.replace(model, 'model.json'));
    expect((await studyJson(model, ['--train', '550', '--test', '100'])).warnings[0]).toMatch(/^Warning: 550–599 of the test digits 550–649 are among the 600 digits that trained /);
    const held = await runCliInProcess(['study', '--model', model, '--epochs', '1', '--train', '600', '--test', '100']);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).not.toMatch(/among the 600 digits|does not record/);
    // The printed run says it too, among its warnings.
    const printed = await runCliInProcess(['study', '--model', model, '--epochs', '1', '--train', '100', '--test', '100']);
    // (Read across its lines: prose wraps at READING_WIDTH, in a file too.)
    expect(flat(printed.stdout)).toContain(' Warning: the test digits 100–199 are among the 600 digits that trained ');
    // A model trained on every digit has none held out.
    const all = join(folder, 'all.json');
    const net = await loadModel(model);
    await saveModel(net, all, { trainedOn: { data: 'mnist', rows: 10_000 } });
    net.dispose();
    const everyDigit = (await studyJson(all, ['--train', '100', '--test', '100'])).warnings[0];
    expect(everyDigit).toMatch(/; every digit trained it, none is held out: give --data FILE with rows it has not seen\.$/);
    expect(everyDigit).toContain(codeQuoteOn('docs/cli.md', 'every digit trained it'));
  }, 120_000);

  it("tells the diagnosis which test digits trained the model (validationSeen): it called them 'the held-out rows'", async () => {
    const model = join(folder, 'seen.json');
    const trained = await runCliInProcess(['train', '--train', '300', '--test', '100', '--depth', '1', '--width', '8', '--epochs', '1', '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    type Study = { diagnosis: { evidence: { training?: { heldOut?: { seen?: boolean } } } } };
    const heldOut = async (flags: string[]) => {
      const ran = await runCliInProcess(['study', '--model', model, '--epochs', '3', ...flags, '--json']);
      expect(ran.code, ran.stderr).toBe(0);
      return (JSON.parse(ran.stdout) as Study).diagnosis.evidence.training?.heldOut;
    };
    expect(await heldOut(['--train', '100', '--test', '100'])).toMatchObject({ seen: true });
    const held = await heldOut(['--train', '300', '--test', '100']);
    expect(held).toBeDefined();
    expect(held!.seen).toBeUndefined();
  }, 120_000);

  it('says the overlap cannot be checked where the file records nothing, and nothing on a --data file checked on its own rows', async () => {
    const net = await createNetwork({ sizes: [784, 8, 10], activation: 'relu', output: 'softmax', seed: 3 });
    const model = join(folder, 'bare.json');
    writeFileSync(model, JSON.stringify(net.toJSON()));
    const ran = await runCliInProcess(['study', '--model', model, '--epochs', '1', '--train', '100', '--test', '50']);
    expect(ran.code, ran.stderr).toBe(0);
    const notice = `${model} does not record the rows that trained it, so whether the test digits 100–149 are among them cannot be checked (train --out records them).`;
    expect(flat(ran.stdout)).toContain(` ${notice} `);
    // --json says it where it says the warnings (it said nothing of it).
    expect((await studyJson(model, ['--train', '100', '--test', '50'])).warnings[0]).toBe(notice);
    expect(cliDoc('model.json does not record')).toBe(notice.replace(model, 'model.json'));
    const small = await createNetwork({ sizes: [2, 3, 2], activation: 'relu', output: 'softmax', seed: 3 });
    const smallModel = join(folder, 'small.json');
    writeFileSync(smallModel, JSON.stringify(small.toJSON()));
    const data = join(folder, 'rows.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0], [1, 1], [0, 0]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] }));
    const onData = await runCliInProcess(['study', '--model', smallModel, '--data', data, '--epochs', '1', '--batch-size', '2']);
    expect(onData.code, onData.stderr).toBe(0);
    expect(onData.stdout).not.toMatch(/does not record|among the/);
    const onDataJson = await runCliInProcess(['study', '--model', smallModel, '--data', data, '--epochs', '1', '--batch-size', '2', '--json']);
    expect(JSON.parse(onDataJson.stdout).warnings.join('\n')).not.toMatch(/does not record|among the/);
    net.dispose();
    small.dispose();
  }, 120_000);

  it('study --model reads them from the other formats convert writes: safetensors and tfjs', async () => {
    const checkpoint = join(folder, 'record-600.json');
    const net = await createNetwork({ sizes: [784, 8, 10], activation: 'relu', output: 'softmax', seed: 6 });
    await saveModel(net, checkpoint, { trainedOn: { data: 'mnist', rows: 600 } });
    net.dispose();
    for (const out of [join(folder, 'record-600.safetensors'), join(folder, 'record-600-tfjs/')]) {
      expect((await runCliInProcess(['convert', checkpoint, out])).code).toBe(0);
      const warnings = (await studyJson(out, ['--train', '100', '--test', '100'])).warnings;
      expect(warnings[0]).toMatch(/^Warning: the test digits 100–199 are among the 600 digits that trained .*record-600[^ ]* \(0–599\)/);
    }
  }, 120_000);

  it('study --model --save records the rows of both trainings where one range says them, and none where the file recorded none', async () => {
    const model = join(folder, 'first.json');
    const net = await createNetwork({ sizes: [784, 8, 10], activation: 'relu', output: 'softmax', seed: 5 });
    await saveModel(net, model, { trainedOn: { data: 'mnist', rows: 300 } });
    const saved = join(folder, 'again.json');
    expect((await runCliInProcess(['study', '--model', model, '--epochs', '1', '--train', '200', '--test', '50', '--save', saved])).code).toBe(0);
    expect((await readCheckpoint(saved)).trainedOn).toEqual({ data: 'mnist', rows: 300 });
    expect((await runCliInProcess(['study', '--model', model, '--epochs', '1', '--train', '400', '--test', '50', '--save', saved])).code).toBe(0);
    expect((await readCheckpoint(saved)).trainedOn).toEqual({ data: 'mnist', rows: 400 });
    // --epochs 0 trains on nothing: the file's record is kept as it was.
    expect((await runCliInProcess(['study', '--model', model, '--epochs', '0', '--train', '400', '--test', '50', '--save', saved])).code).toBe(0);
    expect((await readCheckpoint(saved)).trainedOn).toEqual({ data: 'mnist', rows: 300 });
    const bare = join(folder, 'bare-first.json');
    writeFileSync(bare, JSON.stringify(net.toJSON()));
    expect((await runCliInProcess(['study', '--model', bare, '--epochs', '1', '--train', '200', '--test', '50', '--save', saved])).code).toBe(0);
    expect((await readCheckpoint(saved)).trainedOn).toBeUndefined();
    net.dispose();
  }, 120_000);

  it('round-trips through the binary format, loads without it, and refuses a bad record naming where it is', async () => {
    const net = await createNetwork({ sizes: [2, 3, 1], activation: 'relu', output: 'linear', loss: 'mse', backend: 'ref' });
    const path = join(folder, 'record.json');
    await saveModel(net, path, { trainedOn: { data: 'rows.json', rows: 4 } });
    const checkpoint = await readCheckpoint(path);
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint)).trainedOn).toEqual({ data: 'rows.json', rows: 4 });
    const { trainedOn: _dropped, ...without } = checkpoint;
    const { trainedOn: _carried, ...model } = checkpoint.model; // read back, the model carries the one record too
    expect(decodeCheckpoint(encodeCheckpoint({ ...without, model })).trainedOn).toBeUndefined();
    const file = JSON.parse(readFileSync(path, 'utf8'));
    delete file.training.trainedOn;
    writeFileSync(path, JSON.stringify(file));
    expect((await readCheckpoint(path)).trainedOn).toBeUndefined();
    file.training.trainedOn = { data: 'mnist', rows: 0 };
    writeFileSync(path, JSON.stringify(file));
    await expect(readCheckpoint(path)).rejects.toThrow(/^.*record\.json: training\.trainedOn\.rows: expected a whole number ≥ 1, got 0$/);
    await expect(saveModel(net, path, { trainedOn: { data: '', rows: 1 } })).rejects.toThrow(/^saveModel: trainedOn\.data: expected a name of 1 to 4,096 characters, got/);
    await expect(saveModel(net, path, { trainedOn: 'mnist' as never })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    net.dispose();
  });
});
