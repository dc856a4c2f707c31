// applyLayersChange makes a layers remedy's change (RemedyLayersChange) to createNetwork's options:
// each field as its TSDoc says, on dense ({ sizes }) and block networks, the output layer and the
// other options kept, the options given left as they were; and a typed error naming what and where
// for what it cannot make. The changes diagnose() offers, made to the networks they were offered
// for, are in test/flow/layers-remedy-data.test.ts.
import { describe, expect, it } from 'vitest';
import { applyLayersChange } from '../../src/api/layers-change.js';
import { createNetwork } from '../../src/api/network.js';
import { GradscopeError } from '../../src/errors.js';
import type { RemedyLayersChange } from '../../src/flow/remedy.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import type { NetworkOptions } from '../../src/network/config.js';

const SIGMOID: NetworkOptions = { sizes: [4, 8, 8, 3], activation: 'sigmoid', init: 'glorot-uniform', seed: 7 };
const OUTPUT: LayerSpec = { type: 'dense', units: 3, activation: 'softmax' };

/** `options` with `change` made, checked to leave `options` as they were. */
function changed(options: NetworkOptions, change: RemedyLayersChange): NetworkOptions {
  const before = structuredClone(options);
  const result = applyLayersChange(options, change);
  expect(options).toEqual(before);
  return result;
}

