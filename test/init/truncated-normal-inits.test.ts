// The '-truncated' inits, Keras' HeNormal, GlorotNormal and LecunNormal (keras/src/initializers/random_initializers.py:
// VarianceScaling(scale, mode, distribution='truncated_normal') with scale 2 and mode 'fan_in', 1 and 'fan_avg', 1 and
// 'fan_in', stddev = √(scale/n)/0.87962566103423978 with n = fan_in or (fan_in + fan_out)/2, truncated_normal drawing again
// beyond 2 of it). Keras' constant against the integral it stands for, each init's sample moments in a wide and a narrow
// layer (Keras' variance scale/n, no draw beyond the cut, the fourth moment of a truncated normal, not a normal's), and
// each name through --init and a model file's record.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork, Network } from '../../src/api/network.js';
import { TRUNCATED_NORMAL_STD, TRUNCATION, weightInitStd, type WeightInitName } from '../../src/init/initializers.js';
import { networkFromModel } from '../../src/io/model-data.js';
import { readSafetensors, toSafetensors } from '../../src/io/safetensors.js';
import { fromTfjsLayers, toTfjsLayers } from '../../src/io/tfjs-layers.js';
import { runCliInProcess } from '../util/cli.js';

/** A first layer 784 → 64 and a last 64 → 10, as He et al.'s experiment's. */
const SIZES = [784, 64, 10];

/** E[zᵏ] of N(0, 1) cut to [−TRUNCATION, TRUNCATION], by Simpson's rule on 20,000 intervals. */
function truncatedMoment(k: number): number {
  const n = 20_000;
  const h = (2 * TRUNCATION) / n;
  let [mass, moment] = [0, 0];
  for (let i = 0; i <= n; i++) {
    const z = -TRUNCATION + i * h;
    const weight = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    const density = Math.exp((-z * z) / 2);
    mass += weight * density;
    moment += weight * density * z ** k;
  }
  return moment / mass;
}

/** Keras' variance for an nIn → nOut Dense layer, from VarianceScaling's scale and mode as each class sets them (written out here, not read from gradscope). */
const KERAS_VARIANCE: Record<string, (nIn: number, nOut: number) => number> = {
  'he-normal-truncated': (nIn) => 2 / nIn, // HeNormal: scale 2, 'fan_in'
  'glorot-normal-truncated': (nIn, nOut) => 1 / ((nIn + nOut) / 2), // GlorotNormal: scale 1, 'fan_avg'
  'lecun-normal-truncated': (nIn) => 1 / nIn, // LecunNormal: scale 1, 'fan_in'
};
const TRUNCATED = Object.keys(KERAS_VARIANCE) as WeightInitName[];

const drawn = async (init: WeightInitName) => {
  const net = await createNetwork({ sizes: SIZES, activation: 'relu', init, seed: 3, backend: 'ref' });
  const layers = net.weights.map((w) => Array.from(net.kernels.view(w)));
  net.dispose();
  return layers;
};

describe.each(TRUNCATED)('%s', (init) => {
  it("divides by Keras' constant, the std of N(0, 1) cut at 2", () => {
    expect(TRUNCATION).toBe(2);
    expect(TRUNCATED_NORMAL_STD).toBeCloseTo(Math.sqrt(truncatedMoment(2)), 12);
    for (const [nIn, nOut] of [[784, 64], [64, 10]]) expect(weightInitStd(init, nIn, nOut)).toBeCloseTo(Math.sqrt(KERAS_VARIANCE[init](nIn, nOut)), 15);
  });

  it("draws each layer with Keras' variance, nothing beyond 2 of the uncut std, and a truncated normal's fourth moment", async () => {
    const layers = await drawn(init);
    const [m4, m8] = [truncatedMoment(4) / truncatedMoment(2) ** 2, truncatedMoment(8) / truncatedMoment(2) ** 4];
    // A normal's fourth moment is 3σ⁴: the cut leaves about 2.37.
    expect(m4).toBeLessThan(2.5);
    layers.forEach((w, l) => {
      const expected = KERAS_VARIANCE[init](SIZES[l], SIZES[l + 1]);
      const n = w.length;
      const variance = w.reduce((sum, v) => sum + v * v, 0) / n; // the mean is 0
      // The sample variance's standard error: √((E[w⁴] − σ⁴)/N), E[w⁴] = m4·σ⁴.
      expect(Math.abs(variance - expected), `layer ${l}`).toBeLessThan(4 * expected * Math.sqrt((m4 - 1) / n));
      const cut = (TRUNCATION * Math.sqrt(expected)) / TRUNCATED_NORMAL_STD;
      expect(Math.max(...w.map(Math.abs)), `layer ${l}`).toBeLessThanOrEqual(Math.fround(cut));
      // The fourth moment over σ⁴ against a truncated normal's, within 4 standard errors of the mean of w⁴/σ⁴ (E[z⁸] − E[z⁴]²)/N.
      const fourth = w.reduce((sum, v) => sum + v ** 4, 0) / n / expected ** 2;
      expect(Math.abs(fourth - m4), `layer ${l}`).toBeLessThan(4 * Math.sqrt((m8 - m4 * m4) / n));
    });
  });

  it('is taken by --init and recorded in the model file, and read back by every format that records an initialisation', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'truncated-init-'));
    const data = join(folder, 'data.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0], [1, 1], [0, 0]], targets: [[1, 0], [1, 0], [0, 1], [0, 1]] }));
    const out = join(folder, 'model.json');
    const { code, stderr } = await runCliInProcess(['train', '--data', data, '--depth', '1', '--width', '4', '--activation', 'relu', '--init', init, '--epochs', '1', '--out', out]);
    expect(code, stderr).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.initialisation).toEqual({ init, biasInit: 'zero' });
    const net = await Network.fromJSON(saved, { seed: 1 });
    const { modelJson, weightData } = toTfjsLayers(net);
    const loaded = [net, await networkFromModel(readSafetensors(toSafetensors(net)), { seed: 1 }), await networkFromModel(fromTfjsLayers(JSON.parse(JSON.stringify(modelJson)), weightData), { seed: 1 })];
    for (const read of loaded) {
      expect(read.initialisation?.init).toBe(init);
      read.dispose();
    }
  });
});
