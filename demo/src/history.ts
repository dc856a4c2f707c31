/**
 * What the page keeps of a run: loss and ‖∂C/∂W‖ per layer for every step, and accuracy at each
 * snapshot. Past MAX_STEPS it keeps every other step, so a long run stays cheap to draw.
 */
import type { LossSeries } from './charts/line.js';
import type { StepRecord } from './protocol.js';

export const MAX_STEPS = 4000;

export class History {
  steps: number[] = [];
  loss: number[] = [];
  gradW: Float64Array[] = [];
  accuracySteps: number[] = [];
  accuracy: number[] = [];

  clear(): void {
    this.steps = [];
    this.loss = [];
    this.gradW = [];
    this.accuracySteps = [];
    this.accuracy = [];
  }

  addSteps(records: StepRecord[]): void {
    for (const r of records) {
      this.steps.push(r.step);
      this.loss.push(r.loss);
      this.gradW.push(r.gradW);
    }
    if (this.steps.length > MAX_STEPS) {
      const keep = (_: unknown, i: number) => i % 2 === 1;
      this.steps = this.steps.filter(keep);
      this.loss = this.loss.filter(keep);
      this.gradW = this.gradW.filter(keep);
    }
  }

  addAccuracy(step: number, accuracy: number): void {
    this.accuracySteps.push(step);
    this.accuracy.push(accuracy);
    if (this.accuracy.length > MAX_STEPS) {
      const keep = (_: unknown, i: number) => i % 2 === 1;
      this.accuracySteps = this.accuracySteps.filter(keep);
      this.accuracy = this.accuracy.filter(keep);
    }
  }

  lossSeries(): LossSeries {
    return { steps: this.steps, loss: this.loss, accuracySteps: this.accuracySteps, accuracy: this.accuracy };
  }
}
