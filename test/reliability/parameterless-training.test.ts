// A network without parameters (activation layers only) has nothing to train: train() refuses it
// (INVALID_OPTION) before any work, where it ran every epoch changing nothing and `gradscope study
// --model` of it reported "Healthy gradient flow".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { saveModel } from '../../src/io/files.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const x = [[1, 2], [3, 4], [0, 0]];
const y = [[1, 0], [0, 1], [1, 0]];
const NOTHING = /^train: the network has no parameters \(its layers are activations only\), so there is nothing to train: give it a layer with parameters \(a dense layer\)$/;

describe('train() of a network without parameters', () => {
  it.each(['ref', 'wasm'] as const)('is refused on %s, with rows and with a dataset', async (backend) => {
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'activation', activation: 'softmax' }], seed: 1, backend });
    await expectError(() => net.train(x, y, { epochs: 10 }), 'INVALID_OPTION', NOTHING);
    await expectError(() => net.train(net.dataset(x, y)), 'INVALID_OPTION', NOTHING);
    net.dispose();
  });

  // A model file of activation layers only builds such a network from the command line.
  it('gradscope study --model of it: one line saying what to do, exit 2 (INVALID_OPTION: the usage exit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-parameterless-'));
    const [model, data] = [join(dir, 'm.json'), join(dir, 'd.json')];
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'activation', activation: 'softmax' }], seed: 1 });
    await saveModel(net, model);
    net.dispose();
    writeFileSync(data, JSON.stringify({ inputs: x, targets: y }));
    const { code, stdout, stderr } = await runCliInProcess(['study', '--model', model, '--data', data, '--epochs', '1']);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: 'gradscope: INVALID_OPTION: train: the network has no parameters (its layers are activations only), so there is nothing to train: give it a layer with parameters (a dense layer)\n' });
  });
});
