// The per-layer rates diagnose() offers are the rates equalisingLayerRates measures (one rule,
// src/equalising-rates.ts), and they are offered as the run's own SGD, momentum and Nesterov kept.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { remedyLayerRates } from '../../src/flow/remedy.js';
import { equalisingLayerRates } from '../../src/optim/layer-rates.js';
import { Rng } from '../../src/init/rng.js';
import { sgdDecayBound } from '../../src/optimizer-defaults.js';

const rng = new Rng(7);
const x = Array.from({ length: 32 }, () => Array.from({ length: 16 }, () => rng.uniform()));
const y = x.map((row) => [0, 1, 2, 3].map((c) => (Math.min(3, Math.floor(4 * row[0])) === c ? 1 : 0)));

describe('per-layer rates: one rule for the study and the diagnosis', () => {
  it.each([
    ['ref', 1e-12],
    ['wasm', 1e-6],
  ] as const)('%s: a traced step on the probe rows is offered the rates equalisingLayerRates measures on them', async (backend, tolerance) => {
    const net = await createNetwork({ sizes: [16, 12, 12, 12, 12, 4], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 3, backend });
    const measured = equalisingLayerRates(net, { x, y });
    // One step over the same rows as one batch: the trace's one record is their gradient at the same weights. At
    // 0.005 with momentum 0.9 the steady step at the largest rate (~490) is ~24.5, within LAYER_STEP_SIZE_BOUND (30): offered.
    net.train(x, y, { epochs: 1, batchSize: x.length, shuffle: false, learningRate: 0.005, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    expect(trace.length).toBe(1);
    expect(trace.run).toMatchObject({ optimizer: 'sgd', momentum: 0.9, nesterov: true });
    const d = diagnose(trace);
    expect(d.verdict).toBe('vanishing');
    const offered = d.evidence.layerRates!;
    expect(offered).toHaveLength(measured.length);
    expect(Math.max(...measured)).toBeGreaterThan(10); // a real gap, not rates of about 1
    offered.forEach((rate, l) => expect(Math.abs(rate - measured[l]) / measured[l], `layer ${l + 1}`).toBeLessThanOrEqual(tolerance));
    const remedy = d.remedies.find((r) => r.option.includes('layerRates'))!;
    const printed = offered.map((r) => Number(r.toPrecision(3)));
    expect(remedy.option).toBe(`optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, layerRates: [${printed.join(', ')}] }`);
    // The same numbers as data, for a program to apply without reading the text.
    expect(remedy.settings).toEqual([{ option: 'optimizer', value: remedy.option.slice('optimizer: '.length), setting: { name: 'sgd', momentum: 0.9, nesterov: true, layerRates: printed } }]);
    // The list alone does not say which end is hidden layer 1, nor why its last two are 1 (the last hidden layer's own, the output's): the reason says both.
    expect([printed.at(-2), printed.at(-1)]).toEqual([1, 1]);
    expect(remedy.why).toContain('layerRates holds one per weight layer, hidden layer 1 first and the output layer last. ');
    expect(remedy.why).toContain("(the last hidden layer's is 1)");
    // ‖∂C/∂W‖ sets the rates, not the ‖∂C/∂b‖ the learning speed is read by (newuser49 #9): the two ratios differ where the inputs do
    // (16 uniform values into hidden layer 1, 12 sigmoid units into the rest), and the reason says which one the rates are.
    expect(remedy.why).toContain("it is ‖∂C/∂W‖ that sets them, not ‖∂C/∂b‖, the batch gradient the learning speed is read by: one example's ‖∂C/∂W‖ is its ‖δ‖ times the norm of the layer's input");
    expect(d.evidence.speedMeasure).toBe('batch gradient');
    expect(Math.abs(Math.log(offered[0] * d.evidence.firstToLast.first))).toBeGreaterThan(Math.log(1.1));
    expect(remedy.why).toContain("the output layer's is 1, its step left as it is");
  });

  it('keeps the run’s weight decay within what train() takes at the rates: lowered where step size × λ at the largest rate would pass SGD’s bound, and said', async () => {
    const net = await createNetwork({ sizes: [16, 12, 12, 12, 12, 4], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 3, backend: 'ref' });
    const weightDecay = 5; // at 0.005 × the measured first rate (~490) × 5 the decay alone would grow those weights
    net.train(x, y, { epochs: 1, batchSize: x.length, shuffle: false, learningRate: 0.005, optimizer: { name: 'sgd', momentum: 0.9, weightDecay }, trace: { every: 1 } });
    const trace = net.trace!;
    const remedy = diagnose(trace).remedies.find((r) => r.option.includes('layerRates'))!;
    const rates = remedyLayerRates(remedy.settings[0])!;
    const largest = Math.max(...rates);
    const bound = 2 * (1 + 0.9);
    expect(0.005 * largest * weightDecay).toBeGreaterThan(bound);
    const lowered = Number(/weightDecay: ([\d.e-]+)/.exec(remedy.option)![1]);
    expect(0.005 * largest * lowered).toBeLessThanOrEqual(bound);
    expect(0.005 * largest * Number((lowered * 1.01).toPrecision(3))).toBeGreaterThan(bound); // the largest to 3 figures
    expect(remedy.why).toContain(`Its weightDecay is lowered from ${weightDecay} to ${lowered}: at learning rate 0.005 × the largest rate ${largest}`);
    // What it offers trains: the same settings as train() reads them, no refusal.
    expect(() => net.train(x, y, { epochs: 1, batchSize: x.length, learningRate: 0.005, optimizer: { name: 'sgd', momentum: 0.9, weightDecay: lowered, layerRates: rates } })).not.toThrow();
    expect(() => net.train(x, y, { epochs: 1, batchSize: x.length, learningRate: 0.005, optimizer: { name: 'sgd', momentum: 0.9, weightDecay, layerRates: rates } })).toThrow(/weightDecay/);
    net.dispose();
  });

  it('states the bound it keeps within rounded down, so that the stated bound is taken: Nesterov momentum 0.9’s 1.3571… as 1.35 (it said 1.36, which train() refuses)', async () => {
    const net = await createNetwork({ sizes: [16, 12, 12, 12, 12, 4], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 3, backend: 'ref' });
    net.train(x, y, { epochs: 1, batchSize: x.length, shuffle: false, learningRate: 0.005, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5 }, trace: { every: 1 } });
    const remedy = diagnose(net.trace!).remedies.find((r) => r.option.includes('layerRates'))!;
    const stated = /step size × weightDecay must stay within (\S+) \(/.exec(remedy.why);
    expect(stated![1]).toBe('1.35');
    // train() refuses a step size × λ above its bound: the stated one is within it.
    expect(Number(stated![1])).toBeLessThanOrEqual(sgdDecayBound(0.9, true).max);
    net.dispose();
  });
});
