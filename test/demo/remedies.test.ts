// The diagnosis's remedies as the visualizer's buttons: each option diagnose() writes maps to the
// setting it names (its first choice; all the settings it names together), and those the page has no
// control for map to no button.
import { describe, expect, it } from 'vitest';
import { remedySetting, SMALLER_LEARNING_RATE } from '../../demo/src/remedies.js';
import { DEFAULTS, LAYER_RATES } from '../../demo/src/settings.js';

describe('visualizer remedy buttons', () => {
  it('reads the first choice of each remedy the page can apply', () => {
    expect(remedySetting("activation: 'tanh' (or 'relu' / 'leaky-relu')", DEFAULTS)).toEqual({ activation: 'tanh' });
    expect(remedySetting("init: 'glorot-uniform' (for relu: 'he-normal')", DEFAULTS)).toEqual({ init: 'glorot-uniform' });
    expect(remedySetting("optimizer: 'adam' (or 'rmsprop')", DEFAULTS)).toEqual({ optimizer: 'adam' });
    expect(remedySetting("optimizer: 'kfac' or 'hessian-free'", DEFAULTS)).toEqual({ optimizer: 'kfac' });
    expect(remedySetting("optimizer: { name: 'sgd', layerRates: [193, 31, 6, 1, 1] }", DEFAULTS)).toEqual({ optimizer: LAYER_RATES });
    expect(remedySetting('learningRate: a smaller value', { ...DEFAULTS, learningRate: 0.3 })).toEqual({ learningRate: +(0.3 * SMALLER_LEARNING_RATE).toPrecision(3) });
  });

  it('applies every setting a remedy names together, or none of them', () => {
    expect(remedySetting("activation: 'selu', init: 'lecun-normal'", DEFAULTS)).toEqual({ activation: 'selu', init: 'lecun-normal' });
    expect(remedySetting("init: 'lsuv', and train(x, y, { lsuv: true }) (or net.initLsuv(x))", DEFAULTS)).toBeNull();
  });

  it('offers no button for what the page does not control', () => {
    expect(remedySetting('clipNorm: 1', DEFAULTS)).toBeNull();
    expect(remedySetting("biasInit: 'zero'", DEFAULTS)).toBeNull();
    expect(remedySetting("optimizer: 'levenberg-marquardt'", DEFAULTS)).toBeNull();
    expect(remedySetting("layers: { type: 'residual', gate: 'rezero', layers: [ … ] } for each hidden layer after the first", DEFAULTS)).toBeNull();
    expect(remedySetting("layers: activation: 'selu' in each hidden dense or activation layer, with init: 'lecun-normal'", DEFAULTS)).toBeNull();
  });
});
