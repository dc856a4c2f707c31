/**
 * The rows a command that trains a network the user names takes (`gradscope train`, `gradscope
 * study --model`): a --data file, measured on its own rows or on a --test-data file's held-out rows,
 * or without one the bundled digits, --train of them to train on and the --test after them to measure on. One reader, so a model `train` made on the digits is
 * studied on the same digits with the same flags. A command that measures a model on its training
 * rows without training it (`gradscope gradients`, `gradscope curvature`) takes the same --data and
 * --train (measuredRows). Every one reads --data through checkedDataRows: its values first.
 */
import { checkPairs, toMatrix, type Matrix, type Rows } from '../data/matrix.js';
import { loadDigitSplit, MNIST_CLASSES, MNIST_DIGITS, MNIST_PIXELS, MNIST_SOURCE } from '../data/mnist.js';
import { counted } from '../counted.js';
import type { Loss } from '../kernels.js';
import { GradscopeError } from '../errors.js';
import { isOneHotRow } from '../data/one-hot.js';
import { oneColumnOf, oneHotWords } from '../training/target-rules.js';
import { STUDY_DIGITS } from '../studies/study-defaults.js';
import { DATA_FILE_SHAPE, type DataFile } from '../io/data-file.js';
import { sameFile } from '../io/file-access.js';
import { shellWord } from '../shell-word.js';
import { DIGITS_DATA, type TrainedOn } from '../trained-on.js';
import { checkDigitFlags, numberFlag, readDataFile, readingFlag, stringFlag, TEST_FLAG, TRAIN_FLAG, UsageError, withFile, type Flag, type ParsedArgs } from './command.js';

/**
 * How messages name the bundled digits as the rows' file: no path a user would give (a file named
 * `digits` in the working directory is read by --data digits and named `digits`).
 */
export const BUNDLED_DIGITS = 'the digits';

/** --data, --train and --test: a data file, or the digits (the default). */
export const TRAINING_ROWS_FLAGS: Flag[] = [
  { name: 'data', value: 'D.json', about: `train on this data file (${DATA_FILE_SHAPE}; loss and accuracy measured on it) instead of the digits` },
  TRAIN_FLAG(STUDY_DIGITS.trainRows),
  { ...TEST_FLAG(STUDY_DIGITS.testRows), about: 'held-out digits, the ones after the training digits: the loss and accuracy are measured on them' },
  { name: 'test-data', value: 'T.json', about: "held-out rows for --data (a file of its format and columns): the loss and accuracy are measured on them, not on --data's rows" },
];

/** The rows a run trains on and the rows its loss and accuracy are measured on each epoch. */
export interface TrainingRows {
  train: { x: Rows; y: Rows; count: number };
  check: { x: Rows; y: Rows; count: number };
  inputs: number;
  targets: number;
  /** Whether every target row is one-hot (isOneHotRow): the digits' are; a --data file's where each of its rows is. The classes under any loss (classesOf). */
  oneHot: boolean;
  /** The training rows in words: `9000 digits (the mnist package)`, `150 rows of data.json`. */
  source: string;
  /** What the checked rows are: 'test' (the --test digits, or --test-data's rows) or 'training' (--data's own rows). */
  checked: string;
  /** The checked rows' name in a sentence: 'test digits', 'test rows' (--test-data's) or 'training rows'. */
  checkedName: string;
  /** The checked rows with their count: 'the 1,000 test digits', 'the 300 rows of test.json', 'all 1,500 rows'. */
  checkedWords: string;
  /** The file the rows came from, as errors name it: the --data path's shellWord, or BUNDLED_DIGITS. */
  file: string;
  /** The file the checked rows came from, as errors name it: --test-data's shellWord, else `file`. */
  checkFile: string;
  /** Whether they are the bundled digits (no --data), which `file` alone cannot say: --data reads a file of any name, `digits` too. */
  digits: boolean;
  /** Where the rows are, for refusals of a batch: 'in data.json', 'of digits'. */
  where: string;
  /** The training rows as a saved model records them (saveModel's trainedOn): the first --train digits, or all of --data's rows. */
  trainedOn: TrainedOn;
}

/**
 * --data and --train of a command that measures a model on the rows it was trained on: a data file,
 * or the digits `train` and `study --model` train on with the same --train (the first 9,000 by
 * default). No --test: nothing is held out.
 */
export const MEASURED_ROWS_FLAGS: Flag[] = [
  { name: 'data', value: 'D.json', about: `measure on this data file (${DATA_FILE_SHAPE}) instead of the digits` },
  { ...TRAIN_FLAG(STUDY_DIGITS.trainRows), about: `the digits measured on: the first N of ${MNIST_SOURCE}, the training digits of train and study --model with the same --train` },
];

