/**
 * The learning rate that goes with diagnose()'s switch to relu units with He's weights. The run's
 * own rate is often one that suits sigmoid units (σ' ≤ 1/4 wants large steps: Nielsen's 0.5), and at
 * such a rate relu units die: one large step pushes a unit's z below 0 on every input, and it gets
 * no gradient after that (the visualizer showed a dead last layer after applying the remedy at 0.5).
 * Below that, plain SGD on deep relu networks still spikes late: at 0.1 a network the remedy's printed
 * command trained reached 93.1 % on the test digits at epoch 9 and ended at 41.6 % (newuser25).
 *
 * The rule: the largest rate of a grid at which every one of a set of relu + he-normal networks,
 * trained as the set-up the remedy is offered for trains them, held (reluRunHeld: ended lower, no
 * layer dead, no late drop). A rate held on one set-up need not on another: the command's digits
 * (RELU_RATE_SETUP, scripts/relu-remedy-rates.ts) and each of the visualizer's data sets
 * (RELU_RATE_PAGE_SETUP, scripts/relu-remedy-rates-page.ts) are each measured, a row each of
 * RELU_REMEDY_RATES. The remedy lowers a larger rate of the run's optimiser to its row's and keeps a
 * smaller one, which the grid need not have held (on the full-batch row, Adam at 0.0005 left a layer
 * dead where its bound 0.002 held every network); the dead units' switch to leaky-relu does the same from a row's leakyRates.
 */
import { COMMAND_EPOCHS } from '../command-epochs.js';
import { batchesPerEpoch } from '../epoch-batches.js';
import { MNIST_TEST_DIGITS, MNIST_TRAIN_DIGITS } from '../data/mnist-counts.js';
import { invalidOption, shown, shownArgument } from '../errors.js';

/** The set-up the rates were measured on: hidden layers of `width` relu units with he-normal weights, softmax output. */
export const RELU_RATE_SETUP = {
  /** Hidden layers of the networks (the README's [784, 30, 30, 30, 10] among them): the printed command keeps the run's own depth and widths, which these span, not match. */
  depths: [2, 3, 5, 8],
  /** Units per hidden layer. */
  width: 30,
  /**
   * Per optimiser, the other widths its bound was measured at (docs/gradient-flow.md's width tables, fewer depths and seeds at
   * some): the remedy is printed for networks of every width (study (b)'s are 256 wide), so the bound is the one rate of the grid
   * at which every network held at every width, not width 30's alone (Adam's 0.005 held at 30 and 64, not at 256).
   */
  otherWidths: {
    /** SGD's: docs/gradient-flow.md's SGD width table. */
    sgd: [16, 64, 128, 256],
    /** Adam's: docs/gradient-flow.md's Adam width table. */
    adam: [64, 256],
  },
  /** Seeds of each network's weights and batch order. */
  seeds: [1, 2, 3],
  /** Epochs over the training digits: the relu remedy's printed `gradscope train` command trains the command's default --epochs. */
  epochs: COMMAND_EPOCHS,
  /** Training digits (the first 9,000 of loadMnist's: the command's default --train, STUDY_DIGITS.trainRows, loadMnist's split). */
  trainRows: MNIST_TRAIN_DIGITS,
  /** Test digits each epoch's accuracy is read on (the command's default --test, STUDY_DIGITS.testRows: the 1,000 after them). */
  testRows: MNIST_TEST_DIGITS,
  // Written out: flow/ sits below training/, whose constant it is (test/architecture/layering); test/flow/relu-remedy-rates ties them.
  /** Rows per batch (train()'s and the command's default, DEFAULT_BATCH_SIZE). */
  batchSize: 32,
  /** The rates tried, per optimiser, ascending. */
  grids: {
    /** Plain SGD (no momentum). */
    sgd: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
    /** Adam with its default betas. */
    adam: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05],
  },
} as const;

/**
 * The set-up of the full-batch row (scripts/relu-remedy-rates.ts --full-batch): the regime the studies train in, Nielsen's
 * (study (a), the plateau study: src/studies/depth.ts nielsenTraining), where every step sees all the rows and none is noisy,
 * so the rate that holds lies far above RELU_RATE_SETUP's batch-32 bound (newuser46: study (a)'s deepest network switched
 * to relu + he-normal reached 40.6 % of the test digits at 0.002, 88.1 % at its own 0.1). The networks are study (a)'s
 * with the switch applied and nothing else changed: sigmoid outputs with cross-entropy, biases N(0, 1), L2 on the weights.
 * Written out (flow/ sits below studies/); test/flow/relu-remedy-rates ties them to the studies' constants.
 */
