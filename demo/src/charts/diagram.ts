/**
 * The network diagram, as TensorFlow Playground draws it: a column of units per layer, each unit
 * coloured by its output (a small map over the input plane for 2-D data, its mean output for
 * MNIST), and an edge per weight whose width is |∂C/∂w| on a log scale and whose colour is the
 * weight's sign. What it drew is left on the canvas's dataset (nodes, edges, largest gradient).
 */
import type { DiagramSnapshot } from '../diagram-data.js';
import { beginPlot, CLASS_RGB, COLORS } from './canvas.js';

/** Decades of |∂C/∂w| below the largest that still get some width; smaller ones are hairlines. */
export const EDGE_DECADES = 4;
const MARGIN = { left: 8, right: 8, top: 8, bottom: 30 };
const MAX_NODE = 36;
/** Below this spacing between columns, labels are short ('in', 'h3', 'out') and the unit counts are left to the note. */
const ROOMY_COLUMN = 64;
/** A unit's map is painted one pixel per cell on this canvas, then scaled onto the diagram. */
const scratch = document.createElement('canvas');

/** Negative values orange, positive blue (the classes' colours), white at 0; |v| ≥ 1 full strength. */
function diverging(v: number): [number, number, number] {
  const t = Math.min(Math.abs(v), 1);
  const [r, g, b] = CLASS_RGB[v < 0 ? 0 : 1];
  return [Math.round(255 + t * (r - 255)), Math.round(255 + t * (g - 255)), Math.round(255 + t * (b - 255))];
}

/** Draws `d`; returns the largest |∂C/∂w| drawn (the top of the edges' scale). */
export function drawDiagram(canvas: HTMLCanvasElement, d: DiagramSnapshot): number {
  const plot = beginPlot(canvas, MARGIN);
  const { ctx } = plot;
  const L = d.sizes.length;
  const slots = d.shown.map((n) => Math.max(n, 1));
  const columnGap = plot.width / L;
  const node = Math.max(6, Math.min(MAX_NODE, columnGap * 0.45, plot.height / Math.max(...slots) - 4));
  const cx = (l: number) => plot.x + (l + 0.5) * columnGap;
  const rowGap = (l: number) => Math.min(node * 1.6, plot.height / slots[l]);
  const cy = (l: number, u: number) => plot.y + plot.height / 2 + (u - (slots[l] - 1) / 2) * rowGap(l);
  // The block of an input layer too wide to draw is a bar as tall as the widest column.
  const blockHeight = Math.min(plot.height, node * 4);
  const halfHeight = (l: number) => (d.shown[l] === 0 ? blockHeight / 2 : node / 2);

  let largest = 0;
  for (const g of d.gradients) for (const v of g) if (v > largest && Number.isFinite(v)) largest = v;
  let edges = 0;
  for (let l = 0; l + 1 < L; l++) {
    const from = slots[l];
    for (let j = 0; j < d.shown[l + 1]; j++) {
      for (let i = 0; i < from; i++) {
        const g = d.gradients[l][j * from + i];
        const w = d.weights[l][j * from + i];
        const t = largest > 0 && g > 0 ? Math.min(Math.max((Math.log10(g / largest) + EDGE_DECADES) / EDGE_DECADES, 0), 1) : 0;
        const [r, gr, b] = Number.isNaN(w) ? [123, 135, 148] : CLASS_RGB[w < 0 ? 0 : 1];
        ctx.strokeStyle = `rgba(${r},${gr},${b},${0.2 + 0.7 * t})`;
        ctx.lineWidth = 0.4 + 3.6 * t;
        ctx.beginPath();
        ctx.moveTo(cx(l) + node / 2, cy(l, i));
        ctx.lineTo(cx(l + 1) - node / 2, cy(l + 1, j));
        ctx.stroke();
        edges++;
      }
    }
  }

  let nodes = 0;
  ctx.imageSmoothingEnabled = true;
  for (let l = 0; l < L; l++) {
    const x = cx(l) - node / 2;
    if (d.shown[l] === 0) {
      ctx.fillStyle = COLORS.grid;
      ctx.fillRect(x, cy(l, 0) - halfHeight(l), node, blockHeight);
      nodes++;
    }
    for (let u = 0; u < d.shown[l]; u++) {
      const y = cy(l, u) - node / 2;
      drawUnit(ctx, d.units[l].subarray(u * d.cells, (u + 1) * d.cells), d.cells, x, y, node);
      ctx.strokeStyle = COLORS.muted;
      ctx.lineWidth = 0.5;
      ctx.strokeRect(x, y, node, node);
      nodes++;
    }
    ctx.fillStyle = COLORS.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const roomy = columnGap >= ROOMY_COLUMN;
    const name = l === 0 ? (roomy ? 'inputs' : 'in') : roomy ? d.names[l - 1] : shortName(d.names[l - 1]);
    const count = d.shown[l] === 0 ? `${d.sizes[l]} (one bar)` : d.shown[l] < d.sizes[l] ? `${d.shown[l]} of ${d.sizes[l]}` : `${d.sizes[l]}`;
    ctx.fillText(name, cx(l), plot.y + plot.height + 4);
    if (roomy) ctx.fillText(count, cx(l), plot.y + plot.height + 16);
  }
  Object.assign(canvas.dataset, { nodes: String(nodes), edges: String(edges), largest: String(largest) });
  return largest;
}

/** A column's name where columns are narrow: 'hidden 3' as 'h3', 'output' as 'out', a block network's 'layers[0–2]' as '[0–2]'. */
function shortName(name: string): string {
  return name === 'output' ? 'out' : name.replace(/^hidden /, 'h').replace(/^layers\[/, '[');
}

/** One unit: its map over the plane (cells > 1), or one colour for its mean output. */
function drawUnit(ctx: CanvasRenderingContext2D, values: Float32Array, cells: number, x: number, y: number, size: number): void {
  if (cells === 1) {
    const [r, g, b] = diverging(values[0]);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, y, size, size);
    return;
  }
  const n = Math.round(Math.sqrt(cells));
  const image = new ImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = diverging(values[i]);
    image.data.set([r, g, b, 255], 4 * i);
  }
  scratch.width = n;
  scratch.height = n;
  scratch.getContext('2d')!.putImageData(image, 0, 0);
  ctx.drawImage(scratch, x, y, size, size);
}
