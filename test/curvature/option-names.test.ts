// measureCurvature checks every option up front, before any product, and names it as the caller
// wrote it. It passed exactTraceLimit, layers, maxSteps and seed on to traceOf and lanczos, which
// named them in their own terms ('exactLimit: …', 'blockProbes: …') after the first runs, and no
// one checked a seed: -1 ran as 4,294,967,295, 1.5 as 1, 'abc' and NaN as 0, all in silence.
import { describe, expect, it } from 'vitest';
import { measureCurvature } from '../../src/curvature/curvature.js';
import { lanczos } from '../../src/curvature/lanczos.js';
import { traceOf } from '../../src/curvature/matrix-trace.js';
import { jacobianSpectrum } from '../../src/curvature/jacobian.js';
import { createNetwork } from '../../src/api/network.js';
import type { CurvatureOptions } from '../../src/curvature/curvature.js';
import { expectError } from '../util/expect-error.js';
import { stateHash } from '../util/state-hash.js';

const x = [[0.1, 0.2], [0.3, -0.4], [1, 0]];
const y = [[1, 0], [0, 1], [1, 0]];
const SEED = /expected an integer from 0 to 4,294,967,295 \(the random number generator's seed is 32 bits\), got /;

describe.each(['ref', 'wasm'] as const)('measureCurvature options on %s', (backend) => {
  it.each<[CurvatureOptions, RegExp]>([
    [{ exactTraceLimit: -1 }, /^measureCurvature: exactTraceLimit: expected a whole number, got -1$/],
    [{ layers: 'yes' as never }, /^measureCurvature: layers: expected true or false, got "yes"$/],
    [{ probes: 1 }, /^measureCurvature: probes: expected an integer ≥ 2, got 1$/],
    [{ maxSteps: 0 }, /^measureCurvature: maxSteps: expected a positive integer, got 0$/],
    [{ seed: -1 }, new RegExp(`^measureCurvature: seed: ${SEED.source}-1$`)],
    [{ seed: 1.5 }, new RegExp(`^measureCurvature: seed: ${SEED.source}1\\.5$`)],
    [{ seed: 'abc' as never }, new RegExp(`^measureCurvature: seed: ${SEED.source}"abc"$`)],
    [{ k: '3' as never }, /^measureCurvature: k: expected an integer from 1 to the parameter count 17, got "3"$/],
    [{ k: 18 }, /^measureCurvature: k: expected an integer from 1 to the parameter count 17, got 18$/],
  ])('%o is refused in its own name before any product, nothing held changed', async (options, message) => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend, seed: 4 });
    const before = stateHash(net);
    let progressed = 0;
    await expectError(() => measureCurvature(net, x, y, { ...options, onProgress: () => progressed++ }), 'INVALID_OPTION', message);
    expect([progressed, stateHash(net)]).toEqual([0, before]);
    net.dispose();
  });
});

describe('the seeds of lanczos, traceOf and jacobianSpectrum', () => {
  const identity = (out: Float64Array, v: Float64Array) => out.set(v);
  it.each([-1, 2 ** 32, 0.5, Number.NaN])('%s is refused (INVALID_OPTION)', async (seed) => {
    await expectError(() => lanczos(identity, 4, { seed, k: 1 }), 'INVALID_OPTION', new RegExp(`^lanczos: seed: ${SEED.source}`));
    await expectError(() => traceOf(identity, 4, [], { seed, exactLimit: 0 }), 'INVALID_OPTION', new RegExp(`^seed: ${SEED.source}`));
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref' });
    await expectError(() => jacobianSpectrum(net, x, { seed }), 'INVALID_OPTION', new RegExp(`^seed: ${SEED.source}`));
    net.dispose();
  });

  it('0 and 2³² − 1 are seeds', () => {
    for (const seed of [0, 2 ** 32 - 1]) expect(lanczos(identity, 4, { seed, k: 1 }).largest[0]).toBeCloseTo(1, 10);
  });
});

describe("lanczos' tolerance", () => {
  // A diagonal of 1…200 run 20 steps: no Ritz value has converged, as a finite tolerance says.
  const diagonal = (out: Float64Array, v: Float64Array) => v.forEach((value, i) => (out[i] = (i + 1) * value));
  it.each([Infinity, Number.NaN, -1, 'abc'])('%s is refused (INVALID_OPTION): Infinity took the first Ritz values for converged, NaN made every bound NaN', async (tolerance) => {
    await expectError(() => lanczos(diagonal, 200, { k: 2, maxSteps: 20, tolerance: tolerance as number }), 'INVALID_OPTION', /^lanczos: tolerance: expected a finite number ≥ 0, got /);
  });

  it('0 and 1e-10 are tolerances, and the run says it has not converged', () => {
    for (const tolerance of [0, 1e-10]) {
      const run = lanczos(diagonal, 200, { k: 2, maxSteps: 20, tolerance });
      expect(run.converged).toBe(false);
      expect(run.unconverged.every((value) => Number.isFinite(value.bound))).toBe(true);
    }
  });
});

describe('async callbacks of measureCurvature and lanczos', () => {
  // Each is called without waiting for its promise: a rejection in it went unhandled (ending a Node
  // process) while the run went on. Refused before any product, as train() refuses an async onBatch.
  const rejecting = async () => {
    throw new Error('async');
  };
  const ASYNC = 'an async function; it is called without waiting for the promise it returns';
  it('are refused (INVALID_OPTION) before any product, nothing held changed', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], backend: 'ref', seed: 4 });
    const before = stateHash(net);
    await expectError(() => measureCurvature(net, x, y, { onProgress: rejecting }), 'INVALID_OPTION', new RegExp(`^measureCurvature: onProgress: ${ASYNC}`));
    expect(stateHash(net)).toBe(before);
    net.dispose();
    let products = 0;
    const counted = (out: Float64Array, v: Float64Array) => (products++, out.set(v));
    await expectError(() => lanczos(counted, 4, { k: 1, onStep: rejecting }), 'INVALID_OPTION', new RegExp(`^lanczos: onStep: ${ASYNC}`));
    expect(products).toBe(0);
  });
});
