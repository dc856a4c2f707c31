// A rate the core holds as float32 is printed as float32Text (src/number-text.ts), the shortest text
// that reads back to the value held: a learningRate of 0.1 + 0.2 was echoed '0.30000000000000004' by
// the advice on a diverged step, the worse-than-start warning and SGD's step-size refusal.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { worseWarning } from '../../src/cli/worse-warning.js';
import { createOptimizer } from '../../src/optim/index.js';
import { API_TERMS, learningRateAdvice } from '../../src/training/advice.js';
import { expectError } from '../util/expect-error.js';
import { cannotHalve, halvingsSpent } from '../../src/training/step-faults.js';
import { decayShareAdvice } from '../../src/training/decay-share.js';
import { nonFiniteLines, trainingSettingsText, type BuiltOptimizer, type TrainingSettings } from '../../src/cli/training-flags.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Trace } from '../../src/flow/trace.js';
import { sgdDecayBound } from '../../src/optimizer-defaults.js';
import { runCliInProcess } from '../util/cli.js';

const computed = 0.1 + 0.2;

describe('rates in advice and refusals, as float32 holds them', () => {
  it('learningRateAdvice and the worse-than-start warning say below 0.3', () => {
    expect(computed).toBe(0.30000000000000004);
    expect(learningRateAdvice(computed, API_TERMS)).toMatch(/^try a learningRate below 0\.3, clipNorm, /);
    const warning = worseWarning({ checked: 'test', initial: { loss: 2.3, accuracy: 0.113 }, final: { loss: 9, accuracy: 0.098 }, trained: { halvings: 0, learningRate: computed }, optimizer: 'sgd', diagnosis: "the run's diagnosis says what holds it" });
    expect(warning).toMatch(/try a --learning-rate below 0\.3\.$/);
    // Small and large rates in the library's exponent form, read back to the same float32.
    expect(learningRateAdvice(0.001, API_TERMS)).toMatch(/below 0\.001,/);
    expect(learningRateAdvice(1e9, API_TERMS)).toMatch(/below 1e\+9,/);
  });

  it("SGD's step-size refusal names the rates as held", async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1, backend: 'ref' });
    // 0.3 × 2e-38 = 6e-39, below float32's smallest normal number.
    await expectError(() => createOptimizer(net, { name: 'sgd', learningRate: computed, layerRates: [1, 2e-38] }), 'INVALID_OPTION', /^sgd: layer 1's step size, learning rate 0\.3 × layerRates\[1\] 2e-38: 6e-39 is subnormal/);
  });
});

/**
 * A vanishing trace of a [2, 16 × 10, 2] sigmoid network run at `learningRate`, whose hidden layers' gradients fall
 * geometrically to 1/3.58e8 at the first: its diagnosis offers relu at a lower rate and LARS without per-layer rates.
 */
function vanishingTrace(learningRate: number, momentum?: number): Trace {
  const hidden = 10;
  const run = { optimizer: 'sgd', learningRate, batchSize: 32, init: 'standard' as const, ...(momentum !== undefined && { momentum }) };
  const trace = new Trace({ sizes: [2, ...Array<number>(hidden).fill(16), 2], activations: [...Array<'sigmoid'>(hidden).fill('sigmoid'), 'softmax'], loss: 'cross-entropy', every: 1, run });
  for (let record = 0; record < 2; record++) {
    const r = trace.beginRecord(record + 1, 1, 0.69);
    for (let l = 0; l <= hidden; l++) {
      const shrink = l === hidden ? 1 : 3.58e8 ** -((hidden - 1 - l) / (hidden - 1));
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, name === 'saturatedFraction' ? 0 : NaN);
      for (const name of ['weightGradNorm', 'deltaRms', 'biasGradNorm'] as const) trace.set(name, r, l, shrink);
      trace.set('weightNorm', r, l, 1);
      trace.set('updateRatio', r, l, 0.1 * shrink);
    }
  }
  return trace;
}