/** The rows a command measures a model on (MEASURED_ROWS_FLAGS). */
export interface MeasuredRows {
  x: Rows;
  y: Rows;
  /** The rows in words: `9000 digits (the mnist package)`, `150 rows of data.json`. */
  source: string;
  /** The file the rows came from, as errors name it: the --data path's shellWord, or BUNDLED_DIGITS. */
  file: string;
  /** Whether they are the bundled digits (no --data), which `file` alone cannot say: --data reads a file of any name, `digits` too. */
  digits: boolean;
  /** Columns of an input row and of a target row. */
  inputs: number;
  targets: number;
}

/**
 * A --data file's rows, every value checked (dataFromJSON, toMatrix: naming the row and column) and
 * the inputs paired with the targets (checkPairs), each refusal prefixed with the file, before any flag
 * or model is read against its columns: the one reader of --data for every command. A string or a short
 * row was found only at the upload, after --output's refusal had told the user to change a flag first
 * (newuser27), or (gradients, curvature) after the model was refused for the file's columns. The checked
 * float32 matrices are what the command then takes (no second conversion). A file that cannot be read is said with its flag
 * (readingFlag): `flag`, --data's or --test-data's.
 */
async function checkedDataRows(dataPath: string, flag: 'data' | 'test-data' = 'data'): Promise<{ data: DataFile; x: Matrix; y: Matrix }> {
  const data = await readingFlag(flag, dataPath, () => readDataFile(dataPath));
  return withFile(shellWord(dataPath), async () => {
    const x = toMatrix(data.inputs, undefined, 'inputs');
    const y = toMatrix(data.targets, undefined, 'targets');
    checkPairs(x, y);
    return { data, x, y };
  });
}

/** The rows to measure on: --data's (checkedDataRows), or the first --train digits. */
export async function measuredRows(args: ParsedArgs): Promise<MeasuredRows> {
  const dataPath = stringFlag(args, 'data');
  if (dataPath !== undefined) {
    refuseDigitFlags(args, ['train']);
    const { x, y } = await checkedDataRows(dataPath);
    return { x, y, source: `${counted(x.rows, 'row')} of ${shellWord(dataPath)}`, file: shellWord(dataPath), digits: false, inputs: x.cols, targets: y.cols };
  }
  const trainRows = numberFlag(args, 'train');
  if (trainRows > MNIST_DIGITS) throw new UsageError(`--train ${trainRows}: more than ${MNIST_SOURCE}`);
  const digits = await loadDigitSplit(trainRows, 0, { train: '--train', test: '--test' });
  return { x: digits.train.x, y: digits.train.y, source: digitsSource(trainRows), file: BUNDLED_DIGITS, digits: true, inputs: MNIST_PIXELS, targets: MNIST_CLASSES };
}

/** The digit flags given beside --data: a UsageError naming them. */
function refuseDigitFlags(args: ParsedArgs, flags: string[]): void {
  const given = flags.filter((flag) => args.flags.has(flag));
  if (given.length > 0) throw new UsageError(`${given.map((flag) => `--${flag}`).join(' and ')} ${given.length > 1 ? 'count the digits: leave them' : 'counts the digits: leave it'} out with --data`);
}

/**
 * SHAPE_MISMATCH naming the model, the rows and the way out where a model's inputs or outputs are not
 * the rows' columns: a model `train --data own.json --out m.json` made, studied without --data, was
 * refused as 'digits: inputs: has 784 columns, expected 2', which named neither the model nor --data.
 */
export function checkRowsFitModel(modelPath: string, model: { inputSize: number; outputSize: number; loss: Loss }, rows: { file: string; digits: boolean; inputs: number; targets: number }, y?: Rows): void {
  if (model.inputSize === rows.inputs && model.outputSize === rows.targets) return;
  const { digits } = rows;
  const given = digits ? `the digits have ${MNIST_PIXELS} pixels and ${MNIST_CLASSES} classes` : `${rows.file}'s rows have ${counted(rows.inputs, 'input')} and ${counted(rows.targets, 'target')}`;
  const wayOut = digits ? 'give the rows it was made for with --data FILE' : 'give a --data file whose rows fit it';
  const oneHot = !digits && model.inputSize === rows.inputs && rows.targets === 1 && model.loss === 'cross-entropy' ? oneHotWords(model.outputSize, oneColumnOf(y)) : '';
  throw new GradscopeError('SHAPE_MISMATCH', `${shellWord(modelPath)} takes ${counted(model.inputSize, 'input')} and gives ${counted(model.outputSize, 'output')}, but ${given}: ${wayOut}${oneHot}`);
}

