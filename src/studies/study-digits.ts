/** The digits (loadMnist's, from the optional package mnist) as the studies take them: their options trainRows and testRows, named so when they do not fit. */
import { loadDigitSplit, type MnistSplit } from '../data/mnist.js';
import { STUDY_DIGITS } from './study-defaults.js';

/** The first `trainRows` digits (default STUDY_DIGITS: 9,000) and the `testRows` after them (1,000); INVALID_OPTION naming both when they do not fit. */
export function loadStudyDigits(trainRows: number = STUDY_DIGITS.trainRows, testRows: number = STUDY_DIGITS.testRows): Promise<MnistSplit> {
  return loadDigitSplit(trainRows, testRows, { train: 'trainRows', test: 'testRows' });
}