export const RELU_RATE_FULL_BATCH_SETUP = {
  /** Hidden layers of the networks: RELU_RATE_SETUP's and study (a)'s deepest, 4 (its 2 and 3 among them). */
  depths: [2, 3, 4, 5, 8],
  /** Units per hidden layer (study (a)'s). */
  width: 30,
  /** Seeds of each network's weights. */
  seeds: RELU_RATE_SETUP.seeds,
  /** Epochs, each one step over every training row: Nielsen's 500 (NIELSEN_TRAINING.epochs). */
  epochs: 500,
  /** Training digits: the first 1,000 (DEPTH_ROWS), all in one batch. */
  trainRows: 1000,
  /** Test digits each epoch's accuracy is read on: loadMnist's 1,000. */
  testRows: MNIST_TEST_DIGITS,
  /** Rows per batch: every training row (one step per epoch). */
  batchSize: 1000,
  /** Nielsen's L2 strength λ on the weights only (weight decay λ/n per step: NIELSEN_TRAINING.lambda). */
  lambda: 5,
  /** The rates tried, per optimiser, ascending: RELU_RATE_SETUP's. */
  grids: RELU_RATE_SETUP.grids,
} as const;

/** The visualizer's data sets, each a row of RELU_REMEDY_RATES (demo/src/datasets.ts DATASETS: flow/ cannot import demo/, test/flow/relu-remedy-rates ties them). */
export const PAGE_DATASETS = ['spirals', 'circles', 'xor', 'mnist'] as const;
/** One of the visualizer's data sets. */
export type PageDataset = (typeof PAGE_DATASETS)[number];

/**
 * The set-up the visualizer's rows were measured on (scripts/relu-remedy-rates-page.ts), one row per
 * data set the page offers: the page's relu + he-normal networks on it, trained as the page trains
 * them. The page's depth and width are the user's to set, so the rows span depths and widths around
 * its default 6 × 16.
 */
export const RELU_RATE_PAGE_SETUP = {
  /** Hidden layers (the page's default 6 among them; it allows 1–12). */
  depths: [2, 4, 6, 8],
  /** Units per hidden layer (the page's default 16 among them). */
  widths: [16, 32],
  /** The page's Seed setting: it draws both the points and the weights (the MNIST subset's digits are the same for every seed). */
  seeds: [1, 2, 3],
  /** Epochs over the page's training rows: the 200 docs/gradient-flow.md's spirals runs train. */
  epochs: 200,
  /** Rows per batch: the page's default (demo/src/settings.ts DEFAULTS; flow/ cannot import demo/, test/flow/relu-remedy-rates ties them). */
  batchSize: 32,
  /** The rates tried, per optimiser, ascending (the command's grids less their ends: 1 diverged and 0.0005 crawled there). */
  grids: {
    /** Plain SGD (no momentum). */
    sgd: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
    /** Adam with its default betas. */
    adam: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05],
  },
} as const;

/** A page row's set-up: RELU_RATE_PAGE_SETUP on one of the page's data sets. */
export type PageRateSetup = typeof RELU_RATE_PAGE_SETUP & {
  /** The data set the row was measured on. */
  readonly dataset: PageDataset;
};

const onPage = (dataset: PageDataset): PageRateSetup => ({ ...RELU_RATE_PAGE_SETUP, dataset });

/** How far (in accuracy, 0–1) a network's last epoch may end below its best epoch's test accuracy (reluRunHeld), on every set-up. */
export const RELU_LATE_DROP_MARGIN = 0.05;

/** One network's run at a rate: its training loss before and after, the layers diagnose() calls dead after it, and its test accuracy after each epoch. */
export interface ReluRun {
  lossBefore: number;
  lossAfter: number;
  deadLayers: number;
  accuracies: readonly number[];
}

/**
 * The rule a rate passes by, for every network of the set: it ends with a finite training loss below
 * its start, no layer dead, and its last epoch's test accuracy within RELU_LATE_DROP_MARGIN of its best epoch's.
 * The last clause judges the run's end, not its course: at a rate too large for deep relu networks,
 * plain SGD reaches 93 % and then, in a late epoch, one step throws it back to 41 % (newuser25); a
 * user who applies the remedy keeps the last epoch's weights. 5 points is above what the runs that held
 * moved between their best and last epochs (at most 2.0 points on the 1,000 test digits, 2026-12-03) and
 * far below such a spike. No patience (a fall passed while it lasts fewer than some epochs) is granted: the smaller falls that
 * fail SGD 0.005–0.05 at the end came back within an epoch, and so did newuser25's (41.6 % → 93.0 % at epoch 11), so recovery does
 * not tell them apart, and the same rates dip as deep mid-run (0.01: 90.6 % → 54.6 %), where a run of fewer epochs would stop;
 * at the bound no network fell more than 1.2 points at any epoch (docs/gradient-flow.md, rate51).
 */
