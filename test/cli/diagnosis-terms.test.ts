/**
 * The command line prints diagnose()'s remedies in its own terms: a setting it has a flag for by the
 * flag (`--optimizer adam`, `--learning-rate 0.1`), one it has none for as the library's option, said
 * to have no flag here; in the terminal and in the report it writes alike. The flags come from one
 * table (OPTION_FLAGS), which a DIVERGED's advice reads too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { adviceTerms, OPTION_FLAGS, remedyTerms } from '../../src/cli/command.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { studyDepthCommand } from '../../src/cli/commands/study-depth.js';
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
  it("says the API's keys, or the command's flags and the library's options it has no flag for", () => {
    expect(remedyText(relu, API_REMEDY_TERMS)).toBe("activation: 'relu', init: 'he-normal', learningRate: 0.1 (or activation: 'tanh')");
    expect(remedyText(relu, remedyTerms(studyModelCommand))).toBe(
      "--learning-rate 0.1, with activation: 'relu', init: 'he-normal' (or activation: 'tanh') (createNetwork options: no flag here)",
    );
    // A study's fixed recipe has no flag for any of them.
    expect(remedyText(relu, remedyTerms(studyDepthCommand))).toBe(
      "activation: 'relu', init: 'he-normal', learningRate: 0.1 (or activation: 'tanh') (createNetwork and train() options: no flag here)",
    );
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
  });

  it('takes every flag from OPTION_FLAGS, for the remedies and for the advice of a DIVERGED', () => {
    const flags = remedyTerms(studyModelCommand).flags!;
    expect(flags).toEqual({ learningRate: `--${OPTION_FLAGS.learningRate}`, clipNorm: `--${OPTION_FLAGS.clipNorm}`, batchSize: `--${OPTION_FLAGS.batchSize}`, optimizer: `--${OPTION_FLAGS.optimizer}`, epochs: `--${OPTION_FLAGS.epochs}` });
    for (const [option, flag] of Object.entries(flags)) expect(studyModelCommand.flags.map((f) => `--${f.name}`), option).toContain(flag);
    expect(adviceTerms(studyModelCommand).learningRate).toBe(flags.learningRate);
    // A study's fixed recipe: of train()'s options it takes only the number of epochs.
    expect(remedyTerms(studyDepthCommand).flags).toEqual({ epochs: `--${OPTION_FLAGS.epochs}` });
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
    expect(tried).toContain("  • --learning-rate 0.1, with activation: 'relu', init: 'he-normal' (or activation: 'tanh') (createNetwork options: no flag here)");
    expect(tried).toContain("  • optimizer: { name: 'sgd', layerRates: [");
    expect(tried).toContain('  • --optimizer lars');
    expect(tried).toContain('  • --optimizer adam');
    // No option the command has a flag for is named by its API key.
    expect(tried).not.toMatch(/learningRate:|optimizer: '|clipNorm:|batchSize:/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<code>--learning-rate 0.1, with activation: &#39;relu&#39;, init: &#39;he-normal&#39; (or activation: &#39;tanh&#39;) (createNetwork options: no flag here)</code>');
    expect(page).toContain('<code>--optimizer lars</code>');
    expect(page).not.toMatch(/<code>optimizer: &#39;/);
  }, 60_000);
});
