/**
 * The command line prints diagnose()'s remedies in its own terms: a setting it has a flag for by the
 * flag (`--optimizer adam`, `--learning-rate 0.1`), one only `gradscope train` has a flag for as a
 * train line (`gradscope train --activation relu`), one no command has a flag for as the library's
 * option, said to have no flag here; in the terminal and in the report it writes alike. The flags
 * come from one table (OPTION_FLAGS), which a DIVERGED's advice reads too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { adviceTerms, OPTION_FLAGS } from '../../src/cli/command.js';
import { remedyTerms } from '../../src/cli/remedy-terms.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { studyDepthCommand } from '../../src/cli/commands/study-depth.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { API_REMEDY_TERMS, remedyText, type Remedy } from '../../src/flow/remedy.js';
import { Rng } from '../../src/init/rng.js';
import { runCliInProcess } from '../util/cli.js';

const relu: Pick<Remedy, 'settings' | 'alternative'> = {
  settings: [
    { option: 'activation', value: "'relu'", flagValue: 'relu' },
    { option: 'init', value: "'he-normal'", flagValue: 'he-normal' },
    { option: 'learningRate', value: '0.1', flagValue: '0.1' },
  ],
  alternative: [{ option: 'activation', value: "'tanh'", flagValue: 'tanh' }],
};

describe("diagnose()'s remedies in a printer's terms", () => {
  it("says the API's keys, or the command's flags, gradscope train's for the options only train has, and the library's options no command has", () => {
    expect(remedyText(relu, API_REMEDY_TERMS)).toBe("activation: 'relu', init: 'he-normal', learningRate: 0.1 (or activation: 'tanh')");
    expect(remedyText(relu, remedyTerms(studyModelCommand))).toBe('--learning-rate 0.1, with gradscope train --activation relu --init he-normal (or gradscope train --activation tanh)');
    // A study's fixed recipe has no flag for any of them: train has them all.
    expect(remedyText(relu, remedyTerms(studyDepthCommand))).toBe('gradscope train --activation relu --init he-normal --learning-rate 0.1 (or gradscope train --activation tanh)');
    // Without another command (a printer of its own), they are the library's options, said to have no flag here.
    expect(remedyText(relu, { form: 'flags', flags: { learningRate: '--lr' } })).toBe("--lr 0.1, with activation: 'relu', init: 'he-normal' (or activation: 'tanh') (createNetwork options: no flag here)");
    // No command has a flag for a layer spec; --optimizer takes a name, not an object of per-layer rates.
    const layerNorm = { settings: [{ option: 'layers' as const, value: "{ type: 'layer-norm' } in place of each { type: 'batch-norm' }" }] };
    expect(remedyText(layerNorm, remedyTerms(studyModelCommand))).toBe("layers: { type: 'layer-norm' } in place of each { type: 'batch-norm' } (createNetwork option: no flag here)");
    const rates = { settings: [{ option: 'optimizer' as const, value: "{ name: 'sgd', layerRates: [4, 1] }", layerRates: [4, 1] }] };
    expect(remedyText(rates, remedyTerms(studyModelCommand))).toBe("optimizer: { name: 'sgd', layerRates: [4, 1] } (train() option: no flag takes its value)");
    // init 'lsuv' and train's lsuv are both --init lsuv, said once.
    const lsuv = { settings: [{ option: 'init' as const, value: "'lsuv'", flagValue: 'lsuv' }, { option: 'lsuv' as const, value: 'true', flagValue: 'lsuv' }] };
    expect(remedyText(lsuv, remedyTerms(studyModelCommand))).toBe('gradscope train --init lsuv');
    expect(remedyText({ settings: [{ option: 'optimizer', value: "'kfac'", flagValue: 'kfac' }], alternative: [{ option: 'optimizer', value: "'hessian-free'", flagValue: 'hessian-free' }] }, remedyTerms(studyModelCommand))).toBe(
      '--optimizer kfac (or --optimizer hessian-free)',
    );
  });

  it('refuses a remedy or terms that are not what diagnose() gives, saying what', () => {
    const refused = (remedy: unknown, terms?: unknown) => {
      try {
        remedyText(remedy as Remedy, terms as never);
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return 'accepted';
    };
    expect(refused({ settings: [{ option: 'colour', value: "'red'" }] })).toMatch(/^INVALID_OPTION: remedyText: a remedy's settings .* option one of activation, init, .*; got \[/);
    expect(refused(relu, { form: 'cli' })).toBe("INVALID_OPTION: remedyText: terms.form is 'api' or 'flags', got \"cli\"");
    expect(refused(relu, { form: 'flags', flags: { learningRate: 5 } })).toMatch(/^INVALID_OPTION: remedyText: terms\.flags maps options to their flags/);
    expect(refused(relu, { form: 'flags', elsewhere: { command: '', flags: {} } })).toMatch(/^INVALID_OPTION: remedyText: terms\.elsewhere is \{ command: 'gradscope train', flags: .*got \{"command":"","flags":\{\}\}$/);
    expect(refused(relu, { form: 'flags', elsewhere: { command: 'gradscope train', flags: { activation: true } } })).toMatch(/^INVALID_OPTION: remedyText: terms\.elsewhere is/);
  });

  it('takes every flag from OPTION_FLAGS, found in each command\'s table, for the remedies and for the advice of a DIVERGED', () => {
    const { flags, elsewhere } = remedyTerms(studyModelCommand);
    expect(flags).toEqual({ learningRate: `--${OPTION_FLAGS.learningRate}`, clipNorm: `--${OPTION_FLAGS.clipNorm}`, batchSize: `--${OPTION_FLAGS.batchSize}`, optimizer: `--${OPTION_FLAGS.optimizer}`, momentum: `--${OPTION_FLAGS.momentum}`, epochs: `--${OPTION_FLAGS.epochs}` });
    for (const [option, flag] of Object.entries(flags!)) expect(studyModelCommand.flags.map((f) => `--${f.name}`), option).toContain(flag);
    expect(adviceTerms(studyModelCommand).learningRate).toBe(flags!.learningRate);
    // What study --model has no flag for, gradscope train has: createNetwork's options, and LSUV by --init lsuv.
    expect(elsewhere).toEqual({ command: 'gradscope train', flags: { activation: `--${OPTION_FLAGS.activation}`, init: `--${OPTION_FLAGS.init}`, biasInit: `--${OPTION_FLAGS.biasInit}`, lsuv: `--${OPTION_FLAGS.init}` } });
    for (const [option, flag] of Object.entries(elsewhere!.flags)) expect(trainCommand.flags.map((f) => `--${f.name}`), option).toContain(flag);
    // A study's fixed recipe: of train()'s options it takes only the number of epochs; train takes the rest.
    expect(remedyTerms(studyDepthCommand).flags).toEqual({ epochs: `--${OPTION_FLAGS.epochs}` });
    expect(Object.keys(remedyTerms(studyDepthCommand).elsewhere!.flags).sort()).toEqual(['activation', 'batchSize', 'biasInit', 'clipNorm', 'init', 'learningRate', 'lsuv', 'momentum', 'optimizer']);
    // train's own remedies would need no other command.
    expect(remedyTerms(trainCommand).elsewhere).toBeUndefined();
  });

  it('study --model prints its remedies by its flags, in the terminal and in the report', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-terms-'));
    const rng = new Rng(51);
    const inputs = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => rng.normal()));
    const targets = inputs.map((row) => (row[0] + row[1] > 0 ? [1, 0] : [0, 1]));
    const net = await createNetwork({ sizes: [6, 8, 8, 8, 8, 2], activation: 'sigmoid', output: 'softmax', seed: 2 });
    const [model, data, html] = ['model.json', 'data.json', 'report.html'].map((name) => join(folder, name));
    writeFileSync(model, JSON.stringify(net.toJSON()));
    writeFileSync(data, JSON.stringify({ inputs, targets }));
    net.dispose();
    const { code, stdout } = await runCliInProcess(['study', '--model', model, '--data', data, '--epochs', '4', '--batch-size', '10', '--learning-rate', '0.5', '--html', html]);
    expect(code).toBe(0);
    expect(stdout).toContain('Diagnosis: VANISHING');
    const tried = stdout.slice(stdout.indexOf('What to try:'));
    expect(tried).toContain('  • --learning-rate 0.1, with gradscope train --activation relu --init he-normal (or gradscope train --activation tanh)');
    expect(tried).toMatch(/  • optimizer: \{ name: 'sgd', layerRates: \[[^\]]+\] \} \(train\(\) option: no flag takes its value\)/);
    expect(tried).toContain('  • --optimizer lars');
    expect(tried).toContain('  • --optimizer adam');
    // No option the command has a flag for is named by its API key.
    expect(tried).not.toMatch(/learningRate:|optimizer: '|clipNorm:|batchSize:/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<code>--learning-rate 0.1, with gradscope train --activation relu --init he-normal (or gradscope train --activation tanh)</code>');
    expect(page).toContain('<code>--optimizer lars</code>');
    expect(page).not.toMatch(/<code>optimizer: &#39;/);
  }, 60_000);
});