export function reluRunHeld(run: ReluRun): boolean {
  const best = Math.max(...run.accuracies);
  const last = run.accuracies.at(-1) ?? Number.NaN;
  return Number.isFinite(run.lossAfter) && run.lossAfter < run.lossBefore && run.deadLayers === 0 && last >= best - RELU_LATE_DROP_MARGIN;
}

/** An optimiser whose relu rate was measured: plain SGD (no momentum) and Adam. */
export type MeasuredOptimizer = keyof typeof RELU_RATE_SETUP.grids;

/** A row of RELU_REMEDY_RATES: what it was measured on, and what it read. */
export interface ReluRates<Setup> {
  /** The networks and training the rates were measured on. */
  readonly setup: Setup;
  /** Per optimiser, the largest rate of its grid at which every network of `setup` held (reluRunHeld). */
  readonly rates: Readonly<Record<MeasuredOptimizer, number>>;
  /**
   * The same for `setup`'s networks with leaky-relu units (the dead units' remedy), null where no rate
   * of the grid held; absent where leaky-relu was not measured on the grid (its switch keeps the run's rate).
   */
  readonly leakyRates?: Readonly<Record<MeasuredOptimizer, number | null>>;
}

/**
 * The command's row (RELU_RATE_SETUP), the largest rate of each grid that passed (scripts/relu-remedy-rates.ts,
 * 2026-12-03, 2-core AMD EPYC Zen 4 at load 12–14, nice 19; every smaller rate passed too; a failing rate's first failing
 * network, deepest first, as depth×seed, the final test accuracy after the best epoch's):
 * - SGD 0.002 (0.001: 46–80 % at the end; 0.002: 78–88 %). Every rate from 0.005 up failed:
 *   0.005 5×2 80.1 % after 87.7 %; 0.01 5×2 82.3 % after 90.1 %; 0.02 5×3 84.6 % after 91.5 %;
 *   0.05 3×1 89.2 % after 94.3 %; 0.1 8×1 84.0 % after 93.8 %; 0.2 8×1 81.3 % after 88.9 %;
 *   0.5 8×1 8 dead layers, 10.5 %; 1 diverged. Its bound was 0.1 over one epoch (2026-12-01).
 * - Adam 0.002 since 2026-12-07 (rate51: the one rate of the grid every network held at every width, below). At width 30 alone
 *   it was 0.005, as over one epoch (0.0005–0.005: 91.0–95.4 % at the end). 0.01 8×1 86.6 % after 90.5 %,
 *   1 dead layer; 0.02 8×1 74.2 % after 83.8 %, 5 dead; 0.05 8×1 19.5 % after 57.5 %, 8 dead.
 * Plain SGD's bound is slow (78–88 % after 10 epochs against Adam's 91–95 %), but it is the largest rate
 * of the grid whose end every network held; the remedy offers no rate it did not measure.
 *
 * Measured beside it (2026-12-03, 2-core AMD EPYC Zen 5, family 26 model 2, nice 19, load 10–31; the
 * script's networks and rule, every network run, with width, seeds and momentum as parameters):
 * - Adam at 0.005 in place of SGD at 0.002, width 30, depths 2–8, seeds 1–6: every network held both
 *   ways, and every Adam network ended above every SGD one (91.0–95.1 % against 77.0–87.8 %). On the
 *   visualizer's spirals (relu/he, 6 × 16, 200 epochs, seeds 1–3) SGD at 0.002 ends at 62.5–70.0 % of
 *   the test points and Adam at 0.005 at 95.8–96.7 % (docs/gradient-flow.md).
 * - Other widths, seeds 1–3: at 16 and at 100 every SGD rate up to 0.005 held (0.002: 42.5–83.8 % and
 *   87.1–91.0 %), and 0.01 at 16; Adam 0.002 and 0.005 held at 16 (0.01 left a layer dead, 3×1 and
 *   5×2), but at 100 Adam 0.005 left one dead at 8×1 (93.3 % after 94.6 %), where 0.002 held every
 *   network of depths 5 and 8 (94.1–95.9 %; depths 2 and 3 not run).
 * - SGD with momentum 0.9, width 30: 0.0005 and 0.001 held every network (88.3–91.6 %, 90.6–93.1 %);
 *   0.005, 0.01 and 0.02 held the three deepest (8 layers, 91.8–93.9 %), the rest not run.
 * - Widths 16, 30, 64, 128 and 256 again on 2026-12-06 (Intel Xeon, 2 vCPUs, nice 10), 6 hidden layers added and seeds 1–5 (fewer
 *   networks at 128 and 256), every network at every SGD rate from 0.002 to 0.05 (scripts/relu-remedy-rates.ts --width --every):
 *   docs/gradient-flow.md's width table, which test/docs/relu-rate-tables holds to this row. 0.002 is the one rate at which every
 *   network held at every width; above it some network's last epoch fell more than 5 points below its best at each rate
 *   (width 64: 1 of 25 at 0.005, 3 of 25 at 0.01), though most ended higher than at 0.002 (width 64's median 88.3 % → 92.3 % at 0.01).
 * - Adam at widths 64 and 256, and plain SGD at width 256 above 0.005, on 2026-12-07 (AMD EPYC Zen 5, family 26 model 2, 2 vCPUs,
 *   nice 10, load about 20; the script's --every, each network's test accuracy after every epoch printed beside it): docs/gradient-flow.md's
 *   Adam width table and the SGD table's width-256 cells, which test/docs/relu-rate-tables holds. Adam 0.005 held at width 64 (25 of 25)
 *   and not at 256 (2 of 6: the 5- and 8-layer networks ended with 2 and 6 layers dead), 0.002 at every width (256: 6 of 6, 94.6–96.1 %);
 *   SGD at width 256 held at 0.01, 0.02 and 0.05 (6 of 6 each).
 * So each optimiser's bound is the one rate of its grid at which every network held at every width measured (RELU_RATE_SETUP.otherWidths,
 * which the reason names beside width 30): SGD's 0.002 at widths 16–256, Adam's 0.002 at 16, 30, 64, 100 (depths 5 and 8) and 256,
 * where Adam's 0.005 left layers dead at 100 and 256. A careful bound: one rate for every width, not the rate that trains any one of
 * them best. Adam would serve an SGD run better, but the remedy keeps the run's optimiser: offering Adam changes it besides its units,
 * and momentum's bound lies above 0.001 but was not run to its end on the whole set.
 *
 * The page's rows, one per data set it offers (RELU_RATE_PAGE_SETUP: depths 2, 4, 6, 8 × widths 16, 32 ×
 * seeds 1–3, 200 epochs; scripts/relu-remedy-rates-page.ts, 2026-12-03, 2-core AMD EPYC Zen 5, family
 * 26 model 2, nice 19; a failing rate's first failing network as depth×width×seed). No one SGD rate held
 * on all four (the spirals held at 0.1 only, the XOR points failed at 0.1), so each has its own row:
 * - 'page-spirals' (load 15–18): SGD 0.1, the only rate of the grid every network held (73.3–98.3 %
 *   of the test points at the end; the 2-layer nets are the slow ones). Below it the networks were
 *   still climbing, and some fell back more than 5 points late: 0.002 8×16×3 64.2 % after 70.8 %;
 *   0.005 6×16×2 59.2 % after 65.0 %; 0.01 8×16×2 88.3 % after 95.8 %; 0.02 8×16×2 86.7 % after
 *   95.8 %; 0.05 8×16×1 92.5 % after 98.3 %. Above it: 0.2 8×16×2 79.2 % after 88.3 %; 0.5 8×16×1
 *   53.3 % after 77.5 %, 1 dead layer. Adam 0.005, as on the digits (0.001–0.005 all held, 71.7–97.5 %
 *   at the end): 0.01 8×16×2 left 1 dead layer; 0.02 8×16×1 89.2 % after 96.7 %, 2 dead; 0.05 8×16×1
 *   50.0 %, 7 dead.
 * - 'page-circles' (load 13–16): SGD 0.2 (every rate from 0.002 held; at 0.2 99.2–100 %); 0.5 8×16×1
 *   50.0 %, 5 dead. Adam 0.005 (0.001–0.005 held, 99.2–100 % at 0.005); 0.01 8×16×1 2 dead, 0.02 2
 *   dead, 0.05 6 dead.
 * - 'page-xor' (load 13–16): SGD 0.05 (0.002–0.05 held, 91.7–95.8 % at 0.05); 0.1 8×16×3 90.8 % after
 *   97.5 %; 0.2 4×16×1 90.8 % after 96.7 %; 0.5 8×16×2 1 dead. Adam 0.002 (0.001 and 0.002 held,
 *   91.7–95.0 % at 0.002); 0.005 8×16×1 90.8 % after 96.7 %; 0.01–0.05 dead layers.
 * - 'page-mnist', the page's 1,000 digits (700 trained on, 300 tested; load 13–18): SGD 0.1 (81.3–89.3 %
 *   at the end); 0.2 8×16×1 72.3 % after 82.0 %; 0.5 8×16×1 6.7 %, 5 dead. Adam 0.005 (82.0–93.0 %);
 *   0.01 8×16×2 75.7 % after 79.0 %, 1 dead; 0.02 2 dead; 0.05 8 dead. The rates below the bounds
 *   were not run here: the bound is the largest that held, and every larger one failed.
 * leakyRates, the same set with leaky-relu units (--activation=leaky-relu, same day and load), the
 * rates the dead units' switch to leaky-relu carries (at η 3 it kept the run's rate, and a rerun on the
 * spirals overflowed float32 within 6 single steps):
 * - spirals: SGD none (every rate of the grid had a network end more than 5 points below its best:
 *   0.05 and 0.1 8×16×2 87.5 % after 96.7 %; 0.2 8×16×1 84.2 % after 98.3 %; 0.5 2 dead), so the page
 *   does not offer the switch to an SGD run there; Adam 0.01 (0.001–0.01 held; 0.02 1 dead).
 * - circles: SGD 0.1 (0.002–0.1 held; 0.2 8×16×2 1 dead); Adam 0.01 (0.001–0.01 held; 0.02 1 dead).
 * - xor: SGD 0.05 (0.002–0.05 held; 0.1 6×16×1 90.8 % after 96.7 %); Adam 0.005 (0.001 and 0.005 held,
 *   0.002 did not: 6×32×3 91.7 % after 97.5 %; 0.01 1 dead).
 * - mnist: SGD 0.05 (83.0–89.0 % at the end; 0.1 8×16×1 80.0 % after 88.0 %; 0.2 diverged); Adam 0.005 (81.3–90.7 %; 0.01 8×16×2 79.7 %
 *   after 85.0 %; 0.02 47.7 % after 80.3 %); the rates below not run.
 * On the digits (the command's row) leaky-relu networks held at the row's rates of 2026-12-03, SGD 0.002 (79.8–87.6 %)
 * and Adam 0.005 (92.1–95.3 %), but the grid was not run for them: that row has no leakyRates.
 *
 * The full-batch row (RELU_RATE_FULL_BATCH_SETUP: study (a)'s networks with relu + he-normal, depths 2, 3, 4, 5, 8 × seeds 1–3,
 * the first 1,000 digits in one batch, 500 epochs, sigmoid outputs with cross-entropy, biases N(0, 1), L2 λ = 5), deepest first.
 * Depths 2, 3, 5, 8 measured on 2026-12-06 (Intel Xeon, 2 vCPUs, nice 10, load 6–25) on main at 6f4759cb with a1c243f8's script,
 * the rates given from the top down so that the first to pass is the bound:
 *   npx tsx scripts/relu-remedy-rates.ts --full-batch sgd 0.05 0.1 0.2 0.5 1
 *   npx tsx scripts/relu-remedy-rates.ts --full-batch adam 0.05 0.02 0.01 0.005 0.002
 * Study (a)'s deepest, 4, added and the rates below the bounds run the same evening (load 12–22, nice 10, 4–7 s of CPU a network)
 * on main at a1729dd1 with this commit's script (--depths=4 at and above the bounds; below them --depths=8, then 5,4,3,2):
 * - SGD 0.05 (55.9–88.8 % at the end; the 8×1 network is the slow one, 55.9 % after 56.4 %, the rest 85.1–88.8 %). 0.1, 0.2,
 *   0.5 and 1: 8×1 ran away (at 0.1 ∂C/∂b of hidden 1 overflowed float32's square at step 5; 5×1 held at 0.1, 86.1 %).
 *   Depth 4 held at 0.05 (85.1–88.2 %) and at 0.1 (88.1–89.4 %): the bound is the 8-layer networks'. Below it: 0.02 held on every
 *   network (76.9–86.4 %), and 0.01 (69.7–81.6 %).
 * - Adam 0.002 (79.0–88.6 %). 0.005 8×1 1 dead layer (81.8 %); 0.01 8×1 67.2 % after 79.0 %, 1 dead; 0.02 8×1 1 dead;
 *   0.05 8×1 47.6 % after 81.5 %, 2 dead. Depth 4 held at 0.002 (86.9–88.5 %) and at 0.005 (86.3–87.9 %). Below it:
 *   0.001 held on every network (79.0–89.2 %); 0.0005 held on the 8-layer ones (80.2–82.6 %) but left 5×2 with a dead layer
 *   (79.7 %): a rate below the bound need not hold, though the bound did.
 * Neither bound moved with depth 4 added: the rule takes the largest rate at which every network held, and the 8-layer ones set it.
 * The slowest network, 8×1, ends higher below SGD's bound (76.9 % at 0.02, 78.4 % at 0.01, against 55.9 % at 0.05), but the rule
 * does not weigh accuracy, and the bound trains the others further (the other 8-layer ones 80.0–82.1 % at 0.02, 85.1 % or more
 * at 0.05; 4×1 81.3 % at 0.02, 85.1 % at 0.05).
 * Leaky-relu on this row (--activation=leaky-relu, the same evening and commit): Adam's bound is relu's, 0.002 (every network
 * held, 77.6–89.0 %; 0.005 8×2 1 dead layer; 0.01 8×2 58.3 % after 81.3 %); plain SGD's is not: 0.2 and 0.1 8×1 ran away,
 * 0.05 8×3 ended at 61.5 % after 87.0 %, 0.02 8×2 at 59.0 % after 84.6 %; 0.01 held on every network (68.9–81.6 %; 0.5 and 1
 * not run above the two that ran away, nor Adam's 0.02 and 0.05 above the two that failed). So relu's rates do not stand for
 * leaky-relu's here (SGD 0.01, not 0.05): these are the row's leakyRates, which the switch to leaky-relu reads by the run's
 * regime as the relu switch reads its rates (rateFor, src/flow/diagnosis/init-remedies.ts: a run whose every epoch was one batch
 * reads this row under the default 'command'). The rates below them were not run for leaky-relu, and for relu a rate below the
 * bound did not always hold (Adam 0.0005 above), so a run's own smaller rate, which the switch keeps, is not one the grid held.
 * Beside the batch-32 bounds, full batch lifts SGD's 25× (0.002 → 0.05), where a step's gradient carries no batch's noise,
 * and lowers Adam's width-30 one (0.005 → 0.002; the row's bound is 0.002 since rate51, every width's), whose steps are the same size whatever the noise, over 500 steps in place of 2,820.
 * Study (a)'s deepest network with the switch (seed 1) reached 40.6 % of the test digits at the batch-32 row's 0.002 and 88.1 %
 * at its own 0.1 (newuser46); at this row's 0.05, docs/studies.md's table (scripts/study-a-remedies.ts).
 */
