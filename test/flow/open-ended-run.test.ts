/**
 * A run with no epochs set (DiagnoseOptions.openEnded: the visualizer's, which trains until it is paused): the switch to
 * Hessian-free carries its batch and no epochs, where a run of set epochs is offered the epochs that keep its steps (carriedEpochs;
 * page50: the page showed `epochs: N` growing with every epoch it ran), and more epochs are asked as `epochs: more`, not 'more than
 * N' of the epochs run so far (page52: as the page ran, N grew too). Every other remedy, the verdict and the summary are the same
 * either way; the flag is checked as every option is.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import type { Remedy } from '../../src/flow/remedy.js';
import { HESSIAN_FREE_BATCH } from '../../src/optimizer-defaults.js';
import { planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS } from '../../demo/src/settings.js';
import { expectError } from '../util/expect-error.js';

const { train } = splitDataset(planarDataset('spirals', DEFAULTS.seed, DEFAULTS.noise), DEFAULTS.trainPercent);
const rows = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

/** The page's default sigmoid network (or `settings`) over 20 epochs (or `epochs`) of 9 batches (280 rows in batches of 32): 180 steps. */
async function defaultTrace(settings = DEFAULTS, epochs = 20) {
  const net = await createNetwork(networkOptions(settings, 2, 2));
  net.train(rows(train.x), rows(train.y), { epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, trace: { every: 10 } });
  const trace = net.trace!;
  net.dispose();
  return trace;
}

const hessianFree = (remedies: Remedy[]) => remedies.flatMap((r) => [r.settings, ...(r.alternative ? [r.alternative] : [])]).find((s) => s.some((x) => x.setting === 'hessian-free'))!;

describe('diagnose(trace, { openEnded })', () => {
  it('carries no epochs beside a switch for a run with none set, and changes nothing else', async () => {
    const trace = await defaultTrace();
    const [set, open] = [diagnose(trace), diagnose(trace, { openEnded: true })];
    expect(hessianFree(set.remedies).map((s) => [s.option, s.setting])).toEqual([['optimizer', 'hessian-free'], ['batchSize', HESSIAN_FREE_BATCH], ['epochs', 180], ['learningRate', undefined]]);
    expect(hessianFree(open.remedies).map((s) => [s.option, s.setting])).toEqual([['optimizer', 'hessian-free'], ['batchSize', HESSIAN_FREE_BATCH], ['learningRate', undefined]]);
    const said = "The switch sets epochs: 180, the run's 180 steps (at its 20 epochs it would take 20 steps).";
    expect(set.remedies.some((r) => r.why.includes(said))).toBe(true);
    expect(open.remedies.some((r) => r.why.includes('sets epochs'))).toBe(false);
    // Only the carried epochs differ: the same remedies, in the same order, with that setting and its sentence taken out.
    const withoutCarried = set.remedies.map((r) => ({ ...r, why: r.why.replace(` ${said}`, '') }));
    expect(open.remedies.map((r) => r.why)).toEqual(withoutCarried.map((r) => r.why));
    expect(open.remedies.map((r) => r.option)).toEqual(withoutCarried.map((r) => r.option.replace(', epochs: 180', '')));
    expect([open.verdict, open.headline.replace(', epochs: 180', ''), open.summary]).toEqual([set.verdict, set.headline.replace(', epochs: 180', ''), set.summary]);
    expect(diagnose(trace, { openEnded: false }).remedies).toEqual(set.remedies);
    await expectError(() => diagnose(trace, { openEnded: 'yes' as unknown as boolean }), 'INVALID_OPTION', /^diagnose\(trace, options\): openEnded is "yes"; expected true or false$/);
  }, 60_000);

  it("asks an open-ended run for more epochs as 'more', not more than the epochs it has run, and changes nothing else", async () => {
    // Two tanh layers with Glorot's weights, 3 epochs: a plateau read on fewer epochs than a short run's, so more epochs are offered.
    const trace = await defaultTrace({ ...DEFAULTS, depth: 2, activation: 'tanh', init: 'glorot-uniform' }, 3);
    const [set, open] = [diagnose(trace), diagnose(trace, { openEnded: true })];
    const epochsOnly = (d: typeof set) => d.remedies.filter((r) => r.settings.every((s) => s.option === 'epochs'));
    expect(epochsOnly(set).map((r) => r.settings)).toEqual([[{ option: 'epochs', value: 'more than 3', flagValue: '6', direction: 'larger' }]]);
    expect(epochsOnly(open).map((r) => r.settings)).toEqual([[{ option: 'epochs', value: 'more', direction: 'larger' }]]);
    expect(open.remedies.map((r) => r.why)).toEqual(set.remedies.map((r) => r.why));
    expect(open.remedies.map((r) => r.option)).toEqual(set.remedies.map((r) => r.option.replace('epochs: more than 3', 'epochs: more')));
    expect([open.verdict, open.summary]).toEqual([set.verdict, set.summary]);
  }, 60_000);
});
