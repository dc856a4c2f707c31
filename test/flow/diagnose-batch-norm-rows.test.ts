/**
 * diagnose() on batch norm fed batches of 2 rows: over 2 rows each feature's x̂ is ±1 whatever the
 * input, so batch norm passes (almost) no gradient back. The verdict is vanishing, and the cause it
 * names is the batch size, with a larger batch or layer norm as the remedies, not the activation;
 * the same network with larger batches stays healthy.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { BATCH_NORM_BLOCKING_ROWS } from '../../src/layers/spec.js';
import { Trace } from '../../src/flow/trace.js';
import type { LayerSpec } from '../../src/layers/spec.js';
import { codeQuoteOn, quoteOn, quotePattern } from '../util/page-quotes.js';

const ROWS = 64;
const x = Array.from({ length: ROWS }, (_, i) => [Math.sin(i), Math.cos(1.3 * i), (i % 7) / 7, (i % 5) / 5]);
const y = Array.from({ length: ROWS }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0)));

/** 8 × (dense 8 → norm → sigmoid) → softmax, trained one epoch with a record every step. */
async function diagnosed(norm: 'batch-norm' | 'layer-norm', batchSize: number) {
  const block: LayerSpec[] = [{ type: 'dense', units: 8 }, { type: norm }, { type: 'activation', activation: 'sigmoid' }];
  const layers = [...Array.from({ length: 8 }, () => block).flat(), { type: 'dense', units: 3, activation: 'softmax' } as LayerSpec];
  const net = await createNetwork({ inputs: 4, loss: 'cross-entropy', layers, seed: 1 });
  net.train(x, y, { batchSize, trace: { every: 1 } });
  const trace = net.trace!;
  net.dispose();
  return { trace, d: diagnose(trace) };
}

describe('batch norm over batches of 2 rows', () => {
  it('is named as the cause of the vanishing gradient, with a larger batch or layer norm as the remedies', async () => {
    expect(BATCH_NORM_BLOCKING_ROWS).toBe(2);
    const { trace, d } = await diagnosed('batch-norm', 2);
    expect(trace.run.batchSize).toBe(2);
    expect(d.verdict).toBe('vanishing');
    // (Almost) nothing passes the batch norms: docs/gradient-flow.md quotes the median measured, 1/1.25e+13.
    expect(d.evidence.relativeGradientFirstToLast!.median).toBeLessThan(1e-6);
    console.log(`batches of 2: the first dense layer's relative gradient over the last's, median over the records: 1/${(1 / d.evidence.relativeGradientFirstToLast!.median).toExponential(2)}`);
    const batchNorms = d.evidence.normalisedBy!.filter((l) => trace.blocks!.layers[l].type === 'batch-norm');
    expect(batchNorms.length).toBe(7);
    expect(d.evidence.batchNormBlocking).toEqual(batchNorms);
    expect(d.summary).toMatch(/The cause is the batch size: the run's batches hold 2 rows/);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'The cause is the batch size')));
    expect(d.summary).toContain("so the batch-norm layers layers[1] ('2', batch-norm), layers[4] ('6', batch-norm), layers[7] ('10', batch-norm), layers[10] ('14', batch-norm), layers[13] ('18', batch-norm), layers[16] ('22', batch-norm), layers[19] ('26', batch-norm) pass (almost) no gradient back");
    expect(d.remedies.map((r) => r.option)).toEqual([codeQuoteOn('docs/gradient-flow.md', 'batchSize: 16 or more'), "layers: { type: 'layer-norm' } in place of each { type: 'batch-norm' }"]);
    // On a command line the least batch that meets it, a number --batch-size reads.
    expect(d.remedies[0].settings).toEqual([{ option: 'batchSize', value: '16 or more', flagValue: '16' }]);
  });

  it('a trace that does not record its batch size (an older file) is read as before', async () => {
    const { trace } = await diagnosed('batch-norm', 2);
    const json = trace.toJSON();
    const d = diagnose(Trace.fromJSON({ ...json, run: { ...json.run, batchSize: undefined } }));
    expect(d.verdict).toBe('vanishing');
    expect(d.evidence.batchNormBlocking).toBeUndefined();
    expect(d.summary).not.toMatch(/batch size/);
    expect(d.remedies.map((r) => r.option)).not.toContain('batchSize: 16 or more');
  });

  it.each([4, 8, 16, 64])('the same network in batches of %i rows is healthy', async (batchSize) => {
    const { trace, d } = await diagnosed('batch-norm', batchSize);
    expect(trace.run.batchSize).toBe(batchSize);
    expect(d.verdict).toBe('healthy');
    // docs/gradient-flow.md: within 4× of the last's.
    const ratio = d.evidence.relativeGradientFirstToLast!.median;
    console.log(`batches of ${batchSize}: the first dense layer's relative gradient over the last's, median over the records: ${ratio.toPrecision(3)}`);
    expect(Math.max(ratio, 1 / ratio)).toBeLessThan(4);
    expect(d.evidence.batchNormBlocking).toBeUndefined();
    expect(d.remedies).toEqual([]);
  });

  it('layer norm over batches of 2 rows is not batch norm: no batch-size cause', async () => {
    const { d } = await diagnosed('layer-norm', 2);
    expect(d.evidence.batchNormBlocking).toBeUndefined();
    expect(d.summary).not.toMatch(/batch size/);
    expect(d.remedies.map((r) => r.option)).not.toContain('batchSize: 16 or more');
  });
});
