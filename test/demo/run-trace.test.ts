// The visualizer's run trace: the records of many train() calls in one trace for diagnose(),
// thinned evenly (every 2nd, 4th, … step from the first) once it reaches MAX_RECORDS, values copied
// unchanged.
import { describe, expect, it } from 'vitest';
import { LAYER_METRIC_NAMES, RESIDUAL_METRIC_NAMES } from '../../src/flow/metrics.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import { createNetwork } from '../../src/api/network.js';
import { MAX_RECORDS, RunTrace } from '../../demo/src/run-trace.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';

describe('visualizer run trace', () => {
  it('diagnoses the probe until training, then keeps the whole run evenly thinned', async () => {
    const net = await createNetwork({ sizes: [2, 3, 3, 2], activation: 'sigmoid', backend: 'ref', seed: 3 });
    const x = { data: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1, 0.5, 0.2, 0.2, 0.5, 0.9, 0.1, 0.1, 0.9]), rows: 8, cols: 2 };
    const y = { data: Float32Array.from([1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1]), rows: 8, cols: 2 };
    const gradients = net.gradients(x, y);
    const recorder = new TraceRecorder(net, { every: 1 });
    recorder.afterBackprop(x.rows, gradients.loss);
    recorder.close();
    const run = new RunTrace(recorder.trace);
    expect(run.trace).toBe(recorder.trace);

    // 11 calls of 200 steps (2 batches of 4 rows per epoch): thinned at 1024 records to every 2nd
    // step, at step 2047 to every 4th.
    for (let call = 0; call < 11; call++) {
      net.train(x, y, { epochs: 100, batchSize: 4, learningRate: 0.5, trace: { every: 1 } });
      expectTraceInvariants(net.trace!, `call ${call}`);
      run.append(net.trace!);
    }
    const { trace } = run;
    expect(trace.every).toBe(4);
    expect(trace.length).toBeLessThan(MAX_RECORDS);
    expect(Array.from(trace.steps)).toEqual(Array.from({ length: (2197 - 1) / 4 + 1 }, (_, r) => 1 + 4 * r));

    // The last call's kept steps hold exactly what that call recorded.
    const last = net.trace!;
    for (let r = 0; r < trace.length; r++) {
      const source = trace.steps[r] - last.steps[0];
      if (source < 0) continue;
      expect(trace.losses[r]).toBe(last.losses[source]);
      for (const name of LAYER_METRIC_NAMES) expect(trace.row(name, r)).toEqual(last.row(name, source));
    }
    expect(diagnose(trace).evidence.records).toBe(trace.length);
    expectTraceInvariants(trace, 'run trace');
    // The run description travels with the records (here: SGD at 0.5 in batches of 4, the default init and biases).
    expect(trace.run).toEqual({ optimizer: 'sgd', learningRate: 0.5, batchSize: 4, init: 'standard', biasInit: 'zero' });
    net.dispose();
  });

  it("keeps a block network's row names, residual blocks and their metrics through appending and thinning", async () => {
    const net = await createNetwork({
      inputs: 2,
      layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'residual', gate: 'rezero', layers: [{ type: 'layer-norm' }, { type: 'dense', units: 4, activation: 'tanh' }] }, { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'tanh' }] }, { type: 'dense', units: 2, activation: 'softmax' }],
      loss: 'cross-entropy',
      backend: 'ref',
      seed: 6,
    });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[1, 0], [0, 1], [0, 1], [1, 0]];
    const gradients = net.gradients(x, y);
    const recorder = new TraceRecorder(net, { every: 1 });
    recorder.afterBackprop(4, gradients.loss);
    recorder.close();
    const run = new RunTrace(recorder.trace);
    // 700 steps in two calls: thinned once, at 1024 records.
    for (const epochs of [300, 400]) {
      net.train(x, y, { epochs, batchSize: 2, learningRate: 0.05, trace: { every: 1 } });
      run.append(net.trace!);
    }
    const { trace } = run;
    const last = net.trace!;
    expect(trace.every).toBe(2);
    expect(trace.blocks).toEqual(last.blocks);
    expect(trace.residualBlocks).toBe(2);
    for (let r = 0; r < trace.length; r++) {
      const source = trace.steps[r] - last.steps[0];
      if (source < 0) continue;
      for (const name of RESIDUAL_METRIC_NAMES) {
        for (let b = 0; b < 2; b++) expect(trace.residualSeries(name, b)[r], `${name} block ${b} step ${trace.steps[r]}`).toBe(last.residualSeries(name, b)[source]);
      }
    }
    expect(diagnose(trace).evidence.records).toBe(trace.length);
    net.dispose();
  });
});
