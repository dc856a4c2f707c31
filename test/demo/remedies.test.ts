// The diagnosis's remedies as the visualizer's buttons: each option diagnose() writes maps to the
// setting it names (its first choice; all the settings it names together), and those the page has no
// control for, or cannot run with the other settings, map to no button and say which.
import { describe, expect, it } from 'vitest';
import { noButtonReason, remedySetting, SMALLER_LEARNING_RATE } from '../../demo/src/remedies.js';
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
    // relu with the He init a run of another init needs (diagnose's activationOption): both, not the alternative's.
    expect(remedySetting("activation: 'relu', init: 'he-normal' (or activation: 'tanh')", DEFAULTS)).toEqual({ activation: 'relu', init: 'he-normal' });
    expect(remedySetting("layers: activation: 'relu' in each hidden dense or activation layer, with init: 'he-normal' (or activation: 'tanh')", DEFAULTS)).toEqual({ activation: 'relu', init: 'he-normal' });
    expect(remedySetting("init: 'lsuv', train(x, y, { lsuv: true })", DEFAULTS)).toEqual({ init: 'lsuv' });
    expect(remedySetting("layers: activation: 'selu' in each hidden dense or activation layer, with init: 'lecun-normal'", DEFAULTS)).toEqual({ activation: 'selu', init: 'lecun-normal' });
  });

  it('turns the block remedies into the Normalisation and Residual settings (their first choice)', () => {
    const f = 'sigmoid';
    expect(remedySetting(`layers: { type: 'dense', units }, { type: 'batch-norm' } (or 'layer-norm'), { type: 'activation', activation: '${f}' } for each hidden layer`, DEFAULTS)).toEqual({ norm: 'batch-norm' });
    expect(remedySetting(`layers: { type: 'residual', layers: [{ type: 'dense', units, activation: '${f}' }] } (or with gate: 'rezero') for each hidden layer after the first`, DEFAULTS)).toEqual({ residual: 'plain' });
    expect(remedySetting(`layers: { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units, activation: '${f}' }] } for each hidden layer after the first`, DEFAULTS)).toEqual({ residual: 'rezero' });
    expect(remedySetting("layers: gate: 'rezero' in each { type: 'residual' } block", { ...DEFAULTS, residual: 'plain' })).toEqual({ residual: 'rezero' });
    expect(remedySetting("layers: activation: 'tanh' (or 'relu') in each hidden dense or activation layer", DEFAULTS)).toEqual({ activation: 'tanh' });
    expect(remedySetting('batchSize: 16 or more', { ...DEFAULTS, norm: 'batch-norm', batchSize: 4 })).toEqual({ batchSize: 16 });
  });

  it('offers no button for a change that cannot run with the other settings', () => {
    // Residual blocks over layers of different widths; batch norm beside per-layer rates.
    expect(remedySetting("layers: { type: 'residual', gate: 'rezero', layers: [ … ] } for each hidden layer after the first", { ...DEFAULTS, depth: 3, widths: '8,6,4' })).toBeNull();
    expect(remedySetting("layers: { type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' } for each hidden layer", { ...DEFAULTS, optimizer: LAYER_RATES })).toBeNull();
  });

  it('offers no button for what the page does not control', () => {
    expect(remedySetting('clipNorm: 1', DEFAULTS)).toBeNull();
    expect(remedySetting("biasInit: 'zero'", DEFAULTS)).toBeNull();
    expect(remedySetting("optimizer: 'levenberg-marquardt'", DEFAULTS)).toBeNull();
  });

  it('says beside a remedy with no button why it has none', () => {
    expect(noButtonReason('clipNorm: 1', DEFAULTS)).toBe('the page has no control for this; it is an option of the library');
    expect(noButtonReason("biasInit: 'zero'", DEFAULTS)).toBe('the page has no control for this; it is an option of the library');
    const widths = { ...DEFAULTS, depth: 3, widths: '8,6,4' };
    const rezero = "layers: { type: 'residual', gate: 'rezero', layers: [ … ] } for each hidden layer after the first";
    expect(remedySetting(rezero, widths)).toBeNull();
    expect(noButtonReason(rezero, widths)).toMatch(/^not with these settings: a residual block adds its input to its output, so every hidden layer needs the same width, not 8,6,4$/);
  });
});
