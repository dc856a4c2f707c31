/**
 * MNIST mode's picture: test digits, each with the class the network predicts for it under it
 * (green when right, red when wrong). The canvas's data-labels and data-predictions hold both lists.
 */
import { beginPlot, COLORS, placeholder } from './canvas.js';

const SIDE = 28;
const COLUMNS = 8;
/** An image of one digit, drawn at its own size before scaling. */
const scratch = document.createElement('canvas');
scratch.width = scratch.height = SIDE;

export function drawDigits(canvas: HTMLCanvasElement, digits: { pixels: Float32Array; labels: Uint8Array }, predictions: Uint8Array): void {
  const plot = beginPlot(canvas, { left: 0, right: 0, top: 0, bottom: 0 });
  const { ctx } = plot;
  const count = digits.labels.length;
  canvas.dataset.labels = Array.from(digits.labels).join(',');
  canvas.dataset.predictions = Array.from(predictions).join(',');
  if (count === 0) {
    placeholder(plot, 'No digits');
    return;
  }
  const rows = Math.ceil(count / COLUMNS);
  const cell = Math.min(plot.width / COLUMNS, plot.height / rows);
  const image = scratch.getContext('2d')!.createImageData(SIDE, SIDE);
  ctx.imageSmoothingEnabled = false;
  ctx.font = `${Math.max(10, Math.round(cell * 0.22))}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < SIDE * SIDE; p++) {
      const v = 255 - Math.round(digits.pixels[i * SIDE * SIDE + p] * 255);
      image.data.set([v, v, v, 255], 4 * p);
    }
    scratch.getContext('2d')!.putImageData(image, 0, 0);
    const x = plot.x + (i % COLUMNS) * cell;
    const y = plot.y + Math.floor(i / COLUMNS) * cell;
    const size = cell * 0.72;
    ctx.drawImage(scratch, x + (cell - size) / 2, y + 2, size, size);
    const right = predictions[i] === digits.labels[i];
    ctx.fillStyle = right ? COLORS.right : COLORS.wrong;
    ctx.fillText(predictions.length > i ? String(predictions[i]) : '?', x + cell / 2, y + cell - 1);
  }
}
