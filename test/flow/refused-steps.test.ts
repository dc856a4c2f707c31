/**
 * A trace records the steps the network took, and only those: a step the step guard refuses (it
 * would take a parameter out of range) leaves no record, nor does a step 'halve' takes back with its
 * epoch. Every record's step is then a step of the network, strictly increasing, each with its own
 * update measured, and the trace of a run with refusals is the trace of the same steps without them.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { BackendOptions } from '../../src/backend.js';
import { MODEL } from '../../src/model.js';
import { createOptimizer } from '../../src/optim/index.js';
import type { NonFinitePolicy } from '../../src/training/numeric-faults.js';
import type { Trace } from '../../src/flow/trace.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Rng } from '../../src/init/rng.js';
import { expectError } from '../util/expect-error.js';
import { sabotaged } from '../util/sabotaged-optimizer.js';

const rng = new Rng(5);
const x = Array.from({ length: 24 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const y = x.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));

const NETWORKS: [string, NetworkOptions & BackendOptions][] = [
  ['dense', { sizes: [3, 5, 4, 2], activation: 'tanh', seed: 2, backend: 'ref' }],
  ['blocks', { inputs: 3, seed: 2, backend: 'ref', layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 5, activation: 'relu' }] }, { type: 'dense', units: 2, activation: 'softmax' }] }],
];

/**
 * A trace's values, for comparing two runs: all of them, the power iteration's ‖W‖₂ and chain bound
 * included (a refused attempt takes back the iteration's vector with its record).
 */
function expectSameTrace(trace: Trace, expected: Trace): void {
  const valuesOf = (t: Trace) => ({ steps: [...t.steps], losses: [...t.losses], histograms: t.histograms, metrics: Object.fromEntries(LAYER_METRIC_NAMES.map((m) => [m, [...t.metric(m)]])) });
  expect(valuesOf(trace)).toEqual(valuesOf(expected));
}

/**
 * ‖W‖₂ at every record, so the refused attempts that are traced fall on a refresh: attempt 1 on the
 * first (cold) power iteration, and, tracing every step, attempts 3 and 6 on warm ones.
 */
const traceOptions = (every: number) => ({ every, refreshEvery: 1, histogramSteps: [1, 2, 5] });

describe.each(NETWORKS)('a %s network', (_, options) => {
  async function run(refused: number[], onNonFinite: NonFinitePolicy, every = 1) {
    const net = await createNetwork(options);
    const optimizer = sabotaged(net, new Set(refused));
    const result = net.train(x, y, { optimizer, epochs: 3, batchSize: 8, shuffle: false, learningRate: 0.1, onNonFinite, trace: traceOptions(every) });
    const trace = net.trace!;
    const step = net[MODEL].step;
    optimizer.dispose();
    net.dispose();
    return { trace, result, step };
  }

  it.each([1, 2])("'skip' (every %i): a refused step leaves no record; the trace is that of the steps taken", async (every) => {
    const { trace, result, step } = await run([1, 3, 6], 'skip', every);
    expect(result.skipped).toBe(3);
    expect(step).toBe(9 - 3);
    // Steps strictly increasing, every `every`-th of those taken and the histogram steps, each update measured (updateRatio finite).
    expect([...trace.steps]).toEqual([1, 2, 3, 4, 5, 6].filter((s) => (s - 1) % every === 0 || [1, 2, 5].includes(s)));
    for (let r = 0; r < trace.length; r++) expect(Number.isFinite(trace.at('updateRatio', r, 0)), `record ${r}`).toBe(true);
    expect(trace.histograms.map((h) => h.step)).toEqual([1, 2, 5]);
    // The same as the trace of one run over the batches that were applied: attempts 1, 3 and 6 were batches 0, 2 and 5 (of 3 per epoch).
    const kept = [1, 3, 4, 6, 7, 8];
    const net = await createNetwork(options);
    const sgd = createOptimizer(net, 'sgd');
    const rows = kept.flatMap((b) => [...Array(8).keys()].map((i) => (b % 3) * 8 + i));
    net.train(rows.map((i) => x[i]), rows.map((i) => y[i]), { optimizer: sgd, epochs: 1, batchSize: 8, shuffle: false, learningRate: 0.1, trace: traceOptions(every) });
    expectSameTrace(trace, net.trace!);
    sgd.dispose();
    net.dispose();
  });

  it("'throw': the refused first step leaves an empty trace", async () => {
    const net = await createNetwork(options);
    const optimizer = sabotaged(net, new Set([1]));
    await expectError(() => net.train(x, y, { optimizer, trace: { every: 1 } }), 'DIVERGED', /the step would take a parameter to .*; the step was not applied/);
    expect(net.trace!.length).toBe(0);
    expect(net.trace!.histograms).toEqual([]);
    optimizer.dispose();
    net.dispose();
  });

  it("'halve': the records of the epoch it takes back go with it", async () => {
    // Attempt 5 is epoch 1's second batch (step 5): epoch 1 restarts at step 4 with half the rate.
    const { trace, result, step } = await run([5], 'halve');
    expect(result.halvings).toBe(1);
    expect(step).toBe(9);
    expect([...trace.steps]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let r = 0; r < trace.length; r++) expect(Number.isFinite(trace.at('updateRatio', r, 0)), `record ${r}`).toBe(true);
    expect(trace.histograms.map((h) => h.step)).toEqual([1, 2, 5]);
  });
});