export const RELU_REMEDY_RATES: {
  /** `gradscope train`'s printed command (and every caller of diagnose() that names no row, for a run in mini-batches: runRegimeRow). */
  readonly command: ReluRates<typeof RELU_RATE_SETUP>;
  /** The digits in one batch, as the studies train (RELU_RATE_FULL_BATCH_SETUP): 'command' names it for a run whose every step saw all its rows (runRegimeRow). */
  readonly 'full-batch': ReluRates<typeof RELU_RATE_FULL_BATCH_SETUP>;
  /** The visualizer (demo/) on its two spirals: its remedy buttons there. */
  readonly 'page-spirals': ReluRates<PageRateSetup>;
  /** The visualizer on its circles. */
  readonly 'page-circles': ReluRates<PageRateSetup>;
  /** The visualizer on its XOR points. */
  readonly 'page-xor': ReluRates<PageRateSetup>;
  /** The visualizer on its MNIST subset. */
  readonly 'page-mnist': ReluRates<PageRateSetup>;
} = {
  command: { setup: RELU_RATE_SETUP, rates: { sgd: 0.002, adam: 0.002 } },
  'full-batch': { setup: RELU_RATE_FULL_BATCH_SETUP, rates: { sgd: 0.05, adam: 0.002 }, leakyRates: { sgd: 0.01, adam: 0.002 } },
  'page-spirals': { setup: onPage('spirals'), rates: { sgd: 0.1, adam: 0.005 }, leakyRates: { sgd: null, adam: 0.01 } },
  'page-circles': { setup: onPage('circles'), rates: { sgd: 0.2, adam: 0.005 }, leakyRates: { sgd: 0.1, adam: 0.01 } },
  'page-xor': { setup: onPage('xor'), rates: { sgd: 0.05, adam: 0.002 }, leakyRates: { sgd: 0.05, adam: 0.005 } },
  'page-mnist': { setup: onPage('mnist'), rates: { sgd: 0.1, adam: 0.005 }, leakyRates: { sgd: 0.05, adam: 0.005 } },
};

