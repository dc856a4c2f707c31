// The visualizer's settings: a round trip through the URL keeps every setting; a bad or
// out-of-range link parameter falls back to its default and is reported, never thrown; a refused
// form value keeps the held one and says which field, what was given and what is allowed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeQuoteOn } from '../util/page-quotes.js';
import { DATASETS, trainingRows } from '../../demo/src/datasets.js';
import {
  conflictOf,
  DEFAULTS,
  denseOnlyReason,
  FIELDS,
  hiddenSizes,
  LAYER_RATES,
  needsRebuild,
  optimizerChoices,
  parseSettings,
  readFormValues,
  settingsQuery,
  type Settings,
} from '../../demo/src/settings.js';
import { flat } from '../util/printed-text.js';

describe('visualizer settings in the URL', () => {
  it('round-trips non-default settings and writes nothing for the defaults', () => {
    const settings: Settings = {
      depth: 10, width: 7, widths: '', activation: 'relu', init: 'lsuv', norm: 'layer-norm', residual: 'rezero', optimizer: 'adam',
      learningRate: 0.003, batchSize: 64, dataset: 'mnist', seed: 42, trainPercent: 50, noise: 0.2, l2: 0.001,
    };
    const query = settingsQuery(settings);
    expect(query).toContain('act=relu');
    expect(query).toContain('norm=layer-norm');
    expect(query).toContain('res=rezero');
    expect(parseSettings(query)).toEqual({ settings, problems: [] });
    expect(settingsQuery(DEFAULTS)).toBe('');
    expect(conflictOf(DEFAULTS)).toBeNull();
  });

  it('offers per-layer rates and refuses Levenberg-Marquardt, which the page cannot run', () => {
    expect(optimizerChoices().slice(0, 2)).toEqual(['sgd', LAYER_RATES]);
    expect(parseSettings(`?opt=${LAYER_RATES}`)).toEqual({ settings: { ...DEFAULTS, optimizer: LAYER_RATES }, problems: [] });
    const lm = parseSettings('?opt=levenberg-marquardt');
    expect(lm.settings.optimizer).toBe(DEFAULTS.optimizer);
    expect(lm.problems).toHaveLength(1);
  });

  it('takes the default for each unusable parameter and says which, with what is allowed', () => {
    const { settings, problems } = parseSettings('?depth=13&width=2.5&widths=8,x&act=swish&norm=dropout&res=yes&lr=-1&batch=&data=spirals&opt=nope&train=95&noise=x&l2=1');
    expect(settings).toEqual({ ...DEFAULTS, dataset: 'spirals' });
    expect(problems.map((p) => p.split('=')[0])).toEqual(['depth', 'width', 'widths', 'act', 'norm', 'res', 'opt', 'lr', 'batch', 'train', 'noise', 'l2']);
    expect(problems[0]).toBe('depth=13 (allowed: a whole number from 1 to 12): using 6');
    expect(problems[4]).toBe('norm=dropout (allowed: one of none, batch-norm, layer-norm): using none');
    // An empty default is named, not left blank after "using".
    expect(problems[2]).toBe('widths=8,x (allowed: empty (Width in every layer), or whole numbers from 2 to 128 separated by commas, one per hidden layer): using empty');
  });

  it('names a link parameter that is no setting, with the parameter a setting\'s long name stands for', () => {
    const { settings, problems } = parseSettings('?depth=5&activation=relu&learningRate=3&colour=red&act=tanh');
    expect(settings).toEqual({ ...DEFAULTS, depth: 5, activation: 'tanh' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe("activation: not a setting of this page (Activation is 'act')");
    expect(problems[1]).toBe("learningRate: not a setting of this page (Learning rate is 'lr')");
    expect(problems[2]).toMatch(/^colour: not a setting of this page \(the settings are depth, width, widths, act, .*\)$/);
    expect(parseSettings(settingsQuery(settings)).problems).toEqual([]);
  });

  it('gives each hidden layer the width the list says, and refuses a list of another length than the depth', () => {
    const { settings, problems } = parseSettings('?depth=3&widths=12,6,3');
    expect(problems).toEqual([]);
    expect(hiddenSizes(settings)).toEqual([12, 6, 3]);
    expect(parseSettings(settingsQuery(settings)).settings).toEqual(settings);
    expect(hiddenSizes({ ...settings, widths: '' })).toEqual([16, 16, 16]);
    expect(needsRebuild(settings, { ...settings, widths: '12,6,4' })).toBe(true);
    const short = parseSettings('?depth=6&widths=4,4');
    expect(short.settings.widths).toBe('');
    expect(short.problems).toEqual(['widths=4,4 (Widths per layer lists 2 widths for 6 hidden layers: list 6, or leave it empty): using empty']);
  });

  it('continues the run for the step size and rule, and rebuilds for anything else', () => {
    expect(needsRebuild(DEFAULTS, { ...DEFAULTS, learningRate: 0.5, batchSize: 8, optimizer: 'adam', l2: 0.01 })).toBe(false);
    for (const change of [{ depth: 3 }, { width: 9 }, { activation: 'relu' }, { dataset: 'xor' }, { noise: 0.2 }, { trainPercent: 50 }, { norm: 'batch-norm' }, { residual: 'plain' }, { init: 'lsuv' }] as const) {
      expect(needsRebuild(DEFAULTS, { ...DEFAULTS, ...change }), JSON.stringify(change)).toBe(true);
    }
  });
});

describe('settings that cannot run together', () => {
  it('refuses batch norm with one-row batches, or with a last batch of one row (which train() refuses); a last batch of 2 rows trains', () => {
    expect(conflictOf({ ...DEFAULTS, norm: 'batch-norm', batchSize: 1 })?.why).toContain('at least 2 rows per batch');
    // 70 % of 400 points: 280 training rows; in batches of 31, the last holds 280 − 9·31 = 1.
    expect(trainingRows('spirals', 70)).toBe(280);
    expect(conflictOf({ ...DEFAULTS, norm: 'batch-norm', batchSize: 31 })?.why).toBe("batch norm needs at least 2 rows per batch (one row's variance is 0), and 280 training rows in batches of 31 leave a last batch of 1 row");
    // 280 = 2·139 + 2 and 280 = 3·90 + 10 are taken, as train() takes them.
    expect(conflictOf({ ...DEFAULTS, norm: 'batch-norm', batchSize: 139 })).toBeNull();
    expect(conflictOf({ ...DEFAULTS, norm: 'batch-norm', batchSize: 90 })).toBeNull();
    expect(conflictOf({ ...DEFAULTS, batchSize: 31 })).toBeNull();
    expect(conflictOf({ ...DEFAULTS, norm: 'layer-norm', batchSize: 1 })).toBeNull();
  });

  it('refuses residual blocks over hidden layers of different widths, and per-layer rates on a block network', () => {
    expect(conflictOf({ ...DEFAULTS, depth: 3, widths: '8,8,8', residual: 'plain' })).toBeNull();
    expect(conflictOf({ ...DEFAULTS, depth: 3, widths: '8,6,8', residual: 'rezero' })?.keys[0]).toBe('residual');
    expect(conflictOf({ ...DEFAULTS, norm: 'batch-norm', optimizer: LAYER_RATES })?.why).toContain('dense networks only');
    // A link asking for both keeps the first setting named at its default.
    const { settings, problems } = parseSettings(`?norm=batch-norm&opt=${LAYER_RATES}`);
    expect(settings).toEqual({ ...DEFAULTS, norm: 'batch-norm' });
    expect(problems).toEqual([expect.stringMatching(/^opt=layer-rates \(per-layer rates .* dense networks only.*\): using sgd$/)]);
  });

  it("refuses an optimiser the registry marks supports: 'dense' (K-FAC) on a block network, and says so in the form and the link", () => {
    for (const blocks of [{ norm: 'batch-norm' }, { norm: 'layer-norm' }, { residual: 'plain' }, { residual: 'rezero' }] as const) {
      expect(denseOnlyReason('kfac', { ...DEFAULTS, ...blocks })).toBe("kfac trains networks of dense layers only (the optimiser registry's supports: 'dense')");
      expect(conflictOf({ ...DEFAULTS, ...blocks, optimizer: 'kfac' })).toEqual({
        keys: ['optimizer', 'norm', 'residual'],
        why: "kfac trains networks of dense layers only (the optimiser registry's supports: 'dense'): set Normalisation and Residual to none, or pick another optimiser",
      });
      for (const name of ['sgd', 'adam', 'hessian-free', 'lbfgs']) expect(denseOnlyReason(name, { ...DEFAULTS, ...blocks }), name).toBeNull();
    }
    expect(denseOnlyReason('kfac', { ...DEFAULTS, optimizer: 'kfac' })).toBeNull();
    expect(conflictOf({ ...DEFAULTS, optimizer: 'kfac' })).toBeNull();
    // A form change to batch norm while K-FAC trains is refused as a whole, the held settings kept.
    const held: Settings = { ...DEFAULTS, optimizer: 'kfac' };
    const { settings, refused } = readFormValues({ norm: { text: 'batch-norm' } }, held);
    expect(settings).toEqual(held);
    expect(refused).toEqual(["Normalisation batch-norm: refused, since kfac trains networks of dense layers only (the optimiser registry's supports: 'dense'): set Normalisation and Residual to none, or pick another optimiser; kept none."]);
    // A link asking for both: the optimiser falls back to SGD, the network is kept.
    const link = parseSettings('?norm=batch-norm&opt=kfac');
    expect(link.settings).toEqual({ ...DEFAULTS, norm: 'batch-norm' });
    expect(link.problems).toEqual([expect.stringMatching(/^opt=kfac \(kfac trains networks of dense layers only .*\): using sgd$/)]);
  });
});

describe('the settings form', () => {
  const held: Settings = { ...DEFAULTS, width: 20, learningRate: 0.3 };

  it('takes good values and refuses a bad one, keeping the held value and saying field, value and what is allowed', () => {
    const { settings, refused } = readFormValues({ width: { text: '300' }, learningRate: { text: '0.05' }, activation: { text: 'relu' } }, held);
    expect(settings).toEqual({ ...held, learningRate: 0.05, activation: 'relu' });
    expect(refused).toEqual(['Width: “300” refused (allowed: a whole number from 2 to 128); kept 20.']);
    // docs/browser.md quotes it at the default width.
    expect(readFormValues({ width: { text: '300' } }, DEFAULTS).refused).toEqual([codeQuoteOn('docs/browser.md', 'Width: “300” refused')]);
  });

  it('says so when a number field holds text the browser could not read, or nothing', () => {
    const { settings, refused } = readFormValues({ learningRate: { text: '', badInput: true }, batchSize: { text: ' ' } }, held);
    expect(settings).toEqual(held);
    expect(refused).toEqual([
      'Learning rate: text that is not a number refused (allowed: a number from 0.00001 to 10); kept 0.3.',
      'Batch: “” (empty) refused (allowed: a whole number from 1 to 1000); kept 32.',
    ]);
  });

  it('refuses every change of a combination that cannot run, naming why, and keeps all held', () => {
    const { settings, refused } = readFormValues({ norm: { text: 'batch-norm' }, batchSize: { text: '1' } }, held);
    expect(settings).toEqual(held);
    expect(refused).toEqual(['Normalisation batch-norm, Batch 1: refused, since batch norm needs at least 2 rows per batch (one row\'s variance is 0); kept none, 32.']);
    const deeper = readFormValues({ depth: { text: '4' } }, { ...held, depth: 3, widths: '12,6,3' });
    expect(deeper.settings.depth).toBe(3);
    expect(deeper.refused).toEqual(['Hidden layers 4: refused, since Widths per layer lists 3 widths for 4 hidden layers: list 4, or leave it empty; kept 3.']);
  });

  it('names every field as the form labels it', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile('demo/index.html', 'utf8');
    for (const [key, field] of Object.entries(FIELDS)) {
      if (key === 'seed') continue; // the link's only
      expect(html, key).toMatch(new RegExp(`<label>${field.label.replace(/[%]/g, '\\$&')} (<output[^>]*></output>)?<(input|select) id="${key}" name="${key}"`));
    }
  });
});

// A newcomer's `?dataset=mnist` (session 36) was ignored, said on the page; docs/browser.md said only that "the URL
// holds the settings", so the keys were found by trial. Its list is each field's label and key, in FIELDS' order.
describe("docs/browser.md's list of the link's keys", () => {
  const page = flat(readFileSync(new URL('../../docs/browser.md', import.meta.url), 'utf8'));

  it('names every control with its key, and the data sets', () => {
    const after = { dataset: ` (${DATASETS.map((d) => `\`${d}\``).join(', ')})`, seed: " (the link's only: no control sets it)" } as Partial<Record<keyof Settings, string>>;
    const keys = (Object.keys(FIELDS) as (keyof Settings)[]).map((key) => `${FIELDS[key].label} \`${FIELDS[key].param}\`${after[key] ?? ''}`);
    expect(page).toContain(`Each setting's key, by its control's label: ${keys.join(', ')} (demo/src/settings.ts, \`FIELDS\`)`);
  });

  it("says what its example of a wrong key shows", () => {
    expect(page).toContain("(`?dataset=mnist`: `Data is 'data'`), and the link's other settings still apply");
    const { settings, problems } = parseSettings('?dataset=mnist&depth=4');
    expect(problems).toEqual(["dataset: not a setting of this page (Data is 'data')"]);
    expect(settings).toEqual({ ...DEFAULTS, depth: 4 });
  });

  // A key given twice was taken at its first value in silence (newuser42 #6: a teacher's link made by adding to another).
  it('says what a key given twice does, as the page does', () => {
    expect(page).toContain('(`?act=sigmoid&act=selu`), takes its last value, and the same line says so');
    const { settings, problems } = parseSettings('?act=sigmoid&act=selu');
    expect(problems).toEqual([codeQuoteOn('docs/browser.md', 'act given 2 times')]);
    expect(settings).toEqual({ ...DEFAULTS, activation: 'selu' });
    // The last value refused: said, and the default used, as for any other.
    const bad = parseSettings('?depth=4&depth=99');
    expect(bad.problems[0]).toBe('depth given 2 times (depth=4, depth=99): using the last');
    expect(bad.problems[1]).toMatch(/^depth=99 \(allowed: .*\): using 6$/);
    expect(bad.settings.depth).toBe(DEFAULTS.depth);
  });
});
