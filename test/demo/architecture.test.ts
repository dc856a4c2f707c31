// The networks the visualizer's settings build: the plain dense network as before; with a norm or
// residual blocks, the same hidden layers as layer specs, placed as the diagnosis's remedies name
// them (so its buttons apply them), with diagram columns named by the entries of `layers` they span, as the trace names its rows.
import { describe, expect, it } from 'vitest';
import { columnEnds, columnNames, networkOptions } from '../../demo/src/architecture.js';
import { remedySetting } from '../../demo/src/remedies.js';
import { probeRun } from '../../demo/src/run-trace.js';
import { DEFAULTS, type Settings } from '../../demo/src/settings.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { TraceRecorder } from '../../src/flow/recorder.js';
import type { Trace } from '../../src/flow/trace.js';
import type { Remedy } from '../../src/flow/remedy.js';

/** The 2-D data sets' widths: two inputs, two classes. */
const PLANAR = { inputs: 2, classes: 2 };
import { Rng } from '../../src/init/rng.js';

const rng = new Rng(4);
const ROWS = 64;
const x = { data: Float32Array.from({ length: ROWS * 2 }, () => rng.uniformIn(-1, 1)), rows: ROWS, cols: 2 };
const y = { data: new Float32Array(ROWS * 2), rows: ROWS, cols: 2 };
for (let r = 0; r < ROWS; r++) y.data[2 * r + (x.data[2 * r] * x.data[2 * r + 1] > 0 ? 0 : 1)] = 1;

/** The network of `settings` on 2-D data with 2 classes, its step-0 trace as the page's worker takes it, and its diagram columns. */
async function built(settings: Settings) {
  const net = await createNetwork({ ...networkOptions(settings, 2, 2), backend: 'ref' });
  if (settings.init === 'lsuv') net.initLsuv(x);
  const gradients = net.gradients(x, y);
  const recorder = new TraceRecorder(net, { every: 1 }, probeRun(settings, null));
  recorder.afterBackprop(x.rows, gradients.loss);
  recorder.close();
  const trace: Trace = recorder.trace;
  const names = columnNames(net.layers, net.kind === 'blocks', (c) => trace.layerLabel(c));
  return { net, trace, names, ends: columnEnds(net.layers) };
}

describe('the visualizer’s networks', () => {
  it('builds the plain dense network for no norm and no residual blocks, its columns named as its trace rows', async () => {
    const { net, trace, names } = await built({ ...DEFAULTS, depth: 3 });
    expect(net.kind).toBe('dense');
    expect(net.sizes).toEqual([2, 16, 16, 16, 2]);
    expect(names).toEqual(['hidden 1', 'hidden 2', 'hidden 3', 'output']);
    expect(names).toEqual(Array.from({ length: trace.layers }, (_, l) => trace.layerLabel(l)));
    net.dispose();
  });

  it('puts the norm between each hidden dense layer and its activation, and makes hidden layers 2… residual blocks', async () => {
    const { net, trace, names, ends } = await built({ ...DEFAULTS, depth: 3, width: 8, norm: 'batch-norm', residual: 'rezero', activation: 'tanh' });
    expect(net.kind).toBe('blocks');
    const unit = [{ type: 'dense', units: 8, activation: 'linear' }, { type: 'batch-norm' }, { type: 'activation', activation: 'tanh' }];
    expect(net.layers).toMatchObject([...unit, { type: 'residual', gate: 'rezero', layers: unit }, { type: 'residual', gate: 'rezero', layers: unit }, { type: 'dense', units: 2, activation: 'softmax' }]);
    // A column per hidden layer and the output; the first spans the dense layer's two modules, its norm and its activation.
    expect(ends).toEqual([2, 3, 4, 5]);
    expect(names).toEqual(['layers[0–2]', 'layers[3]', 'layers[4]', 'layers[5]']);
    // Every row of the trace lies in the column of the entry of `layers` its name opens with.
    const top = (l: number) => Number(/^layers\[(\d+)\]/.exec(trace.layerLabel(l))![1]);
    const columnOf = (entry: number) => names.findIndex((n) => { const [a, b = a] = /\[(.*)\]/.exec(n)![1].split('–').map(Number); return entry >= a && entry <= b; });
    expect(Array.from({ length: trace.layers }, (_, l) => columnOf(top(l)))).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
    net.dispose();
  });

  it('runs LSUV on a dense or a block network before step 0', async () => {
    for (const settings of [{ ...DEFAULTS, init: 'lsuv' }, { ...DEFAULTS, init: 'lsuv', residual: 'plain', activation: 'relu' }] as Settings[]) {
      const { net, trace } = await built(settings);
      expect(net.awaitingLsuv).toBe(false);
      expect(trace.run.lsuv).toBe(true);
      net.dispose();
    }
  });

  it('is what the diagnosis of a deep sigmoid network asks for: its block remedies and their alternatives become buttons that build', async () => {
    const { net, trace } = await built({ ...DEFAULTS, depth: 8 });
    const choices = (remedies: Remedy[]) => remedies.flatMap((r) => [r.settings, ...(r.alternative ? [r.alternative] : [])]);
    const remedies = choices(diagnose(trace).remedies).map((settings) => remedySetting({ settings }, { ...DEFAULTS, depth: 8 }, PLANAR));
    net.dispose();
    for (const change of [{ norm: 'batch-norm' }, { norm: 'layer-norm' }, { residual: 'plain' }, { residual: 'rezero' }]) expect(remedies).toContainEqual(change);
    for (const change of remedies.filter((r) => r && ('norm' in r || 'residual' in r))) {
      const applied = await built({ ...DEFAULTS, depth: 8, ...change });
      expect(applied.net.kind).toBe('blocks');
      expect(choices(diagnose(applied.trace).remedies).map((settings) => remedySetting({ settings }, { ...DEFAULTS, depth: 8, ...change }, PLANAR))).not.toContainEqual(change);
      applied.net.dispose();
    }
  });
});
