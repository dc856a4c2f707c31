/**
 * diagnose() on block networks (issue 13), each a small run on 256 of the MNIST digits (loadMnist's) in
 * batches of 32: every verdict from a block network's trace, read along its hidden dense layers,
 * with the architectural remedies where the evidence points to them, never one the network already
 * has, and each naming the change to createNetwork's layer specs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { loadMnist } from '../../src/data/mnist.js';
import { diagnose, type Verdict } from '../../src/flow/diagnose.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { DEPTH_ROWS, firstRows } from '../../src/studies/depth.js';
import type { TrainOptions } from '../../src/training/train-options.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';
import { BLOCK_FIRST_PARAGRAPH_WORDS, expectParagraphWords } from '../util/paragraph-words.js';

interface Scenario {
  name: string;
  network: NetworkOptions;
  train: TrainOptions;
  verdict: Verdict;
  /** Rows (by module name) the verdict must name as dead or saturated. */
  rows?: string[];
  /** Remedies that must be offered (matched against the option), in this order among themselves. */
  offered: RegExp[];
  /** Remedies that must not be offered. */
  absent: RegExp[];
}

const repeat = (count: number, specs: LayerSpec[]): LayerSpec[] => Array.from({ length: count }, () => specs).flat();
const net = (layers: LayerSpec[], options: Omit<NetworkOptions, 'layers'> = {}): NetworkOptions => ({
  inputs: 784,
  loss: 'cross-entropy',
  layers: [...layers, { type: 'dense', units: 10, activation: 'softmax' }],
  ...options,
});
const SGD: TrainOptions = { epochs: 2, batchSize: 32, learningRate: 0.05, trace: { every: 4 } };

const BATCH_NORM = /^layers: \{ type: 'dense', units \}, \{ type: 'batch-norm' \}, \{ type: 'activation', activation: '[a-z-]+' \} for each hidden layer( \(or layers: \{ type: 'dense', units \}, \{ type: 'layer-norm' \}, \{ type: 'activation', activation: '[a-z-]+' \} for each hidden layer\))?$/;
/** Layer norm, offered as batch norm's alternative. */
const LAYER_NORM = /^layers: \{ type: 'dense', units \}, \{ type: 'batch-norm' \}, .* \(or layers: \{ type: 'dense', units \}, \{ type: 'layer-norm' \}/;
const RESIDUAL = /^layers: \{ type: 'residual', layers: \[\{ type: 'dense', units, activation: '[a-z-]+' \}\] \} for each hidden layer after the first \(or layers: \{ type: 'residual', gate: 'rezero', layers: \[\{ type: 'dense', units, activation: '[a-z-]+' \}\] \} for each hidden layer after the first\)$/;
/** ReZero: as the residual remedy's alternative, as new blocks, or as the gate of the network's blocks. */
const REZERO = /gate: 'rezero'/;

const SCENARIOS: Scenario[] = [
  {
    name: 'sigmoid units as activation layers, 5 deep: vanishing along the dense layers; normalisation and residual blocks offered',
    network: net(repeat(5, [{ type: 'dense', units: 32 }, { type: 'activation', activation: 'sigmoid' }]), { init: 'glorot-uniform' }),
    train: { epochs: 2, batchSize: 32, learningRate: 0.1, trace: { every: 4 } },
    verdict: 'vanishing',
    // SGD's 0.1 is above the relu rate (RELU_REMEDY_RATES), which the remedy sets with the switch.
    offered: [
      new RegExp(`^layers: activation: 'relu' in each hidden dense or activation layer, init: 'he-normal', learningRate: ${String(RELU_REMEDY_RATES.command.rates.sgd).replace('.', '\\.')} \\(or layers: activation: 'tanh' in each hidden dense or activation layer\\)$`),
      BATCH_NORM,
      LAYER_NORM,
      RESIDUAL,
      REZERO,
    ],
    absent: [/kfac/, /layerRates/],
  },
  {
    name: 'the same sigmoid layers in residual blocks: healthy',
    network: net([{ type: 'dense', units: 32, activation: 'sigmoid' }, ...repeat(4, [{ type: 'residual', layers: [{ type: 'dense', units: 32 }, { type: 'activation', activation: 'sigmoid' }] }])], { init: 'glorot-uniform' }),
    train: { epochs: 2, batchSize: 32, learningRate: 0.1, trace: { every: 4 } },
    verdict: 'healthy',
    // Its loss still falls after 2 epochs: more epochs, and nothing else.
    offered: [/^epochs: more than 2$/],
    absent: [/^(?!epochs: more than)/],
  },
  {
    // Clipping scales every layer's gradient alike, and through plain residual blocks it was measured to end higher (residual-sum).
    name: 'residual blocks with large linear branches: exploding; ReZero offered, plain residual blocks not again, nor clipping',
    network: net([{ type: 'dense', units: 32, activation: 'tanh' }, ...repeat(8, [{ type: 'residual', layers: [{ type: 'dense', units: 32 }] }])], { init: { name: 'normal', std: 0.45 } }),
    train: { epochs: 1, batchSize: 32, learningRate: 1e-5, trace: { every: 2 } },
    verdict: 'exploding',
    offered: [/^init: 'glorot-uniform'/, REZERO],
    absent: [RESIDUAL, /kfac/, /^clipNorm/],
  },
  {
    name: 'relu with biases −8 and a layer norm after each: dead in the dense rows; batch norm offered',
    network: net(repeat(3, [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'layer-norm' }]), { init: 'he-normal', biasInit: { name: 'constant', value: -8 } }),
    train: SGD,
    verdict: 'dead',
    rows: ['0', '3', '6'],
    offered: [/^biasInit: 'zero'/, /^layers: activation: 'leaky-relu'/, BATCH_NORM],
    absent: [LAYER_NORM, RESIDUAL],
  },
  {
    name: 'sigmoid activation layers after N(0, 1) weights: saturated in the activation rows; batch and layer norm offered',
    network: net(repeat(3, [{ type: 'dense', units: 32 }, { type: 'activation', activation: 'sigmoid' }]), { init: { name: 'normal', std: 1 } }),
    train: SGD,
    verdict: 'saturated',
    rows: ['2'],
    offered: [/^init: 'glorot-uniform'/, BATCH_NORM, LAYER_NORM],
    absent: [RESIDUAL],
  },
  {
    name: "the same with batch norm before each sigmoid: no longer saturated, but σ' ≤ 1/4 still shrinks δ; no normalisation offered again",
    network: net(repeat(3, [{ type: 'dense', units: 32 }, { type: 'batch-norm' }, { type: 'activation', activation: 'sigmoid' }]), { init: { name: 'normal', std: 1 } }),
    train: SGD,
    verdict: 'vanishing',
    offered: [/^layers: activation: 'relu'/, RESIDUAL, REZERO],
    absent: [BATCH_NORM, LAYER_NORM],
  },
];

