/**
 * diagnose() beyond the labelled scenarios (scenarios.test.ts): thresholds that follow from
 * σ' ≤ 1/4, verdicts at their edges and the plateau's wording on hand-built traces, and a deep
 * sigmoid net whose every layer's evidence must agree with the verdict.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, EXPLODING_RATIO, LAYER_RATE_RECORDS, LAYER_STEP_SIZE_BOUND, SEVERE_RATIO, VANISHING_RATIO } from '../../src/flow/diagnose.js';
import { remedyLayerRates } from '../../src/flow/remedy.js';
import { LAYER_METRIC_NAMES, PRIME_MAX, type LayerMetric } from '../../src/flow/metrics.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';
import { Rng } from '../../src/init/rng.js';
import { createNetwork } from '../../src/api/network.js';
import type { NetworkOptions } from '../../src/network/config.js';
import { expectTraceInvariants } from '../util/trace-invariants.js';
import { expectError } from '../util/expect-error.js';
import { expectSummaryExplained } from '../util/summary-explained.js';
import { codeQuoteOn, quoteOn, quotePattern } from '../util/page-quotes.js';
import { RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';

const rng = new Rng(31);
const ROWS = 64;
const x = Array.from({ length: ROWS }, () => Array.from({ length: 16 }, () => rng.uniform()));
const y = x.map((row) => {
  const t = [0, 0, 0, 0];
  t[Math.min(3, Math.floor(row[0] * 2) + (row[1] > 0.5 ? 2 : 0))] = 1;
  return t;
});

async function traced(options: NetworkOptions, learningRate = 0.05) {
  const net = await createNetwork({ inputs: 16, output: 'softmax', loss: 'cross-entropy', seed: 4, backend: 'ref', ...options });
  net.train(x, y, { epochs: 5, batchSize: 16, learningRate, trace: { every: 2 } });
  const trace = net.trace!;
  net.dispose();
  expectTraceInvariants(trace, JSON.stringify(options.layers?.length));
  return trace;
}

/**
 * A hand-built trace of three tanh hidden layers: per record, the per-example ‖δ‖ and ‖∂C/∂b‖ of
 * each layer (first hidden first); everything else neutral (nothing saturated, even updates).
 */
function handTrace(records: { delta: number[]; bias: number[]; weightGrad?: number[]; update?: number[] }[], run: TraceRun = { optimizer: 'sgd', init: 'glorot-uniform' }, hidden: 'tanh' | 'sigmoid' = 'tanh'): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: [hidden, hidden, hidden, 'softmax'], loss: 'cross-entropy', every: 1, run });
  records.forEach(({ delta, bias, weightGrad, update }, i) => {
    const r = trace.beginRecord(i + 1, 1, 0.5);
    const neutral: Partial<Record<LayerMetric, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, saturatedFraction: 0, chainFactor: NaN, chainBound: NaN };
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, neutral[name] ?? NaN);
      trace.set('deltaRms', r, l, delta[l] ?? 1);
      trace.set('biasGradNorm', r, l, bias[l] ?? 1);
      trace.set('weightGradNorm', r, l, weightGrad?.[l] ?? 1);
      trace.set('updateRatio', r, l, update?.[l] ?? 1e-3);
    }
  });
  return trace;
}
const gap = (first: number, bias = first) => ({ delta: [first, 1, 1], bias: [bias, 1, 1] });
/** A vanishing gap whose first hidden layer's ‖∂C/∂W‖ is `weight` of the others', with plain gradient steps (‖ΔW‖/‖W‖ in proportion). */
const weightGap = (weight: number, first = 0.1) => ({ ...gap(first), weightGrad: [weight, 1, 1], update: [weight * 1e-3, 1e-3, 1e-3] });

