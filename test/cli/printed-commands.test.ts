// Every command line and command name the CLI prints starts as the user can run gradscope where they
// are: invocation.ts' gradscopeLine (`npx gradscope …` when npm started it or from node_modules/.bin,
// `node bin/gradscope.js …` when node ran the package's bin file,
// `gradscope …` otherwise) builds each one. A command written out in src/ elsewhere prints `gradscope`
// under npx too, where the copied line fails with "command not found": the grep below finds one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { errorMessage } from '../../src/cli/error-line.js';
import { gradientsCommand } from '../../src/cli/commands/gradients.js';
import { studyModelCommand } from '../../src/cli/commands/study-model.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { moreText } from '../../src/cli/commands/main-job.js';
import { LOCAL_COMMAND } from '../../src/cli/invocation.js';
import { remedyTerms, type RunOnCommandLine } from '../../src/cli/remedy-terms.js';
import { UnstatedImportOptions } from '../../src/io/import-options.js';
import { runCliInProcess } from '../util/cli.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every .ts file under `folder`. */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The commands' first words (train, gradients, curvature, convert, study), from the CLI's own list. */
const FIRST_WORDS = [...new Set(COMMANDS.filter((c) => c.words.length).map((c) => c.words[0]))];
/**
 * A command written out: `gradscope` then a command's first word, --help, --version, COMMAND or an
 * interpolation (`gradscope ${words}`); or a list of words starting 'gradscope' and a command's words.
 */
const COMMAND_LITERAL = new RegExp(`gradscope (?:${[...FIRST_WORDS, '--help', '--version', 'COMMAND'].join('|')})\\b|gradscope \\$\\{|'gradscope',\\s*(?:\\.\\.\\.|'(?:${FIRST_WORDS.join('|')})')`);

/** The lines of `text` (a source file) that write a command out, comments left out. */
function commandLiterals(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && COMMAND_LITERAL.test(line));
}

/**
 * The library's own texts that name a command, each file with the words: diagnose()'s sentences, the
 * studies' notes and loadModel's refusals reach API callers and HTML reports as well as the CLI, and
 * the library knows no invocation, so they name the command as the docs do (a study that measured it,
 * the tool that converts), not as a line to copy.
 */
const LIBRARY_NAMES: [file: string, words: string][] = [
  ['flow/diagnosis/progress-sentences.ts', '`gradscope study plateau\\`, which measures its own network, found'],
  ['flow/diagnosis/progress-sentences.ts', '`gradscope curvature --model FILE` measures'],
  ['flow/diagnosis/progress-sentences.ts', 'or `gradscope gradients --model FILE` of two saved models'],
  ['flow/diagnosis/vanishing-optimizer-remedies.ts', 'in `gradscope study remedies` they did not leave the plateau'],
  ['io/files.ts', '(gradscope convert, from the checkpoint)'],
  ['io/files.ts', '(gradscope convert IN OUT.json makes a gradscope model of it)'],
  ['io/safetensors.ts', 'readModelFile (gradscope/node) or gradscope convert'],
];

describe('printed commands: one builder', () => {
  it('no file in src/ but invocation.ts writes a command out (the library\'s names of commands aside)', () => {
    const found = sourceFiles(SRC)
      .map((path) => relative(SRC, path).split('\\').join('/'))
      .filter((file) => file !== 'cli/invocation.ts')
      .flatMap((file) => commandLiterals(readFileSync(join(SRC, file), 'utf8')).map((line) => ({ file, line: line.trim() })))
      .filter(({ file, line }) => !LIBRARY_NAMES.some(([named, words]) => named === file && line.includes(words)));
    expect(found.map(({ file, line }) => `${file}: ${line}`), "build it with gradscopeLine(terminal.invokedAs, words) or commandName (src/cli/invocation.ts, command.ts)").toEqual([]);
    // Each library name is still there: a stale entry would let a command line through unseen.
    for (const [file, words] of LIBRARY_NAMES) expect(commandLiterals(readFileSync(join(SRC, file), 'utf8')).some((line) => line.includes(words)), `${file}: ${words}`).toBe(true);
  });

  it('the grep finds a command written out, in each form, and not the words gradscope alone', () => {
    expect(commandLiterals("  const line = `gradscope train --out ${out}`;")).toHaveLength(1);
    expect(commandLiterals("  throw new UsageError('see gradscope --help');")).toHaveLength(1);
    expect(commandLiterals("  const name = ['gradscope', ...command.words].join(' ');")).toHaveLength(1);
    expect(commandLiterals("  shellLine(['gradscope', 'convert', path, out]);")).toHaveLength(1);
    expect(commandLiterals("  return `and gradscope ${command.words.join(' ')} takes no flag`;")).toHaveLength(1);
    expect(commandLiterals("  // `gradscope study depth` runs it")).toEqual([]);
    expect(commandLiterals("  const formats = ['gradscope', 'safetensors'];")).toEqual([]);
    expect(commandLiterals("  throw bad('this gradscope reads versions 2 and 3');")).toEqual([]);
  });
});