/**
 * diagnose()'s reluRates for rows none of RELU_REMEDY_RATES' set-ups measured, a caller's own (`gradscope study --model --data`):
 * a rate measured on one set-up need not hold on another (the rows' SGD bounds run from the digits' 0.002 to the circles' 0.2), so
 * over inputs near standardised the switch to relu keeps the run's own rate where it is no larger than the largest bound of any row
 * for its optimiser (ownRowsBound), and lowers it to that bound above it; over inputs far from standardised (TraceRun.inputScale),
 * whose size a relu layer passes on unsquashed, it takes the digits' bound, the smallest. Its reason gives the other rate beside it,
 * with what each reached over newuser45's rows.
 */
export const OWN_ROWS = 'own-rows';

/**
 * Accuracies over the rows (evaluation mode, seeds 1–3, whole percents) of newuser45's [8, 6 × 32, 3] network switched to relu with
 * He's weights, trained as scripts/remedy-setups.ts' wideColumnSigmoid (plain SGD, 10 epochs in batches of 32, over 350 rows whose
 * fourth feature is 20 + 5·N(0, 1)), at the digits' 0.002 and at the run's own 0.1: the rows as they are and standardised. Printed
 * by `npx tsx scripts/remedy-ranges.ts wide-column` (its offered relu remedy and the variant at the run's rate) on 2026-12-06 (Intel
 * Xeon, 2 vCPUs) on main at 9e73d548 with this commit's script; test/flow/relu-remedy runs seed 1 of each against them.
 */
