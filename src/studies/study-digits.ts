/** The bundled digits as the studies take them: their options trainRows and testRows, named so when they do not fit. */
import { loadDigitSplit, type MnistSplit } from '../data/mnist.js';

/** The first `trainRows` digits (default 9,000) and the `testRows` after them (default 1,000); INVALID_OPTION naming both when they do not fit. */
export function loadStudyDigits(trainRows = 9000, testRows = 1000): Promise<MnistSplit> {
  return loadDigitSplit(trainRows, testRows, { train: 'trainRows', test: 'testRows' });
}
