// A remedy that changes the network's layers gives the change as data (RemedySetting.setting, a
// RemedyLayersChange), the change its text says, for every kind diagnose() offers: batch norm (with
// layer norm as its alternative, a setting of its own, and alone beside dead units), layer norm in
// place of batch norm, residual blocks (ReZero ones the alternative), ReZero blocks and gates, and an
// activation in a block network. Each from a real diagnosis of a small network trained on 64 rows;
// each change, made by applyLayersChange to that network, builds one that holds what it says.
import { describe, expect, it } from 'vitest';
import { applyLayersChange } from '../../src/api/layers-change.js';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { isLayersChange, remedyText, type RemedyLayersChange } from '../../src/flow/remedy.js';
import type { CheckedSpec, LayerSpec } from '../../src/layers/spec.js';
import type { NetworkOptions } from '../../src/network/config.js';
import type { TrainOptions } from '../../src/training/train-options.js';

const ROWS = 64;
const x = Array.from({ length: ROWS }, (_, i) => [Math.sin(i), Math.cos(1.3 * i), (i % 7) / 7, (i % 5) / 5]);
const y = Array.from({ length: ROWS }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0)));
const repeat = (count: number, specs: LayerSpec[]): LayerSpec[] => Array.from({ length: count }, () => specs).flat();
const OUTPUT: LayerSpec = { type: 'dense', units: 3, activation: 'softmax' };

/** Each `layers` setting of the remedies (and their alternatives) of a 2-epoch run: its text and its data. */
async function layersSettings(network: Omit<NetworkOptions, 'inputs' | 'loss'>, train: TrainOptions): Promise<[string, unknown][]> {
  const net = await createNetwork({ inputs: 4, loss: 'cross-entropy', seed: 1, ...network });
  net.train(x, y, { epochs: 2, trace: { every: 1 }, ...train });
  const d = diagnose(net.trace!);
  net.dispose();
  return d.remedies.flatMap((r) => [...r.settings, ...(r.alternative ?? [])]).flatMap((s) => (s.option === 'layers' ? [[s.value, s.setting] as [string, unknown]] : []));
}

const NORMED = (norm: string, f: string) => `{ type: 'dense', units }, { type: '${norm}' }, { type: 'activation', activation: '${f}' } for each hidden layer`;
const RESIDUAL = (f: string, gate = '') => `{ type: 'residual', ${gate}layers: [{ type: 'dense', units, activation: '${f}' }] } for each hidden layer after the first`;
/** Batch norm, then layer norm as its alternative. */
const NORMS = (f: string): [string, RemedyLayersChange][] => [
  [NORMED('batch-norm', f), { norm: 'batch-norm' }],
  [NORMED('layer-norm', f), { norm: 'layer-norm' }],
];
/** Residual blocks, then ReZero ones as the alternative. */
const BLOCKS = (f: string): [string, RemedyLayersChange][] => [
  [RESIDUAL(f), { residualGate: 'none' }],
  [RESIDUAL(f, "gate: 'rezero', "), { residualGate: 'rezero' }],
];
const IN_EACH = (f: string) => `activation: '${f}' in each hidden dense or activation layer`;

