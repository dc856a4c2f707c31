/**
 * The second-order remedy's two choices on the visualizer's default run (newuser44 #6): the page offered "optimizer: 'kfac'"
 * and "or: optimizer: 'hessian-free'" as equals, and Hessian-free at the page's batch of 32 left the default plateau at chance where
 * K-FAC left it. Its reason now says the two are not ranked on the user's run and what the page's default measured
 * (SECOND_ORDER_ON_THE_PAGE), and the switch to Hessian-free carries its batch (HESSIAN_FREE_BATCH: all the page's rows); here the
 * page's default sigmoid network is diagnosed as the page diagnoses it, each choice applied as its button applies it (a new network
 * from the same seed), and trained as the page trains it, with one optimiser held over the run, to the 1,800 steps over which
 * docs/second-order.md gives seeds 1–3's range (scripts/second-order-page.ts): seed 1 falls inside each.
 */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import type { Network } from '../../src/api/network.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { SECOND_ORDER_ON_THE_PAGE } from '../../src/flow/diagnosis/vanishing-optimizer-remedies.js';
import { HESSIAN_FREE_BATCH } from '../../src/optimizer-defaults.js';
import { planarDataset, splitDataset } from '../../demo/src/datasets.js';
import { networkOptions } from '../../demo/src/architecture.js';
import { DEFAULTS, LIMITS, type Settings } from '../../demo/src/settings.js';
import { pageDiagnosis, remedySetting } from '../../demo/src/remedies.js';
import { optimizerFor } from '../../demo/src/run-optimizer.js';
import { quotedOn } from '../util/page-numbers.js';

