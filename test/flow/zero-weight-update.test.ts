/**
 * updateRatio, ‖ΔW‖/‖W‖, of a layer whose weights are 0, by one rule on both recorders: NaN whether
 * the step moved it or not (relative to nothing a step has no size); from the next record, where
 * ‖W‖ > 0, the ratio is measured again.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { BackendOptions } from '../../src/backend.js';

const x = [[0.5, -1, 2], [1, 0.25, -0.5], [-1.5, 1, 0.75], [0.2, -0.4, 1]];
// Unbalanced, so the output layer's weight gradient at W = 0 (every hidden unit then at σ(0)) is not 0.
const y = [[1, 0], [1, 0], [0, 1], [1, 0]];

/** Three dense layers (sigmoid, sigmoid, softmax): a dense network, and a block network (layer norm after the first). */
const NETWORKS: [string, NetworkOptions & BackendOptions][] = [
  ['dense', { sizes: [3, 4, 4, 2], activation: 'sigmoid', seed: 3, backend: 'ref' }],
  ['blocks', { inputs: 3, seed: 3, backend: 'ref', layers: [{ type: 'dense', units: 4, activation: 'sigmoid' }, { type: 'layer-norm' }, { type: 'dense', units: 4, activation: 'sigmoid' }, { type: 'dense', units: 2, activation: 'softmax' }] }],
];

describe.each(NETWORKS)('a %s network with its last two weight matrices at 0', (_, options) => {
  it('records updateRatio NaN while ‖W‖ = 0, moved or not, and measures it again once ‖W‖ > 0', async () => {
    const net = await createNetwork(options);
    const weights = net.parameters().filter((p) => p.shape.length === 2);
    expect(weights).toHaveLength(3);
    for (const p of weights.slice(1)) net.kernels.zero(p.value);
    net.train(x, y, { optimizer: 'sgd', learningRate: 0.5, epochs: 3, batchSize: 4, shuffle: false, trace: { every: 1 } });
    const trace = net.trace!;
    // A dense network's rows are its weight layers; a block network's are named by module ('2.weight' is module '2').
    const rowOf = (name: string, i: number) => (trace.blocks ? trace.blocks.layers.findIndex((layer) => layer.name === name.replace(/\.weight$/, '')) : i);
    const [first, middle, last] = weights.map((p, i) => rowOf(p.name, i));
    expect(Boolean(trace.blocks)).toBe(_ === 'blocks');
    // Step 1: the output layer (W = 0, gradient δ·aᵀ ≠ 0) moves, the middle one (its δ passes through the zero W above) does not.
    expect(trace.at('weightNorm', 0, last)).toBe(0);
    expect(trace.at('weightNorm', 1, last)).toBeGreaterThan(0);
    expect(trace.at('weightNorm', 1, middle)).toBe(0);
    expect(trace.at('updateRatio', 0, last)).toBeNaN();
    expect(trace.at('updateRatio', 0, middle)).toBeNaN();
    // Step 2: the middle layer, still at 0, moves (a gradient through the output layer's new W); the output layer's ratio is measured.
    expect(trace.at('weightNorm', 2, middle)).toBeGreaterThan(0);
    expect(trace.at('updateRatio', 1, middle)).toBeNaN();
    expect(trace.at('updateRatio', 1, last)).toBeGreaterThan(0);
    expect(Number.isFinite(trace.at('updateRatio', 1, last))).toBe(true);
    // The first layer (‖W‖ > 0 throughout) gets no gradient through the zero W above it at steps 1 and 2: a ratio of 0, not NaN.
    expect([trace.at('updateRatio', 0, first), trace.at('updateRatio', 1, first)]).toEqual([0, 0]);
    // From step 3 every layer has ‖W‖ > 0 and moves.
    for (const l of [first, middle, last]) expect(trace.at('updateRatio', 2, l), `row ${l}`).toBeGreaterThan(0);
    net.dispose();
  });
});
