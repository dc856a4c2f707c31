// A first ÷ last gradient ratio of exactly 0 is labelled by what made it 0, from what the network
// computes: relu layers with every unit inactive on every row (σ' exactly 0: no gradient in exact
// arithmetic either) against a product of nonzero factors that float32 rounded to 0 (underflow).
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { toMatrix } from '../../src/data/matrix.js';
import { Rng } from '../../src/init/rng.js';
import { canBeInactive, gradientRatios, hiddenBiasNames, zeroGradientCause } from '../../src/studies/gradient-ratios.js';
import { ratio, rowCells, zeroCauseOf, ZERO_LABELS } from '../../src/studies/trainable-depth-report.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../../src/studies/trainable-depth-remedies.js';
import type { TrainableDepthRow } from '../../src/studies/trainable-depth.js';
import { jsonLine } from '../../src/cli/command.js';
import { parseStudyJson } from '../../scripts/trainable-depth-tables.js';

const rng = new Rng(9);
const ROWS = 12;
const x = toMatrix(Array.from({ length: ROWS }, () => Array.from({ length: 5 }, () => rng.normal())), 5, 'inputs');
const y = toMatrix(Array.from({ length: ROWS }, (_, r) => [0, 1, 2].map((j) => (j === r % 3 ? 1 : 0))), 3, 'targets');

