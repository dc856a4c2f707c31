// The remedies the visualizer's panel offered earlier in a run and no longer offers: a line each, saying until when and
// why (demo/src/withdrawn-remedies.ts). SELU and LSUV left the list in silence as a run's activations' spread recovered (newuser42).
import { describe, expect, it } from 'vitest';
import type { Remedy } from '../../src/flow/remedy.js';
import { remedyIdentity, WithdrawnRemedies } from '../../demo/src/withdrawn-remedies.js';
import { DEFAULTS } from '../../demo/src/settings.js';

const selu: Remedy = {
  option: "activation: 'selu', init: 'lecun-normal'",
  settings: [
    { option: 'activation', value: "'selu'", setting: 'selu' },
    { option: 'init', value: "'lecun-normal'", setting: 'lecun-normal' },
  ],
  why: "activations' spread, last ÷ first hidden layer: 0.449; SELU with LeCun-normal weights keeps activations near mean 0, variance 1 with depth (Klambauer et al. 2017).",
};
const relu: Remedy = { ...selu, option: "activation: 'relu', init: 'he-normal'", settings: [{ option: 'activation', value: "'relu'", setting: 'relu' }, { option: 'init', value: "'he-normal'", setting: 'he-normal' }], why: 'relu passes the gradient on unchanged where a unit is active.' };
const rates = (r: number[]): Remedy => ({ option: `optimizer: { name: 'sgd', layerRates: [${r}] }`, settings: [{ option: 'optimizer', value: '…', setting: { name: 'sgd', layerRates: r } }], why: 'equal steps.' });

describe("the visualizer's remedies no longer offered", () => {
  it('says nothing while every remedy offered is offered still, its numbers moving or not', () => {
    const w = new WithdrawnRemedies();
    expect(w.update([rates([3, 1]), selu], 'vanishing', 0, DEFAULTS)).toEqual([]);
    expect(w.update([rates([5, 1]), selu], 'vanishing', 9, DEFAULTS)).toEqual([]);
    // relu and selu set the same options: two remedies, not one.
    expect(remedyIdentity(relu)).not.toBe(remedyIdentity(selu));
    expect(remedyIdentity(rates([3, 1]))).toBe(remedyIdentity(rates([5, 1])));
    // Batch norm and residual blocks are two changes of the layers; a smaller and a larger rate two of the rate.
    const layers = (setting: object): Remedy => ({ option: 'layers: …', settings: [{ option: 'layers', value: '…', setting }], why: '' });
    expect(remedyIdentity(layers({ norm: 'batch-norm' }))).not.toBe(remedyIdentity(layers({ residualGate: 'none' })));
    const rate = (direction: 'smaller' | 'larger', setting: number): Remedy => ({ option: 'learningRate: …', settings: [{ option: 'learningRate', value: '…', direction, setting }], why: '' });
    expect(remedyIdentity(rate('smaller', 1))).not.toBe(remedyIdentity(rate('larger', 1)));
    expect(remedyIdentity(rate('smaller', 1))).toBe(remedyIdentity(rate('smaller', 0.3)));
  });

  it('says of one that left under the same verdict what it was offered on, until when, and that the readings no longer call for it', () => {
    const w = new WithdrawnRemedies();
    w.update([relu, selu], 'vanishing', 0, DEFAULTS);
    w.update([relu, selu], 'vanishing', 612, DEFAULTS);
    expect(w.update([relu], 'vanishing', 621, DEFAULTS)).toEqual([
      {
        option: selu.option,
        line: "offered until step 612 on activations' spread, last ÷ first hidden layer: 0.449; not at step 621, where the verdict is still vanishing but the run's readings (medians over its records) no longer call for it.",
      },
    ]);
    // Said still at the next update, and gone once it is offered again.
    expect(w.update([relu], 'vanishing', 630, DEFAULTS).map((g) => g.option)).toEqual([selu.option]);
    expect(w.update([relu, selu], 'vanishing', 639, DEFAULTS)).toEqual([]);
  });

  it("says of a remedy of where the run stands that the run's losses no longer call for it, not medians over its records (review43 #13)", () => {
    const more: Remedy = {
      option: 'epochs: more than 3',
      settings: [{ option: 'epochs', value: 'more than 3', flagValue: '6', direction: 'larger' }],
      why: 'the loss is still falling: training longer lowers it further.',
      readFrom: 'losses',
    };
    const w = new WithdrawnRemedies();
    w.update([more, selu], 'healthy', 90, DEFAULTS);
    expect(w.update([], 'healthy', 99, DEFAULTS).map((g) => g.line)).toEqual([
      "offered until step 90; not at step 99, where the verdict is still healthy but the run's losses (where it stands) no longer call for it.",
      "offered until step 90 on activations' spread, last ÷ first hidden layer: 0.449; not at step 99, where the verdict is still healthy but the run's readings (medians over its records) no longer call for it.",
    ]);
  });

  it('says where the verdict changed, or a step setting did, and forgets the run for a new one', () => {
    const w = new WithdrawnRemedies();
    w.update([relu, selu], 'vanishing', 0, DEFAULTS);
    expect(w.update([selu], 'dead', 9, DEFAULTS)[0].line).toBe('offered until step 0 for the vanishing verdict; not at step 9, where the verdict is dead.');
    w.update([selu], 'dead', 18, DEFAULTS);
    expect(w.update([], 'dead', 27, { ...DEFAULTS, learningRate: 0.5 }).map((g) => g.line)).toEqual([
      'offered until step 0 for the vanishing verdict; not at step 9, where the verdict is dead.',
      "offered until step 18; not at step 27, after the run's Learning rate went from 0.1 to 0.5 (the diagnosis reads the run as it is now set up).",
    ]);
    w.clear();
    expect(w.update([], 'healthy', 0, DEFAULTS)).toEqual([]);
  });
});