describe('applyLayersChange', () => {
  it('puts a norm between each hidden dense layer and its activation, in the layer-spec form, the output and the other options kept', async () => {
    const result = changed(SIGMOID, { norm: 'batch-norm' });
    const hidden: LayerSpec[] = [{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }];
    expect(result).toEqual({ inputs: 4, layers: [...hidden, ...hidden, OUTPUT], loss: 'cross-entropy', init: 'glorot-uniform', seed: 7 });
    const net = await createNetwork(result);
    expect(net.kind).toBe('blocks');
    expect(net.layers).toEqual((result.layers as LayerSpec[]).map((spec) => (spec.type === 'dense' ? { activation: 'linear', ...spec } : spec)));
    net.dispose();
  });

  it("keeps a hidden dense layer's bias: false where it puts a norm after it", () => {
    const options: NetworkOptions = { inputs: 3, layers: [{ type: 'dense', units: 4, activation: 'tanh', bias: false }, { type: 'dense', units: 2, activation: 'softmax' }] };
    expect(applyLayersChange(options, { norm: 'batch-norm' }).layers).toEqual([
      { type: 'dense', units: 4, bias: false },
      { type: 'batch-norm' },
      { type: 'activation', activation: 'tanh' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ]);
  });

  it('puts the norm in place of the one there, with its own defaults', () => {
    const layers: LayerSpec[] = [{ type: 'dense', units: 8 }, { type: 'batch-norm', epsilon: 1e-3 }, { type: 'activation', activation: 'tanh' }, OUTPUT];
    expect(changed({ inputs: 4, layers }, { norm: 'layer-norm' }).layers).toEqual([{ type: 'dense', units: 8 }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }, OUTPUT]);
  });

  it('makes each hidden layer after the first a residual block, or sets the gate of the blocks there', () => {
    const dense = (units: number): LayerSpec => ({ type: 'dense', units, activation: 'relu' });
    expect(changed({ sizes: [4, 8, 8, 8, 3], activation: 'relu' }, { residualGate: 'none' }).layers).toEqual([
      dense(8),
      { type: 'residual', gate: 'none', layers: [dense(8)] },
      { type: 'residual', gate: 'none', layers: [dense(8)] },
      OUTPUT,
    ]);
    const blocks: LayerSpec[] = [dense(8), { type: 'residual', layers: [dense(8)] }, { type: 'residual', gate: 'none', layers: [dense(8)] }, OUTPUT];
    expect(changed({ inputs: 4, layers: blocks }, { residualGate: 'rezero' }).layers).toEqual([
      dense(8),
      { type: 'residual', gate: 'rezero', layers: [dense(8)] },
      { type: 'residual', gate: 'rezero', layers: [dense(8)] },
      OUTPUT,
    ]);
  });

  it('sets the activation of each hidden activation layer and dense layer with one, adding it after a norm that has none', () => {
    const layers: LayerSpec[] = [
      { type: 'dense', units: 8 },
      { type: 'activation', activation: 'sigmoid' },
      { type: 'residual', layers: [{ type: 'dense', units: 8 }] },
      { type: 'dense', units: 8 },
      { type: 'layer-norm' },
      { type: 'dense', units: 3, activation: 'sigmoid' },
    ];
    expect(changed({ inputs: 4, layers, loss: 'mse' }, { activation: 'selu' })).toEqual({
      inputs: 4,
      loss: 'mse',
      layers: [
        { type: 'dense', units: 8, activation: 'linear' },
        { type: 'activation', activation: 'selu' },
        { type: 'residual', gate: 'none', layers: [{ type: 'dense', units: 8, activation: 'selu' }] },
        { type: 'dense', units: 8, activation: 'linear' },
        { type: 'layer-norm' },
        { type: 'activation', activation: 'selu' },
        { type: 'dense', units: 3, activation: 'sigmoid' },
      ],
    });
  });

  it('makes every field of a change together: the norm inside the new blocks', () => {
    expect(changed({ sizes: [4, 8, 8, 3], activation: 'tanh' }, { norm: 'layer-norm', residualGate: 'rezero' }).layers).toEqual([
      { type: 'dense', units: 8 },
      { type: 'layer-norm' },
      { type: 'activation', activation: 'tanh' },
      { type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units: 8 }, { type: 'layer-norm' }, { type: 'activation', activation: 'tanh' }] },
      OUTPUT,
    ]);
  });

  it('refuses with INVALID_OPTION what it cannot make, saying what and where, the options given left as they were', () => {
    const refusal = (options: unknown, change: unknown) => {
      try {
        applyLayersChange(options as NetworkOptions, change as RemedyLayersChange);
      } catch (error) {
        expect(error).toBeInstanceOf(GradscopeError);
        return `${(error as GradscopeError).code}: ${(error as Error).message}`;
      }
      return 'made';
    };
    const widths = { sizes: [4, 8, 6, 3] };
    expect(refusal(widths, { residualGate: 'none' })).toBe(
      'INVALID_OPTION: applyLayersChange: a residual block adds its input to its output, so each hidden layer after the first needs the width of the one before it; layers[1] has 6 units after 8',
    );
    expect(widths).toEqual({ sizes: [4, 8, 6, 3] });
    for (const bad of [undefined, {}, { norm: 'group-norm' }, { residualGate: 'plain' }, { activation: 'softmax' }, ['batch-norm']]) {
      expect(refusal(SIGMOID, bad)).toMatch(/^INVALID_OPTION: applyLayersChange: change is a layers remedy's change \(\{ norm\?, residualGate\?, activation\? \}/);
    }
    // A change that would change no layer is refused, saying which layers it needs, not given back as it was.
    expect(refusal({ sizes: [3, 4, 2] }, { residualGate: 'rezero' })).toBe(
      `INVALID_OPTION: applyLayersChange: change.residualGate ("rezero") is set on the hidden layers' residual blocks, or wraps each hidden dense layer after the first in one, so it needs residual blocks or two hidden dense layers; this network has one hidden dense layer and no block: it would change nothing`,
    );
    expect(refusal({ sizes: [3, 2] }, { residualGate: 'none' })).toMatch(/needs residual blocks or two hidden dense layers; this network has no hidden layer and no block/);
    expect(refusal({ sizes: [3, 2] }, { norm: 'batch-norm' })).toBe(
      'INVALID_OPTION: applyLayersChange: change.norm ("batch-norm") is made to each hidden dense layer (a dense layer before the output layer), and this network has none: it would change nothing',
    );
    expect(refusal({ sizes: [3, 2] }, { activation: 'relu' })).toMatch(/^INVALID_OPTION: applyLayersChange: change\.activation \("relu"\) is made to each hidden dense layer .* has none/);
    expect(refusal({ sizes: [3, 4, 2] }, { norm: 'batch-norm', residualGate: 'rezero' })).toMatch(/change\.residualGate/);
    expect(refusal({ sizes: [3, 4, 2] }, { norm: 'batch-norm' })).toBe('made');
    expect(refusal({ sizes: [3, 4, 4, 2] }, { residualGate: 'rezero' })).toBe('made');
    expect(refusal(null, { norm: 'batch-norm' })).toBe("INVALID_OPTION: applyLayersChange: expected createNetwork's options ({ sizes } or { inputs, layers }), got null");
    expect(refusal({ inputs: 4, layers: [{ type: 'dense', units: 0 }] }, { norm: 'batch-norm' })).toMatch(/^INVALID_OPTION: layers\[0\]\.units/);
  });
});