describe('diagnose', () => {
  it('takes its thresholds from σ′ ≤ 1/4: one sigmoid layer\'s worth is vanishing, two is severe, the mirror image exploding', () => {
    expect(VANISHING_RATIO).toBe(PRIME_MAX.sigmoid);
    expect(EXPLODING_RATIO).toBe(4);
    expect(SEVERE_RATIO).toBe(1 / 16);
    const verdictOf = (ratio: number) => {
      const d = diagnose(handTrace([gap(ratio)]));
      return `${d.verdict}${d.severity ? ` ${d.severity}` : ''}`;
    };
    expect(verdictOf(0.26)).toBe('healthy');
    expect(verdictOf(0.24)).toBe('vanishing mild');
    expect(verdictOf(0.06)).toBe('vanishing severe');
    expect(verdictOf(3.9)).toBe('healthy');
    expect(verdictOf(4.1)).toBe('exploding mild');
    expect(verdictOf(17)).toBe('exploding severe');
  });

  it('credits even steps to L2 weight decay, not the optimiser, where the decay outweighs the first hidden layer\'s gradient', () => {
    // The first hidden layer's gradient is 1/100 of the last's (‖W‖ = 1 everywhere), its steps ‖ΔW‖/‖W‖ even.
    const records = [0, 1].map(() => ({ ...gap(0.01), weightGrad: [0.01, 1, 1] }));
    const optimiserRemedies = (d: ReturnType<typeof diagnose>) => d.remedies.filter((r) => r.option.startsWith('optimizer:')).length;
    const plain = diagnose(handTrace(records));
    expect([plain.evidence.compensated, plain.evidence.evenedByDecay, plain.evidence.decayToGradient]).toEqual([true, false, NaN]);
    expect(plain.summary).toMatch(/The optimiser \(sgd\) compensates/);
    expect(optimiserRemedies(plain)).toBe(0);
    // λ = 0.05: λ·‖W‖ = 0.05 against ‖∂C/∂W‖ = 0.01, 5×
    const decayed = diagnose(handTrace(records, { optimizer: 'sgd', weightDecay: 0.05 }));
    expect([decayed.evidence.compensated, decayed.evidence.evenedByDecay]).toEqual([false, true]);
    expect(decayed.evidence.decayToGradient).toBeCloseTo(5, 12);
    expect(decayed.summary).not.toMatch(/compensates/);
    expect(decayed.summary).toMatch(/about even, but by the weight decay, not the optimiser: L2 decay \(λ = 0\.0500\) .* its pull λ·‖W‖ is 5\.00× the gradient ‖∂C\/∂W‖ \(median\)/);
    expect(optimiserRemedies(decayed)).toBeGreaterThan(0);
    expectSummaryExplained(decayed, 'decay');
    // A decay weaker than the gradient (λ·‖W‖ = 0.005): the optimiser's doing after all.
    expect(diagnose(handTrace(records, { optimizer: 'sgd', weightDecay: 0.005 })).evidence.compensated).toBe(true);
    // AdamW's decay is decoupled (beside Adam's normalised step), not measured against the gradient.
    const adamw = diagnose(handTrace(records, { optimizer: 'adamw', weightDecay: 0.05 }));
    expect([adamw.evidence.compensated, adamw.evidence.decayToGradient]).toEqual([true, NaN]);
  });

  it("records the run's weight decay and clipping in the trace, and reads them back from JSON", async () => {
    const net = await createNetwork({ sizes: [16, 8, 8, 4], output: 'softmax', loss: 'cross-entropy', seed: 4, backend: 'ref' });
    net.train(x, y, { epochs: 1, batchSize: 16, optimizer: { name: 'sgd', weightDecay: 0.01 }, clipNorm: 1, trace: { every: 2 } });
    expect(net.trace!.run).toMatchObject({ optimizer: 'sgd', weightDecay: 0.01, clipNorm: 1 });
    expect(Trace.fromJSON(JSON.parse(JSON.stringify(net.trace!.toJSON()))).run).toMatchObject({ weightDecay: 0.01, clipNorm: 1 });
    net.train(x, y, { epochs: 1, batchSize: 16, trace: { every: 2 } });
    expect(Object.keys(net.trace!.run)).not.toContain('weightDecay');
    expect(Object.keys(net.trace!.run)).not.toContain('clipNorm');
    net.dispose();
  });

  it('suggests clipNorm only to a run that does not clip at 1 or tighter already', () => {
    const clipRemedy = (run: TraceRun) => diagnose(handTrace([gap(17)], run)).remedies.find((r) => r.option.startsWith('clipNorm'));
    expect(clipRemedy({ optimizer: 'sgd' })?.option).toBe('clipNorm: 1');
    expect(clipRemedy({ optimizer: 'sgd', clipNorm: 1 })).toBeUndefined();
    expect(clipRemedy({ optimizer: 'sgd', clipNorm: 0.5 })).toBeUndefined();
    const looser = clipRemedy({ optimizer: 'sgd', clipNorm: 10 });
    expect(looser?.option).toBe('clipNorm: 1');
    expect(looser?.why).toMatch(/tighter cap than the run's clipping at norm 10\.0/);
  });

  it("sets per-layer rates from the median over the last records of each record's equalising rates, not from one noisy batch", () => {
    const layerRates = (trace: Trace) => diagnose(trace).remedies.find((r) => r.option.includes('layerRates'))!;
    // 30 records: the first 15 with the first hidden layer's ‖∂C/∂W‖ at 1/100 of the last hidden
    // layer's, the rest at 1/10 but the last, one batch at 1/2. The last record alone would say 2,
    // the median over all records 55, over the last 20 records 10.
    expect(LAYER_RATE_RECORDS).toBe(20);
    const records = Array.from({ length: 30 }, (_, r) => weightGap(r < 15 ? 0.01 : r < 29 ? 0.1 : 0.5));
    const trace = handTrace(records);
    const remedy = layerRates(trace);
    expect(remedy.option).toBe("optimizer: { name: 'sgd', layerRates: [10, 1, 1, 1] }");
    expect(diagnose(trace).evidence.layerRates).toEqual([10, 1, 1, 1]);
    expect(remedy.why).toContain("the last hidden layer's ‖∂C/∂W‖ over its own over the last 20 records (the median over steps 11–30, so no one batch sets it)");
    // A trace of one record has only that record to read.
    const single = layerRates(handTrace([weightGap(0.25)]));
    expect(single.option).toBe("optimizer: { name: 'sgd', layerRates: [4, 1, 1, 1] }");
    expect(single.why).toContain('its own at the last record (step 1)');
  });

  it("offers per-layer rates with the run's own SGD settings kept, and only where they apply", () => {
    const layerRates = (run: TraceRun, records: Parameters<typeof handTrace>[0] = [weightGap(0.1), weightGap(0.1)]) => diagnose(handTrace(records, run)).remedies.find((r) => r.option.includes('layerRates'));
    expect(layerRates({ optimizer: 'sgd' })?.option).toBe("optimizer: { name: 'sgd', layerRates: [10, 1, 1, 1] }");
    // Momentum, Nesterov and weight decay as the run had them (was a plain { name: 'sgd' }).
    expect(layerRates({ optimizer: 'sgd', momentum: 0.9 })?.option).toBe("optimizer: { name: 'sgd', momentum: 0.9, layerRates: [10, 1, 1, 1] }");
    expect(layerRates({ optimizer: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.0001, decayBiases: false })?.option).toBe(
      "optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.0001, decayBiases: false, layerRates: [10, 1, 1, 1] }",
    );
    expect(layerRates({ optimizer: 'sgd', momentum: 0.9 })?.why).toContain("(the run's sgd settings kept)");
    // Adam, AdamW, RMSProp and Adagrad divide each weight's step by its own gradient's scale, LARS
    // each layer's by its trust ratio: rates set from the raw gradient's gaps would overshoot. K-FAC,
    // Hessian-free, L-BFGS and Levenberg–Marquardt scale by curvature and take no layerRates.
    for (const optimizer of ['adam', 'adamw', 'rmsprop', 'adagrad', 'lars', 'kfac', 'hessian-free', 'lbfgs', 'levenberg-marquardt']) {
      const d = diagnose(handTrace([weightGap(0.1), weightGap(0.1)], { optimizer }));
      expect([d.verdict, d.evidence.compensated], optimizer).toEqual(['vanishing', false]);
      expect(layerRates({ optimizer }), optimizer).toBeUndefined();
      expect(d.evidence.layerRates, optimizer).toBeUndefined();
    }
    // Each example's δ vanishes (1/10), the weight gradient does not (0.9): every rate below 1.5, none offered.
    const even = diagnose(handTrace([weightGap(0.9), weightGap(0.9)]));
    expect(even.verdict).toBe('vanishing');
    expect(layerRates({ optimizer: 'sgd' }, [weightGap(0.9), weightGap(0.9)])).toBeUndefined();
    expect(even.remedies.map((r) => r.option)).toContain("optimizer: 'kfac', learningRate: 1 (or optimizer: 'hessian-free', batchSize: 1000)");
    // 1/0.6 is 1.67: offered, to 3 significant digits.
    const rounded = layerRates({ optimizer: 'sgd' }, [weightGap(0.6)]);
    expect(rounded?.option).toBe("optimizer: { name: 'sgd', layerRates: [1.67, 1, 1, 1] }");
    // The setting holds the printed numbers (not 1/0.6 as computed, which evidence.layerRates holds).
    expect(remedyLayerRates(rounded!.settings[0])).toEqual([1.67, 1, 1, 1]);
    expect(diagnose(handTrace([weightGap(0.6)])).evidence.layerRates![0]).toBeCloseTo(1 / 0.6, 12);
    // The last hidden layer's ‖∂C/∂W‖ 0 (every rate x/0): no rate measured, none offered (NaN was offered once).
    const unmeasured = { ...gap(0.1), weightGrad: [0.1, 1, 0] };
    expect(diagnose(handTrace([unmeasured, unmeasured])).verdict).toBe('vanishing');
    expect(layerRates({ optimizer: 'sgd' }, [unmeasured, unmeasured])).toBeUndefined();
  });

  it('says nothing about how the gap moved during training from one record', async () => {
    expect(diagnose(handTrace([gap(0.01), gap(0.01)])).summary).toMatch(/The per-example gap stayed the same as its start \(vanishing\) during training: 1\/100 at the last record \(vanishing\)\./);
    expect(diagnose(handTrace([gap(0.01)])).summary).not.toMatch(/during training/);
    // Read at the first step, the gap sentence gave the start: the trend gives its side and the end alone (lows51), as the docs quote it.
    const narrowed = diagnose(handTrace([gap(1 / 163), gap(1 / 128)]));
    expect(narrowed.evidence.gap.readAt).toBe('first record');
    expect(narrowed.summary).toContain(quoteOn('docs/gradient-flow.md', 'The per-example gap stayed within 2.00× of its start (vanishing'));
    expect(narrowed.summary.split('1/163')).toHaveLength(2);
    // One traced batch of a deep sigmoid network: one record, a vanishing gap, no trend.
    const net = await createNetwork({ inputs: 16, layers: [...Array(9).fill({ units: 24 }), { units: 4 }], activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', seed: 4, backend: 'ref' });
    net.train(x.slice(0, 16), y.slice(0, 16), { epochs: 1, batchSize: 16, learningRate: 0.05, trace: { every: 1 } });
    const trace = net.trace!;
    net.dispose();
    const d = diagnose(trace);
    expect([trace.length, d.verdict]).toEqual([1, 'vanishing']);
    expect(d.summary).not.toMatch(/during training/);
  });

  it('decides on the per-example ‖δ‖, not on the batch gradient, which cancellation between examples can lower', () => {
    // The batch gradient of the first layer is 1/100 of the last's, each example's δ is not.
    const d = diagnose(handTrace([gap(0.8, 0.01), gap(0.8, 0.01)]));
    expect(d.verdict).toBe('healthy');
    expect(d.evidence.deltaFirstToLast.median).toBeCloseTo(0.8, 12);
    expect(d.evidence.firstToLast.median).toBeCloseTo(0.01, 12);
  });

  it('names a plateau reached by cancellation: the batch gradient falls, each example\'s δ does not', () => {
    const start = { delta: [0.01, 1, 1], bias: [0.01, 1, 1] };
    const plateau = { delta: [0.005, 0.5, 0.5], bias: [1e-6, 1e-4, 1e-3] };
    const d = diagnose(handTrace([start, plateau]));
    expect(d.verdict).toBe('vanishing');
    expect(d.evidence.lastHiddenChange).toBeCloseTo(1e-3, 12);
    expect(d.evidence.lastHiddenDeltaChange).toBeCloseTo(0.5, 12);
    expect(d.summary).toMatch(/‖∂C\/∂b‖ fell 1\.00e\+3×, while each example's δ there fell only 2\.00×: the examples' gradients cancel in the batch\.$/);
    // Two records say nothing of where the run stands (converged, plateau or learning): no word of it.
    expect(d.evidence.training).toBeUndefined();
    // ('Nielsen's speed of learning' names a measure, not where the run stands.)
    expect(d.summary.replace("Nielsen's speed of learning", '')).not.toMatch(/plateau|converged|learning/i);
  });

  it("offers relu with He's init unless the run's init already suits relu (He's weights, or LSUV's rescaling)", () => {
    const relu = (run: TraceRun) => {
      const d = diagnose(handTrace([gap(0.01), gap(0.01)], run, 'sigmoid'));
      expect(d.verdict).toBe('vanishing');
      return d.remedies.find((r) => r.option.startsWith('activation:'))!;
    };
    expect(relu({ optimizer: 'sgd', init: 'glorot-uniform' }).option).toBe(codeQuoteOn('docs/gradient-flow.md', "activation: 'relu', init: 'he-normal' (or"));
    expect(relu({ optimizer: 'sgd', init: { name: 'normal', std: 0.1 } }).why).toMatch(/the run's 'normal' \(N\(0, 0\.1²\)\) does not\.$/);
    // The run's init is named with how it draws, as He's is (study (a)'s Nielsen networks: N(0, 1/n_in), 'lecun-normal').
    expect(relu({ optimizer: 'sgd', init: 'lecun-normal' }).why).toMatch(/\('he-normal', variance 2\/n_in\) .*; the run's 'lecun-normal' \(N\(0, 1\/n_in\)\) does not\.$/);
    // A network loaded from a checkpoint does not know its init: He's is named, without the run's.
    expect(relu({ optimizer: 'sgd' }).option).toBe("activation: 'relu', init: 'he-normal' (or activation: 'tanh')");
    expect(relu({ optimizer: 'sgd' }).why).toMatch(/\(He et al\. 2015\)\.$/);
    // Either of He's equations is He's (sameInitRule): a run on 'he-normal-fan-out' was offered 'he-normal'.
    for (const run of [{ optimizer: 'sgd', init: 'he-normal' }, { optimizer: 'sgd', init: 'he-normal-fan-out' }, { optimizer: 'sgd', init: 'orthogonal', lsuv: true }] as TraceRun[]) {
      const remedy = relu(run);
      expect(remedy.option, JSON.stringify(run)).toBe("activation: 'relu' (or activation: 'tanh')");
      expect(remedy.why, JSON.stringify(run)).not.toMatch(/He et al/);
    }
  });

  it("offers no initialiser a run draws by the same rule already: Glorot's normal beside his uniform, He's Eqn. 14 beside his Eqn. 10", () => {
    const initOptions = (run: TraceRun, hidden: 'tanh' | 'relu') => {
      const d = diagnose(handTrace([gap(0.01), gap(0.01)], run, hidden as 'tanh'));
      expect(d.verdict).toBe('vanishing');
      return d.remedies.map((r) => r.option).filter((o) => o.startsWith('init:'));
    };
    expect(initOptions({ optimizer: 'sgd', init: 'standard' }, 'tanh')).toEqual(["init: 'glorot-uniform'"]);
    expect(initOptions({ optimizer: 'sgd', init: 'glorot-normal' }, 'tanh')).toEqual([]);
    expect(initOptions({ optimizer: 'sgd', init: 'standard' }, 'relu')).toEqual(["init: 'he-normal'"]);
    expect(initOptions({ optimizer: 'sgd', init: 'he-normal-fan-out' }, 'relu')).toEqual([]);
  });

  it("states the sigmoid's factor as the bound ‖W‖₂/4 with its condition, never 'at least 4×' beside a measured factor above 1/4", () => {
    // A gap of 0.24 over 2 links: 0.49 per layer, as [30,6×30,10] sigmoid nets with N(0, 0.4²–1²) weights measured (0.43–0.63).
    const trace = handTrace([gap(0.24), gap(0.24)], { optimizer: 'sgd', init: 'glorot-uniform' }, 'sigmoid');
    for (const r of [0, 1]) for (const l of [0, 1]) trace.set('chainFactor', r, l, Math.sqrt(0.24));
    const d = diagnose(trace);
    expect(d.verdict).toBe('vanishing');
    const why = d.remedies.find((r) => r.option.startsWith('activation:'))!.why;
    expect(why).not.toMatch(/every sigmoid layer shrinks each example's gradient at least 4×/);
    expect(why).toContain("multiplies each example's gradient by at most ‖W‖₂/4");
    expect(why).toContain('a shrink of at least 4× where ‖W‖₂ ≤ 1; the measured factor here is 0.490 per layer');
  });

  it('prints no ratio of a gradient that was 0 (0/0, x/0): a relu network with biases −3, every unit dead, is said to have had no gradient from the start', async () => {
    const trace = await traced({ layers: [{ units: 8 }, { units: 8 }, { units: 8 }, { units: 4 }], activation: 'relu', init: 'he-normal', biasInit: { name: 'constant', value: -3 } });
    const d = diagnose(trace);
    expect(d.verdict, d.summary).toBe('dead');
    expect(Number.isNaN(d.evidence.lastHiddenChange)).toBe(true);
    expect(d.summary).not.toMatch(/NaN|Infinity/);
    for (const r of d.remedies) expect(r.why).not.toMatch(/NaN|Infinity/);
    // The bias remedy's reason is read from the run: its biases all started at −3; a trace that does not record them (a loaded network) asserts nothing.
    const biasWhy = (t: Trace) => diagnose(t).remedies.find((r) => r.option.startsWith('biasInit'))!.why;
    expect(biasWhy(trace)).toMatch(/^the run's biases all start at -3, and negative biases hold z ≤ 0 for every input/);
    const unrecorded = JSON.parse(JSON.stringify(trace));
    delete unrecorded.run.biasInit;
    expect(biasWhy(Trace.fromJSON(unrecorded))).toMatch(/^if the network's biases started negative \(this trace does not record how they were drawn/);
    // Hand-built plateau (a constant loss) whose last hidden layer's ‖∂C/∂b‖ was 0 at the start (its first 2 of 10 records, the
    // window of 10 records' medians over training time): 0/0, then x/0; with 4 records, one record at each end, at the first record.
    const plateau = (lastBias: number, records = 10) => {
      const start = records >= 10 ? 2 : 1;
      const t = handTrace(Array.from({ length: records }, (_, r) => (r < start ? { delta: [1, 1, 0], bias: [1, 1, 0] } : { delta: [1, 1, lastBias], bias: [1, 1, lastBias] })));
      const summary = diagnose(t).summary;
      expect(summary).toMatch(/A plateau/);
      expect(summary).not.toMatch(/NaN|Infinity/);
      return summary;
    };
    expect(plateau(0)).toContain("the gradients could not fade over training time: the last hidden layer's ‖∂C/∂b‖ was 0 at the start (its median over the first 2 records; its units passed no gradient back");
    expect(plateau(0.5)).toContain("the last hidden layer's ‖∂C/∂b‖ was 0 at the start (its median over the first 2 records; its units passed no gradient back: dead, or cut off by the layers above), and is not now");
    expect(plateau(0, 4)).toContain("the gradients could not fade over training time: the last hidden layer's ‖∂C/∂b‖ was 0 at the first record (its units passed no gradient back");
    expect(plateau(0.5, 4)).toContain("the last hidden layer's ‖∂C/∂b‖ was 0 at the first record (its units passed no gradient back: dead, or cut off by the layers above), and is not now");
  });

  it('finds vanishing gradients in a 10-layer sigmoid network, every layer slower than the next within its bound', async () => {
    const trace = await traced({ layers: [...Array(9).fill({ units: 24 }), { units: 4 }], activation: 'sigmoid', init: 'standard' });
    const d = diagnose(trace);
    expect(d.verdict).toBe('vanishing');
    expect(d.severity).toBe('severe');
    const e = d.evidence;
    expect(e.hiddenLayers).toBe(9);
    expect(e.deltaFirstToLast.median).toBeLessThan(SEVERE_RATIO);
    for (let l = 0; l < 8; l++) {
      expect(e.layers[l].deltaRms, `layer ${l} smaller than ${l + 1}`).toBeLessThan(e.layers[l + 1].deltaRms);
      expect(e.layers[l].chainFactor, `factor ${l}`).toBeLessThan(1);
      expect(e.layers[l].chainFactor, `factor ${l} ≤ bound`).toBeLessThanOrEqual(e.layers[l].chainBound * (1 + 1e-9));
    }
    expect(e.meanChainFactor).toBeLessThan(0.5);
    // The stated factor is read at the record(s) of the stated gap: expectSummaryExplained, and the hand-built test below.
    expect(d.summary).toMatch(/^Vanishing gradients \(severe\): one example's gradient δ at the first hidden layer is 1\/\S+ of the last/);
    expectSummaryExplained(d, '10-layer sigmoid');
    const options = d.remedies.map((r) => r.option);
    // The σ' ceiling is the cause: the activation first, and no initialisation alone, which cannot lift it;
    // relu comes with the He init it needs, the run's 'standard' keeping neither z's variance nor the units alive.
    // and plain SGD's 0.05 is above the rate its relu networks held at over train's 10 epochs (RELU_REMEDY_RATES).
    expect(options[0]).toBe(`activation: 'relu', init: 'he-normal', learningRate: ${RELU_REMEDY_RATES.command.rates.sgd} (or activation: 'tanh')`);
    expect(d.remedies[0].why).toMatch(/He's initialisation \('he-normal', variance 2\/n_in\) keeps z's variance the same from layer to layer \(He et al\. 2015\); the run's 'standard' \(U\[±1\/√n_in\]\) does not\. The run's learning rate, 0\.05, is above /);
    expect(options.filter((o) => o.startsWith('init:'))).toEqual([]);
    // Rates that equalise the steps would give hidden layer 1 a step size past LAYER_STEP_SIZE_BOUND (where fixed rates saturated
    // sigmoid layers): none are offered, and LARS, offered first, says why with the rate and step size it would take.
    expect(options.join('\n')).not.toContain('layerRates');
    expect(e.layerRates).toBeUndefined();
    const lars = d.remedies.find((r) => r.option.startsWith("optimizer: 'lars'"))!;
    const [, stepSize] = /No per-layer rates are offered: equalising the layers' steps would give hidden layer 1 a step size of (\S+) \(the learning rate × its rate\) at learning rate 0\.05, past 30, /.exec(lars.why)!;
    expect(Number(stepSize)).toBeGreaterThan(LAYER_STEP_SIZE_BOUND);
  });

  it('reads a trace back from JSON to the same diagnosis', async () => {
    const trace = await traced({ layers: [{ units: 12 }, { units: 12 }, { units: 12 }, { units: 4 }], activation: 'relu', init: 'he-normal' });
    const back = Trace.fromJSON(JSON.parse(JSON.stringify(trace)));
    expect(diagnose(back)).toEqual(diagnose(trace));
  });

  it('calls one hidden layer healthy: there is no chain of hidden layers to vanish along', async () => {
    const net = await createNetwork({ sizes: [16, 8, 4], output: 'softmax', backend: 'ref' });
    net.train(x, y, { epochs: 1, batchSize: 64, trace: { every: 5 } });
    expect(net.trace!.length).toBe(1);
    expectTraceInvariants(net.trace!, 'one hidden layer');
    const d = diagnose(net.trace!);
    expect(d.verdict).toBe('healthy');
    expect(d.summary).toMatch(/1 hidden layer there is no chain/);
  });

  it('states the gap and the factor per layer of the same record: the first, when it decides', () => {
    // Record 1: δ 1/64 of the last over 2 links (1/8 per layer); record 2: even. The first record decides (further from 1), the median is 0.5.
    const trace = handTrace([gap(1 / 64), gap(1)]);
    for (const [r, factors] of [[0, [1 / 8, 1 / 8]], [1, [1, 1]]] as const) factors.forEach((f, l) => trace.set('chainFactor', r, l, f));
    trace.set('deltaRms', 0, 1, 1 / 8);
    const d = diagnose(trace);
    expect(d.evidence.meanChainFactor).toBeCloseTo(1 / 8, 12);
    // The factor is the gap's root, so its record is the gap's, named once; the chain rule is named once, with the factor (lows51).
    expect(d.summary).toContain(
      "is 1/64.0 of the last hidden layer's (RMS over the batch, at the first step): a factor of 0.125 per layer back through 2 layers " +
        "(σ'(z)·W, by the chain rule; the geometric mean of the measured factors, whose product is the gap).",
    );
    expectSummaryExplained(d, 'hand-built');
  });

  it('names saturated layers when another verdict wins: sigmoid with N(0, 30²) weights explodes and saturates', async () => {
    // The new-user pass's network: four rows, three epochs, every step traced.
    const rows = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], [0.9, 0.1, 0.5, 0.2], [0.3, 0.3, 0.3, 0.3]];
    const net = await createNetwork({ sizes: [4, 8, 8, 8, 3], seed: 1, activation: 'sigmoid', init: { name: 'normal', std: 30 }, backend: 'ref' });
    net.train(rows, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]], { epochs: 3, trace: { every: 1 } });
    const d = diagnose(net.trace!);
    net.dispose();
    expect(d.verdict, d.summary).toBe('exploding');
    expect(d.evidence.saturatedLayers.length, d.summary).toBeGreaterThan(0);
    expect(d.summary).toMatch(/Also saturated units: \d+ % of the activations in hidden layer \d+(, \d+ % in hidden layer \d+)*( and \d+ % in hidden layer \d+)? are within 0\.01 of their limits/);
    expect(d.summary).toMatch(quotePattern(quoteOn('docs/gradient-flow.md', 'Also saturated units: ')));
    // The init remedy of an exploding gap whose factor per layer is above 1, in docs/gradient-flow.md's words.
    expect(d.remedies.map((r) => r.why).join(' ')).toContain(quoteOn('docs/gradient-flow.md', 'the weights are too large'));
    expectSummaryExplained(d, 'sigmoid N(0, 30²)');
  });

  it('refuses what is not a Trace with a typed error saying how to get one', async () => {
    const trained = /train with net\.train\(x, y, \{ trace: \{ every: 10 \} \}\), then call diagnose\(net\.trace\)/;
    await expectError(() => diagnose(undefined as unknown as Trace), 'INVALID_OPTION', /diagnose\(trace\): trace is undefined; net\.trace is set by a traced run/);
    await expectError(() => diagnose(undefined as unknown as Trace), 'INVALID_OPTION', trained);
    await expectError(() => diagnose(null as unknown as Trace), 'INVALID_OPTION', /trace is null/);
    await expectError(() => diagnose({} as Trace), 'INVALID_OPTION', /expected a Trace, got an object that is not one/);
    // the value as every other message shows it (shown(): JSON-like, capped)
    await expectError(() => diagnose('trace' as unknown as Trace), 'INVALID_OPTION', /expected a Trace, got "trace"; /);
    await expectError(() => diagnose([1, 2] as unknown as Trace), 'INVALID_OPTION', /expected a Trace, got \[1,2\]; /);
    const saved = JSON.parse(JSON.stringify(handTrace([gap(0.5)])));
    await expectError(() => diagnose(saved), 'INVALID_OPTION', /a saved trace .* read it back with Trace\.fromJSON\(json\) first/);
    await expectError(() => diagnose(handTrace([gap(0.5)]), null as never), 'INVALID_OPTION', /^diagnose\(trace, options\): expected an options object, got null$/);
    await expectError(() => diagnose(handTrace([gap(0.5)]), 'x'.repeat(500) as never), 'INVALID_OPTION', /^diagnose\(trace, options\): expected an options object, got "x{78}…$/);
  });

  it('says so when the trace is empty', () => {
    expect(diagnose(handTrace([])).summary).toMatch(/^The trace is empty/);
  });
});
