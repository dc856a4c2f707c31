// gradscope train's note on weights no step moved (src/cli/unmoved-note.ts) where only some stayed as made, or every one did
// while the loss moved (prose52's left-alone 2: it said nothing unless every weight matrix stayed and the loss with them): it names
// them as the trace tables name their layers, then by their PyTorch names, from what train() returned on a real run, each with its
// one cause (prose54's left-alone 3: "… or was 0 where their gradient was" gave both): rounding, or a gradient of 0 at every step
// (TrainResult.zeroGradientWeights).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { unmovedNote } from '../../src/cli/unmoved-note.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { TrainOptions } from '../../src/training/train-options.js';

const x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.2], [0.1, 0.9], [0.7, 0.3], [0.2, 0.4]];
const y = [[1, 0], [0, 1], [0, 1], [1, 0], [1, 0], [0, 1], [0, 1], [1, 0]];
const ROUNDED =
  "(learning rate 0.1 × its gradient, as the optimiser scales it) was below the resolution of the float32 number it was added to (a change under about 5.96e-8 to 1.19e-7 of a weight's size, half the spacing of the numbers there, is lost in its rounding)";

/** One input, 0 on every row: the first layer's weights get a gradient of 0 (∂C/∂W is δ times the layer's input). */
const zeroInputs = x.map(() => [0]);
const ZERO = 'was 0 at every step (dead units pass none back; inputs of 0 give none)';

/** The note for `options` on a fresh network, as the command gives it: train()'s unmovedWeights, the loss on the rows (`rows`, x's) before and after. */
async function noteOf(network: NetworkOptions, options: TrainOptions, rows = x) {
  const net = await createNetwork({ seed: 2, ...network });
  const initialLoss = net.evaluate(rows, y).loss;
  const trained = net.train(rows, y, { epochs: 2, batchSize: 4, validation: { x: rows, y }, ...options });
  const note = unmovedNote(net, trained, trained.unmovedWeights ?? [], initialLoss);
  net.dispose();
  return { note, unmoved: trained.unmovedWeights, zero: trained.zeroGradientWeights };
}

describe('unmovedNote where not every weight stayed as made', () => {
  it("names the dense layer per-layer rates left as made ('hidden 1 (0.weight)') and says the others moved", async () => {
    const { note, unmoved } = await noteOf({ sizes: [2, 4, 3, 2] }, { learningRate: 0.1, optimizer: { name: 'sgd', layerRates: [1e-20, 1, 1] } });
    expect(unmoved).toEqual(['0.weight']);
    expect(note).toBe(`Note: the weights of hidden 1 (0.weight) did not move in the run's 4 steps: each update of theirs ${ROUNDED}. The other weight matrices moved.`);
  });

  it('says a gradient of 0 where an input of 0 gave the first layer none, and rounding where per-layer rates left the next as made: each its own', async () => {
    const inputAtZero = await noteOf({ sizes: [1, 4, 3, 2] }, { learningRate: 0.1 }, zeroInputs);
    expect([inputAtZero.unmoved, inputAtZero.zero]).toEqual([['0.weight'], ['0.weight']]);
    expect(inputAtZero.note).toBe(`Note: the weights of hidden 1 (0.weight) did not move in the run's 4 steps: their gradient ${ZERO}. The other weight matrices moved.`);
    const both = await noteOf({ sizes: [1, 4, 3, 2] }, { learningRate: 0.1, optimizer: { name: 'sgd', layerRates: [1, 1e-20, 1] } }, zeroInputs);
    expect([both.unmoved, both.zero]).toEqual([['0.weight', '2.weight'], ['0.weight']]);
    expect(both.note).toBe(
      `Note: the weights of hidden 1 (0.weight) and hidden 2 (2.weight) did not move in the run's 4 steps: the gradient of hidden 1 (0.weight) ${ZERO}; each update of hidden 2 (2.weight) ${ROUNDED}. The other weight matrices moved.`,
    );
  });

  it("names a block network's rows as its trace does", async () => {
    // A layer norm makes it a block network (dense specs alone build a dense one); its γ and β are a layer of rates of their own.
    const layers = [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'layer-norm' }, { type: 'dense', units: 3, activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }] as const;
    const { note, unmoved } = await noteOf({ inputs: 2, layers: [...layers], loss: 'cross-entropy' }, { learningRate: 0.1, optimizer: { name: 'sgd', layerRates: [1e-20, 1, 1, 1] } });
    expect(unmoved).toEqual(['0.weight']);
    expect(note).toMatch(/^Note: the weights of layers\[0\] \('0', dense\) \(0\.weight\) did not move in the run's 4 steps: /);
  });

  it('names every one where none moved but the loss did: dead relu units pass no gradient back, and the biases took the steps', async () => {
    const { note, unmoved } = await noteOf({ sizes: [2, 4, 3, 2], activation: 'relu', biasInit: { name: 'constant', value: -8 } }, { learningRate: 0.1 });
    expect(unmoved).toEqual(['0.weight', '2.weight', '4.weight']);
    expect(note).toBe(
      `Note: no weight of hidden 1 (0.weight), hidden 2 (2.weight) and output (4.weight) moved in the run's 4 steps: their gradient ${ZERO}. What else the network holds (its biases, say) changed the loss above.`,
    );
  });

  it('says which cause held of which where no weight moved and the loss stayed: inputs of 0, and a rate of 1e-20 for the rest', async () => {
    const { note, unmoved, zero } = await noteOf({ sizes: [1, 4, 3, 2] }, { learningRate: 1e-20 }, zeroInputs);
    expect([unmoved, zero]).toEqual([['0.weight', '2.weight', '4.weight'], ['0.weight']]);
    expect(note).toBe(
      `Note: no weight moved in the run's 4 steps: the gradient of hidden 1 (0.weight) ${ZERO}; each update of hidden 2 (2.weight) and output (4.weight) ${ROUNDED.replace('0.1', '1e-20')}, ` +
        'and the epochs above measured the network as it was made (the same loss after each).',
    );
  });

  it('says nothing where every weight moved', async () => {
    expect((await noteOf({ sizes: [2, 4, 3, 2] }, { learningRate: 0.1 })).note).toBeUndefined();
  });
});
