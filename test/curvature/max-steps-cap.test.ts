// maxSteps is capped by the memory of the Lanczos basis, min(n, maxSteps) vectors of n float64s,
// at LANCZOS_BASIS_BYTES (4 GiB, a cap on JS memory set equal to what a backend without a hard limit gives its tensors): maxSteps 1e12
// on a large network ran products until the basis' allocation failed, hours in. Refused before any
// product, saying the most that fits; a maxSteps beyond n takes n steps, so a small operator takes any.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { LANCZOS_BASIS_BYTES, lanczos } from '../../src/curvature/lanczos.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

describe('maxSteps within the basis memory', () => {
  it('lanczos: refused before any product past 4 GiB of basis, with the most that fits; 1e12 taken on a small operator', async () => {
    expect(LANCZOS_BASIS_BYTES).toBe(2 ** 32);
    let products = 0;
    // A product run would be the refusal missed: it ends the case at once instead of running on.
    const counted = () => {
      products++;
      throw new Error('a product ran');
    };
    // n = 2,000,000: 2^32 / (8 n) = 268 vectors fit; the default 300 does not.
    const most = /^lanczos: maxSteps: at most 268 on an operator of dimension 2,000,000: the basis holds min\(n, maxSteps\) vectors of n float64s, /;
    await expectError(() => lanczos(counted, 2_000_000, { k: 1, maxSteps: 1e12 }), 'INVALID_OPTION', new RegExp(`${most.source}.*past the 4096.0 MiB a run may hold; got 1000000000000$`));
    await expectError(() => lanczos(counted, 2_000_000, { k: 1 }), 'INVALID_OPTION', most);
    expect(products).toBe(0);
    // 23,170² float64s fit (n ≤ 23,170 takes any maxSteps); 1e12 on n = 20 takes 20 steps.
    const run = lanczos((out, v) => v.forEach((x, i) => (out[i] = (i + 1) * x)), 20, { k: 1, maxSteps: 1e12 });
    expect([run.largest[0], run.smallest[0]].map((x) => Math.round(x))).toEqual([20, 1]);
    await expectError(() => lanczos(counted, 23_171, { k: 1, maxSteps: 23_171 }), 'INVALID_OPTION', /^lanczos: maxSteps: at most 23,169 on an operator of dimension 23,171/);
    // Where not one vector fits, no maxSteps is offered ('at most 0' was, which is itself refused).
    await expectError(() => lanczos(counted, 2 ** 31, { k: 1 }), 'INVALID_OPTION', /^lanczos: maxSteps: no basis fits an operator of dimension 2,147,483,648: one vector of n float64s is 16384\.0 MiB, past the 4096\.0 MiB a run may hold$/);
    expect(products).toBe(0);
  });

  it('measureCurvature: refused in its own name for the whole network before any product, nothing held changed', async () => {
    // 1,000 inputs × 1,800 units + 1,800 biases + 1,800 weights + 1 bias = 1,803,601 parameters: 297 vectors fit, not the default 300.
    const net = await createNetwork({ sizes: [1000, 1800, 1], output: 'sigmoid', loss: 'binary-cross-entropy', backend: 'ref', seed: 1 });
    expect(net.parameterCount).toBe(1_803_601);
    const before = stateHash(net);
    const x = [Array.from({ length: 1000 }, (_, i) => i / 1000), Array.from({ length: 1000 }, (_, i) => 1 - i / 1000)];
    const y = [[1], [0]];
    let calls = 0;
    const onProgress = () => calls++;
    await expectError(() => measureCurvature(net, x, y, { k: 1, onProgress }), 'INVALID_OPTION', /^measureCurvature: maxSteps: at most 297 on an operator of dimension 1,803,601: .* got 300$/);
    await expectError(() => measureCurvature(net, x, y, { k: 1, maxSteps: 1e12, onProgress }), 'INVALID_OPTION', /^measureCurvature: maxSteps: at most 297 on an operator of dimension 1,803,601: .* got 1000000000000$/);
    expect([calls, stateHash(net)]).toEqual([0, before]);
    net.dispose();
  });
});
