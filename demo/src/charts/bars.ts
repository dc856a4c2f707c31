/** One bar per layer: gradient norms on a log axis, or fractions (saturation) on 0–100 %. */
import { beginPlot, decades, placeholder, powerLabel, xLabel, yTick } from './canvas.js';

export interface BarOptions {
  scale: 'log' | 'fraction';
  color: string;
}

/** `values[l]` for layer l + 1 (also on the canvas as data-values); NaN entries (layers the quantity does not apply to) are left empty. */
export function drawLayerBars(canvas: HTMLCanvasElement, values: ArrayLike<number>, options: BarOptions): void {
  const plot = beginPlot(canvas);
  const { ctx } = plot;
  const n = values.length;
  canvas.dataset.values = Array.from(values).join(',');
  const shown = Array.from(values).filter((v) => Number.isFinite(v) && (options.scale === 'fraction' || v > 0));
  if (n === 0 || shown.length === 0) {
    placeholder(plot, 'No data');
    return;
  }
  let y: (v: number) => number;
  if (options.scale === 'log') {
    const logs = shown.map(Math.log10);
    const lo = Math.floor(Math.min(...logs));
    const hi = Math.max(Math.ceil(Math.max(...logs)), lo + 1);
    y = (v) => plot.y + ((hi - Math.log10(v)) / (hi - lo)) * plot.height;
    for (const e of decades(lo, hi)) yTick(plot, y(10 ** e), powerLabel(e));
  } else {
    y = (v) => plot.y + (1 - v) * plot.height;
    for (const f of [0, 0.5, 1]) yTick(plot, y(f), `${f * 100}%`);
  }
  const slot = plot.width / n;
  const bar = Math.max(2, slot * 0.7);
  const base = plot.y + plot.height;
  for (let l = 0; l < n; l++) {
    const v = values[l];
    const cx = plot.x + slot * (l + 0.5);
    if (n <= 16 || l % 2 === 0) xLabel(plot, cx, String(l + 1));
    if (!Number.isFinite(v) || (options.scale === 'log' && !(v > 0))) continue;
    const top = Math.min(y(v), base - 1);
    ctx.fillStyle = options.color;
    ctx.fillRect(cx - bar / 2, top, bar, base - top);
  }
}
