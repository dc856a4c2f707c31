// The visualizer's stop reason: a DIVERGED step keeps the library's where and why, and instead of
// train() options the page has no control for (clipNorm, onNonFinite) it advises the page's own
// controls (no Learning rate for an optimiser that chooses its own steps); other errors are as given.
import { describe, expect, it } from 'vitest';
import { errorText, failedUnshownReason, stopReason, unshownReason } from '../../demo/src/stop-reason.js';
import { createNetwork } from '../../src/api/network.js';
import { grouped } from '../../src/counted.js';
import { GradscopeError } from '../../src/errors.js';

async function divergence(): Promise<GradscopeError> {
  const net = await createNetwork({ sizes: [2, 3, 2], seed: 1 });
  try {
    net.train([[0, 1], [1, 0], [1, 1]], [[1, 0], [0, 1], [1, 0]], { learningRate: 1e30, epochs: 1 });
  } catch (error) {
    return error as GradscopeError;
  } finally {
    net.dispose();
  }
  throw new Error('train() did not diverge');
}

describe('visualizer stop reason', () => {
  it("advises the page's controls, not train() options, after a diverged step", async () => {
    const error = await divergence();
    expect(error.code).toBe('DIVERGED');
    expect(error.message).toMatch(/clipNorm/);
    const where = error.message.slice(0, error.message.indexOf('; the step was not applied'));
    const text = stopReason(error, 0.5);
    expect(text.startsWith(`DIVERGED: ${where}; the step was not applied, so the weights are the last good ones.`)).toBe(true);
    expect(text).toContain('a smaller Learning rate (now 0.5)');
    expect(text).not.toMatch(/clipNorm|onNonFinite|learningRate|'halve'|'skip'/);
    expect(stopReason(error, null)).not.toContain('Learning rate');
  });

  it('says that going on cannot help when the gradient at the weights held overflows, whatever the step size', async () => {
    const net = await createNetwork({ sizes: [2, 8, 8, 2], activation: 'relu', output: 'softmax', loss: 'cross-entropy', seed: 1, backend: 'ref' });
    // Weights grown 10¹² times (as a run at a huge learning rate leaves them): their ∂C/∂W overflows.
    for (const p of net.parameters()) net.kernels.view(p.value).forEach((v, i, all) => (all[i] = v * 1e12));
    let error: unknown;
    try {
      net.train([[0, 1], [1, 0], [1, 1]], [[1, 0], [0, 1], [1, 0]], { learningRate: 0.1, epochs: 1 });
    } catch (e) {
      error = e;
    } finally {
      net.dispose();
    }
    expect((error as GradscopeError).message).toMatch(/the inputs or the weights train\(\) was given are too large/);
    const text = stopReason(error, 0.1);
    expect(text).toContain('On this page: a smaller Learning rate (now 0.1), then Reset to start again from new weights');
    expect(text).not.toContain('Train goes on');
    expect(stopReason(error, null)).toContain('On this page: Reset, or another Init');
    // A step refused for its size (the update, not the gradient, too large) can go on with a smaller one.
    expect(stopReason(await divergence(), 0.5)).toContain('then Train goes on from the weights held');
  });

  it('says where the weights went back to when the steps, not the batch, led to the divergence; training goes on from them', async () => {
    // K-FAC without its norm constraint at learningRate 1e8: finite weights of ~1e7 after one step, a loss 10⁷× higher at the next.
    const net = await createNetwork({ sizes: [2, 8, 8, 2], activation: 'sigmoid', seed: 1 });
    const rows = Array.from({ length: 64 }, (_, r) => [Math.sin(r), Math.cos(3 * r)]);
    let error: unknown;
    try {
      net.train(rows, rows.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1])), { optimizer: { name: 'kfac', normConstraint: 0 }, learningRate: 1e8, batchSize: 32, shuffle: false });
    } catch (e) {
      error = e;
    } finally {
      net.dispose();
    }
    expect((error as GradscopeError).message).toMatch(/the network is back at the initial weights/);
    const text = stopReason(error, 1e8);
    expect(text).toMatch(/; the step was not applied, and the steps since the start led to it, so the weights are back at the initial weights, the last judged good that was kept\. On this page: a smaller Learning rate \(now 100000000\), then Train goes on from the weights held;/);
  });

  it('names a step past 999 whole, as the library groups it (the step after 12,345, not after 12)', () => {
    const message = `train: epoch 3, batch 7 (step 12,346): the loss is Infinity; the step was not applied: at the state after step ${grouped(12345)} this batch's loss and gradient are in range, so the steps since led here, and the network is back as it was after step ${grouped(12345)}, the last state judged good that was kept (its batch loss 0.693)`;
    expect(stopReason(new GradscopeError('DIVERGED', message), 0.5)).toContain('and the steps since step 12,345 led to it, so the weights are back as they were after step 12,345, the last judged good that was kept.');
  });

  it("says after which step the page cannot show a network whose weights overflow its rows, what stays at the last step shown, and that only new weights help", async () => {
    const net = await createNetwork({ sizes: [2, 8, 8, 2], activation: 'relu', seed: 1 });
    // Weights grown 10²⁰ times: their outputs overflow float32 on inputs in [−1, 1], as the page's snapshot found.
    for (const p of net.parameters()) net.kernels.view(p.value).forEach((v, i, all) => (all[i] = v * 1e20));
    let error: unknown;
    try {
      net.predict([[0.5, -0.5]]);
    } catch (e) {
      error = e;
    } finally {
      net.dispose();
    }
    expect((error as GradscopeError).code).toBe('NON_FINITE_INPUT');
    expect(unshownReason(error, 12345, 12344, 3)).toBe(
      `after step 12,345 the page cannot show the network: ${errorText(error)}. Its accuracies, predictions and diagram stay at step 12,344, the last shown; ` +
        "the loss, the gradients and the diagnosis are the trace's, to step 12,345. On this page: a smaller Learning rate (now 3), then Reset to start again from new weights; or another Init, Normalisation or Activation, which starts a new run.",
    );
    expect(unshownReason(error, 5, 3, null)).toMatch(/stay at step 3, the last shown; .* On this page: Reset, or another Init/);
    // Any other fault is said as it is, with the steps.
    expect(unshownReason(new Error('plain'), 5, 4, 3)).toBe("after step 5 the page cannot show the network: plain. Its accuracies, predictions and diagram stay at step 4, the last shown; the loss, the gradients and the diagnosis are the trace's, to step 5.");
  });

  it('says both why train() failed and that the network after its applied steps cannot be shown (the failure was dropped)', async () => {
    const diverged = await divergence();
    const unshown = new GradscopeError('NON_FINITE_INPUT', 'inputs: row 0 overflows float32 in output; the inputs or the weights are too large');
    const text = failedUnshownReason(diverged, unshown, 7, 5, 0.5);
    const failure = stopReason(diverged, 0.5);
    const advice = failure.indexOf(' On this page: ');
    // The page's advice once, at the end: the unshown network's (Reset, from the weights that overflow), not the failure's too.
    expect(text).toBe(`${failure.slice(0, advice)} Then, ${unshownReason(unshown, 7, 5, 0.5)}`);
    expect(text.split('On this page:')).toHaveLength(2);
    expect(text.startsWith('DIVERGED: ')).toBe(true);
    expect(text).toContain('after step 7 the page cannot show the network: NON_FINITE_INPUT: inputs: row 0 overflows');
    expect(text).toMatch(/On this page: a smaller Learning rate \(now 0\.5\), then Reset to start again from new weights; or another Init, Normalisation or Activation, which starts a new run\.$/);
    // An unshown network that gives no advice of its own (another error than an overflow): the failure's, once, at the end.
    const other = new GradscopeError('INVALID_OPTION', 'x is wrong');
    const both = failedUnshownReason(diverged, other, 7, 5, 0.5);
    expect(both).toBe(`${failure.slice(0, advice)} Then, ${unshownReason(other, 7, 5, 0.5)}${failure.slice(advice)}`);
    expect(both.split('On this page:')).toHaveLength(2);
    // Said last, after the unshown network, the advice names what Train goes on from: the weights held, not 'them'.
    expect(both).toMatch(/On this page: a smaller Learning rate \(now 0\.5\), then Train goes on from the weights held; or /);
    // Steps that were applied without a failure: the unshown reason alone.
    expect(failedUnshownReason(undefined, unshown, 7, 5, 0.5)).toBe(unshownReason(unshown, 7, 5, 0.5));
  });

  it('gives any other error as CODE: message', () => {
    const other = new GradscopeError('INVALID_OPTION', 'x is wrong');
    expect(stopReason(other, 0.5)).toBe('INVALID_OPTION: x is wrong');
    expect(errorText(other)).toBe('INVALID_OPTION: x is wrong');
    expect(stopReason(new Error('plain'), 0.5)).toBe('plain');
  });
});
