/** The decision boundary of a 2-D classifier: P(class 1) over [−1, 1]², with the data on top. */
import { beginPlot, CLASS_RGB, COLORS, placeholder } from './canvas.js';

const SQUARE = { left: 0, right: 0, top: 0, bottom: 0 };
/** An n × n canvas the cells are painted on before scaling. */
const scratch = document.createElement('canvas');

/** `grid` holds P(class 1) for n × n cells, top row first; `points` are (x, y) pairs with labels. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  grid: Float32Array,
  n: number,
  points: { x: Float32Array; labels: Uint8Array } | null,
): void {
  const plot = beginPlot(canvas, SQUARE);
  const { ctx } = plot;
  if (!points || grid.length !== n * n) {
    placeholder(plot, 'Decision boundary: 2-D data sets only');
    return;
  }
  const side = Math.min(plot.width, plot.height);
  const ox = plot.x + (plot.width - side) / 2;
  const oy = plot.y + (plot.height - side) / 2;
  // Paint one pixel per cell, then let the browser scale it smoothly: no seams between cells.
  const cells = new ImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const p = grid[i];
    // Orange for class 0, blue for class 1, paler the less sure the network is.
    const [r, g, b] = CLASS_RGB[p < 0.5 ? 0 : 1];
    const strength = 0.15 + 0.55 * Math.abs(p - 0.5) * 2;
    cells.data[4 * i] = Math.round(255 + strength * (r - 255));
    cells.data[4 * i + 1] = Math.round(255 + strength * (g - 255));
    cells.data[4 * i + 2] = Math.round(255 + strength * (b - 255));
    cells.data[4 * i + 3] = 255;
  }
  scratch.width = n;
  scratch.height = n;
  scratch.getContext('2d')!.putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, ox, oy, side, side);
  const px = (v: number) => ox + ((v + 1) / 2) * side;
  const py = (v: number) => oy + ((1 - v) / 2) * side;
  ctx.lineWidth = 0.75;
  ctx.strokeStyle = '#ffffff';
  for (let i = 0; i < points.labels.length; i++) {
    ctx.fillStyle = points.labels[i] === 0 ? COLORS.class0 : COLORS.class1;
    ctx.beginPath();
    ctx.arc(px(points.x[2 * i]), py(points.x[2 * i + 1]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}