export const OWN_ROWS_MEASURED = {
  /** The rows as they are (features' mean 7.07): at 0.002; at 0.1, seed 1 ended with a dead layer (39 %), seeds 2 and 3 ran away (DIVERGED). */
  raw: { digitsRate: '48–62 %', runRate: '39 %' },
  /** The rows standardised. */
  standardised: { digitsRate: '52–59 %', runRate: '83–93 %' },
} as const;

/** Where a switch to relu takes its rate from: a row of RELU_REMEDY_RATES, or OWN_ROWS (rows none of them measured). */
export type ReluRateChoice = ReluRateRow | typeof OWN_ROWS;

/** diagnose()'s reluRates values, for checking a caller's choice. */
export const RELU_RATE_CHOICES: readonly ReluRateChoice[] = [...Object.keys(RELU_REMEDY_RATES), OWN_ROWS] as ReluRateChoice[];

/**
 * Per optimiser, the largest bound any row of RELU_REMEDY_RATES measured in mini-batches, and the rows that measured it: OWN_ROWS'
 * ceiling (`gradscope study --model --data` trains in batches of --batch-size; the full-batch row's bound, measured without a
 * batch's noise, is no ceiling for it).
 */
export function ownRowsBound(optimizer: MeasuredOptimizer): { rate: number; rows: ReluRateRow[] } {
  const rows = MINI_BATCH_ROWS;
  const rate = Math.max(...rows.map((r) => RELU_REMEDY_RATES[r].rates[optimizer]));
  return { rate, rows: rows.filter((r) => RELU_REMEDY_RATES[r].rates[optimizer] === rate) };
}