describe('printed commands under npx read npx gradscope', () => {
  const npx = (args: string[]) => runCliInProcess(args, undefined, LOCAL_COMMAND);

  it('usage errors: an unknown command, a bare study, an unknown flag, a job word, too many words', async () => {
    expect((await npx(['xyz'])).stderr).toBe("gradscope: unknown command 'xyz' (a command is one of train, gradients, curvature, convert, study; see npx gradscope --help)\n");
    expect((await npx(['trian'])).stderr).toContain("did you mean 'npx gradscope train'?");
    expect((await npx(['study'])).stderr).toMatch(/^gradscope: 'npx gradscope study' needs --model M \(.*\), or a word after it, one of autoencoder, .* \(see npx gradscope --help\)\n$/);
    expect((await npx(['study', 'nope'])).stderr).toContain("('npx gradscope study' goes on with --model M or with one of autoencoder");
    // 'train | gradients | …' piped one word into the next when pasted: the choices are listed as the flags' are, "one of a, b, c".
    for (const args of [['xyz'], ['study'], ['study', 'nope'], ['study', 'act']]) expect((await npx(args)).stderr, args.join(' ')).not.toContain('|');
    expect((await npx(['train', '--bogus'])).stderr).toMatch(/for 'npx gradscope train' \(it takes .*; see npx gradscope train --help\)\n$/);
    expect((await npx(['trace'])).stderr).toBe(
      "gradscope: unknown command 'trace'; 'npx gradscope study --model M' does that job: it records the gradient-flow trace of your model as it trains (--csv FILE writes it; npx gradscope gradients gives the gradients at one point) (see npx gradscope study --help)\n",
    );
    expect((await npx(['report'])).stderr).toContain('(npx gradscope with no command writes');
    expect((await npx(['train', 'extra'])).stderr).toBe("gradscope: 'npx gradscope train' takes no words besides its flags, got 'extra'\n");
  });

  it('--help: every usage, the help lines and each command\'s title, usage and example', async () => {
    const help = (await npx(['--help'])).stdout;
    const usages = help.split('\n').filter((line) => /^ {2}(npx )?gradscope\b/.test(line));
    expect(usages.length).toBe(COMMANDS.length + 2);
    for (const line of usages) expect(line).toMatch(/^ {2}npx gradscope( |$)/);
    expect(help).toContain('this text; npx gradscope COMMAND --help:');
    expect(help).toContain("The main job's flags (e.g. npx gradscope --seeds 5");
    for (const command of COMMANDS.filter((c) => c.words.length)) {
      const own = (await npx([...command.words, '--help'])).stdout;
      expect(own.startsWith(`npx gradscope ${command.words.join(' ')}: `), own).toBe(true);
      expect(own).toContain(`Usage: npx gradscope ${command.usage}`);
      expect(own).toContain(`Example:\n  npx gradscope ${command.example}\n`);
    }
  });

  // 'More: npx gradscope study depth | activations | …' piped one command into the next when pasted (session 34's list).
  it("the main job's closing commands: each line runs as pasted, a command the CLI knows, its note a shell comment", async () => {
    const lines = moreText(LOCAL_COMMAND).split('\n');
    expect(lines[0]).toBe('More, one command a line:');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(1)) {
      // Nothing a shell reads as a pipe, a pattern or a redirection before the comment.
      const [, words] = /^ {2}npx gradscope ([^#]*?) +# \S/.exec(line) ?? [];
      expect(words, line).toMatch(/^[\w -]+$/);
      const args = words.split(' ');
      const run = await npx(args.includes('--help') ? args : [...args, '--help']);
      expect([run.code, run.stderr], line).toEqual([0, '']);
      expect(run.stdout.startsWith(`npx gradscope ${args.filter((a) => a !== '--help').join(' ')}: `), line).toBe(true);
    }
  });

  it("a checkpoint name's convert line (train --out)", async () => {
    const run = await npx(['train', '--out', 'm.safetensors']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('`npx gradscope convert m.json m.safetensors` writes');
  });

  it("the remedies' lines and a run no train line makes", () => {
    const run: RunOnCommandLine = {
      train: { command: trainCommand, flags: new Map([['layers', '6,8,2']]), unsaid: new Map(), output: { flag: 'out', from: 'm.json' } },
    };
    const line = remedyTerms(run, LOCAL_COMMAND);
    expect(line.commandLine?.([{ option: 'activation', value: "'relu'", flagValue: 'relu' }])).toEqual({ line: 'npx gradscope train --layers 6,8,2 --activation relu --out m-relu.json' });
    const rerun = remedyTerms({ rerun: { command: studyModelCommand, flags: new Map([['model', 'm.json']]), unsaid: new Map() }, train: run.train }, LOCAL_COMMAND);
    expect(rerun.commandLine?.([{ option: 'learningRate', value: '0.1', flagValue: '0.1' }])).toEqual({ line: 'npx gradscope study --model m.json --learning-rate 0.1' });
    const refused = remedyTerms({ rerun: undefined, train: { ...run.train, unsaid: new Map([['init', 'it does not record it']]) } as RunOnCommandLine['train'] }, LOCAL_COMMAND);
    expect(refused.commandLine?.([{ option: 'learningRate', value: '0.1', flagValue: '0.1' }])).toEqual({ cannot: 'npx gradscope train cannot make this run: it does not record it' });
  });

  it("a model file that lacks what gradients' flags cannot say: the convert command to run first", () => {
    const lacks = new UnstatedImportOptions('__metadata__', 'has no "loss"', ['loss'], 'to say what the model was trained on', undefined, 'm.safetensors');
    const said = errorMessage(lacks, gradientsCommand, LOCAL_COMMAND);
    expect(said).toContain('and npx gradscope gradients takes no flag to say');
    expect(said).toContain('convert the file first: npx gradscope convert m.safetensors m.json --loss L (npx gradscope convert --help lists');
    expect(said).not.toMatch(/(^|[^x] )gradscope (convert|gradients)/);
  });
});
