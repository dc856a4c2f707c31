// A checkpoint whose optimiser state is damaged (review37 finding 5): loadModel, which returns the network alone,
// refused the whole file, weights included, and said neither that the weights were intact nor how to get them. Now
// its refusal says the network's weights, step and RNG state read whole and names loadModel's skipOptimizer, which
// loads them (as Keras' load_model(compile=False) loads a model without its optimiser); loadCheckpoint and
// readCheckpoint say the same; readModelFile reads a binary checkpoint's model as it read a JSON one's, the optimiser
// state unread; the command line says it in one line, naming the convert command that writes the network alone. A
// file damaged elsewhere too is refused as before, with no such words. Nothing is written or changed on refusal. Both
// are BAD_MODEL_FILE: a caller tells them apart by class, OptimizerStateRefused, which 'gradscope/node' exports.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { checkpointBytes, checkpointFileOf, checkpointOf, type Checkpoint } from '../../src/io/checkpoint.js';
import { loadCheckpoint, loadModel, readCheckpoint } from '../../src/io/files.js';
import { OptimizerStateRefused } from '../../src/io/optimizer-state-refused.js';
import { errorMessage } from '../../src/cli/error-line.js';
import { readModelFile } from '../../src/io/model-formats.js';
import { copiedNumbers } from '../../src/network/file-numbers.js';
import { createOptimizer } from '../../src/optim/index.js';
import { shellWord } from '../../src/shell-word.js';
import { Rng } from '../../src/init/rng.js';
import * as node from '../../src/node.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';
import { flat } from '../util/printed-text.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-damaged-optimizer-'));
const x = [[0.1, -0.4, 0.9], [0.7, 0.2, -0.3], [-0.5, 0.3, 0.1], [0.2, 0.8, -0.6]];
const y = [[1, 0], [0, 1], [0, 1], [1, 0]];

