// Numeric flags are checked before any work starts: a bad value is one line on stderr and exit 2.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { chosenContenders } from '../../src/studies/remedies.js';
import { numberFlag, parseArgs, wholeListFlag } from '../../src/cli/command.js';
import type { Bound } from '../../src/checks.js';
import { grouped } from '../../src/counted.js';
import {
  ACTIVATION_EPOCHS_BOUND,
  AUTOENCODER_POINTS_BOUND,
  BUDGET_MULTIPLE_BOUND,
  DEPTH_SEEDS_BOUND,
  MODEL_EPOCHS_BOUND,
  NIELSEN_EPOCHS_BOUND,
  PLATEAU_POINTS_BOUND,
  SECONDS_BOUND,
  STEPS_BOUND,
  TRAINABLE_EPOCHS_BOUND,
} from '../../src/studies/study-bounds.js';
import { PLATEAU_K_BOUND } from '../../src/studies/plateau.js';
import { runCliInProcess } from '../util/cli.js';

describe('numeric flags', () => {
  // In-process (main(), whose code main.ts sets as the exit code): the refusal is main()'s alone. Each
  // case ran the tsx command before, ~1.3 s of session 32's quiet CI runs (25–28 s for the file).
  it.each([
    [['--epochs', '-1'], /--epochs must be ≥ 0, got '-1'/],
    [['--epochs', '2.5'], /--epochs needs a whole number in decimal digits, got '2\.5'/],
    // Integer flags take decimal digits only: Number() would read 0x10 as 16 seeds and 1e3 as 1000.
    [['--seeds', '0x10'], /^gradscope: --seeds needs a whole number in decimal digits, got '0x10'$/],
    [['--seeds', '1e3'], /^gradscope: --seeds needs a whole number in decimal digits, got '1e3'$/],
    [['study', 'trainable-depth', '--depths', '2,0x10'], /^gradscope: --depths needs whole numbers ≥ 1 separated by commas, got '2,0x10'$/],
    // Seeds are the RNG's 32 bits: -1 and 2^32 would repeat the streams of 2^32 - 1 and 0.
    [['--seed', '-1'], /^gradscope: --seed must be ≥ 0, got '-1'$/],
    [['--seed', '4294967296'], /^gradscope: --seed must be ≤ 4,294,967,295 \(the random number generator's seed is 32 bits\), got '4294967296'$/],
    [['--seeds', '0'], /--seeds must be ≥ 1, got '0'/],
    // One message per kind of flag, whatever was typed: an integer flag given a word said 'needs a number', given a fraction 'a whole number'.
    [['study', 'depth', '--seeds', 'many'], /--seeds needs a whole number in decimal digits, got 'many'/],
    [['--epochs', 'abc'], /^gradscope: --epochs needs a whole number in decimal digits, got 'abc'$/],
    [['train', '--epochs', 'abc'], /^gradscope: --epochs needs a whole number in decimal digits, got 'abc'$/],
    [['train', '--epochs', '1.5'], /^gradscope: --epochs needs a whole number in decimal digits, got '1\.5'$/],
    [['train', '--learning-rate', 'abc'], /^gradscope: --learning-rate needs a decimal number, got 'abc'$/],
    // Other numeric flags take decimal notation only too: Number() read --learning-rate 0x10 as 16 and 0b11 as 3.
    [['train', '--learning-rate', '0x10'], /^gradscope: --learning-rate needs a decimal number, got '0x10'$/],
    [['study', 'remedies', '--seconds', '0b11'], /^gradscope: --seconds needs a decimal number, got '0b11'$/],
    [['study', 'remedies', '--seconds', '0'], /--seconds must be > 0, got '0'/],
    [['study', 'activations', '--width', '1e400'], /--width needs a whole number in decimal digits, got '1e400'/],
    // A whole number past 2⁵³ − 1 was read as the nearest double (99999999999999999999 as 1e20) and trained on.
    [['train', '--epochs', '99999999999999999999'], /^gradscope: --epochs must be ≤ 9,007,199,254,740,991 \(2⁵³ − 1, the largest whole number held exactly\), got '99999999999999999999'$/],
    // The flag's own bounds come first, naming its rule: ≥ 0 for epochs, a seed's 32-bit limit.
    [['train', '--epochs', '-99999999999999999999'], /^gradscope: --epochs must be ≥ 0, got '-99999999999999999999'$/],
    [['train', '--seed', '99999999999999999999'], /^gradscope: --seed must be ≤ 4,294,967,295.*, got '99999999999999999999'$/],
    // A count of seeds has a bound (1e9 was taken and would never end); the main job shares --seeds with study depth.
    [['--seeds', '1000000000'], /^gradscope: --seeds must be ≤ 1,000 \(.*\), got '1000000000'$/],
  ])('gradscope %j is refused', async (args, message) => {
    const { code, stdout, stderr } = await runCliInProcess(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(message);
  });
});

// Counts that set how long a study runs have a bound, the library's (study-bounds.ts): above it exit 2
// saying why, at it taken; --help says both.
describe('bounded count flags', () => {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  it.each<[string[], string, Bound]>([
    [['study', 'remedies'], 'seconds', SECONDS_BOUND],
    [['study', 'autoencoder'], 'seconds', SECONDS_BOUND],
    [['study', 'autoencoder'], 'points', AUTOENCODER_POINTS_BOUND],
    [['study', 'activations'], 'epochs', ACTIVATION_EPOCHS_BOUND],
    [['study', 'depth'], 'epochs', NIELSEN_EPOCHS_BOUND],
    [[], 'epochs', NIELSEN_EPOCHS_BOUND],
    [['study', 'plateau'], 'epochs', NIELSEN_EPOCHS_BOUND],
    [['study', 'plateau'], 'points', PLATEAU_POINTS_BOUND],
    [['study', 'plateau'], 'k', PLATEAU_K_BOUND],
    [['study', 'trainable-depth'], 'epochs', TRAINABLE_EPOCHS_BOUND],
    [['study'], 'epochs', MODEL_EPOCHS_BOUND],
    [['study', 'depth'], 'seeds', DEPTH_SEEDS_BOUND],
  ])('gradscope %j --%s: above the bound exit 2 saying why; the bound itself taken; --help says it', async (words, name, bound) => {
    // The model study needs its files named first (it reads none before checking its flags).
    const files = words.join(' ') === 'study' ? ['--model', 'm.json', '--data', 'd.json'] : [];
    const refused = await runCliInProcess([...words, ...files, `--${name}`, String(bound.max + 1)]);
    expect(refused.stderr.trimEnd()).toBe(`gradscope: --${name} must be ≤ ${grouped(bound.max)} (${bound.why}), got '${bound.max + 1}'`);
    expect(refused.stdout).toBe('');
    expect(refused.code).toBe(2);
    const command = COMMANDS.find((c) => c.words.join(' ') === words.join(' '))!;
    expect(numberFlag(parseArgs(command, [`--${name}`, String(bound.max)]), name)).toBe(bound.max);
    const help = (await runCliInProcess([...words, '--help'])).stdout;
    expect(help).toMatch(new RegExp(`^  --${name} \\S+ .*${literal(`(at most ${bound.max}: ${bound.why})`)} \\(default: [^)]+\\)$`, 'm'));
  });
});

// --steps, the budget that replays, has the library's bound too; it has no default (absent, --seconds is the budget).
describe('study remedies and study autoencoder --steps', () => {
  it.each([['study', 'remedies'], ['study', 'autoencoder']])('gradscope %s %s --steps: above the bound exit 2 saying why; the bound itself taken; --help says it', async (...words) => {
    const refused = await runCliInProcess([...words, '--steps', String(STEPS_BOUND.max + 1)]);
    expect([refused.code, refused.stdout, refused.stderr.trimEnd()]).toEqual([2, '', `gradscope: --steps must be ≤ ${grouped(STEPS_BOUND.max)} (${STEPS_BOUND.why}), got '${STEPS_BOUND.max + 1}'`]);
    const command = COMMANDS.find((c) => c.words.join(' ') === words.join(' '))!;
    expect(numberFlag(parseArgs(command, ['--steps', String(STEPS_BOUND.max)]), 'steps')).toBe(STEPS_BOUND.max);
    const help = (await runCliInProcess([...words, '--help'])).stdout.replace(/\n {4,}/g, ' ');
    expect(help).toContain(`(at most ${STEPS_BOUND.max}: ${STEPS_BOUND.why})`);
  });
});

// `gradscope train` keeps no trace, so the bound study --model takes for its report's sake is not its own: train() takes any number.
describe('gradscope train --epochs', () => {
  it('has no upper bound, and --help gives no reason for one', async () => {
    const command = COMMANDS.find((c) => c.words.join(' ') === 'train')!;
    expect(numberFlag(parseArgs(command, ['--epochs', String(MODEL_EPOCHS_BOUND.max + 1)]), 'epochs')).toBe(MODEL_EPOCHS_BOUND.max + 1);
    const line = (await runCliInProcess(['train', '--help'])).stdout.split('\n').find((l) => l.startsWith('  --epochs'))!;
    expect(line).toMatch(/^  --epochs N +epochs of training; 0: none, the network measured and saved \(--out\) as made \(default: 10\)$/);
  });
});

// A list of counts has its bound too: --budgets multiplies --epochs (1000 × 100000 was taken).
describe('bounded list flags', () => {
  it('--budgets: an entry above the bound is exit 2 saying why; the bound itself taken; --help says it', async () => {
    const { max, why } = BUDGET_MULTIPLE_BOUND;
    const refused = await runCliInProcess(['study', 'trainable-depth', '--budgets', `1,${max + 1}`]);
    expect(refused.stderr.trimEnd()).toBe(`gradscope: --budgets takes numbers ≤ ${max} (${why}), got '1,${max + 1}'`);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    const command = COMMANDS.find((c) => c.words.join(' ') === 'study trainable-depth')!;
    expect(wholeListFlag(parseArgs(command, ['--budgets', `1,${max}`]), 'budgets', 1)).toEqual([1, max]);
    expect((await runCliInProcess(['study', 'trainable-depth', '--help'])).stdout).toContain(`(at most ${max}: ${why})`);
  });
});

describe('defaults that depend on another flag', () => {
  it("study remedies --help lists the optimisers the study runs, and each it cannot with why, from the registry's rules", async () => {
    const help = (await runCliInProcess(['study', 'remedies', '--help'])).stdout;
    const line = help.split('\n').find((l) => l.startsWith('  --optimizers'))!;
    const runnable = chosenContenders().map((c) => c.label);
    expect(line).toContain(`of ${runnable.join(', ')} (default: all of them)`);
    expect(runnable).not.toContain('levenberg-marquardt');
    expect(line).toMatch(/not on this study's network: levenberg-marquardt needs the quadratic cost \(loss 'mse'\)/);
  });

  it("--papers says its default is 0 with --quick (the table's default 1 was shown alone)", async () => {
    expect((await runCliInProcess(['study', 'trainable-depth', '--help'])).stdout).toMatch(/^  --papers 1\|0\|only .*\(default: 1; 0 with --quick\)$/m);
  });
});

// Names and widths are checked by the command line before any work, as every other value is: exit 2
// with a "did you mean", never the study's INVALID_OPTION (exit 1) after its first lines.
describe('list and width flags', () => {
  it.each([
    [['study', 'remedies', '--optimizers', 'adma'], /^gradscope: --optimizers: unknown 'adma'; did you mean 'adam'\? \(one of sgd, .*\)$/],
    // The study's net trains cross-entropy: Levenberg-Marquardt (mse only) can never run there (it printed 'done', then 'not run', exit 0).
    [['study', 'remedies', '--seconds', '0.5', '--optimizers', 'levenberg-marquardt'], /^gradscope: --optimizers: 'levenberg-marquardt' cannot train the study's network \(cross-entropy, [\d,]+ parameters\): needs the quadratic cost \(loss 'mse'\)/],
    [['study', 'autoencoder', '--optimizers', 'hessianfree'], /^gradscope: --optimizers: unknown 'hessianfree'; did you mean 'hessian-free'\? \(one of hessian-free, adam, sgd-momentum\)$/],
    [['study', 'trainable-depth', '--remedies', 'foo'], /^gradscope: --remedies: unknown 'foo' \(one of /],
    [['study', 'activations', '--width', '99999999'], /^gradscope: --width must be ≤ 1,048,576, got '99999999'$/],
    [['study', 'activations', '--width', '9000'], /^gradscope: --width 9000: its largest network: 331,191,010 parameters exceeds the limit of 268,435,456/],
    [['--width', '99999999'], /^gradscope: --width must be ≤ 1,048,576/],
    // Every list flag refuses a repeat the same way (--optimizers dropped it silently, --remedies refused it).
    [['study', 'remedies', '--optimizers', 'adam,adam'], /^gradscope: --optimizers lists adam twice \(each runs once\), got 'adam,adam'$/],
    [['study', 'autoencoder', '--optimizers', 'adam,adam'], /^gradscope: --optimizers lists adam twice \(each runs once\)/],
    [['study', 'trainable-depth', '--remedies', 'adam,adam'], /^gradscope: --remedies lists adam twice \(each runs once\)/],
    [['study', 'trainable-depth', '--depths', '5,05'], /^gradscope: --depths lists 05 twice \(each runs once\)/],
    [['study', 'autoencoder', '--loss', 'bcee'], /^gradscope: --loss must be one of bce, mse, got 'bcee'; did you mean 'bce'\?$/],
    [['convert', 'a.json', 'b.json', '--layers', 'fc1,fc1'], /^gradscope: --layers lists fc1 twice \(each layer is imported once\)/],
    // An empty list is refused too (the library refuses [] the same way).
    [['study', 'remedies', '--optimizers', ''], /^gradscope: --optimizers needs a value, got an empty one$/],
    [['study', 'autoencoder', '--optimizers', ','], /^gradscope: --optimizers has an empty entry, got ','$/],
  ])('gradscope %j: one line, exit 2, no work', async (args, message) => {
    const { code, stdout, stderr } = await runCliInProcess(args);
    expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });
});

// A flag or a word given empty is refused before any work: --html '', --csv '' and --save '' ran the
// whole job and wrote nothing, exit 0; --model '' said "IO_ERROR: : cannot read"; convert IN '' named
// the API's writeModelFile.
describe('empty values', () => {
  it.each([
    [['study', 'depth', '--html', ''], /^gradscope: --html needs a value, got an empty one$/],
    [['study', '--model', 'm.json', '--data', 'd.json', '--csv', ''], /^gradscope: --csv needs a value, got an empty one$/],
    [['study', '--model', 'm.json', '--data', 'd.json', '--save', ' '], /^gradscope: --save needs a value, got an empty one$/],
    [['gradients', '--model', '', '--data', 'd.json'], /^gradscope: --model needs a value, got an empty one$/],
    [['gradients', '--model=', '--data', 'd.json'], /^gradscope: --model needs a value, got an empty one$/],
    [['study', 'depth', '--seeds', ''], /^gradscope: --seeds needs a value, got an empty one$/],
    [['convert', 'model.json', ''], /^gradscope: 'gradscope convert' needs OUT, got an empty word$/],
    [['convert', '', 'out.json'], /^gradscope: 'gradscope convert' needs IN, got an empty word$/],
  ])('gradscope %j: one line, exit 2, no work', async (args, message) => {
    const { code, stdout, stderr } = await runCliInProcess(args);
    expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
    expect([code, stdout]).toEqual([2, '']);
  });
});

// newuser27: `--init normal:-1` was refused in the API's words, "--init: { name: 'normal' } needs a std > 0 … got -1".
describe('a normal init out of range, in the flag\'s words', () => {
  it.each([
    [['--init', 'normal:-1'], "--init normal:STD needs STD > 0 and ≤ 2.09e+15 (its draws, up to 8.58·STD, must stay within ±1.80e+16, the largest parameter training keeps and model files hold (float32 products beyond it overflow)), got 'normal:-1'"],
    [['--init', 'normal:0'], "--init normal:STD needs STD > 0 and ≤ 2.09e+15 (its draws, up to 8.58·STD, must stay within ±1.80e+16, the largest parameter training keeps and model files hold (float32 products beyond it overflow)), got 'normal:0'"],
    [['--bias-init', 'normal:3e15'], "--bias-init normal:STD needs STD ≥ 0 and ≤ 2.09e+15 (its draws, up to 8.58·STD, must stay within ±1.80e+16, the largest parameter training keeps and model files hold (float32 products beyond it overflow)), got 'normal:3e15'"],
  ])('gradscope train %j names the flag and the value typed', async (flags, message) => {
    const { code, stdout, stderr } = await runCliInProcess(['train', ...flags, '--epochs', '0']);
    expect([code, stdout, stderr.trimEnd()]).toEqual([2, '', `gradscope: ${message}`]);
  });
  it('takes a bias std of 0 (every bias 0), as createNetwork does', async () => {
    const { code, stderr } = await runCliInProcess(['train', '--bias-init', 'normal:0', '--epochs', '0', '--train', '100', '--test', '100']);
    expect(code, stderr).toBe(0);
  });
});
