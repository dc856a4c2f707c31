// README's Command line example, run as written: `gradscope train` of Nielsen's four sigmoid layers of 30 for 2 epochs,
// then the `study --model` command train prints. README says where the first ends (its shell comment), quotes the
// study's diagnosis and names two of its remedies' commands; each is held here to what the two commands print, so a
// change to the training, the diagnosis or its remedies that moves them fails until README is re-run, not re-typed.
// (The example was a relu/He network trained with Adam, whose first study read OVERFITTING from a fresh Adam's 10 more
// epochs: true, but no vanishing gradient for a newcomer to see; newuser37.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../util/cli.js';
import { fencedBlocks } from '../util/markdown-examples.js';
import { flat } from '../util/printed-text.js';
import { grouped } from '../../src/counted.js';
import { TRAINING_CHECK_MAX_ROWS } from '../../src/training/training-check-rows.js';

const README_TEXT = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const README = flat(README_TEXT);
const INVOKED = 'npx gradscope';
const folder = mkdtempSync(join(tmpdir(), 'gradscope-readme-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The shell block of README's Command line section that saves model.json: its commands and their comments. */
function exampleLines(): { command: string; comment: string }[] {
  const section = README_TEXT.slice(README_TEXT.indexOf('## Command line'), README_TEXT.indexOf('## API'));
  const block = fencedBlocks(section).find((b) => b.language === 'sh' && b.code.includes('--out model.json'));
  if (!block) throw new Error("README's Command line section has no sh block with --out model.json");
  return block.code.split('\n').map((line) => {
    const [command, comment = ''] = line.split(/\s+#\s*/);
    return { command: command.trim(), comment: comment.trim() };
  });
}

/** The words of a README command after `npx gradscope`, with model.json in this test's folder. */
const words = (command: string) => command.slice(`${INVOKED} `.length).split(/\s+/).map((word) => (word === 'model.json' ? join(folder, word) : word));

/** The study's words README quotes, each as it prints them. */
const QUOTES = [
  'Diagnosis: VANISHING',
  "Vanishing gradients (severe): one example's gradient δ at the first hidden layer is 1/384 of the last hidden layer's",
  'A plateau',
  'without converging',
  'at chance',
  "the last hidden layer's ‖∂C/∂b‖ of the mean loss over 1,000 fixed rows fell 1.99× over training time (from the run's start to its end), less than the 100× this diagnosis calls fading",
  'Its batch ‖∂C/∂b‖ (a batch of 32 rows, what the steps use) fell 1.04×',
  'What to try',
];

describe("README's train → study --model example", () => {
  it('runs as written, ends where README says, and the study says what README quotes', async () => {
    const [train, study] = exampleLines();
    expect(train.command.startsWith(`${INVOKED} train `), train.command).toBe(true);
    const trained = await runCliInProcess(words(train.command), undefined, INVOKED);
    expect(trained.code, trained.stderr).toBe(0);
    // The comment's accuracy is the last epoch's line.
    const accuracy = /test accuracy ([\d.]+ %)$/.exec(train.comment)?.[1];
    expect(accuracy, train.comment).toBeDefined();
    expect(trained.stdout).toMatch(new RegExp(`^epoch 2/2 .* test accuracy ${accuracy!.replace('.', '\\.')}$`, 'm'));
    // README's second line is the command train printed at its end.
    const model = join(folder, 'model.json');
    expect(trained.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${INVOKED} study --model ${model}`);
    expect(study.command).toBe(`${INVOKED} study --model model.json`);

    const studied = await runCliInProcess(words(study.command), undefined, INVOKED);
    expect(studied.code, studied.stderr).toBe(0);
    const said = flat(studied.stdout);
    for (const quote of QUOTES) {
      expect(README, quote).toContain(quote);
      expect(said, quote).toContain(quote);
    }
    // The fixed rows of the over-time answer: trainingCheckRows' rule, and this run's count as the quote above prints it (review47 #12:
    // README said "the 1,000 training rows", true of this run alone).
    const [rule, here] = /on the training rows whose loss it reports \(as many as its held-out rows, at most ([\d,]+), evenly spaced: here ([\d,]+)\)/.exec(README)!.slice(1);
    expect(rule).toBe(grouped(TRAINING_CHECK_MAX_ROWS));
    expect(said).toContain(`of the mean loss over ${here} fixed rows fell`);
    // Its closing lines: the curvature command for where it ended, after the --save that keeps that network (test/cli/curvature-next).
    expect(README).toContain('add `--save model-trained.json` to its command, then run `npx gradscope curvature --model model-trained.json --train 9000` (on all 9,000 digits it trained on');
    expect(said).toContain(`on all 9,000 rows it trained on (`);
    expect(said).toContain(`add --save ${join(folder, 'model-trained.json')} to this command`);
    expect(studied.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${INVOKED} curvature --model ${join(folder, 'model-trained.json')} --train 9000`);
    // The two remedies README names, as the study prints their commands.
    expect(README).toContain('`npx gradscope train --layers 784,30,30,30,30,10 --activation relu … --init he-normal … --learning-rate 0.002 --out …`');
    expect(said).toMatch(/npx gradscope train --layers 784,30,30,30,30,10 --activation relu \S.* --init he-normal \S.* --learning-rate 0\.002 --out \S+/);
    expect(README).toContain('`npx gradscope study --model model.json --learning-rate 0.001 --optimizer adam`');
    const adam = `study --model ${model} --learning-rate 0.001 --optimizer adam`;
    expect(said).toContain(`${INVOKED} ${adam}`);

    // Each of the two, run as printed, leaves the plateau as README says.
    const relu = new RegExp(`${INVOKED} (train --layers 784,30,30,30,30,10 --activation relu .*)$`, 'm').exec(studied.stdout)?.[1];
    expect(relu, studied.stdout).toBeDefined();
    const reluRun = await runCliInProcess(relu!.split(' '), undefined, INVOKED);
    expect(reluRun.code, reluRun.stderr).toBe(0);
    const reluAccuracy = /^epoch 10\/10 .* test accuracy ([\d.]+ %)$/m.exec(reluRun.stdout)?.[1];
    expect(README).toContain(`the relu network's 10 epochs end at test accuracy ${reluAccuracy},`);
    const adamRun = await runCliInProcess(adam.split(' '), undefined, INVOKED);
    expect(adamRun.code, adamRun.stderr).toBe(0);
    const adamAccuracy = /^10 +\S+ +([\d.]+ %)/m.exec(adamRun.stdout)?.[1];
    expect(README).toContain(`and Adam's at ${adamAccuracy}, its diagnosis`);
    for (const quote of ['Vanishing gradients (severe at the first step, closed during training)', 'Still learning']) {
      expect(README, quote).toContain(`*"${quote}"*`);
      expect(flat(adamRun.stdout), quote).toContain(quote);
    }
  }, 240_000);
});
