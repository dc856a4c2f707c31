// A network without parameters (activation layers only) has no curvature to measure: measureCurvature
// and `gradscope curvature` say so (INVALID_OPTION), where they refused every k as
// 'k: expected an integer from 1 to the parameter count 0, got 5' (--k for the CLI), which no k meets.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { saveModel } from '../../src/io/files.js';
import { runCliInProcess } from '../util/cli.js';
import { expectError } from '../util/expect-error.js';

const x = [[1, 2], [3, 4], [0, 0]];
const y = [[1, 0], [0, 1], [1, 0]];

describe('curvature of a network without parameters', () => {
  it('measureCurvature: INVALID_OPTION saying the network has none, whatever k', async () => {
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'activation', activation: 'softmax' }], seed: 1 });
    for (const options of [{}, { k: 1 }]) {
      await expectError(() => measureCurvature(net, x, y, options), 'INVALID_OPTION', /^measureCurvature: the network has no parameters \(its layers are activations only\), so it has no curvature to measure$/);
    }
    net.dispose();
  });

  it('gradscope curvature: one line naming the model, exit 2 (INVALID_OPTION: the usage exit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-parameterless-'));
    const model = join(dir, 'm.json');
    const data = join(dir, 'd.json');
    const net = await createNetwork({ inputs: 2, layers: [{ type: 'activation', activation: 'softmax' }], seed: 1 });
    await saveModel(net, model);
    net.dispose();
    writeFileSync(data, JSON.stringify({ inputs: x, targets: y }));
    const { code, stdout, stderr } = await runCliInProcess(['curvature', '--model', model, '--data', data]);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^gradscope: INVALID_OPTION: \S*m\.json has no parameters \(its layers are activations only\), so it has no curvature to measure\n$/) });
  });
});
