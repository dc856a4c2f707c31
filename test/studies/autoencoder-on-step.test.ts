// The autoencoder study's onStep hook (what scripts/autoencoder-steps.ts prints from): called once per optimiser step, in
// order, with the steps and CPU seconds so far; the errors it measures at a step are the curve point's taken after that
// step; Hessian-free's step report beside it; errors() refused once the call has returned.
import { describe, expect, it } from 'vitest';
import { runAutoencoderStudy, type AutoencoderStep, type CurvePoint } from '../../src/studies/autoencoder.js';
import { expectError } from '../util/expect-error.js';

type Event = { kind: 'step'; optimizer: string; step: AutoencoderStep; errors: ReturnType<AutoencoderStep['errors']> } | { kind: 'point'; optimizer: string; point: CurvePoint };

describe('runAutoencoderStudy onStep', () => {
  it("is called once per step, in order, before the curve point after it, with that point's steps, seconds and errors", async () => {
    const events: Event[] = [];
    const result = await runAutoencoderStudy({
      sizes: [784, 16, 784],
      trainRows: 40,
      testRows: 10,
      seconds: 0.05,
      points: 2,
      optimizers: ['hessian-free', 'adam'],
      onStep: (optimizer, step) => events.push({ kind: 'step', optimizer, step, errors: step.errors() }),
      onPoint: (optimizer, point) => events.push({ kind: 'point', optimizer, point }),
    });
    for (const run of result.runs) {
      const mine = events.filter((e) => e.optimizer === run.optimizer);
      const steps = mine.flatMap((e) => (e.kind === 'step' ? [e.step] : []));
      const total = run.curve[run.curve.length - 1].steps;
      expect(total).toBeGreaterThan(0);
      // Once per step: 1, 2, …, the run's steps, and the seconds never fall.
      expect(steps.map((s) => s.steps)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      steps.forEach((s, i) => expect(s.seconds).toBeGreaterThanOrEqual(i === 0 ? 0 : steps[i - 1].seconds));
      expect(steps.every((s) => (run.optimizer === 'hessian-free' ? s.hessianFree !== undefined && s.hessianFree.iterations > 0 : s.hessianFree === undefined))).toBe(true);
      // Each point after the start follows the call of its last step, and that call saw what the point records. Two points
      // can follow one step: a step that overran the next point's time leaves that point nothing to train.
      let last: Extract<Event, { kind: 'step' }> | undefined;
      for (const event of mine) {
        if (event.kind === 'step') last = event;
        else if (event.point.steps > 0) {
          expect([last?.step.steps, last?.step.seconds, last?.errors.trainError, last?.errors.testError]).toEqual([event.point.steps, event.point.seconds, event.point.trainError, event.point.testError]);
        }
      }
    }
  }, 60_000);

  it("refuses errors() once its call has returned (the network trained on, or is disposed): DISPOSED, not another step's errors", async () => {
    const kept: AutoencoderStep[] = [];
    await runAutoencoderStudy({ sizes: [784, 8, 784], trainRows: 20, testRows: 5, seconds: 0.01, points: 1, optimizers: ['adam'], onStep: (_, step) => kept.push(step) });
    expect(kept.length).toBeGreaterThan(0);
    await expectError(() => kept[0].errors(), 'DISPOSED', /^autoencoder onStep: errors\(\) of adam's step 1 called after onStep returned \(the network has trained on since, or is disposed\): call it within onStep$/);
  }, 60_000);
});
