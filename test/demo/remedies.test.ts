// The diagnosis's remedies as the visualizer's buttons: each remedy's settings (diagnose()'s
// structured form) map to the page's controls (its first choice; all its settings together), and
// those the page has no control for, or cannot run with the other settings, map to no button and
// say which. A test near the end reads the remedies of real diagnoses; the last, the words the page sets above its buttons.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { earlyStopEpochs, LARGER_LEARNING_RATE, noButtonReason, offeredLayerRates, pageDiagnosis, remedySetting, SMALLER_LEARNING_RATE, TRAIN_ON } from '../../demo/src/remedies.js';
import { RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';
import { DEFAULTS, LAYER_RATES } from '../../demo/src/settings.js';
import type { RemedyLayersChange, RemedyOptimizerSpec, RemedyOption, RemedySetting } from '../../src/flow/remedy.js';
import { diagnose } from '../../src/flow/diagnose.js';
import { Trace } from '../../src/flow/trace.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
/** The 2-D data sets' widths: two inputs, two classes. */
const PLANAR = { inputs: 2, classes: 2 };

/** `value` as diagnose() gives it as data (RemedySetting.setting): the expression it prints, and none where it is words. */
function asData(value: string): Pick<RemedySetting, 'setting'> {
  try {
    return { setting: new Function(`return (${value});`)() };
  } catch {
    return {};
  }
}
/** A remedy of these settings ([option, value, flagValue?]), each with its value as data where it has one. */
const remedy = (...settings: [RemedyOption, string, string?][]) => ({
  settings: settings.map(([option, value, flagValue]): RemedySetting => ({ option, value, ...(flagValue && { flagValue }), ...asData(value) })),
});
/** A `layers` remedy as diagnose() gives it: its text, and the change to the hidden layers as data. */
const layersRemedy = (value: string, setting: RemedyLayersChange) => ({ settings: [{ option: 'layers' as const, value, setting }] });
/** A per-layer-rates remedy as diagnose() gives it: the text `value`, and the spec as data with `layerRates` (the numbers the text prints, or others to tell which is read). */
const ratesRemedy = (value: string, layerRates: number[]) => ({ settings: [{ option: 'optimizer' as const, value, setting: { ...(asData(value).setting as RemedyOptimizerSpec), layerRates } }] });

describe('visualizer remedy buttons', () => {
  it('reads each setting the page can apply', () => {
    expect(remedySetting(remedy(['activation', "'tanh'", 'tanh']), DEFAULTS, PLANAR)).toEqual({ activation: 'tanh' });
    expect(remedySetting(remedy(['init', "'glorot-uniform'", 'glorot-uniform']), DEFAULTS, PLANAR)).toEqual({ init: 'glorot-uniform' });
    expect(remedySetting(remedy(['optimizer', "'adam'", 'adam']), DEFAULTS, PLANAR)).toEqual({ optimizer: 'adam' });
    expect(remedySetting(ratesRemedy("{ name: 'sgd', layerRates: [193, 31, 6, 1, 1] }", [193, 31, 6, 1, 1]), DEFAULTS, PLANAR)).toEqual({ optimizer: LAYER_RATES });
    expect(remedySetting(remedy(['learningRate', 'below 0.3', '0.1']), { ...DEFAULTS, learningRate: 0.3 }, PLANAR)).toEqual({ learningRate: +(0.3 * SMALLER_LEARNING_RATE).toPrecision(3) });
    expect(remedySetting(remedy(['learningRate', '0.1', '0.1']), { ...DEFAULTS, learningRate: 0.5 }, PLANAR)).toEqual({ learningRate: 0.1 });
    // Words without a flag value: moved the way the remedy's direction says (d4630a81), not always smaller; no direction, no button.
    const inWords = (value: string, direction?: 'smaller' | 'larger') => ({ settings: [{ option: 'learningRate' as const, value, ...(direction && { direction }) }] });
    expect(remedySetting(inWords('a smaller value', 'smaller'), { ...DEFAULTS, learningRate: 0.3 }, PLANAR)).toEqual({ learningRate: +(0.3 * SMALLER_LEARNING_RATE).toPrecision(3) });
    expect(remedySetting(inWords('a larger value', 'larger'), { ...DEFAULTS, learningRate: 0.3 }, PLANAR)).toEqual({ learningRate: +(0.3 * LARGER_LEARNING_RATE).toPrecision(3) });
    expect(remedySetting(inWords('another value'), { ...DEFAULTS, learningRate: 0.3 }, PLANAR)).toBeNull();
    // A switch to Hessian-free leaves the rate out: the page keeps its own (unused beside it), not a third of it.
    expect(remedySetting(remedy(['optimizer', "'hessian-free'", 'hessian-free'], ['learningRate', 'undefined']), { ...DEFAULTS, learningRate: 0.3 }, PLANAR)).toEqual({ optimizer: 'hessian-free' });
    // Its batch, and the epochs that keep the run's steps: the page trains until paused, so the epochs change nothing here, and
    // the button stays (an unknown option would have taken it away).
    const carried = remedy(['optimizer', "'hessian-free'", 'hessian-free'], ['batchSize', '1000', '1000'], ['epochs', '180', '180'], ['learningRate', 'undefined']);
    expect(remedySetting(carried, DEFAULTS, PLANAR)).toEqual({ optimizer: 'hessian-free', batchSize: 1000 });
  });

  it('applies each value from its data (RemedySetting.setting), not from its text; words by their flag value', () => {
    // A setting whose text and data differ: the page goes by the data (it parsed the text with regexes before).
    const data = (option: RemedyOption, value: string, setting: RemedySetting['setting'], flagValue?: string) => ({ settings: [{ option, value, setting, ...(flagValue && { flagValue }) }] });
    expect(remedySetting(data('activation', "'tanh'", 'relu'), DEFAULTS, PLANAR)).toEqual({ activation: 'relu' });
    expect(remedySetting(data('optimizer', "'adam'", 'rmsprop'), DEFAULTS, PLANAR)).toEqual({ optimizer: 'rmsprop' });
    expect(remedySetting(data('learningRate', '0.5', 0.02), DEFAULTS, PLANAR)).toEqual({ learningRate: 0.02 });
    // '16 or more' has no data: its flag value names the least.
    expect(remedySetting(remedy(['batchSize', '16 or more', '16']), { ...DEFAULTS, batchSize: 4 }, PLANAR)).toEqual({ batchSize: 16 });
  });

  it("runs the per-layer rates a remedy holds as numbers (its spec's layerRates), so Apply runs those and no others", () => {
    const rates = ratesRemedy("{ name: 'sgd', weightDecay: 0.01, layerRates: [35400, 2090, 266, 1.5, 1] }", [35400, 2090, 266, 1.5, 1]);
    expect(offeredLayerRates(rates)).toEqual([35400, 2090, 266, 1.5, 1]);
    expect(remedySetting(rates, DEFAULTS, PLANAR)).toEqual({ optimizer: LAYER_RATES });
    expect(offeredLayerRates(remedy(['optimizer', "'adam'", 'adam']))).toBeNull();
    // The numbers, not the text: rates only printed are not read back out of it (no button rather than a guess).
    expect(offeredLayerRates(ratesRemedy("{ name: 'sgd', layerRates: [9, 9] }", [2, 1]))).toEqual([2, 1]);
    const textOnly = { settings: [{ option: 'optimizer' as const, value: "{ name: 'sgd', layerRates: [35400, 1] }" }] };
    expect(offeredLayerRates(textOnly)).toBeNull();
    expect(remedySetting(textOnly, DEFAULTS, PLANAR)).toBeNull();
    // Rates that are not positive numbers: no rates, and no button rather than rates measured anew.
    const unusable = ratesRemedy("{ name: 'sgd', layerRates: [0, 1] }", [0, 1]);
    expect(offeredLayerRates(unusable)).toBeNull();
    expect(remedySetting(unusable, DEFAULTS, PLANAR)).toBeNull();
  });

  it("applies a real diagnosis's per-layer rates as its text prints them", () => {
    // A vanishing SGD run whose first hidden layer's ‖∂C/∂W‖ is 1/300 of the others': rates are offered.
    const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['tanh', 'tanh', 'tanh', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.1 } });
    for (let i = 0; i < 2; i++) {
      const r = trace.beginRecord(i + 1, 1, 0.5);
      for (let l = 0; l < 4; l++) for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, NaN);
      for (let l = 0; l < 4; l++) {
        trace.set('weightNorm', r, l, 1);
        trace.set('saturatedFraction', r, l, 0);
        for (const name of ['deltaRms', 'biasGradNorm', 'weightGradNorm'] as const) trace.set(name, r, l, l === 0 ? 1 / 300 : 1);
        trace.set('updateRatio', r, l, l === 0 ? 1e-3 / 300 : 1e-3);
      }
    }
    const offer = diagnose(trace).remedies.find((r) => r.option.includes('layerRates'))!;
    const printed = /layerRates: \[([^\]]*)\]/.exec(offer.option)![1].split(', ').map(Number);
    expect(printed).toEqual([300, 1, 1, 1]);
    expect(offeredLayerRates(offer)).toEqual(printed);
    expect(remedySetting(offer, DEFAULTS, PLANAR)).toEqual({ optimizer: LAYER_RATES });
  });

  it('applies every setting a remedy names together, or none of them', () => {
    expect(remedySetting(remedy(['activation', "'selu'"], ['init', "'lecun-normal'"]), DEFAULTS, PLANAR)).toEqual({ activation: 'selu', init: 'lecun-normal' });
    // relu with the He init and the rate a run of another init and a larger rate needs: all three.
    expect(remedySetting(remedy(['activation', "'relu'"], ['init', "'he-normal'"], ['learningRate', '0.1']), { ...DEFAULTS, learningRate: 0.5 }, PLANAR)).toEqual({ activation: 'relu', init: 'he-normal', learningRate: 0.1 });
    const reluLayers = { option: 'layers' as const, value: "activation: 'relu' in each hidden dense or activation layer", setting: { activation: 'relu' as const } };
    expect(remedySetting({ settings: [reluLayers, ...remedy(['init', "'he-normal'"]).settings] }, DEFAULTS, PLANAR)).toEqual({ activation: 'relu', init: 'he-normal' });
    expect(remedySetting(remedy(['init', "'lsuv'"], ['lsuv', 'true']), DEFAULTS, PLANAR)).toEqual({ init: 'lsuv' });
    // One part the page has no control for: no button rather than half the remedy.
    expect(remedySetting(remedy(['activation', "'relu'"], ['biasInit', "'zero'"]), DEFAULTS, PLANAR)).toBeNull();
  });

  it('turns the block remedies into the Normalisation, Residual and Activation settings from their data', () => {
    const f = 'sigmoid';
    expect(remedySetting(layersRemedy(`{ type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: '${f}' } for each hidden layer`, { norm: 'batch-norm' }), DEFAULTS, PLANAR)).toEqual({ norm: 'batch-norm' });
    expect(remedySetting(layersRemedy("{ type: 'layer-norm' } in place of each { type: 'batch-norm' }", { norm: 'layer-norm' }), { ...DEFAULTS, norm: 'batch-norm' }, PLANAR)).toEqual({ norm: 'layer-norm' });
    expect(remedySetting(layersRemedy(`{ type: 'residual', layers: [{ type: 'dense', units, activation: '${f}' }] } for each hidden layer after the first`, { residualGate: 'none' }), DEFAULTS, PLANAR)).toEqual({ residual: 'plain' });
    expect(remedySetting(layersRemedy(`{ type: 'residual', gate: 'rezero', layers: [{ type: 'dense', units, activation: '${f}' }] } for each hidden layer after the first`, { residualGate: 'rezero' }), DEFAULTS, PLANAR)).toEqual({ residual: 'rezero' });
    expect(remedySetting(layersRemedy("gate: 'rezero' in each { type: 'residual' } block", { residualGate: 'rezero' }), { ...DEFAULTS, residual: 'plain' }, PLANAR)).toEqual({ residual: 'rezero' });
    expect(remedySetting(layersRemedy("activation: 'selu' in each hidden dense or activation layer", { activation: 'selu' }), { ...DEFAULTS, norm: 'batch-norm' }, PLANAR)).toEqual({ activation: 'selu' });
    expect(remedySetting(remedy(['batchSize', '16 or more', '16']), { ...DEFAULTS, norm: 'batch-norm', batchSize: 4 }, PLANAR)).toEqual({ batchSize: 16 });
  });

  it('reads a layers change from its data, never its text: no button for one without data or with data it does not know', () => {
    // The text names batch norm (the layer norm replaces it), which a search of the text took for a batch-norm remedy.
    expect(remedySetting(layersRemedy("{ type: 'layer-norm' } in place of each { type: 'batch-norm' }", { norm: 'layer-norm' }), { ...DEFAULTS, norm: 'batch-norm' }, PLANAR)).toEqual({ norm: 'layer-norm' });
    expect(remedySetting(remedy(['layers', "{ type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' } for each hidden layer"]), DEFAULTS, PLANAR)).toBeNull();
    const unknown = { settings: [{ option: 'layers' as const, value: 'words', setting: { norm: 'group-norm' } as unknown as RemedyLayersChange }] };
    expect(remedySetting(unknown, DEFAULTS, PLANAR)).toBeNull();
  });

  it('offers no button for a change that cannot run with the other settings', () => {
    // Residual blocks over layers of different widths; batch norm beside per-layer rates.
    const rezero = layersRemedy("{ type: 'residual', gate: 'rezero', layers: [ … ] } for each hidden layer after the first", { residualGate: 'rezero' });
    expect(remedySetting(rezero, { ...DEFAULTS, depth: 3, widths: '8,6,4' }, PLANAR)).toBeNull();
    const batchNorm = layersRemedy("{ type: 'dense', units }, { type: 'batch-norm' }, { type: 'activation', activation: 'relu' } for each hidden layer", { norm: 'batch-norm' });
    expect(remedySetting(batchNorm, DEFAULTS, PLANAR)).toEqual({ norm: 'batch-norm' });
    expect(remedySetting(batchNorm, { ...DEFAULTS, optimizer: LAYER_RATES }, PLANAR)).toBeNull();
  });

  it('offers no button for what the page does not control', () => {
    expect(remedySetting(remedy(['clipNorm', '1', '1']), DEFAULTS, PLANAR)).toBeNull();
    expect(remedySetting(remedy(['biasInit', "'zero'", 'zero']), DEFAULTS, PLANAR)).toBeNull();
    expect(remedySetting(remedy(['optimizer', "'levenberg-marquardt'", 'levenberg-marquardt']), DEFAULTS, PLANAR)).toBeNull();
    // More epochs alone: the page's run is as long as the user lets it be; a button would rerun the same settings.
    expect(remedySetting(remedy(['epochs', 'more than 8', '24']), DEFAULTS, PLANAR)).toBeNull();
    // It says how the page trains on (its diagnosis asks for more as `epochs: more`: openEnded).
    expect(noButtonReason({ settings: [{ option: 'epochs', value: 'more', direction: 'larger' }] }, DEFAULTS, PLANAR)).toBe(TRAIN_ON);
    expect(TRAIN_ON).toBe('the page trains on until it is paused; Train goes on from here');
    expect(earlyStopEpochs({ settings: [{ option: 'epochs', value: 'more', direction: 'larger' }] })).toBeNull();
  });

  it("reads early stopping's epochs from its data, which its button reruns the same settings to (no change), and no other remedy's", () => {
    // Early stopping: `epochs: 5` alone, its count as data (numberSetting); remedySetting changes nothing for it.
    expect(earlyStopEpochs(remedy(['epochs', '5', '5']))).toBe(5);
    expect(remedySetting(remedy(['epochs', '5', '5']), DEFAULTS, PLANAR)).toBeNull();
    // Not a count as data, not alone, or not an epoch count at all: no stop.
    expect(earlyStopEpochs({ settings: [{ option: 'epochs', value: '5' }] })).toBeNull();
    expect(earlyStopEpochs({ settings: [{ option: 'epochs', value: '0', setting: 0 }] })).toBeNull();
    expect(earlyStopEpochs(remedy(['optimizer', "'hessian-free'", 'hessian-free'], ['epochs', '5', '5']))).toBeNull();
    expect(earlyStopEpochs(remedy(['batchSize', '16 or more', '16']))).toBeNull();
  });

  it('says beside a remedy with no button why it has none', () => {
    expect(noButtonReason(remedy(['clipNorm', '1', '1']), DEFAULTS, PLANAR)).toBe('the page has no control for this; it is an option of the library');
    expect(noButtonReason(remedy(['biasInit', "'zero'", 'zero']), DEFAULTS, PLANAR)).toBe('the page has no control for this; it is an option of the library');
    const widths = { ...DEFAULTS, depth: 3, widths: '8,6,4' };
    const rezero = layersRemedy("{ type: 'residual', gate: 'rezero', layers: [ … ] } for each hidden layer after the first", { residualGate: 'rezero' });
    expect(remedySetting(rezero, widths, PLANAR)).toBeNull();
    expect(noButtonReason(rezero, widths, PLANAR)).toMatch(/^not with these settings: a residual block adds its input to its output, so each hidden layer after the first needs the width of the one before it; layers\[1\] has 6 units after 8$/);
  });

  it("applies diagnose()'s relu remedy with the learning rate it sets, not only the activation and init", () => {
    // A sigmoid SGD run at 0.5 with a vanishing gap: the relu remedy carries He's init and a lower rate.
    const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer: 'sgd', learningRate: 0.5, init: 'standard' } });
    for (let i = 0; i < 2; i++) {
      const r = trace.beginRecord(i + 1, 1, 0.5);
      const neutral: Partial<Record<string, number>> = { weightGradNorm: 1, weightNorm: 1, updateRatio: 1e-3, saturatedFraction: 0, deltaRms: 1, biasGradNorm: 1 };
      for (let l = 0; l < 4; l++) for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, (name === 'deltaRms' || name === 'biasGradNorm') && l === 0 ? 0.01 : (neutral[name] ?? NaN));
    }
    const relu = diagnose(trace, pageDiagnosis('spirals')).remedies.find((r) => r.settings.some((s) => s.option === 'activation' && s.value === "'relu'"))!;
    const change = remedySetting(relu, { ...DEFAULTS, learningRate: 0.5 }, PLANAR);
    // The page's row of RELU_REMEDY_RATES, measured on its spirals, and said so; not the command's digits.
    expect(change).toEqual({ activation: 'relu', init: 'he-normal', learningRate: RELU_REMEDY_RATES['page-spirals'].rates.sgd });
    expect(change!.learningRate).toBeLessThan(0.5);
    expect(relu.why).toContain(`is above ${RELU_REMEDY_RATES['page-spirals'].rates.sgd}, the largest rate of a grid at which relu networks with He's weights (2, 4, 6, 8 hidden layers of 16 and 32, 3 seeds each, 200 epochs of sgd in batches of 32 on the visualizer's spirals)`);
  });
});

// newuser44 #6: the page offered its remedies with buttons and no word on how they were ordered; README says the command line's
// are "not ranked by a benefit measured on your run". The page says so under its "Try" heading, above the buttons.
describe("the page's remedy list", () => {
  it('says under its heading, before the first button, that the remedies are not ranked by a benefit measured on the run', () => {
    const html = readFileSync(new URL('../../demo/index.html', import.meta.url), 'utf8');
    const list = html.slice(html.indexOf('<div id="diagnosis-try">'), html.indexOf('<ul id="diagnosis-remedies">'));
    expect(list).toMatch(/<h3>Try<\/h3>\s*<p class="note" id="remedies-unranked">Not ranked by a benefit measured on this run: none of them is tried on it until you apply it\.<\/p>\s*$/);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ');
    expect(readme).toContain('not ranked by a benefit measured on your run (none is tried on it)');
  });
});
