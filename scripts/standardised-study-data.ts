/**
 * Study (c)'s digits with every pixel standardised as its SELU paper experiment does (each pixel to mean 0 and standard
 * deviation 1 over the training digits: paper-experiment.ts' standardise), for scripts/selu-standardised.ts and the test
 * that holds its figure (test/studies/selu-standardised).
 */
import { standardise } from '../src/studies/paper-experiment.js';
import type { StudyData } from '../src/studies/trainable-depth-run.js';

export function standardisedStudyData(data: StudyData): StudyData {
  const fit = data.train.x;
  const part = ({ x, y }: StudyData['train']) => ({ x: standardise(x, fit), y });
  return { train: part(data.train), test: part(data.test), probe: part(data.probe), examples: part(data.examples) };
}
