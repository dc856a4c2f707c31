/**
 * The saturated verdict's remedies say what saturated the units. README's ten-line example (the
 * default U[±1/√n] init, smaller than Glorot's, then Adam at 0.01) saturates during training: the
 * steps are named, not the init, and smaller steps do saturate less. Weights larger than the
 * suggested init at the first record get the init; units saturated from the start by their biases
 * (weights below Glorot's scale) get the bias remedy and not the init.
 */
import { numberText } from '../../src/number-text.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose, SATURATED_LAYER } from '../../src/flow/diagnose.js';
import { weightInitStd } from '../../src/init/initializers.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { firstRows } from '../../src/studies/depth.js';
import type { TrainOptions } from '../../src/training/train-options.js';

type Rows = ReturnType<typeof firstRows>;
let all: Rows;
let digits: Rows;
beforeAll(async () => {
  const { train } = await loadMnist({ test: 1 });
  all = { x: train.x, y: train.y } as Rows;
  digits = firstRows(train.x, train.y, 256);
});

async function diagnosed(network: NetworkOptions, data: () => Rows, train: TrainOptions) {
  const net = await createNetwork({ seed: 42, ...network });
  net.train(data().x, data().y, train);
  const trace = net.trace!;
  net.dispose();
  return { trace, d: diagnose(trace) };
}
const README_NET: NetworkOptions = { sizes: [784, 30, 30, 30, 10], activation: 'sigmoid' };
const adam = (learningRate: number): TrainOptions => ({ epochs: 1, optimizer: 'adam', learningRate, trace: { every: 50 } });
const SGD: TrainOptions = { epochs: 2, batchSize: 32, learningRate: 0.05, trace: { every: 4 } };

describe('the saturated verdict names what saturated the units', () => {
  it("README's example: saturated during Adam's steps, not by its init (smaller than Glorot's); smaller steps saturate less", async () => {
    const { trace, d } = await diagnosed(README_NET, () => all, adam(0.01));
    expect(d.verdict).toBe('saturated');
    expect(d.evidence.saturatedLayers).toEqual([0]);
    expect(trace.at('saturatedFraction', 0, 0)).toBe(0);
    expect(d.summary).toContain('They saturated during training: at the first record 0 % of them in hidden layer 1 were.');
    expect(d.remedies[0].option).toBe('learningRate: below 0.01');
    // Any rate below 0.01; on a command line, where a flag needs one number, a third of it.
    expect(d.remedies[0].settings).toEqual([{ option: 'learningRate', value: 'below 0.01', flagValue: '0.00333', direction: 'smaller' }]);
    // The first traced step's size, taken before the units saturated (the median is of steps taken once σ' ≈ 0), and the push
    // out to σ' ≈ 0 said beside the weights' norm that grew from the first record to the last (newuser43 #4).
    const step = (100 * trace.at('updateRatio', 0, 0)).toPrecision(2);
    const grown = numberText(trace.at('weightNorm', trace.length - 1, 0) / trace.at('weightNorm', 0, 0));
    expect(Number(grown)).toBeGreaterThan(1);
    expect(d.remedies[0].why).toBe(
      `the units saturated during training (at the first record 0 % of them in hidden layer 1 were): the optimiser's first traced step (adam, learning rate 0.01) moved the weights (hidden layer 1's by ${step} % of their size: ‖ΔW‖/‖W‖), and by the last record their norms ‖W‖ had grown (hidden layer 1's ${grown}×), pushing |z| out to where σ'(z) ≈ 0; smaller steps keep z nearer 0.`,
    );
    expect(d.remedies.map((r) => r.option)).not.toContain("init: 'glorot-uniform'");
    // The default init is below Glorot's scale in every layer; the advice is not to start smaller.
    expect(trace.at('weightNorm', 0, 0) / Math.sqrt(784 * 30)).toBeLessThan(weightInitStd('glorot-uniform', 784, 30));

    const smaller = await diagnosed(README_NET, () => all, adam(0.001));
    expect(smaller.d.evidence.layers[0].saturatedFraction).toBeLessThan(SATURATED_LAYER);
    expect(smaller.d.evidence.layers[0].saturatedFraction).toBeLessThan(d.evidence.layers[0].saturatedFraction / 2);
  }, 60_000);

  it('N(0, 1) weights, saturated from the start: the init, with both scales; not the learning rate', async () => {
    const { trace, d } = await diagnosed({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', init: { name: 'normal', std: 1 } }, () => digits, SGD);
    expect(d.verdict).toBe('saturated');
    expect(trace.at('saturatedFraction', 0, d.evidence.saturatedLayers[0])).toBeGreaterThan(SATURATED_LAYER);
    const init = d.remedies.find((r) => r.option === "init: 'glorot-uniform'");
    expect(init?.why).toMatch(/^weights that are too large push \|z\| to where σ'\(z\) ≈ 0: at the first record hidden layer \d's RMS weight is 1\.0\d, 'glorot-uniform' draws 0\.\d+/);
    expect(d.summary).not.toContain('They saturated during training');
    expect(d.remedies.filter((r) => r.settings.every((s) => s.option === 'learningRate'))).toEqual([]);
  });

  it('biases of 8 under the default init, saturated from the start: the biases, not the init', async () => {
    const { d } = await diagnosed({ sizes: [784, 30, 30, 30, 10], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', biasInit: { name: 'constant', value: 8 } }, () => digits, SGD);
    expect(d.verdict).toBe('saturated');
    const options = d.remedies.map((r) => r.option);
    expect(options).toContain("biasInit: 'zero'");
    expect(options).not.toContain("init: 'glorot-uniform'");
    expect(d.remedies.filter((r) => r.settings.every((s) => s.option === 'learningRate'))).toEqual([]);
  });
});
