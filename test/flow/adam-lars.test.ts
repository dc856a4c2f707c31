/**
 * LARS against a vanishing gradient, offered to a run whose optimiser scales each weight's step by its
 * gradients (Adam here) only where its measured steps still follow the gap. LARS (You, Gitman &
 * Ginsburg 2017) is SGD with momentum scaled per layer by the trust ratio η‖W‖/(‖∇W‖ + λ‖W‖), so every layer's
 * ‖ΔW‖/‖W‖ is the same; on Adam's step the same ratio is LAMB (You et al. 2020), which gradscope does
 * not have. Real runs (2026-12-02, session 18), sigmoid networks on 700 digits, Adam at 0.001 in
 * batches of 32, seed 1: with 3 hidden layers (5 epochs) Adam's first hidden layer moved 5.13× the
 * last's relative to its weights, and one trust ratio per layer would shrink that to 1×; with 10 (2
 * epochs) it moved 1/28.9 of the last's beside a δ gap of 2.8e-8, which the trust ratio lifts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose, VANISHING_RATIO } from '../../src/flow/diagnose.js';
import { loadMnist } from '../../src/data/mnist.js';
import { firstRows } from '../../src/studies/depth.js';
import { tracedRun, type Rows } from '../util/traced-run.js';
import { LARS_DEFAULTS } from '../../src/optimizer-defaults.js';
import { deepOptimizerWords } from '../../src/flow/diagnosis/deep-optimizer-evidence.js';
import type { TrainOptions } from '../../src/training/train-options.js';

let digits: Rows;
beforeAll(async () => {
  const { train } = await loadMnist();
  digits = firstRows(train.x, train.y, 700);
});

const ADAM_RUN = (epochs: number): TrainOptions => ({ epochs, batchSize: 32, learningRate: 0.001, optimizer: 'adam', trace: { every: 1 } });
const adamRun = (hidden: number, epochs: number) => tracedRun({ sizes: [784, ...Array.from({ length: hidden }, () => 30), 10], activation: 'sigmoid', seed: 1 }, digits, ADAM_RUN(epochs));

const options = (d: ReturnType<typeof diagnose>) => d.remedies.map((r) => r.option);

describe('lars offered to an Adam run whose vanishing gap held and that is not compensated', () => {
  it("is not offered where Adam's first hidden layer already takes the larger steps relative to its weights (5.13×, 3 hidden layers)", async () => {
    const { trace } = await adamRun(3, 5);
    const d = diagnose(trace);
    const e = d.evidence;
    expect([d.verdict, d.severity, e.compensated]).toEqual(['vanishing', 'severe', false]);
    // The gap held: over the records as at the first step.
    expect(e.deltaFirstToLast.median).toBeLessThanOrEqual(VANISHING_RATIO);
    // Not compensated the other way: the first hidden layer's steps are more than 4× the last's.
    expect(e.updateFirstToLast).toBeGreaterThanOrEqual(1 / VANISHING_RATIO);
    expect(e.updateFirstToLast).toBeCloseTo(5.13, 1);
    expect(options(d).some((o) => o.startsWith("optimizer: 'lars'"))).toBe(false);
    // What the gap's cause and the curvature still point to stays.
    expect(options(d)).toContain("activation: 'relu', init: 'he-normal' (or activation: 'tanh')");
    // K-FAC at its own rate, not Adam's 0.001 (optimizerSwitch); Hessian-free with its batch (all 700 rows) over the run's 110 steps (5 epochs of 22 batches).
    expect(options(d)).toContain("optimizer: 'kfac', learningRate: 1 (or optimizer: 'hessian-free', batchSize: 1000, epochs: 110, no learningRate: hessian-free sets its own steps)");
  }, 120_000);

  it("is offered where Adam's steps still follow the gap (1/28.9 beside a δ gap of 2.8e-8, 10 hidden layers), saying what LARS changes and that LAMB is not here", async () => {
    const { trace } = await adamRun(10, 2);
    const d = diagnose(trace);
    const e = d.evidence;
    expect([d.verdict, d.severity, e.compensated]).toEqual(['vanishing', 'severe', false]);
    expect(e.updateFirstToLast).toBeLessThanOrEqual(VANISHING_RATIO);
    // With LARS's own rate: Adam's 0.001 kept beside LARS would step 1/100 of LARS's default.
    const lars = d.remedies.find((r) => r.option === "optimizer: 'lars', learningRate: 1");
    expect(lars, options(d).join(' | ')).toBeDefined();
    expect(lars!.why).toBe(
      `adam's steps still follow the gap: the first hidden layer's ‖ΔW‖/‖W‖ is 1/${(1 / e.updateFirstToLast).toPrecision(3)} of the last hidden layer's (median). ` +
        "LARS scales each layer's gradient by its trust ratio η‖W‖/(‖∇W‖ + λ‖W‖), so that a step moves every layer by the learning rate × η (η = 0.001) " +
        "of its weights' norm before momentum (at most that with weight decay λ), whatever the gradient's size (You et al. 2017); " +
        "its steps are SGD with momentum's in place of adam's per-weight ones (the same trust ratio on Adam's step is LAMB, You et al. 2020, which gradscope does not have)." +
        // 10 hidden layers: what study (c) measured of LARS at that depth.
        deepOptimizerWords(10, ['lars']),
    );
    expect(1 / e.updateFirstToLast).toBeCloseTo(28.9, 0);
    // The remedy as a user applies it, its settings in place of the run's options: the run it makes is LARS at LARS's default rate.
    const applied = Object.fromEntries(lars!.settings.map((s) => [s.option, s.option === 'optimizer' ? s.flagValue : Number(s.flagValue)]));
    const { trace: remedied } = await tracedRun({ sizes: [784, ...Array.from({ length: 10 }, () => 30), 10], activation: 'sigmoid', seed: 1 }, digits, { ...ADAM_RUN(1), ...applied });
    expect([remedied.run.optimizer, remedied.run.learningRate]).toEqual(['lars', LARS_DEFAULTS.learningRate]);
  }, 120_000);
});