describe('diagnose() on block networks', () => {
  let digits: ReturnType<typeof firstRows>;
  beforeAll(async () => {
    const mnist = await loadMnist({ train: DEPTH_ROWS, test: 1 });
    digits = firstRows(mnist.train.x, mnist.train.y, 256);
  });

  it.each(SCENARIOS)('$name', async (scenario) => {
    const network = await createNetwork({ seed: 1, ...scenario.network });
    network.train(digits.x, digits.y, scenario.train);
    const trace = network.trace!;
    network.dispose();
    const d = diagnose(trace);
    const options = d.remedies.map((r) => r.option);
    const summary = `${d.verdict}/${d.severity}: ${d.summary}\n${options.join('\n')}`;
    expectSummaryExplained(d, scenario.name);
    expectParagraphWords(d, BLOCK_FIRST_PARAGRAPH_WORDS);
    expect(d.verdict, summary).toBe(scenario.verdict);
    // The gap runs along the hidden dense layers, named in the summary.
    expect(d.evidence.chain).toEqual(trace.blocks!.layers.flatMap((l, i) => (l.type === 'dense' && i < trace.layers - 1 ? [i] : [])));
    if (d.verdict === 'vanishing' || d.verdict === 'exploding') expect(d.summary).toMatch(/first hidden layer layers\[0\] \('0', dense\)/);
    const named = (rows: number[]) => rows.map((l) => trace.blocks!.layers[l].name);
    if (scenario.verdict === 'dead') expect(named(d.evidence.deadLayers)).toEqual(scenario.rows);
    if (scenario.verdict === 'saturated') expect(named(d.evidence.saturatedLayers)).toEqual(expect.arrayContaining(scenario.rows!));
    // Saturation is read where the sigmoid is: the activation rows, not the dense rows before them.
    for (const l of d.evidence.saturatedLayers) expect(trace.activations[l]).toBe('sigmoid');
    if (scenario.network.layers!.some((s) => 'type' in s && s.type === 'batch-norm')) expect(d.evidence.saturatedLayers).toEqual([]);
    if (scenario.rows) for (const name of scenario.rows) expect(d.summary).toContain(`'${name}'`);
    const positions = scenario.offered.map((pattern) => options.findIndex((o) => pattern.test(o)));
    for (const [i, at] of positions.entries()) expect(at, `${scenario.offered[i]} offered\n${summary}`).toBeGreaterThanOrEqual(0);
    expect(positions, 'in this order').toEqual([...positions].sort((a, b) => a - b));
    for (const pattern of scenario.absent) expect(options.filter((o) => pattern.test(o)), summary).toEqual([]);
    // An architectural remedy names the spec change.
    for (const o of options.filter((o) => o.startsWith('layers:'))) expect(o).toMatch(/\{ type: '|activation: '/);
  });
});
