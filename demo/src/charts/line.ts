/**
 * Loss (log axis, left) and accuracy (0–100 %, right) over the whole run: the training batches' loss
 * as a band from each bucket's minimum to its maximum with a line through its last value, the test
 * loss and both accuracies at each snapshot (dashed: test), over a linear steps axis labelled at its ends and at round steps
 * between (stepAxis). The canvas's data-first and data-last say which steps the x axis spans.
 */
import type { History } from '../history.js';
import { beginPlot, COLORS, decades, placeholder, powerLabel, stepAxis, yTick } from './canvas.js';

export function drawLossChart(canvas: HTMLCanvasElement, history: History): void {
  const plot = beginPlot(canvas, { left: 44, right: 40, top: 10, bottom: 22 });
  const { ctx } = plot;
  const { buckets, snapshots } = history;
  const finite = buckets.flatMap((b) => [b.loss.min, b.loss.max]).filter((v) => v > 0 && Number.isFinite(v));
  if (finite.length === 0) {
    placeholder(plot, 'Press Train or Step');
    canvas.dataset.first = canvas.dataset.last = canvas.dataset.xTicks = '';
    return;
  }
  const [first, lastStep] = history.range;
  const last = Math.max(lastStep, first + 1);
  canvas.dataset.first = String(first);
  canvas.dataset.last = String(lastStep);
  const sx = (step: number) => plot.x + ((step - first) / (last - first)) * plot.width;
  const testLosses = snapshots.map((s) => s.testLoss).filter((v) => v > 0 && Number.isFinite(v));
  let lo = Math.log10(Math.min(...finite, ...testLosses, 1));
  let hi = Math.log10(Math.max(...finite, ...testLosses, 1));
  if (hi - lo < 1) lo = hi - 1;
  lo = Math.floor(lo);
  hi = Math.ceil(hi);
  const sy = (v: number) => plot.y + ((hi - Math.log10(Math.max(v, 10 ** lo))) / (hi - lo)) * plot.height;
  for (const e of decades(lo, hi)) yTick(plot, sy(10 ** e), powerLabel(e));
  stepAxis(canvas, plot, first, lastStep);

  // The band: one vertical stroke per bucket, from its smallest to its largest batch loss.
  ctx.strokeStyle = COLORS.lossBand;
  ctx.lineWidth = Math.max(1, plot.width / buckets.length);
  ctx.beginPath();
  for (const b of buckets) {
    if (!(b.loss.min > 0 && Number.isFinite(b.loss.max))) continue;
    const x = sx((b.first + b.last) / 2);
    ctx.moveTo(x, sy(b.loss.max));
    ctx.lineTo(x, sy(b.loss.min) + 0.5);
  }
  ctx.stroke();
  polyline(ctx, buckets.map((b) => [sx(b.last), b.loss.last > 0 && Number.isFinite(b.loss.last) ? sy(b.loss.last) : NaN]), COLORS.loss, []);
  polyline(ctx, snapshots.map((s) => [sx(s.step), s.testLoss > 0 && Number.isFinite(s.testLoss) ? sy(s.testLoss) : NaN]), COLORS.loss, [4, 3]);

  const ay = (a: number) => plot.y + (1 - a) * plot.height;
  ctx.fillStyle = COLORS.accuracy;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const a of [0, 0.5, 1]) ctx.fillText(`${a * 100}%`, plot.x + plot.width + 4, ay(a));
  polyline(ctx, snapshots.map((s) => [sx(s.step), ay(s.accuracy)]), COLORS.accuracy, []);
  polyline(ctx, snapshots.map((s) => [sx(s.step), ay(s.testAccuracy)]), COLORS.accuracy, [4, 3]);
}

/** A line through the points, broken where y is NaN. */
function polyline(ctx: CanvasRenderingContext2D, points: number[][], color: string, dash: number[]): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(dash);
  ctx.beginPath();
  let pen = false;
  for (const [x, y] of points) {
    if (Number.isNaN(y)) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
  ctx.stroke();
  ctx.setLineDash([]);
}
