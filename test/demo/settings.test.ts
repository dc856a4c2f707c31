// The visualizer's URL form of its settings: a round trip keeps every setting, and a bad or
// out-of-range parameter falls back to its default and is reported, never thrown.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, hiddenSizes, LAYER_RATES, needsRebuild, optimizerChoices, parseSettings, settingsQuery, type Settings } from '../../demo/src/settings.js';

describe('visualizer settings in the URL', () => {
  it('round-trips non-default settings and writes nothing for the defaults', () => {
    const settings: Settings = { depth: 10, width: 7, widths: '', activation: 'relu', init: 'he-normal', optimizer: 'adam', learningRate: 0.003, batchSize: 64, dataset: 'mnist', seed: 42, trainPercent: 50, noise: 0.2, l2: 0.001 };
    const query = settingsQuery(settings);
    expect(query).toContain('act=relu');
    expect(parseSettings(query)).toEqual({ settings, problems: [] });
    expect(settingsQuery(DEFAULTS)).toBe('');
  });

  it('offers per-layer rates and refuses Levenberg-Marquardt, which the page cannot run', () => {
    expect(optimizerChoices().slice(0, 2)).toEqual(['sgd', LAYER_RATES]);
    expect(parseSettings(`?opt=${LAYER_RATES}`)).toEqual({ settings: { ...DEFAULTS, optimizer: LAYER_RATES }, problems: [] });
    const lm = parseSettings('?opt=levenberg-marquardt');
    expect(lm.settings.optimizer).toBe(DEFAULTS.optimizer);
    expect(lm.problems).toHaveLength(1);
  });

  it('takes the default for each unusable parameter and says which', () => {
    const { settings, problems } = parseSettings('?depth=13&width=2.5&widths=8,x&act=swish&lr=-1&batch=&data=spirals&opt=nope&train=95&noise=x&l2=1');
    expect(settings).toEqual({ ...DEFAULTS, dataset: 'spirals' });
    expect(problems.map((p) => p.split('=')[0])).toEqual(['depth', 'width', 'widths', 'act', 'opt', 'lr', 'batch', 'train', 'noise', 'l2']);
  });

  it('gives each hidden layer its own width when the list has one per layer', () => {
    const { settings, problems } = parseSettings('?depth=3&widths=12,6,3');
    expect(problems).toEqual([]);
    expect(hiddenSizes(settings)).toEqual([12, 6, 3]);
    expect(parseSettings(settingsQuery(settings)).settings).toEqual(settings);
    // A list of another length than the depth: the one width for every layer.
    expect(hiddenSizes({ ...settings, depth: 2 })).toEqual([16, 16]);
    expect(needsRebuild(settings, { ...settings, widths: '12,6,4' })).toBe(true);
  });

  it('continues the run for the step size and rule, and rebuilds for anything else', () => {
    expect(needsRebuild(DEFAULTS, { ...DEFAULTS, learningRate: 0.5, batchSize: 8, optimizer: 'adam', l2: 0.01 })).toBe(false);
    for (const change of [{ depth: 3 }, { width: 9 }, { activation: 'relu' }, { dataset: 'xor' }, { noise: 0.2 }, { trainPercent: 50 }] as const) {
      expect(needsRebuild(DEFAULTS, { ...DEFAULTS, ...change }), JSON.stringify(change)).toBe(true);
    }
  });
});
