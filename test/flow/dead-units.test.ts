/**
 * Dead relu units get their remedies wherever a measurable fraction of a layer is dead, not only
 * past the dead verdict's half: in a layer of 8 units the fraction moves in steps of 1/8, and 3 or
 * 4 dead units (38 %, 50 %) once got no remedy and no mention under a vanishing or healthy verdict.
 */
import { describe, expect, it } from 'vitest';
import { DEAD_LAYER, DEAD_UNITS, diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';
import { RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

/** A hand-built trace of three relu hidden layers, the gap even; `dead[r][l]`: layer l's dead fraction at record r. */
function reluTrace(dead: number[][], run: TraceRun = { optimizer: 'sgd', learningRate: 0.1, init: 'he-normal', biasInit: 'zero' }): Trace {
  const trace = new Trace({ sizes: [4, 8, 8, 8, 2], activations: ['relu', 'relu', 'relu', 'softmax'], loss: 'cross-entropy', every: 1, run });
  dead.forEach((fractions, i) => {
    const r = trace.beginRecord(i + 1, 1, 0.5);
    const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, deltaRms: 1, biasGradNorm: 1, inactiveFraction: 0.5 };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      if (l < 3) trace.set('deadFraction', r, l, fractions[l]);
    }
  });
  return trace;
}
const leaky = (d: ReturnType<typeof diagnose>) => d.remedies.find((r) => r.option.startsWith("activation: 'leaky-relu'"));

describe('dead units below the dead verdict', () => {
  it('are named and remedied from DEAD_UNITS of a layer on, under any verdict', () => {
    expect(DEAD_UNITS).toBeLessThan(1 / 8);
    // One unit of 8 dead in the last hidden layer over every record: healthy, but its dead unit named and remedied.
    const one = diagnose(reluTrace([0, 1, 2, 3].map(() => [0, 0, 1 / 8])));
    expect([one.verdict, one.evidence.deadLayers, one.evidence.layersWithDeadUnits]).toEqual(['healthy', [], [2]]);
    expect(one.summary).toMatch(/^Healthy gradient flow: .*Also dead units: 13 % of the units in hidden layer 3 have z ≤ 0 on every row of the batch \(median over 4 records\)/);
    expect(leaky(one)?.option).toBe("activation: 'leaky-relu'");
    expect(one.remedies.map((r) => r.option)).toContain("layers: { type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' } for each hidden layer");
    const batchNorm = quotePattern(codeQuoteOn('docs/gradient-flow.md', "layers: { type: 'dense', units }, { type: 'batch-norm' }"));
    expect(one.remedies.filter((r) => new RegExp(`^${batchNorm.source}$`).test(r.option))).toHaveLength(1);
    // Dead from the first record: no smaller learning rate (the steps did not kill them); the run's zero biases and He init not offered again.
    expect(one.remedies.map((r) => r.option.split(':')[0])).not.toContain('learningRate');
    expect(one.remedies.map((r) => r.option)).not.toContain("biasInit: 'zero'");
    expect(one.remedies.map((r) => r.option)).not.toContain("init: 'he-normal'");
    expectSummaryExplained(one, 'one dead unit');
    // Exactly half (4 of 8) is not the dead verdict (more than half), and still remedied.
    const half = diagnose(reluTrace([0, 1, 2, 3].map(() => [0, 0, DEAD_LAYER])));
    expect([half.verdict, half.evidence.layersWithDeadUnits]).toEqual(['healthy', [2]]);
    expect(leaky(half)).toBeDefined();
    // Below DEAD_UNITS (1 of 11 units, 9 %): neither named nor remedied.
    const few = diagnose(reluTrace([0, 1, 2, 3].map(() => [0, 0, 1 / 11])));
    expect([few.verdict, few.evidence.layersWithDeadUnits]).toEqual(['healthy', []]);
    // What it is offered is a plateau's (more epochs, a larger rate, momentum or Adam), none of the dead units'.
    expect(few.remedies.map((r) => r.option).filter((o) => !/^(epochs: more than|learningRate: above|momentum: |optimizer: 'adam')/.test(o))).toEqual([]);
    expect(few.summary).not.toMatch(/dead/);
  });

  it('offers a smaller learning rate where the units died during training', () => {
    const d = diagnose(reluTrace([[0, 0, 0], [0, 0, 0.25], [0, 0, 0.25], [0, 0, 0.25]]));
    expect(d.evidence.layersWithDeadUnits).toEqual([2]);
    expect(d.remedies[0].option).toBe('learningRate: below 0.1');
    expect(d.remedies[0].why).toBe(
      "units died during training (at the first record 0 % of the units in hidden layer 3 were dead): a large step can push a relu unit's z below 0 for every input, after which it gets no gradient.",
    );
  });

  it('says how many units were dead at the first record where some were: not "alive at the first record"', () => {
    // A relu/he [784,64,64,10] run (gradscope study --model, SGD 0.1, 2,000 digits, 2026-12-02) had 7.8 % of hidden layer 2's units dead at its first record and 13 % over the records.
    const d = diagnose(reluTrace([[0, 0.078, 0], [0, 0.13, 0], [0, 0.13, 0], [0, 0.13, 0]]));
    expect(d.evidence.layersWithDeadUnits).toEqual([1]);
    expect(d.remedies[0].why).toMatch(/^units died during training \(at the first record 8 % of the units in hidden layer 2 were dead\): /);
    expect(d.remedies.map((r) => r.why).join(' ')).not.toContain('alive');
  });

  it('remedies a real relu network of width 8 whose dead units are too few for the dead verdict', async () => {
    // XOR of the signs on 256 points, [2, 8, 8, 8, 2] relu with the default init, SGD at 0.1 for 20 epochs.
    const rng = new Rng(31);
    const x = Array.from({ length: 256 }, () => [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1]);
    const y = x.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1]));
    const net = await createNetwork({ sizes: [2, 8, 8, 8, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 1, backend: 'ref' });
    net.train(x, y, { epochs: 20, batchSize: 32, learningRate: 0.1, trace: { every: 4 } });
    const trace = net.trace!;
    net.dispose();
    const d = diagnose(trace);
    const fractions = d.evidence.layers.slice(0, 3).map((l) => l.deadFraction);
    // Dead units measured (a multiple of 1/8, at least one unit), no layer past half.
    expect(d.evidence.deadLayers).toEqual([]);
    expect(d.verdict).not.toBe('dead');
    expect(d.evidence.layersWithDeadUnits.length).toBeGreaterThan(0);
    for (const l of d.evidence.layersWithDeadUnits) {
      expect(fractions[l]).toBeGreaterThanOrEqual(1 / 8);
      expect(fractions[l]).toBeLessThanOrEqual(DEAD_LAYER);
    }
    expect(d.summary).toMatch(/Also dead units: \d+ % of the units in hidden layer \d/);
    expect(leaky(d)?.option).toBe("activation: 'leaky-relu', init: 'he-normal'");
    expectSummaryExplained(d, 'relu width 8');
  });
});

