/**
 * The page's test rows as its run's validation rows, so that the diagnosis reads the held-out loss the
 * loss chart draws: a network that fits its training rows while its test loss rises is overfitting,
 * not 'converged' (it read so while the page had given its trace no held-out rows, newuser42). After
 * each epoch, whole passes (train() calls) and the single steps' passes (SteppedPass) alike, the page
 * measures what train()'s `validation` records (TraceEpoch.validation and .training): the loss on the
 * test rows, and the loss on a fixed subset of the training rows at the same weights, the rows
 * train() takes (trainingCheckRows), so that a rise of the one is read beside the other. Before the first step it measures
 * the test rows' loss once more, at the weights the run starts from (lossAtStart), which the trace does not hold and diagnose()
 * takes as heldOutAtStart, as `gradscope study --model` passes its test loss there: where no epoch lowered the test loss, the
 * page's diagnosis then says so and offers no epoch to stop at, where it named the epochs' lowest.
 */
import { GradscopeError, trainingCheckRows, type Evaluation, type Matrix, type Network, type TraceEpoch } from '../../src/index.js';

/** Rows and their one-hot targets. */
interface Rows {
  x: Matrix;
  y: Matrix;
}

export class HeldOutRows {
  /** The training rows measured beside the test rows (trainingCheckRows: as many, evenly spaced), copied once for the session. */
  private readonly subset: Rows;
  /** The test rows' evaluation at the latest step it was made at: an epoch's end and the snapshot after it read one number. */
  private tested: { step: number; evaluation: Evaluation } | undefined;

  constructor(
    train: Rows,
    private readonly test: Rows,
  ) {
    const rows = trainingCheckRows(train.x.rows, test.x.rows);
    const gather = (m: Matrix): Matrix => {
      const data = new Float32Array(rows.length * m.cols);
      rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
      return { data, rows: rows.length, cols: m.cols };
    };
    this.subset = { x: gather(train.x), y: gather(train.y) };
  }

  /**
   * The test rows' loss and accuracy, and the training subset's, at `net`'s weights now (an epoch's end), as
   * train()'s validation records them; none where the weights overflow on either (the page's snapshot, which evaluates the
   * same test rows, then stops the run and says why).
   */
  measure(net: Network): Pick<TraceEpoch, 'validation' | 'training'> {
    try {
      const validation = this.testAt(net);
      const training = net.evaluate(this.subset.x, this.subset.y);
      return { validation: { loss: validation.loss, accuracy: validation.accuracy }, training: { loss: training.loss, accuracy: training.accuracy, rows: this.subset.x.rows } };
    } catch (error) {
      if (error instanceof GradscopeError && error.code === 'NON_FINITE_INPUT') return {};
      throw error;
    }
  }

  /**
   * The test rows' loss at the weights the run starts from (`net` before its first step), as diagnose() takes it
   * (DiagnoseOptions.heldOutAtStart); undefined where the weights overflow on them (NON_FINITE_INPUT), as measure() gives none.
   */
  lossAtStart(net: Network): number | undefined {
    try {
      return this.testAt(net).loss;
    } catch (error) {
      if (error instanceof GradscopeError && error.code === 'NON_FINITE_INPUT') return undefined;
      throw error;
    }
  }

  /**
   * The test rows' loss and accuracy at `net`'s weights now (net.evaluate), evaluated once a step: the page's snapshot after an
   * epoch's end reads the number its measure() recorded (the network's weights change only with its step within a session).
   */
  testAt(net: Network): Evaluation {
    if (this.tested?.step !== net.step) this.tested = { step: net.step, evaluation: net.evaluate(this.test.x, this.test.y) };
    return this.tested.evaluation;
  }
}