describe('why a gradient ratio is 0', () => {
  it("a relu layer inactive on every row: 'inactive', in the batch and the per-example ratio alike", async () => {
    const options = { sizes: [5, 6, 6, 6, 3], activation: 'relu', output: 'softmax', loss: 'cross-entropy', init: 'he-normal' } as const;
    const net = await createNetwork({ ...options, backend: 'ref', seed: 2 });
    // Hidden layer 2 off for every input (z = W·a − 100 < 0), hidden layer 3 on (z = 1 > 0 where its input is 0).
    net.kernels.write(net.biases[1], new Float64Array(6).fill(-100));
    net.kernels.write(net.biases[2], new Float64Array(6).fill(1));
    const probe = net.dataset(x, y);
    const ratios = gradientRatios(net, { data: probe, rows: x }, { x, y }, hiddenBiasNames(options), true);
    expect([ratios.biasGradient, ratios.delta]).toEqual([0, 0]);
    expect(ratios.zeroCauses).toEqual({ biasGradient: 'inactive', delta: 'inactive' });
    // One row on which layer 2 has an active unit is enough for a product of nonzero factors: not 'inactive'.
    net.kernels.write(net.biases[1], Float64Array.from({ length: 6 }, (_, u) => (u === 0 ? 100 : -100)));
    expect(zeroGradientCause(net, x)).toBe('underflow');
    probe.dispose();
    net.dispose();
  });

  it("no gradient at the last hidden layer either: 0 ÷ 0, with the first layer's cause, printed as such (it printed 'NaN → NaN')", async () => {
    const options = { sizes: [5, 6, 6, 3], activation: 'relu', output: 'softmax', loss: 'cross-entropy', init: 'he-normal' } as const;
    const net = await createNetwork({ ...options, backend: 'ref', seed: 2 });
    for (const l of [0, 1]) net.kernels.write(net.biases[l], new Float64Array(6).fill(-100)); // both hidden layers off on every row
    const probe = net.dataset(x, y);
    const ratios = gradientRatios(net, { data: probe, rows: x }, { x, y }, hiddenBiasNames(options), true);
    expect([ratios.biasGradient, ratios.delta]).toEqual([NaN, NaN]);
    expect(ratios.zeroCauses).toEqual({ biasGradient: 'inactive', delta: 'inactive' });
    probe.dispose();
    net.dispose();
    const row: TrainableDepthRow = { remedy: 'relu-he', depth: 2, testAccuracy: 0.1, trainLoss: 2.3, steps: 1, seconds: 0, firstToLastAtInit: NaN, firstToLastAtEnd: NaN, deltaFirstToLastAtInit: NaN, deltaFirstToLastAtEnd: 0, zeroCauses: { firstToLastAtInit: 'inactive', firstToLastAtEnd: 'inactive', deltaFirstToLastAtInit: 'inactive', deltaFirstToLastAtEnd: 'inactive' } };
    expect(rowCells(row).slice(4, 6)).toEqual(['0 ÷ 0 (inactive relu units, at both layers) → 0 ÷ 0 (inactive relu units, at both layers)', '0 ÷ 0 (inactive relu units, at both layers) → 0 (inactive relu units)']);
    expect(ratio(NaN)).toBe('0 ÷ 0 (cause not recorded, at both layers)');
    // --json writes NaN as null; the docs' tables, rendered from that JSON, print the row as the terminal does, not as "not measured" (—).
    const [readBack] = parseStudyJson(jsonLine({ rows: [row] })).rows;
    expect(readBack.firstToLastAtInit).toBeNull();
    expect(rowCells(readBack)).toEqual(rowCells(row));
    // A null without a cause stays "not measured".
    expect(rowCells({ ...readBack, zeroCauses: undefined }).slice(4, 6)).toEqual(['— → —', '— → 0 (cause not recorded)']);
  });

  it("a relu net whose units are all active but whose product of small weights is below float32's range: 'underflow'", async () => {
    const options = { inputs: 5, layers: [...Array(24).fill({ units: 8 }), { units: 3, activation: 'softmax' }], activation: 'relu', loss: 'cross-entropy', init: { name: 'normal', std: 1e-3 }, biasInit: { name: 'constant', value: 1 } } as const;
    const net = await createNetwork({ ...options, backend: 'wasm', seed: 2 });
    expect(canBeInactive(options)).toBe(true);
    const probe = net.dataset(x, y);
    const ratios = gradientRatios(net, { data: probe, rows: x }, { x, y }, hiddenBiasNames(options), true);
    expect(ratios.biasGradient).toBe(0);
    expect(ratios.zeroCauses?.biasGradient).toBe('underflow');
    // Every unit active: relu passes σ' = 1 on every row, so the 0 is float32's.
    const outputs = net.layerOutputs(x).layers.slice(0, -1);
    expect(outputs.every((layer) => Array.from(layer.values).every((v) => v > 0))).toBe(true);
    probe.dispose();
    net.dispose();
  });

  it('a network without relu layers cannot be inactive: its 0 is underflow without a look at its units', async () => {
    const options = { sizes: [5, 4, 4, 3], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy' } as const;
    expect(canBeInactive(options)).toBe(false);
    const net = await createNetwork({ ...options, backend: 'ref', seed: 1 });
    expect(zeroGradientCause(net, x)).toBe('underflow');
    net.dispose();
    // A relu only inside a residual branch, which the skip goes around, does not block the gradient either.
    expect(canBeInactive({ inputs: 5, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'residual', layers: [{ type: 'dense', units: 4, activation: 'relu' }] }, { type: 'dense', units: 3, activation: 'softmax' }], loss: 'cross-entropy' })).toBe(false);
  });

  it('the tables print each 0 by its cause: recorded by the run, or underflow where the network has no relu layer, else unknown', () => {
    expect([ratio(0, 'underflow'), ratio(0, 'inactive'), ratio(0), ratio(1.4e-42, 'underflow')]).toEqual([ZERO_LABELS.underflow, ZERO_LABELS.inactive, ZERO_LABELS.unknown, '1.4e-42']);
    expect(ZERO_LABELS).toEqual({ underflow: '0 (underflow)', inactive: '0 (inactive relu units)', unknown: '0 (cause not recorded)' });
    const row = (remedy: string, zeroCauses?: TrainableDepthRow['zeroCauses']): TrainableDepthRow => ({
      remedy,
      depth: 50,
      testAccuracy: 0.1,
      trainLoss: 2.3,
      steps: 10,
      seconds: 1,
      firstToLastAtInit: 0,
      firstToLastAtEnd: 0,
      deltaFirstToLastAtInit: 1.4e-42,
      deltaFirstToLastAtEnd: 0,
      ...(zeroCauses && { zeroCauses }),
    });
    expect(rowCells(row('relu-he', { firstToLastAtInit: 'underflow', firstToLastAtEnd: 'inactive', deltaFirstToLastAtEnd: 'inactive' })).slice(4, 6)).toEqual([
      '0 (underflow) → 0 (inactive relu units)',
      '1.4e-42 → 0 (inactive relu units)',
    ]);
    // A run that recorded no causes (before zeroCauses): the sigmoid network allows only underflow; relu-he's could be either.
    expect(TRAINABLE_DEPTH_REMEDIES.map((r) => r.key)).toEqual(expect.arrayContaining(['plain-sigmoid', 'adam', 'relu-he']));
    expect([zeroCauseOf(row('plain-sigmoid'), 'firstToLastAtInit'), zeroCauseOf(row('adam'), 'firstToLastAtEnd'), zeroCauseOf(row('relu-he'), 'firstToLastAtInit')]).toEqual(['underflow', 'underflow', undefined]);
    expect(rowCells(row('relu-he')).slice(4, 5)).toEqual(['0 (cause not recorded) → 0 (cause not recorded)']);
  });
});
