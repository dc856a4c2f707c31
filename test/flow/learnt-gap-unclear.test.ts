/**
 * A gap that grew while the network learnt stays no fault where the epochs cannot tell whether the loss still falls
 * (newuser40 V1, 2026-12-05): the visualizer's relu/he remedy on the spirals, left to train at the page's settings,
 * read "Healthy … the gap opened as the network learnt" while its loss fell and "Exploding gradients (mild)" wherever its
 * flat loss read 'unclear' (its downloaded trace, cut at step 13,400: 7.11×, median over 373 full batches' records),
 * offering clipNorm, LARS, ReZero, SELU and LSUV to a network that had learnt. This is that run, trained here as the page
 * trains it (its trace the page's record for record), and read at that step.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose, verdictCell } from '../../src/flow/diagnose.js';
import { planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS } from '../../demo/src/settings.js';
import { quotedOn } from '../util/page-numbers.js';

const rowsOf = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

describe('a gap that grew while the network learnt, where the epochs cannot tell', () => {
  it("the visualizer's relu/he run at step 13,400: unclear, and healthy with its note, not exploding", async () => {
    const page = 'docs/gradient-flow.md';
    const [step, gap, records, right] = quotedOn(page, /at step ([\d,]+): (\S+)×, median over (\d+) full batches' records, (\S+) % of its rows right\)/);
    const { train } = splitDataset(planarDataset('spirals', 1, DEFAULTS.noise), DEFAULTS.trainPercent);
    const net = await createNetwork(networkOptions({ ...DEFAULTS, activation: 'relu', init: 'he-normal' }, 2, 2));
    const last = Number(step.replace(/,/g, ''));
    // The page traces every 32 steps; 9 batches an epoch over its 280 training points.
    net.train(rowsOf(train.x), rowsOf(train.y), { epochs: Math.ceil(last / 9), batchSize: DEFAULTS.batchSize, learningRate: DEFAULTS.learningRate, trace: { every: 32 } });
    const trace = net.trace!;
    net.dispose();
    trace.dropRecordsAfter(last);
    const d = diagnose(trace);
    const e = d.evidence;
    expect(e.training!.state).toBe('unclear');
    expect((100 * e.training!.accuracyEnd).toFixed(1)).toBe(right);
    expect([d.verdict, d.severity, e.grewWhileLearning]).toEqual(['healthy', undefined, true]);
    expect(verdictCell(d)).toBe(`healthy (${gap}, median over ${records} full batches' records, grew while learning)`);
    expect(d.summary).toMatch(/and training is healthy: the gap opened as the network learnt \(0\.\d+× at the first step\)/);
    expect(d.remedies.map((r) => r.option).filter((o) => /clipNorm|lars|rezero|'lsuv'|selu/.test(o))).toEqual([]);
  }, 60_000);
});
