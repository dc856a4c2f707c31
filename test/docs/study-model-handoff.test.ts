// README's Command line section: `gradscope train --out` ends with a `gradscope study --model` command that repeats
// train's rows and training flags but --epochs, and that study starts a fresh optimiser, since study --model does
// not resume the state saved with the model. README said the study "trains as train did": a newcomer who trained
// with adam and ran the printed command saw a fresh adam lift the test loss it had reached. docs/cli.md said it too
// ("training it on as `train` did") after README had been corrected.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';

const README = flat(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
const CLI_DOC = flat(readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8'));
const folder = mkdtempSync(join(tmpdir(), 'gradscope-handoff-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("README's train → study --model hand-off", () => {
  it('says what the printed command carries and that the optimiser starts fresh', () => {
    expect(README).toContain("That command repeats `train`'s rows and training flags but `--epochs` (the study trains its own, 10 by default)");
    expect(README).toContain('`study --model` does not resume the optimiser state saved with the model, and says so');
  });

  it('is told alike in docs/cli.md, and neither page says the study trains as train did', () => {
    expect(CLI_DOC).toContain("training it on with `train`'s settings from a fresh optimiser");
    for (const page of [README, CLI_DOC]) expect(page).not.toMatch(/as `?train`? did/);
  });

  it('is what the two commands do', async () => {
    const data = join(folder, 'data.json');
    const inputs = Array.from({ length: 24 }, (_, r) => [r % 2, (r >> 1) % 2, ((r >> 2) % 3) / 2]);
    writeFileSync(data, JSON.stringify({ inputs, targets: inputs.map(([a, b]) => (a !== b ? [0, 1] : [1, 0])) }));
    const model = join(folder, 'model.json');
    const train = await runCliInProcess(['train', '--data', data, '--layers', '3,8,2', '--optimizer', 'adam', '--learning-rate', '0.01', '--batch-size', '8', '--epochs', '2', '--out', model]);
    expect(train.code, train.stderr).toBe(0);
    // The command is train's last line, whole, to paste.
    const printed = /^  gradscope (study --model .*)$/.exec(train.stdout.trimEnd().split('\n').at(-1)!)?.[1];
    expect(printed, train.stdout).toBe(`study --model ${model} --data ${data} --batch-size 8 --learning-rate 0.01 --optimizer adam`);
    const study = await runCliInProcess(printed!.split(' '));
    expect(study.code, study.stderr).toBe(0);
    // 2 epochs of 3 batches: adam's 6 steps, saved with the model and not resumed; the study's own 10 epochs.
    expect(flat(study.stdout)).toContain(`${model} holds adam's optimiser state (6 steps), which study --model does not resume: this run trains with a fresh adam.`);
    expect(study.stdout).toMatch(/^\S+ on 24 rows, 10 epochs,/m);
  });
});
