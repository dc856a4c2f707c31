/**
 * Layer norm + sigmoid reads "vanishing" (diag38's matrix: in every condition): is it true? Measured here on 5 × (dense 16 →
 * layer norm → sigmoid) beside 5 × (dense 16, sigmoid) and 5 × (dense 16 → layer norm → tanh), Glorot's weights, SGD 0.1, 4 epochs
 * over 256 rows whose class is the quadrant of their first two inputs. It is: one example's δ shrinks at every link back to the
 * first dense layer (about 0.44 a layer, where the plain sigmoid stack's shrinks 0.22 a layer), the relative gradient and the steps
 * taken agree, and the network stays at chance where the tanh one learns. The layer norms' input rows are not flat (each row's
 * features spread 0.2 or more), so a flat-rows measure, as batch norm's flatFraction, would not change the verdict: the sigmoid's
 * σ' ≤ 1/4, which the layer norm's division by its rows' spread makes up only in part, is the cause the summary gives.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose, hiddenChain } from '../../src/flow/diagnose.js';
import type { LayerSpec } from '../../src/layers/spec.js';

const [INPUTS, CLASSES, ROWS, WIDTH, DEPTH] = [8, 4, 256, 16, 5];

let s = 7;
const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const x = Array.from({ length: ROWS }, () => Array.from({ length: INPUTS }, () => 2 * next() - 1));
const y = x.map((row) => Array.from({ length: CLASSES }, (_, k) => (k === (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0) ? 1 : 0)));

/** DEPTH blocks of `block`, a softmax output, Glorot's weights (seed 1), 4 epochs of SGD 0.1 in batches of 32, traced every 2 steps, validated on its rows. */
async function run(block: LayerSpec[]) {
  const net = await createNetwork({ inputs: INPUTS, loss: 'cross-entropy', init: 'glorot-uniform', seed: 1, layers: [...Array.from({ length: DEPTH }, () => block).flat(), { type: 'dense', units: CLASSES, activation: 'softmax' }] });
  net.train(x, y, { epochs: 4, batchSize: 32, learningRate: 0.1, trace: { every: 2 }, validation: { x, y } });
  const trace = net.trace!;
  // Each layer norm's input rows: the smallest spread over a row's features (its standard deviation), over the rows.
  const outputs = net.layerOutputs(x);
  // A stack of dense specs alone is traced as a dense network (no blocks, no norms).
  const rowSpreads = (trace.blocks?.layers ?? []).flatMap((l, i) => {
    if (l.type !== 'layer-norm') return [];
    const v = outputs.layers[i - 1].values;
    return [Math.min(...x.map((_, r) => {
      const row = Array.from(v.slice(r * WIDTH, (r + 1) * WIDTH));
      const mean = row.reduce((a, b) => a + b, 0) / WIDTH;
      return Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / WIDTH);
    }))];
  });
  net.dispose();
  const chain = hiddenChain(trace);
  const delta = chain.map((l) => trace.at('deltaRms', 0, l));
  return { trace, d: diagnose(trace), delta, accuracy: trace.epochs.at(-1)!.validation!.accuracy, rowSpreads };
}

const dense = (f: 'sigmoid' | 'tanh'): LayerSpec[] => [{ type: 'dense', units: WIDTH, activation: f }];
const normed = (f: 'sigmoid' | 'tanh'): LayerSpec[] => [{ type: 'dense', units: WIDTH }, { type: 'layer-norm' }, { type: 'activation', activation: f }];

describe('layer norm + sigmoid: the vanishing verdict is true', () => {
  it('δ shrinks at every link, less than through plain sigmoid layers but past 1/16 in all; relative gradient and steps agree; at chance', async () => {
    const [ln, plain, tanh] = [await run(normed('sigmoid')), await run(dense('sigmoid')), await run(normed('tanh'))];
    // Every link back shrinks one example's δ (first record), the geometric mean about 0.44 against the plain stack's 0.22.
    for (let l = 0; l + 1 < DEPTH; l++) expect(ln.delta[l] / ln.delta[l + 1]).toBeLessThan(0.75);
    const perLayer = (delta: number[]) => (delta[0] / delta[DEPTH - 1]) ** (1 / (DEPTH - 1));
    expect(perLayer(ln.delta)).toBeGreaterThan(0.35);
    expect(perLayer(ln.delta)).toBeLessThan(0.5);
    expect(perLayer(plain.delta)).toBeLessThan(0.25);
    expect(ln.d.verdict).toBe('vanishing');
    expect(ln.d.severity).toBe('severe');
    // Across the norms the gap is read from δ and the relative gradient together (normalisedGap): both below 1/16 at the first step.
    expect(ln.d.evidence.deltaFirstToLast.first).toBeLessThan(1 / 16);
    expect(ln.d.evidence.relativeGradientFirstToLast!.first).toBeLessThan(1 / 16);
    // The steps SGD took: the first dense layer's ‖ΔW‖/‖W‖ under 1/4 of the last's (median over the records).
    expect(ln.d.evidence.updateFirstToLast).toBeLessThan(1 / 4);
    // Not from flat rows: each layer norm's input varies over its features in every row.
    expect(Math.min(...ln.rowSpreads)).toBeGreaterThan(0.2);
    // It stays at chance (4 classes) where the same network with tanh learns, and is read healthy.
    expect(ln.accuracy).toBeLessThan(0.35);
    expect(tanh.d.verdict).toBe('healthy');
    expect(tanh.accuracy).toBeGreaterThan(0.85);
    expect(ln.d.summary).toMatch(/^Vanishing gradients \(severe\): between the first hidden layer layers\[0\] \('0', dense\) and the last hidden layer layers\[12\] \('16', dense\), layers\[1\] \('2', layer-norm\)/);
  });
});
