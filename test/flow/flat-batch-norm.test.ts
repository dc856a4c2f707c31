/**
 * Batch norm over features that do not vary over the batch (every row of the inputs alike): x̂ = 0, so each
 * feature leaves as its shift β on every row, and the gradient passing back through it is multiplied by
 * γ/√(σ² + ε), 316·γ at the default ε. The trace records the share of such features (flatFraction), and
 * diagnose() names them as the cause: of relu units after them that are dead because z = β ≤ 0 on rows
 * alike (not from a negative bias, which batch norm cancels, nor the weights), and of a gap read across
 * them (their 1/√ε per batch norm, not the weights' scale), offering none of the remedies of either.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import type { Activation } from '../../src/kernels.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { quotedOn } from '../util/page-numbers.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { quoteOn } from '../util/page-quotes.js';

const [INPUTS, CLASSES, ROWS, WIDTH, DEPTH] = [8, 4, 128, 16, 4];

/** ROWS rows of INPUTS numbers, each 0.5 where `alike`, else spread over [−1, 1); one-hot targets of seeded classes. */
function rows(alike: boolean): { x: number[][]; y: number[][] } {
  let s = 7;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const x = Array.from({ length: ROWS }, () => Array.from({ length: INPUTS }, () => (alike ? 0.5 : 2 * next() - 1)));
  const y = x.map(() => {
    const c = Math.floor(next() * CLASSES);
    return Array.from({ length: CLASSES }, (_, k) => (k === c ? 1 : 0));
  });
  return { x, y };
}

/** DEPTH × (dense, batch norm, activation f), a softmax output, trained 2 epochs of SGD at 0.1, traced every 2 steps. */
async function traced(f: Activation, alike: boolean) {
  const block: LayerSpec[] = [{ type: 'dense', units: WIDTH }, { type: 'batch-norm' }, { type: 'activation', activation: f }];
  const init = f === 'relu' ? 'he-normal' : 'glorot-uniform';
  const net = await createNetwork({ inputs: INPUTS, loss: 'cross-entropy', init, seed: 1, layers: [...Array.from({ length: DEPTH }, () => block).flat(), { type: 'dense', units: CLASSES, activation: 'softmax' }] });
  const { x, y } = rows(alike);
  net.train(x, y, { epochs: 2, batchSize: 32, learningRate: 0.1, trace: { every: 2 } });
  const trace = net.trace!;
  net.dispose();
  return trace;
}

const normRows = (trace: Awaited<ReturnType<typeof traced>>) => trace.blocks!.layers.flatMap((l, i) => (l.type === 'batch-norm' ? [i] : []));

describe('batch norm over features that do not vary over the batch', () => {
  it("is the set-up docs/gradient-flow.md describes", () => {
    const [depth, width, rows] = quotedOn('docs/gradient-flow.md', /On (\d+) × \(dense (\d+) → batch norm →\s+relu or sigmoid\) over (\d+) rows all alike/);
    expect([depth, width, rows].map(Number)).toEqual([DEPTH, WIDTH, ROWS]);
  });

  it('the trace records every feature flat where the rows are alike, none where they vary, and nothing for other rows', async () => {
    const [alike, varied] = [await traced('relu', true), await traced('relu', false)];
    for (const l of normRows(alike)) expect(alike.at('flatFraction', 0, l)).toBe(1);
    for (const l of normRows(varied)) expect(varied.at('flatFraction', 0, l)).toBe(0);
    const others = alike.blocks!.layers.flatMap((l, i) => (l.type === 'batch-norm' ? [] : [i]));
    for (const l of others) expect(alike.at('flatFraction', 0, l)).toBeNaN();
    // Saved and read back, as every metric is; a file saved before it was recorded reads it as not measured.
    const saved = alike.toJSON();
    expect(normRows(alike).map((l) => Trace.fromJSON(JSON.stringify(saved)).at('flatFraction', 0, l))).toEqual(normRows(alike).map(() => 1));
    const { flatFraction: _recorded, ...before } = saved.metrics;
    const older = { ...saved, metrics: before };
    expect(Trace.fromJSON(older).at('flatFraction', 0, normRows(alike)[0])).toBeNaN();
    expect(diagnose(varied).evidence.flatNorms).toBeUndefined();
  });

  it('relu units after them: dead by β on rows alike, named as such, and offered no dead units\' remedy', async () => {
    const d = diagnose(await traced('relu', true));
    expectSummaryExplained(d, 'relu');
    expect(d.verdict).toBe('dead');
    expect(d.summary.startsWith(quoteOn('docs/gradient-flow.md', 'Dead units'))).toBe(true);
    expect(d.evidence.flatNorms).toHaveLength(DEPTH);
    expect(d.summary).toMatch(/z is the output of the batch norm just before, whose features hardly varied over the batch/);
    expect(d.summary).toMatch(/that norm's shift β on every row, so the unit is dead where β ≤ 0, not from a negative bias/);
    expect(d.summary).toMatch(/100 % of the features in layers\[1\] \('2', batch-norm\).* were flat/);
    expect(d.summary).toMatch(/where the batch's rows are alike \(inputs that do not vary\)/);
    // A negative bias, the init, a leak or batch norm would not give those rows apart.
    expect(d.remedies.map((r) => r.option).filter((o) => /biasInit|leaky-relu|init:|batch-norm/.test(o))).toEqual([]);
  });

  it('sigmoid units: the gap read across them is their 1/√ε, not the weights\', and no gap remedy is offered', async () => {
    const d = diagnose(await traced('sigmoid', true));
    expectSummaryExplained(d, 'sigmoid');
    expect(d.verdict).toBe('exploding');
    expect(d.summary.startsWith(quoteOn('docs/gradient-flow.md', 'Exploding gradients'))).toBe(true);
    expect(d.summary).toMatch(/multiplies the gradient passing back through it by γ\/√\(σ² \+ ε\) \(316·γ at the default ε of 1e-5\)/);
    expect(d.summary).toMatch(/The gap read across such a batch norm is that factor, not the weights' scale/);
    expect(d.remedies.map((r) => r.option).filter((o) => /init:|clipNorm|optimizer|rezero|residual/.test(o))).toEqual([]);
  });
});
