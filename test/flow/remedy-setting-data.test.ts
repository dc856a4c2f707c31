// RemedySetting.setting is the setting's value as data, exactly what createNetwork or train() take:
// applying it equals applying the text (`value`, the API's syntax, evaluated as the expression it
// prints), for every kind of setting diagnose() gives; words have none. A layers change is not an
// expression of the API's syntax: its data (a RemedyLayersChange) is tested in layers-remedy-data.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/flow/diagnose.js';
import { LAYER_METRIC_NAMES } from '../../src/flow/metrics.js';
import { LEFT_OUT, remedyLayerRates, remedyText, type RemedyOptimizerSpec, type RemedySetting } from '../../src/flow/remedy.js';
import { addSmallerRate, CLIP_AT_1, numberSetting } from '../../src/flow/diagnosis/remedy-settings.js';
import { Trace, type TraceRun } from '../../src/flow/trace.js';

/** `value` applied as a user pastes it into the options: the API's syntax evaluated, or undefined where it is words (not an expression). */
function fromText(value: string): { value: unknown } | undefined {
  try {
    return { value: new Function(`return (${value});`)() };
  } catch {
    return undefined;
  }
}

/** The options `{}` becomes with the setting applied: from the data, or from the text. */
const applied = (s: RemedySetting, from: 'setting' | 'text') => ({ [s.option]: from === 'setting' ? s.setting : fromText(s.value)!.value });

/** A vanishing trace of [4, 3 × 3, 2] sigmoid whose first hidden layer's gradients are 1/20 of the others'. */
function vanishing(run: TraceRun): Trace {
  const trace = new Trace({ sizes: [4, 3, 3, 3, 2], activations: ['sigmoid', 'sigmoid', 'sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run });
  for (let i = 0; i < 2; i++) {
    const r = trace.beginRecord(i + 1, 1, 0.5);
    for (let l = 0; l < 4; l++) {
      for (const name of LAYER_METRIC_NAMES) trace.set(name, r, l, NaN);
      const shrink = l === 0 ? 1 / 20 : 1;
      trace.set('weightNorm', r, l, 1);
      trace.set('saturatedFraction', r, l, 0);
      for (const name of ['deltaRms', 'biasGradNorm', 'weightGradNorm'] as const) trace.set(name, r, l, shrink);
      trace.set('updateRatio', r, l, 1e-3 * shrink);
    }
  }
  return trace;
}

const settingsOf = (trace: Trace) => diagnose(trace).remedies.flatMap((r) => [...r.settings, ...(r.alternative ?? [])]);
const sgd = settingsOf(vanishing({ optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.0001, decayBiases: false, init: 'standard' }));
const words: RemedySetting[] = [];
addSmallerRate({ optimizer: 'sgd', learningRate: 0.3 }, 'why', (settings) => words.push(...settings));
addSmallerRate({ optimizer: 'sgd' }, 'why', (settings) => words.push(...settings));
const find = (list: RemedySetting[], option: string, value: RegExp | string) => list.find((s) => s.option === option && (typeof value === 'string' ? s.value === value : value.test(s.value)));

/** The lsuv setting as architecture-remedies.ts writes it (a literal there, no builder to call). */
const LSUV_AS_BUILT: RemedySetting = { option: 'lsuv', value: 'true', flagValue: 'lsuv', setting: true };

/** Every kind of setting diagnose() gives: [kind, the setting (from a diagnosis where a hand-built trace gives it, else from the builder diagnose() calls)]. */
const KINDS: [string, RemedySetting | undefined][] = [
  ['an activation by name', find(sgd, 'activation', "'relu'")],
  ['an initialiser by name', find(sgd, 'init', "'he-normal'")],
  ['an optimiser by name', find(sgd, 'optimizer', "'adam'")],
  ['an optimiser spec with per-layer rates and the run’s SGD settings', find(sgd, 'optimizer', /^\{ name: 'sgd'/)],
  ['a learning rate that goes with a switch', find(sgd, 'learningRate', '0.001')],
  ['a learning rate left out (Hessian-free)', find(sgd, 'learningRate', LEFT_OUT)],
  ['clipping at 1', CLIP_AT_1],
  ['a momentum', numberSetting('momentum', 0.9)],
  ['a number of epochs', numberSetting('epochs', 12)],
  ["lsuv (architecture-remedies.ts builds it beside init: 'lsuv'; no hand-built trace here reaches it)", find(sgd, 'lsuv', 'true') ?? LSUV_AS_BUILT],
  ['a learning rate below the run’s (words)', find(words, 'learningRate', 'below 0.3')],
  ['a smaller learning rate where the trace records none (words)', find(words, 'learningRate', 'a smaller value')],
];

describe('RemedySetting.setting: the value as data', () => {
  it.each(KINDS)('%s: applying the data equals applying the text', (_kind, s) => {
    expect(s, 'diagnose() gives this kind').toBeDefined();
    const text = fromText(s!.value);
    if (text === undefined) {
      // Words: no value to apply, so none is given.
      expect('setting' in s!).toBe(false);
      return;
    }
    expect('setting' in s!).toBe(true);
    expect(applied(s!, 'setting')).toEqual(applied(s!, 'text'));
    expect(s!.setting).toStrictEqual(text.value);
  });

  it('gives the per-layer rates’ spec exactly as train() takes it, and the left-out rate as a key set to undefined', () => {
    const spec = find(sgd, 'optimizer', /^\{ name: 'sgd'/)!;
    expect(spec.setting).toStrictEqual({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.0001, decayBiases: false, layerRates: [20, 1, 1, 1] });
    const leftOut = find(sgd, 'learningRate', LEFT_OUT)!;
    expect(Object.hasOwn(leftOut, 'setting')).toBe(true);
    expect({ learningRate: 0.1, ...{ [leftOut.option]: leftOut.setting } }).toEqual({ learningRate: undefined });
  });

  it('holds the per-layer rates once, in the spec: remedyLayerRates reads them, and remedyText refuses rates that are not numbers', () => {
    const spec = find(sgd, 'optimizer', /^\{ name: 'sgd'/)!;
    expect(Object.keys(spec).sort()).toEqual(['option', 'setting', 'value']);
    expect(remedyLayerRates(spec)).toEqual([20, 1, 1, 1]);
    expect(remedyLayerRates(find(sgd, 'optimizer', "'adam'")!)).toBeUndefined();
    expect(remedyLayerRates(CLIP_AT_1)).toBeUndefined();
    const withRates = (layerRates: unknown) => ({ settings: [{ ...spec, setting: { name: 'sgd', layerRates } as RemedyOptimizerSpec }] });
    expect(remedyText(withRates([2, 1]))).toBe(`optimizer: ${spec.value}`);
    expect(() => remedyText(withRates(['2', 1]))).toThrow(/remedyText: a remedy's settings/);
  });
});