/** The row of the visualizer's data set `dataset`; another name is refused (INVALID_OPTION, naming the data sets). */
export function pageRow(dataset: PageDataset): `page-${PageDataset}` & ReluRateRow {
  if (!PAGE_DATASETS.includes(dataset)) throw invalidOption(`pageRow(dataset): expected one of ${PAGE_DATASETS.map((d) => shown(d)).join(', ')}, got ${shownArgument(dataset)}`);
  return `page-${dataset}`;
}

/** A row of RELU_REMEDY_RATES: the set-up a relu rate was measured on. */
export type ReluRateRow = keyof typeof RELU_REMEDY_RATES;

/** The rows, for checking a caller's choice. */
export const RELU_RATE_ROWS = Object.keys(RELU_REMEDY_RATES) as readonly ReluRateRow[];

/** The rows measured in mini-batches (every one but the full-batch row). */
const MINI_BATCH_ROWS = RELU_RATE_ROWS.filter((r) => r !== 'full-batch');

/** How a run stepped, as far as the best relu rate goes: whether every step saw all its rows, and how many steps it took. */
export interface RateRegime {
  /** True where each step's batch held every training row (one step an epoch). */
  fullBatch: boolean;
  /** Steps taken. */
  steps: number;
}

/** The regime a digits row (RELU_RATE_SETUP's, RELU_RATE_FULL_BATCH_SETUP's) trained each network in. */
export function rowRegime(row: 'command' | 'full-batch'): RateRegime {
  const { epochs, trainRows, batchSize } = RELU_REMEDY_RATES[row].setup;
  return { fullBatch: batchSize >= trainRows, steps: epochs * batchesPerEpoch(trainRows, batchSize) };
}