// mendB27: the step faults' halving messages, the decay share, the CLI's settings and halving lines and the diagnosis's
// remedies echoed a rate raw: 'the learning rate (1000000000)', and a rate float32 held as 0.10000000149011612.
describe('every echo of a float32 rate the caller gave', () => {
  const held = Math.fround(0.1);

  it("the step faults' halving messages", () => {
    expect(halvingsSpent(0, 1e9, API_TERMS)).toMatch(/^; the learning rate \(1e\+9\) was not halved: /);
    expect(cannotHalve(0, held, 'x')).toBe('; the learning rate (0.1) cannot be halved: x');
    // Under a schedule the rate is its start, which the faulty step took a fraction of.
    expect(cannotHalve(0, held, 'x', { name: 'cosine' })).toBe('; the learning rate (0.1, the start of its cosine schedule) cannot be halved: x');
    expect(halvingsSpent(2, 0.025, API_TERMS, { name: 'step' })).toMatch(/^ after 2 halvings of the learning rate \(now 0\.0250, the start of its step schedule\), all that maxHalvings allows$/);
  });

  it("the per-layer decay share's reading", () => {
    const share = { layer: 0, stepSize: held * Math.fround(0.3), learningRate: held, layerRate: Math.fround(0.3), curvature: 4.8, weightDecay: Math.fround(0.7), bound: 2, boundFormula: '', weightDecayWithin: 0.5, learningRateWithin: 0.05 };
    expect(decayShareAdvice(share)(API_TERMS)).toMatch(/1 − learning rate 0\.1 × layerRates\[0\] 0\.3 × \(c \+ λ\), .* and λ the weightDecay 0\.7: /);
  });

  it("the CLI's settings line and what halving did", () => {
    const settings = { choice: { name: 'sgd', optimizer: 'sgd' }, learningRate: 1e9, batchSize: 32 } as unknown as TrainingSettings;
    const built = { optimizer: { defaultLearningRate: held }, spec: 'sgd' } as unknown as BuiltOptimizer;
    expect(trainingSettingsText(settings, built, 1, 100)).toBe('sgd, learning rate 1e+9, batches of 32, seed 1.');
    expect(trainingSettingsText({ ...settings, learningRate: undefined }, built, 1, 100)).toBe("sgd, learning rate 0.1 (sgd's default), batches of 32, seed 1.");
    expect(nonFiniteLines({ skipped: 0, halvings: 2, learningRate: held / 4 })).toEqual(['--on-non-finite halve halved the learning rate 2 times, to 0.025.']);
  });

  // newuser30: the settings line said 'learning rate 1e-3 (adam's default)' where --help lists 'adam 0.001': one way of writing it.
  it("an optimiser's own rate as --help lists it", async () => {
    const settings = { choice: { name: 'adam', optimizer: 'adam' }, batchSize: 32 } as unknown as TrainingSettings;
    const built = { optimizer: { defaultLearningRate: Math.fround(0.001) }, spec: 'adam' } as unknown as BuiltOptimizer;
    expect(trainingSettingsText(settings, built, 1, 100)).toBe("adam, learning rate 0.001 (adam's default), batches of 32, seed 1.");
    const help = await runCliInProcess(['train', '--help']);
    expect(help.stdout).toMatch(/default: the optimiser's own: sgd 0\.1, [^)]*\badam 0\.001\b/);
  });

  // review-b: --learning-rate 0.001 printed 'learning rate 1e-3' where adam's default 0.001 printed 'learning rate 0.001'.
  it('a rate the caller gave as an optimiser\'s own is written so', () => {
    const settings = { choice: { name: 'adam', optimizer: 'adam' }, learningRate: 0.001, batchSize: 32 } as unknown as TrainingSettings;
    const built = { optimizer: { defaultLearningRate: Math.fround(0.001) }, spec: 'adam' } as unknown as BuiltOptimizer;
    expect(trainingSettingsText(settings, built, 1, 100)).toBe('adam, learning rate 0.001, batches of 32, seed 1.');
  });

  // texts29: a momentum is held as float32 (the update kernels take μ as f32) and echoed so; normConstraint, damping and clipNorm are
  // held as float64 and echoed as given. The settings line printed 'momentum 0.30000000000000004'; a float32 momentum 0.8999999761581421.
  it('momentum as float32 holds it, and normConstraint, damping and clipNorm as given', () => {
    const settings = { choice: { name: 'kfac', optimizer: 'kfac' }, learningRate: 0.1, batchSize: 32, normConstraint: computed, damping: computed, clipNorm: computed } as unknown as TrainingSettings;
    const built = { optimizer: { defaultLearningRate: 0.1 }, spec: { name: 'kfac', momentum: computed } } as unknown as BuiltOptimizer;
    expect(trainingSettingsText(settings, built, 1, 100)).toBe(
      'kfac, momentum 0.3, norm constraint 0.30000000000000004, damping 0.30000000000000004, learning rate 0.1, batches of 32, gradient clipped to norm 0.30000000000000004, seed 1.',
    );
    const mu = Math.fround(0.9);
    expect(sgdDecayBound(mu, false).why).toMatch(/^momentum 0\.9's bound 2\(1 \+ μ\)/);
    expect(sgdDecayBound(mu, true).why).toMatch(/^Nesterov momentum 0\.9's bound /);
  });

  it('momentum in the flags\' refusals as typed: the refusal quotes the command line, which its reason may be about', async () => {
    const refused = await runCliInProcess(['train', '--depth', '1', '--width', '4', '--train', '50', '--test', '10', '--epochs', '0', '--optimizer', 'adam', '--momentum', String(computed)]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/^gradscope: --optimizer adam --momentum 0\.30000000000000004: adam takes no --momentum/)]);
  }, 60_000);

  it("the diagnosis's relu and LARS reasons", () => {
    const whys = diagnose(vanishingTrace(Math.fround(0.7))).remedies.map((r) => r.why).join('\n');
    expect(whys).toContain("The run's learning rate, 0.7, is above ");
    expect(whys).toContain(' at learning rate 0.7, past 30');
    // With momentum held as float32: its steady step divides by 1 − μ, μ echoed as held ('0.9', not 0.8999999761581421).
    const withMomentum = diagnose(vanishingTrace(Math.fround(0.7), Math.fround(0.9))).remedies.map((r) => r.why).join('\n');
    expect(withMomentum).toContain("(the learning rate × its rate ÷ (1 − 0.9), momentum's steady step) at learning rate 0.7 with momentum 0.9, past 30");
  });
});

describe('givenFloat32Text', () => {
  it("is the shorter of the caller's form and float32Text, the caller's on a tie, each the float32 held", async () => {
    const { givenFloat32Text } = await import('../../src/number-text.js');
    const cases: [number, string][] = [[computed, '0.3'], [100, '100'], [40, '40'], [3000, '3000'], [0.001, '0.001'], [Math.fround(0.001), '0.001'], [1e-4, '0.0001'], [1e-7, '1e-7'], [1e9, '1e+9'], [1e20, '1e+20'], [0.1, '0.1'], [2e-38, '2e-38']];
    for (const [value, text] of cases) {
      expect(givenFloat32Text(value), String(value)).toBe(text);
      expect(Math.fround(Number(text))).toBe(Math.fround(value));
    }
  });
});
