/**
 * The command line prints diagnose()'s remedies as command lines that rerun the printer's own run
 * with the remedy's change: a change of the network as a `gradscope train` line that makes the
 * run's network with it (saved to a new file named after the run's), a change of the training alone
 * as the printer's own rerun where it has one (study --model M), with the remedy's flags in place of
 * the run's; and as the API's options, saying why, where no command line makes that run. In the
 * terminal and in the report alike. The flags come from one table (OPTION_FLAGS).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { parseArgs, type Command } from '../../src/cli/command.js';
import { derivedFileName, remedyTerms, type RunOnCommandLine } from '../../src/cli/remedy-terms.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { shellWord } from '../../src/shell-word.js';
import { codeHtml } from '../../src/flow/report-html.js';
import { API_REMEDY_TERMS, remedyLines, remedyText, type Remedy } from '../../src/flow/remedy.js';
import { Rng } from '../../src/init/rng.js';
import { MODEL_EPOCHS_BOUND } from '../../src/studies/study-bounds.js';
import { ownRowsBound, RELU_REMEDY_RATES } from '../../src/flow/relu-remedy-rates.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const relu: Pick<Remedy, 'settings' | 'alternative'> = {
  settings: [
    { option: 'activation', value: "'relu'", flagValue: 'relu' },
    { option: 'init', value: "'he-normal'", flagValue: 'he-normal' },
    { option: 'learningRate', value: '0.1', flagValue: '0.1' },
  ],
  alternative: [{ option: 'activation', value: "'tanh'", flagValue: 'tanh' }],
};

/** A study --model run of `my model.json` (SGD with momentum 0.5 at 0.5, 4 epochs) and the train line of its network. */
const flags = (entries: Record<string, string>) => new Map(Object.entries(entries));
const TRAINING = { data: 'my data.json', epochs: '4', 'learning-rate': '0.5', momentum: '0.5' };
const run: RunOnCommandLine = {
  rerun: { command: studyModelCommand, flags: flags({ model: 'my model.json', ...TRAINING }), unsaid: new Map() },
  train: {
    command: trainCommand,
    flags: flags({ layers: '6,8,8,2', activation: 'sigmoid', output: 'softmax', loss: 'cross-entropy', init: 'standard', 'bias-init': 'zero', ...TRAINING }),
    unsaid: new Map(),
    output: { flag: 'out', from: 'my model.json' },
  },
};
const NETWORK = "--layers 6,8,8,2 --activation sigmoid --output softmax --loss cross-entropy --init standard --bias-init zero --data 'my data.json'";

/** The words of a printed line, unquoted as a shell reads single quotes (the only quoting shellWord writes). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]));
}

/** A printed line parsed by its command's own parser: the command and its flags. */
function parsed(line: string, command: Command): Map<string, string | true> {
  const words = shellWords(line);
  expect(words.slice(0, 1 + command.words.length)).toEqual(['gradscope', ...command.words]);
  return parseArgs(command, words.slice(1 + command.words.length)).flags;
}

