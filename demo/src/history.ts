/**
 * What the page keeps of a run: all of it, from the first step, in at most BUCKETS buckets of equal
 * width in steps. A bucket holds the minimum, the maximum and the last value, over its steps, of the
 * loss and of each layer's ‖∂C/∂b‖; when the buckets run out, neighbours merge pairwise and the width
 * doubles. So a long run is decimated evenly, and a spike inside a bucket still shows.
 * The snapshots (accuracy, test loss, the mean loss's ‖∂C/∂b‖ on the probe rows) come ~10× a second and are thinned to every
 * other when there are more than BUCKETS.
 */
import type { StepRecord } from './protocol.js';

export const BUCKETS = 1024;

/** A range of the min and max of one quantity, and its value at the bucket's last step. */
export interface Spread {
  min: number;
  max: number;
  last: number;
}

export interface Bucket {
  /** First and last network step in the bucket. */
  first: number;
  last: number;
  loss: Spread;
  /** Per layer, ‖∂C/∂b‖. */
  gradB: Spread[];
}

export interface SnapshotPoint {
  step: number;
  accuracy: number;
  testAccuracy: number;
  testLoss: number;
  /** ‖∂C/∂b‖ of the mean loss over the page's fixed probe rows per trace row (Snapshot.meanGradB): the flow map's mean-loss view. */
  meanGradB?: ArrayLike<number>;
}

const spread = (v: number): Spread => ({ min: v, max: v, last: v });

function widen(s: Spread, v: number): void {
  // NaN (a skipped or diverged step) is kept as the last value but leaves min and max alone.
  if (v < s.min || Number.isNaN(s.min)) s.min = v;
  if (v > s.max || Number.isNaN(s.max)) s.max = v;
  s.last = v;
}

function merge(a: Bucket, b: Bucket): Bucket {
  const join = (p: Spread, q: Spread): Spread => ({ min: Math.min(p.min, q.min), max: Math.max(p.max, q.max), last: q.last });
  return { first: a.first, last: b.last, loss: join(a.loss, b.loss), gradB: a.gradB.map((g, l) => join(g, b.gradB[l])) };
}

export class History {
  buckets: Bucket[] = [];
  /** Steps per bucket. */
  width = 1;
  snapshots: SnapshotPoint[] = [];
  private start = 0;

  clear(): void {
    this.buckets = [];
    this.width = 1;
    this.snapshots = [];
  }

  addSteps(records: StepRecord[]): void {
    for (const r of records) {
      if (this.buckets.length === 0) this.start = r.step;
      let index = Math.floor((r.step - this.start) / this.width);
      while (index >= BUCKETS) {
        this.halve();
        index = Math.floor((r.step - this.start) / this.width);
      }
      const bucket = this.buckets[index];
      if (bucket && this.buckets.length === index + 1) {
        bucket.last = r.step;
        widen(bucket.loss, r.loss);
        r.gradB.forEach((v, l) => widen(bucket.gradB[l], v));
      } else {
        this.buckets.push({ first: r.step, last: r.step, loss: spread(r.loss), gradB: Array.from(r.gradB, spread) });
      }
    }
  }

  addSnapshot(point: SnapshotPoint): void {
    this.snapshots.push(point);
    if (this.snapshots.length > BUCKETS) this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0 || i === this.snapshots.length - 1);
  }

  /** First and last step held (the first is the run's first step). */
  get range(): [number, number] {
    return this.buckets.length === 0 ? [0, 0] : [this.buckets[0].first, this.buckets[this.buckets.length - 1].last];
  }

  private halve(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) merged.push(this.buckets[i + 1] ? merge(this.buckets[i], this.buckets[i + 1]) : this.buckets[i]);
    this.buckets = merged;
    this.width *= 2;
  }
}
