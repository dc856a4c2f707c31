/**
 * How far Adam's ε holds study (c)'s 10-layer plain sigmoid net at chance (docs/trainable-depth.md, "More steps, or
 * fewer layers?"): the study's adam row (seed 1, 9,000 digits, lr 0.001, batches of 32, 10 epochs: 2,820 steps), run
 * by the study's own runNetwork, at ε = 1e-8 (Kingma & Ba's and PyTorch's default, the study's) and at smaller ε.
 * Adam's step is lr·m̂/(√v̂ + ε): where a gradient entry is far below ε the step is ≈ lr·g/ε, in proportion to the
 * gradient again; a smaller ε rescales those entries too. It prints the held-out accuracy after each epoch and the
 * training loss at the end (lecturer53's run of 2026-12-07: ε 1e-12 leaves chance, ~20 %, but does not train).
 *
 *   nice -n 19 npx tsx scripts/adam-epsilon.ts [epsilons = 1e-8,1e-12] [hidden layers = 10]
 */
import { loadStudyData, runNetwork } from '../src/studies/trainable-depth-run.js';
import { TRAINABLE_DEPTH_REMEDIES } from '../src/studies/trainable-depth-remedies.js';
import { TRAINABLE_EPOCHS, TRAINABLE_TRAIN_ROWS, TRAINABLE_WIDTH } from '../src/studies/trainable-depth.js';
import { STUDY_DIGITS, STUDY_SEED } from '../src/studies/study-defaults.js';
import { percentText } from '../src/percent-text.js';

const epsilons = (process.argv[2] ?? '1e-8,1e-12').split(',').map(Number);
const depth = Number(process.argv[3] ?? 10);
const adam = TRAINABLE_DEPTH_REMEDIES.find((r) => r.key === 'adam')!;
const data = await loadStudyData(TRAINABLE_TRAIN_ROWS, STUDY_DIGITS.testRows);
for (const epsilon of epsilons) {
  const remedy = { ...adam, training: { ...adam.training, optimizer: { name: 'adam', epsilon } as const } };
  const run = await runNetwork({ remedy, depth, width: TRAINABLE_WIDTH, seed: STUDY_SEED, checkpoints: [TRAINABLE_EPOCHS], curve: true }, data);
  const [end] = run.checkpoints;
  console.log(
    `adam, ε ${epsilon}, ${depth} hidden layers: held-out accuracy after each epoch ${run.curve!.testAccuracy.map(percentText).join(', ')}; ` +
      `training loss ${end.trainLoss?.toFixed(3)} after ${end.steps.toLocaleString('en')} steps`,
  );
}