describe("diagnose()'s remedies in a printer's terms", () => {
  it("says the API's keys, or a whole command line per choice that reruns the run with the change", () => {
    expect(remedyText(relu, API_REMEDY_TERMS)).toBe("activation: 'relu', init: 'he-normal', learningRate: 0.1 (or activation: 'tanh')");
    const [first, alternative] = remedyLines(relu, remedyTerms(run, undefined));
    // A new network: train's line, the remedy's flags in place of the run's, a new file after the model's name.
    expect(first).toBe(`gradscope train ${NETWORK.replace('sigmoid', 'relu').replace('standard', 'he-normal')} --epochs 4 --learning-rate 0.1 --momentum 0.5 --out 'my model-relu-he-normal-learning-rate-0.1.json'`);
    expect(alternative).toBe(`gradscope train ${NETWORK.replace('sigmoid', 'tanh')} --epochs 4 --learning-rate 0.5 --momentum 0.5 --out 'my model-tanh.json'`);
    expect(remedyText(relu, remedyTerms(run, undefined))).toBe(`${first} — or: ${alternative}`);
    expect(parsed(first, trainCommand).get('activation')).toBe('relu');
  });

  it('reruns a change of the training alone by the printer\'s own command; another optimiser leaves the old one\'s rate and momentum', () => {
    const adam = { settings: [{ option: 'optimizer' as const, value: "'adam'", flagValue: 'adam' }] };
    expect(remedyText(adam, remedyTerms(run, undefined))).toBe("gradscope study --model 'my model.json' --data 'my data.json' --epochs 4 --optimizer adam");
    const slower = { settings: [{ option: 'learningRate' as const, value: 'below 0.5', flagValue: '0.167' }] };
    expect(remedyText(slower, remedyTerms(run, undefined))).toBe("gradscope study --model 'my model.json' --data 'my data.json' --epochs 4 --learning-rate 0.167 --momentum 0.5");
    // Epochs beyond what study --model keeps a trace of: train's line, which takes any number.
    const longer = String(MODEL_EPOCHS_BOUND.max + 1);
    const more = remedyText({ settings: [{ option: 'epochs', value: `more than 4`, flagValue: longer }] }, remedyTerms(run, undefined));
    expect(more.startsWith('gradscope train --layers 6,8,8,2')).toBe(true);
    expect(parsed(more, trainCommand).get('epochs')).toBe(longer);
    // Without a rerun (a study's run), train's line.
    expect(remedyText(adam, remedyTerms({ train: run.train }, undefined))).toBe(`gradscope train ${NETWORK} --epochs 4 --optimizer adam --out 'my model-adam.json'`);
    // init 'lsuv' and train's lsuv are both --init lsuv, said once.
    const lsuv = { settings: [{ option: 'init' as const, value: "'lsuv'", flagValue: 'lsuv' }, { option: 'lsuv' as const, value: 'true', flagValue: 'lsuv' }] };
    expect(parsed(remedyText(lsuv, remedyTerms(run, undefined)), trainCommand).get('init')).toBe('lsuv');
  });

  it("says the API's options and why where no command line makes the run with the change", () => {
    const layerNorm = { settings: [{ option: 'layers' as const, value: "{ type: 'layer-norm' } in place of each { type: 'batch-norm' }" }] };
    expect(remedyText(layerNorm, remedyTerms(run, undefined))).toBe("layers: { type: 'layer-norm' } in place of each { type: 'batch-norm' } (createNetwork option: no command-line flag takes its value)");
    const rates = { settings: [{ option: 'optimizer' as const, value: "{ name: 'sgd', layerRates: [4, 1] }", layerRates: [4, 1] }] };
    expect(remedyText(rates, remedyTerms(run, undefined))).toBe("optimizer: { name: 'sgd', layerRates: [4, 1] } (train() option: no command-line flag takes its value)");
    expect(remedyText(rates, remedyTerms(run, undefined))).toMatch(new RegExp(`: ${quotePattern(codeQuoteOn('docs/gradient-flow.md', 'no command-line flag takes its value')).source}\\)$`));
    // A network train cannot make: its network's remedies by the API; its training's still by the rerun.
    const blocks: RunOnCommandLine = { rerun: run.rerun, train: { cannot: "gradscope train cannot make this network: its layers are layer specs ('dense', 'batch-norm', 'activation')" } };
    expect(remedyText(relu, remedyTerms(blocks, undefined))).toBe(
      "activation: 'relu', init: 'he-normal', learningRate: 0.1 (createNetwork and train() options: gradscope train cannot make this network: its layers are layer specs ('dense', 'batch-norm', 'activation')) — or: " +
        "activation: 'tanh' (createNetwork option: gradscope train cannot make this network: its layers are layer specs ('dense', 'batch-norm', 'activation'))",
    );
    expect(remedyText({ settings: [{ option: 'clipNorm', value: '1', flagValue: '1' }] }, remedyTerms(blocks, undefined))).toBe("gradscope study --model 'my model.json' --data 'my data.json' --epochs 4 --learning-rate 0.5 --momentum 0.5 --clip-norm 1");
    // A setting of the run train cannot spell stands in the way unless the remedy replaces it.
    const mixed: RunOnCommandLine = { train: { ...(run.train as Exclude<RunOnCommandLine['train'], { cannot: string }>), unsaid: new Map([['activation', "its hidden layers' activations differ ('sigmoid', 'tanh')"]]) } };
    expect(remedyLines(relu, remedyTerms(mixed, undefined))[0]).toMatch(/^gradscope train .*--activation relu/);
    expect(remedyText({ settings: [{ option: 'init', value: "'he-normal'", flagValue: 'he-normal' }] }, remedyTerms(mixed, undefined))).toBe(
      "init: 'he-normal' (createNetwork option: gradscope train cannot make this run: its hidden layers' activations differ ('sigmoid', 'tanh'))",
    );
  });

  it('quotes words a shell would split, and names the new file after the run\'s, never the run\'s own', () => {
    expect(shellWord('model.json')).toBe('model.json');
    expect(shellWord('my model.json')).toBe("'my model.json'");
    expect(shellWord("it's.json")).toBe("'it'\\''s.json'");
    expect(shellWords(`x ${shellWord("it's a $HOME.json")}`)).toEqual(['x', "it's a $HOME.json"]);
    expect(derivedFileName('runs/relu10.json', [{ name: 'init', value: 'normal:0.05' }])).toBe('runs/relu10-init-normal-0.05.json');
    expect(derivedFileName('m.json', [{ name: 'residual-gate', value: 'none' }, { name: 'norm', value: 'batch-norm' }])).toBe('m-residual-gate-none-batch-norm.json');
    expect(derivedFileName('model.safetensors', [{ name: 'init', value: 'he-normal' }])).toBe('model-he-normal.json');
    expect(derivedFileName('a.b/model', [{ name: 'activation', value: 'relu' }])).toBe('a.b/model-relu');
    expect(derivedFileName('m.json', [{ name: 'layer-rates', value: '[1,2]' }])).toBe('m-layer-rates-1-2.json');
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
    expect(refused(relu, { form: 'flags' })).toBe("INVALID_OPTION: remedyText: terms.form is 'api' or 'command', got \"flags\"");
    expect(refused(relu, { form: 'command' })).toBe("INVALID_OPTION: remedyText: terms in the 'command' form need commandLine (settings → { line } or { cannot }), got undefined");
    // An object that is no remedy at all (a network, a diagnosis) is said as what it is, not as its settings' 'got none'.
    expect(refused({ remedies: [relu] })).toBe('INVALID_OPTION: remedyText: expected a remedy of diagnose() ({ settings, alternative? }), got an object, which has no settings');
  });

  it('names the function called: remedyLines refuses as remedyLines (it said remedyText, which the caller never called)', async () => {
    const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
    expect(() => remedyLines(net as never)).toThrow(/^remedyLines: expected a remedy of diagnose\(\) \(\{ settings, alternative\? \}\), got a Network, which has no settings$/);
    expect(() => remedyLines(undefined as never)).toThrow(/^remedyLines: expected a remedy of diagnose\(\) .*, got none$/);
    expect(() => remedyLines({ settings: [{ option: 'colour', value: "'red'" }] } as never)).toThrow(/^remedyLines: a remedy's settings /);
    expect(() => remedyLines(relu, { form: 'flags' } as never)).toThrow(/^remedyLines: terms\.form is 'api' or 'command'/);
    // A remedy that changes nothing (review50 #8: it printed [''] and '').
    expect(() => remedyLines({ settings: [] })).toThrow(/^remedyLines: a remedy's settings \(and alternative\) are lists of one or more \{ option, .*; got \[\]$/);
    expect(() => remedyText({ ...relu, alternative: [] })).toThrow(/^remedyText: a remedy's settings .*; got \[\]$/);
    net.dispose();
  });

  it('study --model prints its remedies as command lines of its own run, in the terminal and in the report', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope terms '));
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
    const [m, d] = [shellWord(model), shellWord(data)];
    // Rows of --data are none the relu rate was measured on (OWN_ROWS): the run's 0.5 lowered to the largest bound of any row, not the digits' 0.002.
    const rate = ownRowsBound('sgd').rate;
    expect(rate).toBeGreaterThan(RELU_REMEDY_RATES.command.rates.sgd);
    const network = `--layers 6,8,8,8,8,2 --activation relu --output softmax --loss cross-entropy --init he-normal --bias-init zero --data ${d} --epochs 4 --batch-size 10 --learning-rate ${rate}`;
    const out = shellWord(join(folder, `model-relu-he-normal-learning-rate-${rate}.json`));
    // (The alternative's command line is too long to follow 'or:' within READING_WIDTH: it has a line of its own under it.)
    expect(tried).toContain(`  • gradscope train ${network} --out ${out}\n    or:\n    gradscope train --layers 6,8,8,8,8,2 --activation tanh`);
    // A layers remedy is a train line too (--norm, --residual-gate: train makes the change as applyLayersChange does), its second choice a line of its own.
    const sigmoidNet = `--layers 6,8,8,8,8,2 --activation sigmoid --output softmax --loss cross-entropy --init standard --bias-init zero`;
    const changed = (flag: string, value: string) => `gradscope train ${sigmoidNet} --${flag} ${value} --data ${d} --epochs 4 --batch-size 10 --learning-rate 0.5 --out ${shellWord(join(folder, `model-${flag === 'norm' ? '' : `${flag}-`}${value}.json`))}`;
    expect(tried).toContain(`  • ${changed('norm', 'batch-norm')}\n    or:\n    ${changed('norm', 'layer-norm')}\n`);
    expect(tried).toContain(`  • ${changed('residual-gate', 'none')}\n    or:\n    ${changed('residual-gate', 'rezero')}\n`);
    // At --learning-rate 0.5 the rates that equalise these steps pass LAYER_STEP_SIZE_BOUND: none are offered, and LARS's reason says why.
    expect(tried).not.toContain('layerRates');
    expect(flat(tried)).toMatch(/No per-layer rates are offered: equalising the layers' steps would give hidden layer 1 a step size of \S+ \(the learning rate × its rate\) at learning rate 0\.5, past 30,/);
    // A switch of the optimiser runs it at its own rate, not the run's 0.5 (optimizerSwitch).
    expect(tried).toContain(`  • gradscope study --model ${m} --data ${d} --epochs 4 --batch-size 10 --learning-rate 1 --optimizer lars\n`);
    expect(tried).toContain(`  • gradscope study --model ${m} --data ${d} --epochs 4 --batch-size 10 --learning-rate 0.001 --optimizer adam\n`);
    // No option a command line takes is named by its API key; the report is never rewritten by a rerun.
    expect(tried).not.toMatch(/learningRate:|optimizer: '|clipNorm:|batchSize:|layers:|--html/);
    const page = readFileSync(html, 'utf8');
    // The alternative is a second choice on a line of its own, right under the first choice and before its why, as the terminal prints it (report-html's remedyHtml, e88bf5ab).
    const alternative = /\n {4}or:\n {4}(gradscope train --layers 6,8,8,8,8,2 --activation tanh[^\n]*)\n/.exec(tried)![1];
    expect(page).toContain(`${codeHtml(`gradscope train ${network} --out ${out}`)}<p>or: ${codeHtml(alternative)}</p><p>`);
    expect(page).toContain(codeHtml(`gradscope study --model ${m} --data ${d} --epochs 4 --batch-size 10 --learning-rate 1 --optimizer lars`));
    expect(page).not.toContain(codeHtml('optimizer:').replace('</code>', ''));
    // docs/gradient-flow.md quotes this run with its files named as in their folder: the command run and the lines it prints.
    const inFolder = (text: string) => text.replaceAll(m, 'model.json').replaceAll(d, 'data.json').replaceAll(out, `model-relu-he-normal-learning-rate-${rate}.json`);
    const studied = ['gradscope', 'study', '--model', 'model.json', '--data', 'data.json', '--epochs', '4', '--batch-size', '10', '--learning-rate', '0.5'].join(' ');
    expect(codeQuoteOn('docs/gradient-flow.md', 'gradscope study --model model.json --data data.json --epochs 4 --batch-size 10 --learning-rate 0.5')).toBe(studied);
    expect(flat(inFolder(tried))).toContain(` • ${codeQuoteOn('docs/gradient-flow.md', 'gradscope train --layers 6,8,8,8,8,2 --activation relu')} or: `);
    expect(flat(inFolder(tried))).toContain(` • ${codeQuoteOn('docs/gradient-flow.md', 'gradscope study --model model.json --data data.json --epochs 4 --batch-size 10 --learning-rate 1 --optimizer lars')} `);
  }, 60_000);
});
