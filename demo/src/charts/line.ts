/** Loss (log axis, left) and accuracy (0–100 %, right) against training steps. */
import { beginPlot, COLORS, decades, placeholder, powerLabel, xLabel, yTick } from './canvas.js';

export interface LossSeries {
  steps: number[];
  loss: number[];
  accuracySteps: number[];
  accuracy: number[];
}

export function drawLossChart(canvas: HTMLCanvasElement, series: LossSeries): void {
  const plot = beginPlot(canvas, { left: 44, right: 40, top: 10, bottom: 22 });
  const { ctx } = plot;
  const finite = series.loss.filter((v) => v > 0 && Number.isFinite(v));
  if (finite.length === 0) {
    placeholder(plot, 'Press Train');
    return;
  }
  const first = Math.min(series.steps[0] ?? 0, series.accuracySteps[0] ?? 0);
  const last = Math.max(series.steps[series.steps.length - 1] ?? 1, series.accuracySteps[series.accuracySteps.length - 1] ?? 1, first + 1);
  const sx = (step: number) => plot.x + ((step - first) / (last - first)) * plot.width;
  let lo = Math.log10(Math.min(...finite, 1));
  let hi = Math.log10(Math.max(...finite, 1));
  if (hi - lo < 1) lo = hi - 1;
  lo = Math.floor(lo);
  hi = Math.ceil(hi);
  const sy = (v: number) => plot.y + ((hi - Math.log10(v)) / (hi - lo)) * plot.height;
  for (const e of decades(lo, hi)) yTick(plot, sy(10 ** e), powerLabel(e));
  xLabel(plot, plot.x, String(first), 'left');
  xLabel(plot, plot.x + plot.width, `${last} steps`, 'right');

  ctx.strokeStyle = COLORS.loss;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  series.steps.forEach((step, i) => {
    const v = series.loss[i];
    if (!(v > 0 && Number.isFinite(v))) return;
    if (i === 0) ctx.moveTo(sx(step), sy(v));
    else ctx.lineTo(sx(step), sy(v));
  });
  ctx.stroke();

  const ay = (a: number) => plot.y + (1 - a) * plot.height;
  ctx.fillStyle = COLORS.accuracy;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const a of [0, 0.5, 1]) ctx.fillText(`${a * 100}%`, plot.x + plot.width + 4, ay(a));
  ctx.strokeStyle = COLORS.accuracy;
  ctx.beginPath();
  series.accuracySteps.forEach((step, i) => {
    if (i === 0) ctx.moveTo(sx(step), ay(series.accuracy[i]));
    else ctx.lineTo(sx(step), ay(series.accuracy[i]));
  });
  ctx.stroke();
}