/** [run, network, training, every layers setting its diagnosis gives: text and data]. */
const RUNS: [string, Omit<NetworkOptions, 'inputs' | 'loss'>, TrainOptions, [string, RemedyLayersChange][]][] = [
  [
    'batch norm over 2 rows: layer norm in place of it',
    { layers: [...repeat(8, [{ type: 'dense', units: 8 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }]), OUTPUT] },
    { batchSize: 2 },
    [["{ type: 'layer-norm' } in place of each { type: 'batch-norm' }", { norm: 'layer-norm' }]],
  ],
  ['saturated sigmoid units: batch norm, layer norm the alternative', { sizes: [4, 16, 16, 16, 3], activation: 'sigmoid', init: { name: 'normal', std: 3 } }, { batchSize: 16, learningRate: 0.05 }, NORMS('sigmoid')],
  [
    'dead relu units: batch norm alone',
    { layers: [...repeat(3, [{ type: 'dense', units: 16, activation: 'relu' }]), OUTPUT], init: 'he-normal', biasInit: { name: 'constant', value: -8 } },
    { batchSize: 16, learningRate: 0.05 },
    [[NORMED('batch-norm', 'relu'), { norm: 'batch-norm' }]],
  ],
  [
    'a vanishing dense sigmoid network: batch norm, residual blocks',
    { sizes: [4, 16, 16, 16, 16, 16, 16, 3], activation: 'sigmoid' },
    { batchSize: 16, learningRate: 0.1 },
    [...NORMS('sigmoid'), ...BLOCKS('sigmoid')],
  ],
  [
    'vanishing sigmoid activation layers: relu (or tanh) in each, batch norm, residual blocks',
    { layers: [...repeat(6, [{ type: 'dense', units: 16 }, { type: 'activation', activation: 'sigmoid' }]), OUTPUT] },
    { batchSize: 16, learningRate: 0.1 },
    [
      [IN_EACH('relu'), { activation: 'relu' }],
      [IN_EACH('tanh'), { activation: 'tanh' }],
      ...NORMS('sigmoid'),
      ...BLOCKS('sigmoid'),
    ],
  ],
  [
    'exploding residual blocks: ReZero as their gate, SELU in each layer',
    { layers: [{ type: 'dense', units: 16, activation: 'tanh' }, ...repeat(8, [{ type: 'residual', layers: [{ type: 'dense', units: 16 }] }]), OUTPUT], init: { name: 'normal', std: 0.6 } },
    { batchSize: 16, learningRate: 1e-5 },
    [
      ["gate: 'rezero' in each { type: 'residual' } block", { residualGate: 'rezero' }],
      [IN_EACH('selu'), { activation: 'selu' }],
    ],
  ],
  [
    'an exploding dense linear network: ReZero blocks',
    { sizes: [4, 16, 16, 16, 16, 16, 3], activation: 'linear', init: { name: 'normal', std: 0.6 } },
    { batchSize: 16, learningRate: 1e-5 },
    [[RESIDUAL('linear', "gate: 'rezero', "), { residualGate: 'rezero' }]],
  ],
];

/**
 * Whether `layers` (a network's, as createNetwork checked them) hold what `change` says of every
 * hidden layer (those before the last top-level dense one, residual branches' included): each dense
 * layer followed by the norm and no other norm; residual blocks, each with the gate; the activation
 * in every activation layer and every dense layer with a nonlinearity, and somewhere.
 */
function expectHeld(layers: readonly CheckedSpec[], change: RemedyLayersChange): void {
  const top = layers.slice(0, layers.map((spec) => spec.type).lastIndexOf('dense'));
  const hidden = top.flatMap((spec) => (spec.type === 'residual' ? spec.layers : [spec]));
  const label = JSON.stringify(layers);
  if (change.norm) {
    hidden.forEach((spec, i) => spec.type === 'dense' && expect(hidden[i + 1]?.type, label).toBe(change.norm));
    expect(hidden.filter((spec) => spec.type.endsWith('-norm') && spec.type !== change.norm), label).toEqual([]);
  }
  if (change.residualGate) {
    const blocks = top.filter((spec) => spec.type === 'residual');
    expect(blocks.length, label).toBeGreaterThan(0);
    for (const block of blocks) expect(block.gate, label).toBe(change.residualGate);
  }
  if (change.activation) {
    const units = hidden.filter((spec) => spec.type === 'activation' || (spec.type === 'dense' && spec.activation !== 'linear'));
    expect(units.length, label).toBeGreaterThan(0);
    for (const spec of units) expect('activation' in spec && spec.activation, label).toBe(change.activation);
  }
}

describe("a layers remedy's change as data (RemedyLayersChange)", () => {
  it.each(RUNS)('%s', async (_run, network, train, expected) => {
    const settings = await layersSettings(network, train);
    expect(settings).toEqual(expected);
    for (const [, change] of settings) expect(isLayersChange(change)).toBe(true);
    // Each change made to the run's own network by the library: a network that builds and holds it.
    for (const [, change] of expected) {
      const net = await createNetwork(applyLayersChange({ inputs: 4, loss: 'cross-entropy', seed: 1, ...network }, change));
      expectHeld(net.layers, change);
      net.dispose();
    }
  });

  it('is checked as one by remedyText: known fields, each one of its values, at least one', () => {
    const layers = (setting: unknown) => ({ settings: [{ option: 'layers' as const, value: 'words', setting: setting as RemedyLayersChange }] });
    expect(remedyText(layers({ norm: 'layer-norm' }))).toBe('layers: words');
    for (const bad of [{}, { norm: 'group-norm' }, { residualGate: 'plain' }, { activation: 'softmax' }, { norm: 'batch-norm', depth: 2 }, ['batch-norm']]) {
      expect(isLayersChange(bad), JSON.stringify(bad)).toBe(false);
      expect(() => remedyText(layers(bad)), JSON.stringify(bad)).toThrow(/remedyText: a remedy's settings/);
    }
  });
});