/**
 * How far (a factor either way) a run's steps may lie from its row's before the reason says that the row's bound held over another
 * budget: a tolerance, not derived. The bound is the largest rate at which every network held over the row's steps; whether it
 * holds over many more, and how much a larger one would learn over far fewer, was not measured (no rule carries a bound from one
 * budget to another). The run's own rate is not offered for that alone: beside a batch-32 run of 282 steps at 0.5, the same
 * switch at 0.5 left a layer dead (test/flow/relu-remedy).
 */
export const REGIME_STEPS_FACTOR = 2;

/** The digits row for a run that names the default 'command' row: the full-batch row where every step of the run saw all its rows, the command's for mini-batches. */
export const runRegimeRow = (regime: RateRegime): 'command' | 'full-batch' => (regime.fullBatch ? 'full-batch' : 'command');

/** Whether a run of `regime` stepped as `row`'s networks did: in one batch or in mini-batches alike, its steps within REGIME_STEPS_FACTOR of theirs. */
export function sameBudget(regime: RateRegime, row: 'command' | 'full-batch'): boolean {
  const measured = rowRegime(row);
  return regime.fullBatch === measured.fullBatch && regime.steps <= measured.steps * REGIME_STEPS_FACTOR && regime.steps >= measured.steps / REGIME_STEPS_FACTOR;
}

/**
 * The rate the relu remedy sets for a run of `optimizer` at `learningRate` on `row`'s set-up: the row's
 * (for OWN_ROWS, ownRowsBound's) where the run's is larger; undefined where the run's is no larger (it is kept), the run has no rate, or
 * its optimiser's rate was not measured (SGD with momentum is not plain SGD and was not measured on
 * this set-up; over one epoch, 2026-12-01, every rate up to 0.05 at momentum 0.9 passed, no bound found).
 */
export function reluRemedyRate(run: { optimizer?: string; learningRate?: number; momentum?: number }, row: ReluRateChoice = 'command'): number | undefined {
  if (row === OWN_ROWS) return boundedRate(run, { sgd: ownRowsBound('sgd').rate, adam: ownRowsBound('adam').rate });
  return boundedRate(run, RELU_REMEDY_RATES[row].rates);
}

/**
 * The rate the dead units' switch to leaky-relu sets on `row`, as reluRemedyRate does from the row's
 * leakyRates; null where the row measured leaky-relu for the run's optimiser and no rate of the grid
 * held (the switch is not offered: at the run's own rate it may overflow); undefined where the run's
 * rate is kept, on a row with no leakyRates, and for OWN_ROWS (none measured it: the run's rate is kept, as on the digits).
 */
export function leakyReluRemedyRate(run: { optimizer?: string; learningRate?: number; momentum?: number }, row: ReluRateChoice = 'command'): number | null | undefined {
  if (row === OWN_ROWS) return undefined;
  const rates = RELU_REMEDY_RATES[row].leakyRates;
  if (rates === undefined) return undefined;
  const name = run.optimizer ?? 'sgd';
  if (run.momentum === undefined && name in rates && rates[name as MeasuredOptimizer] === null) return null;
  return boundedRate(run, rates);
}

/** `rates`' bound for the run's optimiser where the run's rate is above it; undefined where there is none or the run's is kept. */
function boundedRate(run: { optimizer?: string; learningRate?: number; momentum?: number }, rates: Readonly<Record<MeasuredOptimizer, number | null>>): number | undefined {
  const name = run.optimizer ?? 'sgd';
  if (run.learningRate === undefined || run.momentum !== undefined || !(name in rates)) return undefined;
  const bound = rates[name as MeasuredOptimizer];
  return bound !== null && run.learningRate > bound ? bound : undefined;
}