const SHAPE = { inputs: 2, classes: 2 };
const { train } = splitDataset(planarDataset('spirals', DEFAULTS.seed, DEFAULTS.noise), DEFAULTS.trainPercent);
const rows = (m: { data: Float32Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const [x, y] = [rows(train.x), rows(train.y)];
/** The steps docs/second-order.md's ranges of the page's buttons are measured after. */
const MEASURED_STEPS = 1800;

/** The page's network under `settings` from its first step, trained on as the page trains it: `at(steps)` is the share of the training rows right after `steps` steps in all. */
async function pageRun(settings: Settings): Promise<{ at(steps: number): number; dispose(): void }> {
  const net: Network = await createNetwork(networkOptions(settings, SHAPE.inputs, SHAPE.classes));
  const { optimizer } = optimizerFor(net, settings, { x: train.x, y: train.y });
  const perEpoch = Math.ceil(train.x.rows / Math.min(settings.batchSize, train.x.rows));
  const learningRate = optimizer.choosesOwnSteps ? {} : { learningRate: settings.learningRate };
  return {
    at(steps) {
      expect((steps - net.step) % perEpoch, `${steps} steps are whole epochs of ${perEpoch}`).toBe(0);
      net.train(x, y, { epochs: (steps - net.step) / perEpoch, batchSize: settings.batchSize, optimizer, ...learningRate });
      expect(net.step).toBe(steps);
      return net.evaluate(x, y).accuracy!;
    },
    dispose() {
      optimizer.dispose();
      net.dispose();
    },
  };
}

describe("the second-order remedy on the visualizer's default run", () => {
  it('says the two choices are not ranked on this run, and what they did on the page: both off the plateau, Hessian-free only with its batch', async () => {
    // The figures the reason gives of the page's default run are the page's: its seed, its batch and its split of the spirals.
    expect([SECOND_ORDER_ON_THE_PAGE.seed, SECOND_ORDER_ON_THE_PAGE.batchSize, SECOND_ORDER_ON_THE_PAGE.trainingRows]).toEqual([DEFAULTS.seed, DEFAULTS.batchSize, x.length]);
    const sigmoid = await createNetwork(networkOptions(DEFAULTS, SHAPE.inputs, SHAPE.classes));
    sigmoid.train(x, y, { epochs: 20, batchSize: DEFAULTS.batchSize, learningRate: DEFAULTS.learningRate, trace: { every: 10 } });
    const d = diagnose(sigmoid.trace!, pageDiagnosis('spirals'));
    sigmoid.dispose();
    expect(d.verdict).toBe('vanishing');
    const remedy = d.remedies.find((r) => r.settings.some((s) => s.option === 'optimizer' && s.setting === 'kfac'))!;
    expect(remedy, d.remedies.map((r) => r.option).join('\n')).toBeDefined();
    // The page's run is open-ended (pageDiagnosis: openEnded): the switch to Hessian-free carries its batch and no epochs (a run of
    // 20 set epochs of 9 batches is offered the epochs that keep its 180 steps: test/flow/open-ended-run).
    expect(remedy.option).toBe(`optimizer: 'kfac', learningRate: 1 (or optimizer: 'hessian-free', batchSize: ${HESSIAN_FREE_BATCH}, no learningRate: hessian-free sets its own steps)`);
    const { kfacSteps, kfacAbove, hessianFreeSteps, hessianFreeAbove } = SECOND_ORDER_ON_THE_PAGE;
    expect(remedy.why).toContain(
      ` Hessian-free takes batches of 1,000 rows (all of them where fewer, an epoch then one step; Martens takes his gradient over the whole training set): each step fits the rows it is given, and on the visualizer's default run, at the page's batch of ${DEFAULTS.batchSize}, Hessian-free stayed at chance. ` +
        "The two are not ranked by a benefit measured on this run: from the start of the visualizer's default run (6 × 16 sigmoid units, the spirals, seed 1) " +
        `K-FAC at batch ${DEFAULTS.batchSize} had more than ${Math.round(100 * kfacAbove)} % of its training rows right after ${kfacSteps} steps, ` +
        `and Hessian-free on all ${x.length} rows more than ${Math.round(100 * hessianFreeAbove)} % after ${hessianFreeSteps} steps.`,
    );
    // Every percent in the reason is as short as it is said (100 × 0.55 prints 55.00000000000001 in JavaScript).
    expect(remedy.why).not.toMatch(/\d\.\d{4,} %/);
    expect([DEFAULTS.depth, DEFAULTS.width, DEFAULTS.activation, DEFAULTS.dataset, DEFAULTS.batchSize]).toEqual([6, 16, 'sigmoid', 'spirals', 32]);
    // Each choice as its button applies it, from the start: Hessian-free with its batch, every training row here, which the page's batch control takes.
    const kfac = remedySetting(remedy, DEFAULTS, SHAPE)!;
    const hessianFree = remedySetting({ settings: remedy.alternative! }, DEFAULTS, SHAPE)!;
    expect(kfac).toEqual({ optimizer: 'kfac', learningRate: 1 });
    expect(hessianFree).toEqual({ optimizer: 'hessian-free', batchSize: HESSIAN_FREE_BATCH });
    expect(HESSIAN_FREE_BATCH).toBeGreaterThanOrEqual(x.length);
    expect(LIMITS.batchSize.max).toBeGreaterThanOrEqual(HESSIAN_FREE_BATCH);
    // The ranges over seeds 1–3 after 1,800 steps that docs/second-order.md states, as whole percents.
    const page = 'docs/second-order.md';
    const [kfacRange, hessianFreeRange] = [
      /\*\*K-FAC at the page's batch of 32, after 1,800 steps: (\d+)–(\d+) %\*\*/,
      /\*\*Hessian-free with its batch \(all 280 rows\), after 1,800 steps: (\d+)–(\d+) %\*\*/,
    ].map((pattern) => quotedOn(page, pattern).map(Number));

    const kfacRun = await pageRun({ ...DEFAULTS, ...kfac });
    try {
      expect(kfacRun.at(kfacSteps), 'K-FAC').toBeGreaterThan(kfacAbove);
      expectWithin(kfacRange, kfacRun.at(MEASURED_STEPS), 'K-FAC');
    } finally {
      kfacRun.dispose();
    }
    const hessianFreeRun = await pageRun({ ...DEFAULTS, ...hessianFree });
    try {
      expect(hessianFreeRun.at(hessianFreeSteps), 'Hessian-free with its batch').toBeGreaterThan(hessianFreeAbove);
      expectWithin(hessianFreeRange, hessianFreeRun.at(MEASURED_STEPS), 'Hessian-free with its batch');
    } finally {
      hessianFreeRun.dispose();
    }
    // The same choice at the page's batch of 32, as the button ran it before it carried its batch: at chance (the two spirals' rows
    // are half each, so a network that ignores its input gets half of them right).
    const smallBatch = await pageRun({ ...DEFAULTS, ...hessianFree, batchSize: DEFAULTS.batchSize });
    try {
      const share = smallBatch.at(kfacSteps);
      expect(Math.abs(share - 0.5), `Hessian-free at batch 32: ${share}`).toBeLessThan(0.02);
    } finally {
      smallBatch.dispose();
    }
  }, 300_000);

  it('says nothing of the two where only one is offered (a block network: K-FAC takes dense networks only)', async () => {
    const blocks = await createNetwork(networkOptions({ ...DEFAULTS, norm: 'layer-norm' }, SHAPE.inputs, SHAPE.classes));
    blocks.train(x, y, { epochs: 20, batchSize: DEFAULTS.batchSize, learningRate: DEFAULTS.learningRate, trace: { every: 10 } });
    const d = diagnose(blocks.trace!, pageDiagnosis('spirals'));
    blocks.dispose();
    const secondOrder = d.remedies.filter((r) => r.why.startsWith('second-order methods'));
    expect(secondOrder.map((r) => r.option)).toEqual([`optimizer: 'hessian-free', batchSize: ${HESSIAN_FREE_BATCH}, no learningRate: hessian-free sets its own steps`]);
    expect(secondOrder[0].alternative).toBeUndefined();
    expect(secondOrder[0].why).not.toContain('not ranked');
  }, 60_000);
});

/** `accuracy` rounded to a whole percent, as a range of whole percents states it, lies inside [low, high]. */
function expectWithin([low, high]: number[], accuracy: number, label: string): void {
  const percent = Math.round(100 * accuracy);
  expect(percent, `${label}: ${(100 * accuracy).toFixed(1)} % against ${low}–${high} %`).toBeGreaterThanOrEqual(low);
  expect(percent, `${label}: ${(100 * accuracy).toFixed(1)} % against ${low}–${high} %`).toBeLessThanOrEqual(high);
}
