// Every number --help states comes from the code it describes: no digit is typed into the text of a
// help (a flag's line, a summary, a note, a bound's reason) where the code holds the value, so a
// changed default, bound or size cannot leave its help behind. Read with the TypeScript scanner:
// each string literal and template part of src/ that gradscope --help or a command's --help prints,
// and each digit in it, must be one of the kinds below that are not the code's values (a type's
// name, a paper's year, a command line's own value, what 0 means), or a fragment recorded here with
// why it is written out (a paper's figures, a measurement's record, a formula).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/cli.js';
import { runCliInProcess } from '../util/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Digits that are not a value of the code, each kind with why. */
const NOT_VALUES: { pattern: RegExp; why: string }[] = [
  { pattern: /float(32|64)/g, why: "a number type's name" },
  { pattern: /2⁻¹²⁶/g, why: "float32's smallest normal number, a fact of the format (FLOAT32_MIN_NORMAL is printed beside it)" },
  { pattern: /(\(|et al\. )(19|20)\d\d\)?/g, why: "a paper's year" },
  { pattern: /(^|[(; ])0: /g, why: 'what the value 0 means, where the flag takes it' },
  { pattern: /> 0\b/g, why: 'a positive value' },
  { pattern: /`gradscope [^`]*`/g, why: 'a command line quoted, its values its own' },
  { pattern: /U\[±1\/√n(_in)?\]|N\(0, STD²\)/g, why: 'a distribution written as a formula' },
  { pattern: /fc1,fc2/g, why: "a placeholder's names" },
];

/** Fragments whose digits are written out, each with why; each must still be printed (a stale entry fails). */
const WRITTEN_OUT = new Map<string, string>([
  ["1 runs the papers' own small experiments after the study, 0 leaves them out, only runs them alone (default: 1; 0 with --quick)", "--papers' words, which papersFlag reads as they are written"],
  [": orthonormal, rescaled on the first batch before epoch 0 is measured, as train's lsuv; default: ", 'epoch 0 is the measure before any training, as every run numbers it'],
  ['Glorot & Bengio scaled down: mean activation, 98th percentile, saturation or dead units, gradient histograms and test error per activation × init', "the trace's activationP98, whose name holds it"],
  ["beyond it the weight decay factor 1 − ηλ/n (η = ", 'a formula'],
  ['N(0, ', "a normal distribution's notation, N(0, σ²): its mean 0 is the notation's, not a value the code holds (init-remedies' initDraws)"],
  [" digits) is below 0: each step would flip the weights' sign", 'a formula'],
  ["measure the whole network only, not each layer's diagonal blocks of H and G: at most 2·T + 2·(min(n, ", "plannedProducts' formula (test/docs/curvature-cost checks the counts it gives)"],
  ['Cost: at most 2·T + 2·(min(n, ', "plannedProducts' formula"],
  ['what each point measures: the objective the network trains on, C + (λ/2n)‖w‖², or the cross-entropy C alone on the same weights (the L2 term trains them either way)', "the L2-regularised objective's formula (Nielsen's cost)"],
  ...[
    "and their test errors come from Shapeset-3×2, MNIST (50,000 training digits, 10,000 for validation, 10,000 for test), CIFAR-10 and Small-ImageNet. ",
    'where their activation and gradient figures use Shapeset-3×2 (32×32 images generated without end, so no example is seen twice) ',
    ' units per hidden layer (--width), where theirs have 1,000. ',
    ' hidden layers, where they chose 1 to 5 per model on validation error (their sigmoid figures: 4). ',
    'where their learning rates were judged after 5 million. ',
    'Where it differs from Martens (2010) and his nnet_train_2.m: the network is ',
    "where his (Hinton & Salakhutdinov's) is 784-1000-500-250-30-250-500-1000-784 with a linear code layer of 30; ",
    " (--train), where he trains on MNIST's 60,000; ",
    "his objective adds an L2 weight cost of 2e-5 (weightcost, on weights and biases), where gradscope's Hessian-free has no weight decay; ",
  ].map((fragment): [string, string] => [fragment, "the paper's own setting, beside gradscope's (read from the code)"]),
  ['L2 regularisation on the weights (0: none)', 'L2 is the name of the penalty'],
  [', biases at 0 and their standard init U[±1/√n] against their normalised one (glorot-uniform), ', "the paper's biases, which the study keeps (its networks' bias init, 'zero')"],
]);

/** Every .ts file under src/. */
function sourceFiles(folder = join(root, 'src')): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The text of each string literal and template part of `file` that holds a digit, with its line. */
function literalsWithDigits(file: string): { text: string; at: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: { text: string; at: string }[] = [];
  source.forEachChild(function walk(node: ts.Node): void {
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
    if (literal && /\d/.test(node.text)) found.push({ text: node.text, at: `${file.slice(root.length)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}` });
    node.forEachChild(walk);
  });
  return found;
}

describe('numbers in --help', () => {
  it('come from the code: no help text types a digit of a value the code holds', async () => {
    const helps = await Promise.all([[], ...COMMANDS.filter((c) => c.words.length).map((c) => c.words)].map(async (words) => (await runCliInProcess([...words, '--help'])).stdout));
    const help = helps.join('\n');
    // A command's example is a command line a user types, its values their own (test/cli/command-line parses each).
    const examples = new Set(COMMANDS.map((c) => c.example));
    const printed = sourceFiles()
      .flatMap(literalsWithDigits)
      .filter(({ text }) => text.trim().length >= 3 && help.includes(text) && !examples.has(text));
    const typed = printed.filter(({ text }) => !WRITTEN_OUT.has(text) && /\d/.test(NOT_VALUES.reduce((rest, { pattern }) => rest.replace(pattern, ' '), text)));
    expect(typed.map(({ text, at }) => `${at}: ${text}`), 'interpolate the constant the code uses, or record here why the digits are written out').toEqual([]);
    const stale = [...WRITTEN_OUT.keys()].filter((text) => !printed.some((p) => p.text === text));
    expect(stale, 'recorded fragments no help prints any more').toEqual([]);
  });
});
