// A generator function given as a callback: its call returns an iterator and runs none of its body,
// and no caller iterates it, so it was called at every batch, epoch, product or study row and did
// nothing, in silence. Refused before any work wherever an async one is (checks.ts unrunnableKind),
// with nothing held changed.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { lanczos } from '../../src/curvature/lanczos.js';
import { runActivationStudy } from '../../src/studies/activations.js';
import { runAutoencoderStudy } from '../../src/studies/autoencoder.js';
import { runDepthStudy } from '../../src/studies/depth.js';
import { runPlateauStudy } from '../../src/studies/plateau.js';
import { runRemediesStudy } from '../../src/studies/remedies.js';
import { runBudgetSweep } from '../../src/studies/trainable-depth-budget.js';
import { runTrainableDepthStudy } from '../../src/studies/trainable-depth.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

let ran = 0;
function* generator() {
  ran++;
  yield;
}
const UNRUN = 'a generator function; calling it returns an iterator and runs none of its body, and its caller iterates nothing \\(its work would never run\\): give a plain function$';
const x = [[0.1, 0.2], [0.3, -0.4], [1, 0], [0, 1]];
const y = [[1, 0], [0, 1], [1, 0], [0, 1]];

describe.each(['ref', 'wasm'] as const)('generator callbacks on %s', (backend) => {
  it.each(['onBatch', 'onEpoch'] as const)('train(): a generator %s is refused before any step (INVALID_OPTION), nothing held changed', async (name) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend, seed: 4 });
    const data = net.dataset(x, y);
    const before = stateHash(net);
    await expectError(() => net.train(x, y, { batchSize: 2, [name]: generator }), 'INVALID_OPTION', new RegExp(`^${name}: ${UNRUN}`));
    await expectError(() => net.train(data, { batchSize: 2, [name]: generator }), 'INVALID_OPTION', new RegExp(`^${name}: ${UNRUN}`));
    expect([ran, net.step, stateHash(net)]).toEqual([0, 0, before]);
    data.dispose();
    net.dispose();
  });

  it("measureCurvature's onProgress and lanczos' onStep: refused before any product", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend, seed: 4 });
    const before = stateHash(net);
    await expectError(() => measureCurvature(net, x, y, { onProgress: generator }), 'INVALID_OPTION', new RegExp(`^measureCurvature: onProgress: ${UNRUN}`));
    expect(stateHash(net)).toBe(before);
    net.dispose();
    let products = 0;
    const counted = (out: Float64Array, v: Float64Array) => (products++, out.set(v));
    await expectError(() => lanczos(counted, 4, { k: 1, onStep: generator }), 'INVALID_OPTION', new RegExp(`^lanczos: onStep: ${UNRUN}`));
    expect([products, ran]).toEqual([0, 0]);
  });
});

describe('generator callbacks of the studies', () => {
  it.each<[string, () => Promise<unknown>, string]>([
    ['depth onProgress', () => runDepthStudy({ onProgress: generator }), 'depth study: onProgress'],
    ['plateau onProgress', () => runPlateauStudy({ onProgress: generator }), 'plateau study: onProgress'],
    ['activations onRun', () => runActivationStudy({ onRun: generator }), 'activations study: onRun'],
    ['remedies onRun', () => runRemediesStudy({ onRun: generator }), 'onRun'],
    ['autoencoder onPoint', () => runAutoencoderStudy({ onPoint: generator }), 'autoencoder onPoint'],
    ['autoencoder onStep', () => runAutoencoderStudy({ onStep: generator }), 'autoencoder onStep'],
    ['trainable-depth onRow', () => runTrainableDepthStudy({ onRow: generator }), 'onRow'],
    ['budget sweep onNetwork', () => runBudgetSweep({ onNetwork: generator }), 'onNetwork'],
  ])('a generator %s: INVALID_OPTION before any work', async (_name, run, where) => {
    await expectError(run, 'INVALID_OPTION', new RegExp(`^${where}: ${UNRUN}`));
    expect(ran).toBe(0);
  });
});
