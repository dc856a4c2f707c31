// 'he-normal-fan-out', He et al.'s (2015) Eqn. 14: each layer's weights N(0, 2/n_out), untruncated, as PyTorch's
// kaiming_normal_(w, mode='fan_out', nonlinearity='relu') draws them. Its variance in a wide and a narrow layer against
// the formula's (not he-normal's 2/n_in), its tails as a normal's (Keras' truncated form has none beyond 2 std), and the
// name through --init and a model file's record.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { runCliInProcess } from '../util/cli.js';

/** He et al.'s fully connected stand-in's first and last layers: 784 → 64 (fan-out < fan-in) and 64 → 10. */
const SIZES = [784, 64, 10];

const drawn = async () => {
  const net = await createNetwork({ sizes: SIZES, activation: 'relu', init: 'he-normal-fan-out', seed: 3, backend: 'ref' });
  const layers = net.weights.map((w) => Array.from(net.kernels.view(w)));
  net.dispose();
  return layers;
};

describe("'he-normal-fan-out'", () => {
  it('draws each layer with variance 2/n_out, within 4 standard errors of a sample variance, far from 2/n_in', async () => {
    const layers = await drawn();
    layers.forEach((w, l) => {
      const [nIn, nOut] = [SIZES[l], SIZES[l + 1]];
      const variance = w.reduce((sum, v) => sum + v * v, 0) / w.length; // the mean is 0
      const expected = 2 / nOut;
      // A normal sample's variance has standard error σ²·√(2/N).
      const standardError = expected * Math.sqrt(2 / w.length);
      expect(Math.abs(variance - expected), `layer ${l}`).toBeLessThan(4 * standardError);
      expect(Math.abs(variance - 2 / nIn), `layer ${l}`).toBeGreaterThan(10 * standardError);
    });
  });

  it("is untruncated (PyTorch's form): as many draws beyond 2 std as a normal has, 4.55 %", async () => {
    const [w] = await drawn();
    const std = Math.sqrt(2 / SIZES[1]);
    const beyond = w.filter((v) => Math.abs(v) > 2 * std).length / w.length;
    const p = 0.0455;
    expect(Math.abs(beyond - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / w.length));
  });

  it('is taken by --init and recorded in the model file, and read back by every format that records an initialisation', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'he-fan-out-'));
    const data = join(folder, 'data.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0], [1, 1], [0, 0]], targets: [[1, 0], [1, 0], [0, 1], [0, 1]] }));
    const out = join(folder, 'model.json');
    const { code, stderr } = await runCliInProcess(['train', '--data', data, '--depth', '1', '--width', '4', '--activation', 'relu', '--init', 'he-normal-fan-out', '--epochs', '1', '--out', out]);
    expect(code, stderr).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.initialisation).toEqual({ init: 'he-normal-fan-out', biasInit: 'zero' });
    const net = await Network.fromJSON(saved, { seed: 1 });
    const { modelJson, weightData } = toTfjsLayers(net);
    const loaded = [net, await networkFromModel(readSafetensors(toSafetensors(net)), { seed: 1 }), await networkFromModel(fromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData), { seed: 1 })];
    for (const read of loaded) {
      expect(read.initialisation?.init).toBe('he-normal-fan-out');
      read.dispose();
    }
  });
});
