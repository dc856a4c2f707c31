// The per-layer-rates remedy is offered only while learning rate × its largest rate stays within
// LAYER_STEP_SIZE_BOUND (measured: past it fixed rates saturated sigmoid layers); past it LARS stands
// alone and says why. Traces of the visualizer's `?depth=10&act=sigmoid` shape: [2, 10 × 16, 2].
import { describe, expect, it } from 'vitest';
import { diagnose, LAYER_STEP_SIZE_BOUND } from '../../src/flow/diagnose.js';
import { remedyLayerRates } from '../../src/flow/remedy.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const HIDDEN = 10;

/**
 * A vanishing trace of the visualizer's 10-layer sigmoid network whose hidden layers' ‖∂C/∂W‖ fall
 * geometrically from the last to the first, so that equalisingRates gives hidden layer 1 `largest`
 * (the last hidden layer 1, the output 1), over two records.
 */
function visualizerTrace(
  largest: number,
  run: TraceRun = { optimizer: 'sgd', learningRate: 0.1, batchSize: 32, init: 'standard' },
  hidden: 'sigmoid' | 'relu' | 'tanh' = 'sigmoid',
): Trace {
  const sizes = [2, ...Array<number>(HIDDEN).fill(16), 2];
  const trace = new Trace({ sizes, activations: [...Array<typeof hidden>(HIDDEN).fill(hidden), 'softmax'], loss: 'cross-entropy', every: 1, run });
  for (let record = 0; record < 2; record++) {
    const r = trace.beginRecord(record + 1, 1, 0.69);
    for (let l = 0; l <= HIDDEN; l++) {
      const shrink = l === HIDDEN ? 1 : largest ** -((HIDDEN - 1 - l) / (HIDDEN - 1));
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, NaN);
      trace.set('weightGradNorm', r, l, shrink);
      trace.set('deltaRms', r, l, shrink);
      trace.set('biasGradNorm', r, l, shrink);
      trace.set('weightNorm', r, l, 1);
      trace.set('updateRatio', r, l, 0.1 * shrink);
      trace.set('saturatedFraction', r, l, 0);
    }
  }
  return trace;
}

const ratesRemedy = (trace: Trace) => diagnose(trace).remedies.find((r) => r.settings.some((s) => remedyLayerRates(s)));
const lars = (trace: Trace) => diagnose(trace).remedies.find((r) => r.option.startsWith("optimizer: 'lars'"))!;

describe('the per-layer-rates remedy keeps within LAYER_STEP_SIZE_BOUND', () => {
  it('is a step size of 30 (learning rate × rate), the largest of the measured grid at which no sigmoid layer saturated', () => {
    expect(LAYER_STEP_SIZE_BOUND).toBe(30);
  });

  it("offers no rates where the visualizer's 10-layer sigmoid would get 3.58e8 at learning rate 0.1 (a step size of 3.58e7), and LARS says why", () => {
    const trace = visualizerTrace(3.58e8);
    const d = diagnose(trace);
    expect(d.verdict).toBe('vanishing');
    expect(ratesRemedy(trace)).toBeUndefined();
    expect(d.evidence.layerRates).toBeUndefined();
    expect(d.remedies.map((r) => r.option).join('\n')).not.toContain('layerRates');
    expect(lars(trace).why).toMatch(quotePattern(codeQuoteOn('docs/gradient-flow.md', 'hidden layer 1 a step size of')));
    expect(lars(trace).why).toContain(
      "No per-layer rates are offered: equalising the layers' steps would give hidden layer 1 a step size of 3.58e+7 (the learning rate × its rate) at learning rate 0.1, past 30, " +
        'beyond which fixed rates saturated the sigmoid layers of networks of 5 and 10 hidden layers on the digits as the gradients they were set against grew back, ' +
        'and rates held within it left those networks at chance.',
    );
  });

  // Only sigmoid networks were measured: a relu or tanh run is told what was measured, not that its own kind saturated.
  it('says fixed rates saturated sigmoid layers and left them at chance only to a sigmoid run', () => {
    for (const hidden of ['relu', 'tanh'] as const) {
      const why = lars(visualizerTrace(3.58e8, undefined, hidden)).why;
      expect(why).toContain('past 30, beyond which fixed rates were measured to saturate sigmoid networks of 5 and 10 hidden layers on the digits as the gradients they were set against grew back (only sigmoid networks were measured).');
      expect(why).not.toContain('saturated the sigmoid layers');
      expect(why).not.toContain('at chance');
    }
  });

  it('offers rates up to the bound and none past it: at learning rate 0.1, a largest rate of 300 (step size 30) but not 310', () => {
    const within = ratesRemedy(visualizerTrace(300));
    expect(remedyLayerRates(within!.settings[0])?.[0]).toBe(300);
    expect(lars(visualizerTrace(300)).why).not.toContain('No per-layer rates');
    expect(ratesRemedy(visualizerTrace(310))).toBeUndefined();
    expect(lars(visualizerTrace(310)).why).toContain('a step size of 31.0 (the learning rate × its rate) at learning rate 0.1, past 30');
    // One number against the one bound: the rate the step size comes from (310) is not said beside it.
    expect(lars(visualizerTrace(310)).why).not.toContain('310');
  });

  it("bounds the step size at the rate the run ran at: 0.01 takes a largest rate of 3,000, and a trace with no rate SGD's default, 0.1", () => {
    const at = (learningRate: number | undefined, largest: number) =>
      ratesRemedy(visualizerTrace(largest, { optimizer: 'sgd', ...(learningRate === undefined ? {} : { learningRate }), init: 'standard' }));
    expect(remedyLayerRates(at(0.01, 3000)!.settings[0])?.[0]).toBe(3000);
    expect(at(0.01, 3100)).toBeUndefined();
    expect(remedyLayerRates(at(undefined, 300)!.settings[0])?.[0]).toBe(300);
    expect(at(undefined, 310)).toBeUndefined();
    expect(lars(visualizerTrace(310, { optimizer: 'sgd', init: 'standard' })).why).toContain("a step size of 31.0 (the learning rate × its rate) at SGD's default learning rate 0.1 (the trace records none), past 30");
  });

  // The offered spec keeps the run's momentum, whose steady step is 1/(1 − μ) of the gradient step: 10× at 0.9.
  it('bounds the steady step of a run with momentum: at 0.1 with momentum 0.9 a largest rate of 300 (steady step 300) is no longer offered, 20 is', () => {
    const withMomentum = (largest: number, nesterov = false) =>
      visualizerTrace(largest, { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, ...(nesterov && { nesterov: true }), init: 'standard' });
    expect(ratesRemedy(withMomentum(300))).toBeUndefined();
    expect(ratesRemedy(withMomentum(300, true))).toBeUndefined();
    expect(lars(withMomentum(300)).why).toContain("a step size of 300 (the learning rate × its rate ÷ (1 − 0.9), momentum's steady step) at learning rate 0.1 with momentum 0.9, past 30");
    expect(ratesRemedy(withMomentum(20))?.settings[0].setting).toEqual({ name: 'sgd', momentum: 0.9, layerRates: expect.arrayContaining([20]) });
  });
});