/** A checkpoint of a network trained two steps by Adam, and the same with its state's beta1 damaged (1.5) or, with `rng`, its RNG state too. */
async function checkpoints(): Promise<{ good: Checkpoint; damaged: Checkpoint; alsoRng: Checkpoint }> {
  const net = await createNetwork({ sizes: [3, 4, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 7 });
  const adam = createOptimizer(net, 'adam');
  net.train(x, y, { epochs: 1, batchSize: 2, optimizer: adam });
  const good = checkpointOf(net, adam);
  net.dispose();
  const damaged = { ...good, optimizer: { ...good.optimizer!, scalars: { ...good.optimizer!.scalars, beta1: 1.5 } } };
  return { good, damaged, alsoRng: { ...damaged, rng: [0, 0, 0, 0] } };
}

/** `checkpoint` written unchecked (as a damaged file is) to `name`, in the binary format or as JSON. */
function written(checkpoint: Checkpoint, name: string): string {
  const path = join(folder, name);
  writeFileSync(path, name.endsWith('.json') ? JSON.stringify(checkpointFileOf(checkpoint, copiedNumbers)) : checkpointBytes(checkpoint));
  return path;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REFUSED = 'scalars\\.beta1: expected a finite number ≥ 0 and < 1, got 1\\.5: the beta1 option refuses it too, so no adam can resume this state \\(it is damaged\\)';

describe("a checkpoint whose optimiser state is damaged, its network intact", () => {
  it.each(['damaged.bin', 'damaged.json'])('%s: loadModel says the network reads whole and how to load it; skipOptimizer loads it', async (name) => {
    const { good, damaged } = await checkpoints();
    const path = written(damaged, name);
    const before = sha(path);
    const section = name.endsWith('.json') ? 'training' : 'header';
    const advice = `; the network's weights, step and RNG state read whole: loadModel\\(${escaped(JSON.stringify(path))}, \\{ skipOptimizer: true \\}\\) loads them without the optimiser state$`;
    const said = new RegExp(`^${escaped(shellWord(path))}: ${section}\\.optimizer\\.${REFUSED}${advice}`);
    await expectError(() => loadModel(path), 'BAD_MODEL_FILE', said);
    // The readers that need the state refuse it alike, and say the same of the network.
    await expectError(() => loadCheckpoint(path), 'BAD_MODEL_FILE', said);
    await expectError(() => readCheckpoint(path), 'BAD_MODEL_FILE', said);
    expect(sha(path)).toBe(before);
    // The documented way: the network alone, its weights, step and RNG state as saved.
    const net = await loadModel(path, { skipOptimizer: true });
    expect(net.toJSON()).toEqual((await loadModel(written(good, `good-${name}`))).toJSON());
    expect([net.step, net.rng.getState()]).toEqual([good.step, good.rng]);
    net.dispose();
    // readModelFile (convert's, the commands' --model) reads the model alone in either encoding.
    expect(await readModelFile(path)).toEqual(await readModelFile(written(good, `good2-${name}`)));
    expect(sha(path)).toBe(before);
  });

  it.each(['rng.bin', 'rng.json'])('%s: damaged elsewhere too, it is refused without saying the network reads whole', async (name) => {
    const { alsoRng } = await checkpoints();
    const path = written(alsoRng, name);
    const refusal = await loadModel(path).then(() => undefined, (error: Error) => error);
    expect(refusal?.message).toMatch(/rng/);
    expect(refusal?.message).not.toMatch(/read whole|skipOptimizer/);
    await expectError(() => loadModel(path, { skipOptimizer: true }), 'BAD_MODEL_FILE', /rng/);
  });

  it.each(['bin', 'json'])("a caller tells the two apart by the exported class, not by the message (%s)", async (encoding) => {
    const { damaged, alsoRng } = await checkpoints();
    const refusal = (path: string) => node.loadModel(path).then(() => undefined, (error: unknown) => error);
    const stateOnly = written(damaged, `class.${encoding}`);
    const refused = await refusal(stateOnly);
    expect(refused).toBeInstanceOf(node.OptimizerStateRefused);
    const { code, path, refusal: words } = refused as node.OptimizerStateRefused;
    expect([code, path]).toEqual(['BAD_MODEL_FILE', stateOnly]);
    expect(words).toMatch(new RegExp(`^${escaped(shellWord(stateOnly))}: (header|training)\\.optimizer\\.${REFUSED}$`));
    // Its network loads alone, as the class says; a file damaged elsewhere is no such refusal, and skipOptimizer does not load it.
    (await node.loadModel(stateOnly, { skipOptimizer: true })).dispose();
    const elsewhere = await refusal(written(alsoRng, `class-rng.${encoding}`));
    expect(elsewhere).toBeInstanceOf(node.GradscopeError);
    expect(elsewhere).not.toBeInstanceOf(node.OptimizerStateRefused);
  });

  it.each(['decodeCheckpoint', 'checkpointFromJSON'] as const)("%s, given the bytes or JSON in memory (a page's fetch), keeps the same rule", async (reader) => {
    const { good, damaged, alsoRng } = await checkpoints();
    const binary = reader === 'decodeCheckpoint';
    const encoded = (checkpoint: Checkpoint) => (binary ? checkpointBytes(checkpoint) : JSON.stringify(checkpointFileOf(checkpoint, copiedNumbers)));
    const read = (data: Uint8Array | string, options?: { skipOptimizer?: unknown }) => (binary ? node.decodeCheckpoint(data as Uint8Array, options as never) : node.checkpointFromJSON(data, options as never));
    const data = encoded(damaged);
    const held = binary ? (data as Uint8Array).slice() : data;
    const refused = await expectError(
      () => read(data),
      'BAD_MODEL_FILE',
      new RegExp(`^${binary ? 'header' : 'training'}\\.optimizer\\.${REFUSED}; the network's weights, step and RNG state read whole: ${reader}\\(${binary ? 'bytes' : 'json'}, \\{ skipOptimizer: true \\}\\) reads them without the optimiser state$`),
    );
    expect(refused).toBeInstanceOf(node.OptimizerStateRefused);
    expect((refused as node.OptimizerStateRefused).path).toBeUndefined();
    expect((refused as node.OptimizerStateRefused).refusal).toMatch(new RegExp(`^${binary ? 'header' : 'training'}\\.optimizer\\.${REFUSED}$`));
    expect(data).toEqual(held);
    // The way it names: the network, its step and RNG state, as saved, without the optimiser state.
    const alone = read(data, { skipOptimizer: true });
    const { optimizer: _, ...wanted } = read(encoded(good));
    expect(alone).toEqual(wanted);
    expect(alone.optimizer).toBeUndefined();
    const net = await node.networkFromCheckpoint(alone, { backend: 'ref' });
    expect([net.step, net.rng.getState()]).toEqual([good.step, good.rng]);
    net.dispose();
    // Damaged elsewhere too: a plain BAD_MODEL_FILE, which skipOptimizer does not read either.
    const elsewhere = await expectError(() => read(encoded(alsoRng)), 'BAD_MODEL_FILE', /rng/);
    expect(elsewhere).not.toBeInstanceOf(node.OptimizerStateRefused);
    await expectError(() => read(encoded(alsoRng), { skipOptimizer: true }), 'BAD_MODEL_FILE', /rng/);
    // skipOptimizer is true or false; false reads the whole checkpoint.
    await expectError(() => read(encoded(good), { skipOptimizer: 'yes' }), 'INVALID_OPTION', new RegExp(`^${reader}: skipOptimizer: expected true or false, got "yes"$`));
    await expectError(() => read(encoded(good), { skipOptimiser: true } as never), 'INVALID_OPTION', /skipOptimizer/);
    expect(read(encoded(good), { skipOptimizer: false }).optimizer).toEqual(good.optimizer);
  });

  it("checkpointFromJSON's seed, for a plain model file, is an option beside skipOptimizer", async () => {
    const net = await createNetwork({ sizes: [3, 2], backend: 'ref', seed: 7 });
    const model = net.toJSON();
    net.dispose();
    expect(node.checkpointFromJSON(model, { seed: 5 }).rng).toEqual(new Rng(5).getState());
    expect(node.checkpointFromJSON(model).rng).toEqual(new Rng(1).getState());
    await expectError(() => node.checkpointFromJSON(model, 5 as never), 'INVALID_OPTION', /^checkpointFromJSON: expected an options object/);
    await expectError(() => node.checkpointFromJSON(model, { seed: -1 }), 'INVALID_OPTION', /^checkpointFromJSON: seed: expected an integer from 0/);
  });

  it('takes skipOptimizer as true or false only, and false reads the whole file', async () => {
    const { good, damaged } = await checkpoints();
    await expectError(() => loadModel(written(good, 'yes.bin'), { skipOptimizer: 'yes' } as never), 'INVALID_OPTION', /^loadModel: skipOptimizer: expected true or false, got "yes"$/);
    await expectError(() => loadModel(written(good, 'typo.bin'), { skipOptimiser: true } as never), 'INVALID_OPTION', /skipOptimizer/);
    await expectError(() => loadModel(written(damaged, 'false.bin'), { skipOptimizer: false }), 'BAD_MODEL_FILE', /skipOptimizer: true/);
  });

  it('the command line says it in one line, with the convert command that writes the network alone, which then runs', async () => {
    const { damaged } = await checkpoints();
    const path = written(damaged, 'cli.bin');
    const data = join(folder, 'data.json');
    writeFileSync(data, JSON.stringify({ inputs: x, targets: y }));
    const before = sha(path);
    const refused = await runCliInProcess(['study', '--model', path, '--data', data, '--epochs', '1']);
    const out = join(folder, 'cli.json');
    const line = `gradscope: BAD_MODEL_FILE: ${shellWord(path)}: header.optimizer.${REFUSED.replace(/\\/g, '')}; its network reads whole: gradscope convert ${shellWord(path)} ${shellWord(out)} writes it alone, without the optimiser state, for --model\n`;
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([1, '', line]);
    expect(sha(path)).toBe(before);
    const converted = await runCliInProcess(['convert', path, out]);
    expect(converted.code, converted.stderr).toBe(0);
    // convert says what IN alone keeps: the refusal, not the API's advice (this convert is the way).
    // Prose is wrapped at the reading width: read with its line breaks folded.
    expect(flat(converted.stdout)).toContain(`alone keeps a training section readCheckpoint refuses (${shellWord(path)}: header.optimizer.${REFUSED.replace(/\\/g, '')})`);
    const study = await runCliInProcess(['study', '--model', out, '--data', data, '--epochs', '1']);
    expect(study.code, study.stderr).toBe(0);
  });

  it("prints the convert command whole where the refusal is cut (a long field name): it runs as printed", () => {
    const path = join(folder, 'long.bin');
    const said = errorMessage(new OptimizerStateRefused(path, `${path}: header.optimizer.scalars.${'k'.repeat(1500)}: expected 1 or 0`), undefined, undefined);
    expect(said).toContain('…');
    expect(said.endsWith(`; its network reads whole: gradscope convert ${shellWord(path)} ${shellWord(join(folder, 'long.json'))} writes it alone, without the optimiser state, for --model`)).toBe(true);
  });
});
