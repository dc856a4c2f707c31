/**
 * Whether study (c)'s selu row stops at 100 hidden layers for want of standardised inputs (lecturer53 #12): Klambauer
 * et al.'s fixed point assumes inputs of mean 0 and variance 1, which the study's raw [0, 1] pixels are not (its SELU
 * paper experiment standardises them). The row (SELU, LeCun normal, SGD with momentum 0.9, lr 0.001, batches of 32,
 * 10 epochs, seed 1), run by the study's own runNetwork on the raw pixels and on pixels standardised as the paper
 * experiment does (each pixel to mean 0 and std 1 over the training digits: paper-experiment.ts standardise); it
 * prints each one's held-out accuracy and training loss.
 *
 *   nice -n 19 npx tsx scripts/selu-standardised.ts [hidden layers = 100]
 */
import { loadStudyData, runNetwork } from '../src/studies/trainable-depth-run.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../src/studies/trainable-depth-remedies.js';
import { TRAINABLE_EPOCHS, TRAINABLE_TRAIN_ROWS, TRAINABLE_WIDTH } from '../src/studies/trainable-depth.js';
import { STUDY_DIGITS, STUDY_SEED } from '../src/studies/study-defaults.js';
import { standardisedStudyData } from './standardised-study-data.js';
import { percentText } from '../src/percent-text.js';

const depth = Number(process.argv[2] ?? 100);
const selu = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === 'selu')!;
const raw = await loadStudyData(TRAINABLE_TRAIN_ROWS, STUDY_DIGITS.testRows);
const standardised = standardisedStudyData(raw);
for (const [pixels, data] of [['raw [0, 1]', raw], ['standardised', standardised]] as const) {
  const run = await runNetwork({ remedy: selu, depth, width: TRAINABLE_WIDTH, seed: STUDY_SEED, checkpoints: [TRAINABLE_EPOCHS] }, data);
  const [end] = run.checkpoints;
  console.log(`selu, ${depth} hidden layers, ${pixels} pixels: held-out ${percentText(end.testAccuracy)}, training loss ${end.trainLoss?.toFixed(3)}${end.stopped ? `; ${end.stopped}` : ''}`);
}