describe("the leaky-relu switch's rate, read by the run's regime as the relu switch's is (rate48's full-batch leaky-relu grid)", () => {
  // Hidden layer 3 half dead from the first record, over 4 records of one step each; `batches` per epoch, 1: every step saw all the rows.
  const deadRun = (run: TraceRun, batches: number) => {
    const trace = reluTrace([0, 1, 2, 3].map(() => [0, 0, DEAD_LAYER]), { init: 'he-normal', biasInit: 'zero', ...run });
    for (let epoch = 0; epoch < 4; epoch++) trace.addEpoch({ epoch, step: epoch + 1, loss: 0.5, batches });
    return leaky(diagnose(trace));
  };
  const { sgd, adam } = RELU_REMEDY_RATES['full-batch'].leakyRates as { sgd: number; adam: number };

  it("lowers a full-batch run's rate to the full-batch row's leaky-relu bound (SGD 0.01, not relu's 0.05; Adam 0.002), and says where it was measured", () => {
    expect([sgd, adam]).toEqual([0.01, 0.002]);
    expect(sgd).toBeLessThan(RELU_REMEDY_RATES['full-batch'].rates.sgd);
    const plain = deadRun({ optimizer: 'sgd', learningRate: 0.1 }, 1);
    expect(plain?.option).toBe(`activation: 'leaky-relu', learningRate: ${sgd}`);
    expect(plain?.why).toContain(`The run's learning rate, 0.1, is above ${sgd}, the largest rate of a grid at which leaky-relu networks with He's weights (2, 3, 4, 5, 8 hidden layers of 30, 3 seeds each, 500 epochs of sgd in one batch of all 1,000 digits as study (a) trains them`);
    expect(deadRun({ optimizer: 'adam', learningRate: 0.005 }, 1)?.option).toBe(`activation: 'leaky-relu', learningRate: ${adam}`);
  });

  it("keeps a full-batch run's rate at or below the bound, and a mini-batch run's (the command's row measured no leaky-relu grid)", () => {
    expect(deadRun({ optimizer: 'sgd', learningRate: sgd }, 1)?.option).toBe("activation: 'leaky-relu'");
    expect(deadRun({ optimizer: 'adam', learningRate: 0.001 }, 1)?.option).toBe("activation: 'leaky-relu'");
    expect(RELU_REMEDY_RATES.command.leakyRates).toBeUndefined();
    expect(deadRun({ optimizer: 'sgd', learningRate: 0.1 }, 2)?.option).toBe("activation: 'leaky-relu'");
    // A row named by the caller is read as named: the full-batch row's rates for a mini-batch run, the page's for its own.
    const trace = reluTrace([0, 1, 2, 3].map(() => [0, 0, DEAD_LAYER]));
    expect(leaky(diagnose(trace, { reluRates: 'full-batch' }))?.option).toBe(`activation: 'leaky-relu', learningRate: ${sgd}`);
  });
});