/** The first `rows` digits, in words. */
const digitsSource = (rows: number) => `${counted(rows, 'digit')} (the mnist package)`;

/** The rows to train on: --data's, checked on themselves or on --test-data's (heldOutRows); or the digits' --train, checked on --test. */
export async function trainingRows(args: ParsedArgs): Promise<TrainingRows> {
  const dataPath = stringFlag(args, 'data');
  const testPath = stringFlag(args, 'test-data');
  if (dataPath !== undefined) {
    refuseDigitFlags(args, ['train', 'test']);
    const { data, x, y } = await checkedDataRows(dataPath);
    const rows = { x, y, count: x.rows };
    const held = testPath === undefined ? undefined : await heldOutRows(testPath, dataPath, rows);
    const oneHot = data.targets.every((row) => isOneHotRow(row));
    const file = shellWord(dataPath);
    const common = { train: rows, inputs: x.cols, targets: y.cols, oneHot, source: `${counted(rows.count, 'row')} of ${file}`, file, digits: false, where: `in ${file}`, trainedOn: { data: dataPath, rows: rows.count } };
    return held
      ? { ...common, check: held, checked: 'test', checkedName: 'test rows', checkedWords: `the ${counted(held.count, 'row')} of ${shellWord(testPath!)}`, checkFile: shellWord(testPath!) }
      : { ...common, check: rows, checked: 'training', checkedName: 'training rows', checkedWords: rows.count === 1 ? 'the 1 row' : `all ${counted(rows.count, 'row')}`, checkFile: file }; // not 'all 1 row' (edges47 #14)
  }
  if (testPath !== undefined) throw new UsageError(`--test-data ${shellWord(testPath)} holds held-out rows for a --data file: give the training rows with --data FILE, or leave it out to test on the --test digits`);
  const trainRows = numberFlag(args, 'train');
  const testRows = numberFlag(args, 'test');
  checkDigitFlags(trainRows, testRows);
  const digits = await loadDigitSplit(trainRows, testRows, { train: '--train', test: '--test' });
  return {
    train: { x: digits.train.x, y: digits.train.y, count: trainRows },
    check: { x: digits.test.x, y: digits.test.y, count: testRows },
    inputs: MNIST_PIXELS,
    targets: MNIST_CLASSES,
    oneHot: true,
    source: digitsSource(trainRows),
    checked: 'test',
    checkedName: 'test digits',
    checkedWords: `the ${counted(testRows, 'test digit')}`,
    file: BUNDLED_DIGITS,
    checkFile: BUNDLED_DIGITS,
    digits: true,
    where: 'of digits',
    trainedOn: { data: DIGITS_DATA, rows: trainRows },
  };
}

/**
 * --test-data's rows, every value checked as --data's are (checkedDataRows), with --data's columns: SHAPE_MISMATCH naming
 * both files where they differ, and a UsageError where it names --data's file (its loss would be the training rows' again,
 * read as held-out).
 */
async function heldOutRows(testPath: string, dataPath: string, train: { x: Matrix; y: Matrix }): Promise<{ x: Matrix; y: Matrix; count: number }> {
  if (await sameFile(testPath, dataPath)) throw new UsageError(`--test-data ${shellWord(testPath)} names the --data file: held-out rows are rows the network does not train on; give another file, or leave --test-data out to measure on the training rows`);
  const { x, y } = await checkedDataRows(testPath, 'test-data');
  if (x.cols !== train.x.cols || y.cols !== train.y.cols) {
    const columns = (m: { x: Matrix; y: Matrix }) => `${counted(m.x.cols, 'input')} and ${counted(m.y.cols, 'target')}`;
    throw new GradscopeError('SHAPE_MISMATCH', `--test-data ${shellWord(testPath)}: its rows have ${columns({ x, y })}, but --data ${shellWord(dataPath)}'s have ${columns(train)}: held-out rows take the training rows' columns`);
  }
  return { x, y, count: x.rows };
}

/** The rows flags as given (` --data D.json`, ` --train 200 --test 50`, or none for the default digits), each value one shell word: another command takes the same rows with them. */
export function rowsFlagsText(args: ParsedArgs): string {
  return ['data', 'test-data', 'train', 'test'].filter((flag) => args.flags.has(flag)).map((flag) => ` --${flag} ${shellWord(stringFlag(args, flag)!)}`).join('');
}
