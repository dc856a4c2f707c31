// lanczos names every option it refuses as 'lanczos: <option>: …', as it names its ends, vectors and
// onStep: its k, maxSteps, tolerance and seed were refused as bare 'k: …', 'maxSteps: …', and its
// dimension in a sentence of its own. k is checked once, by checkEigenCount (measureCurvature's and
// the CLI's rule too), against the operator's dimension; its default, SPECTRUM_END_COUNT, is one
// constant for lanczos, measureCurvature, jacobianSpectrum and `gradscope curvature --k`.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { jacobianSpectrum } from '../../src/curvature/jacobian.js';
import { lanczos, SPECTRUM_END_COUNT } from '../../src/curvature/lanczos.js';
import { expectError } from '../util/expect-error.js';

const diagonal = (out: Float64Array, v: Float64Array) => v.forEach((x, i) => (out[i] = (i + 1) * x));

describe("lanczos' refusals", () => {
  it.each<[string, () => unknown, RegExp]>([
    ['k 0', () => lanczos(diagonal, 8, { k: 0 }), /^lanczos: k: expected an integer from 1 to the operator's dimension 8, got 0$/],
    ['k above n', () => lanczos(diagonal, 8, { k: 9 }), /^lanczos: k: expected an integer from 1 to the operator's dimension 8, got 9$/],
    ['k 1.5', () => lanczos(diagonal, 8, { k: 1.5 }), /^lanczos: k: expected an integer from 1 to the operator's dimension 8, got 1.5$/],
    ['maxSteps 0', () => lanczos(diagonal, 8, { k: 1, maxSteps: 0 }), /^lanczos: maxSteps: expected a positive integer, got 0$/],
    ['tolerance -1', () => lanczos(diagonal, 8, { k: 1, tolerance: -1 }), /^lanczos: tolerance: expected a finite number ≥ 0, got -1$/],
    ['seed -1', () => lanczos(diagonal, 8, { k: 1, seed: -1 }), /^lanczos: seed: expected an integer from 0 to 4,294,967,295/],
    ['n 0', () => lanczos(diagonal, 0, { k: 1 }), /^lanczos: n \(the operator's dimension\): expected a whole number ≥ 1, got 0$/],
    ['n 2.5', () => lanczos(diagonal, 2.5, { k: 1 }), /^lanczos: n \(the operator's dimension\): expected a whole number ≥ 1, got 2.5$/],
  ])('%s: INVALID_OPTION named lanczos: <option>', async (_case, run, message) => {
    await expectError(run, 'INVALID_OPTION', message);
  });

  it('k defaults to SPECTRUM_END_COUNT (5) in lanczos and jacobianSpectrum', async () => {
    expect(SPECTRUM_END_COUNT).toBe(5);
    const run = lanczos(diagonal, 20);
    expect([run.largest.length, run.smallest.length]).toEqual([5, 5]);
    const net = await createNetwork({ sizes: [8, 6, 7], activation: 'tanh', backend: 'ref', seed: 3 });
    const spectrum = jacobianSpectrum(net, [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]]);
    expect(spectrum.examples[0].largest.length).toBe(5);
    net.dispose();
  });
});
