// What the network diagram draws, from a real network's layerOutputs() and gradients(): each drawn
// unit's map or mean, each drawn edge's |∂C/∂w| and weight at the right index, wide layers cut to
// their first MAX_DRAWN_UNITS units and a wide input layer drawn as one bar carrying RMS gradients.
import { describe, expect, it } from 'vitest';
import { columnEnds } from '../../demo/src/architecture.js';
import { denseWeightsOf, diagramOf, MAX_DRAWN_UNITS, UNIT_MAP_GRID } from '../../demo/src/diagram-data.js';
import { createNetwork, type Gradients, type Network } from '../../src/api/network.js';
import type { LayerOutputs } from '../../src/api/layer-outputs.js';
import { Rng } from '../../src/init/rng.js';

const rng = new Rng(9);
const rowsOf = (rows: number, cols: number) => ({ data: Float32Array.from({ length: rows * cols }, () => rng.normal()), rows, cols });
const targetsOf = (rows: number, classes: number) => ({ data: Float32Array.from({ length: rows * classes }, (_, i) => (i % classes === (Math.floor(i / classes) % classes) ? 1 : 0)), rows, cols: classes });
const weightsOf = (net: Network) => net.weights.map((w) => Float64Array.from(net.kernels.view(w)));
/** The diagram's inputs as the worker makes them: a column per layer of a dense network, named by position. */
const columnsOf = (outputs: LayerOutputs) => outputs.layers.map((o, l) => ({ name: `c${l}`, outputs: o }));
const denseOf = (net: Network, gradients: Gradients) => denseWeightsOf(net.parameters(), gradients, (t) => net.kernels.view(t));

describe('the network diagram’s data', () => {
  it('maps every unit of a small 2-D network over the grid, with every edge', async () => {
    const net = await createNetwork({ sizes: [2, 4, 3, 2], activation: 'tanh', output: 'softmax', backend: 'ref', seed: 2 });
    const grid = rowsOf(UNIT_MAP_GRID ** 2, 2);
    const outputs = net.layerOutputs(grid);
    const probe = { x: rowsOf(20, 2), y: targetsOf(20, 2) };
    const gradients = net.gradients(probe.x, probe.y);
    const d = diagramOf('map', grid, columnsOf(outputs), denseOf(net, gradients), 20);
    expect(d.names).toEqual(['c0', 'c1', 'c2']);
    expect(d.shown).toEqual([2, 4, 3, 2]);
    expect(d.cells).toBe(UNIT_MAP_GRID ** 2);
    expect(d.units.map((u) => u.length)).toEqual([2, 4, 3, 2].map((n) => n * d.cells));
    // Input unit 1 is the grid's second column; hidden unit 2 of layer 1 is its column of layerOutputs.
    expect(d.units[0][d.cells + 7]).toBe(grid.data[7 * 2 + 1]);
    expect(d.units[1][2 * d.cells + 5]).toBe(Math.fround(outputs.layers[0].values[5 * 4 + 2]));
    expect(d.gradients.map((g) => g.length)).toEqual([8, 12, 6]);
    // Edge from unit 1 of layer 1 to unit 2 of layer 2: [to][from].
    expect(d.gradients[1][2 * 4 + 1]).toBe(Math.fround(Math.abs(gradients.layers[1].weights[2 * 4 + 1])));
    expect(d.weights[1][2 * 4 + 1]).toBe(Math.fround(weightsOf(net)[1][2 * 4 + 1]));
    expect(d.gradientRows).toBe(20);
    net.dispose();
  });

  it(`draws the first ${MAX_DRAWN_UNITS} units of a wider layer, and a wide input as one bar with RMS gradients`, async () => {
    const inputs = MAX_DRAWN_UNITS + 5;
    const wide = MAX_DRAWN_UNITS + 8;
    const net = await createNetwork({ sizes: [inputs, wide, 3], activation: 'relu', init: 'he-normal', output: 'softmax', backend: 'ref', seed: 3 });
    const probe = { x: rowsOf(30, inputs), y: targetsOf(30, 3) };
    const outputs = net.layerOutputs(probe.x);
    const gradients = net.gradients(probe.x, probe.y);
    const d = diagramOf('mean', probe.x, columnsOf(outputs), denseOf(net, gradients), 30);
    expect(d.shown).toEqual([0, MAX_DRAWN_UNITS, 3]);
    expect(d.cells).toBe(1);
    expect(d.units.map((u) => u.length)).toEqual([0, MAX_DRAWN_UNITS, 3]);
    const mean = Array.from({ length: 30 }, (_, r) => outputs.layers[0].values[r * wide + 4]).reduce((a, b) => a + b) / 30;
    expect(d.units[1][4]).toBeCloseTo(mean, 6);
    // One edge from the bar to each drawn unit: the RMS of that unit's row of ∂C/∂W, with no weight sign.
    expect(d.gradients[0]).toHaveLength(MAX_DRAWN_UNITS);
    const row = gradients.layers[0].weights.subarray(7 * inputs, 8 * inputs);
    expect(d.gradients[0][7]).toBeCloseTo(Math.sqrt(row.reduce((a, g) => a + g * g, 0) / inputs), 7);
    expect(d.weights[0].every(Number.isNaN)).toBe(true);
    // From the cut layer: only its first units' edges, read with the layer's full width as stride.
    expect(d.gradients[1]).toHaveLength(3 * MAX_DRAWN_UNITS);
    expect(d.gradients[1][2 * MAX_DRAWN_UNITS + 11]).toBe(Math.fround(Math.abs(gradients.layers[1].weights[2 * wide + 11])));
    net.dispose();
  });

  it('draws a block network a column per dense layer with what follows it, its edges the dense weights by name', async () => {
    const unit = (units: number) => [{ type: 'dense', units }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }] as const;
    const net = await createNetwork({ inputs: 2, layers: [...unit(5), { type: 'residual', gate: 'rezero', layers: [...unit(5)] }, { type: 'dense', units: 2, activation: 'softmax' }], loss: 'cross-entropy', backend: 'ref', seed: 4 });
    const probe = { x: rowsOf(20, 2), y: targetsOf(20, 2) };
    const outputs = net.layerOutputs(probe.x);
    const gradients = net.gradients(probe.x, probe.y);
    const ends = columnEnds(net.layers);
    expect(ends).toEqual([2, 3, 4]);
    const d = diagramOf('mean', probe.x, ends.map((end) => ({ name: String(end), outputs: outputs.layers[end] })), denseOf(net, gradients), 20);
    expect(d.sizes).toEqual([2, 5, 5, 2]);
    // The residual block's column shows its output (x + α·f(x)); its edges are its branch's dense weights.
    expect(d.units[2][3]).toBeCloseTo(Array.from({ length: 20 }, (_, r) => outputs.layers[3].values[r * 5 + 3]).reduce((a, b) => a + b) / 20, 6);
    expect(d.gradients[1][2 * 5 + 4]).toBe(Math.fround(Math.abs(gradients.parameters['4.branch.0.weight'][2 * 5 + 4])));
    const branch = net.parameters().find((p) => p.name === '4.branch.0.weight')!;
    expect(d.weights[1][2 * 5 + 4]).toBe(Math.fround(net.kernels.view(branch.value)[2 * 5 + 4]));
    expect(d.gradients[2][1 * 5 + 0]).toBe(Math.fround(Math.abs(gradients.parameters['5.weight'][1 * 5 + 0])));
    net.dispose();
  });
});
