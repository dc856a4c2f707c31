/**
 * What makes each line of a report chart findable beyond its colour (svg.ts draws them): a marker
 * shape per unordered series, and which line lies on another's so closely that it is drawn as one.
 */

/**
 * Marker shapes, each a path from the point at its centre (relative moves, about 8 px across):
 * circle, square, triangle up, diamond, triangle down, plus, cross, triangle left, triangle right,
 * hexagon. The k-th unordered series takes the k-th, as it takes the k-th of SERIES_COLORS (ten
 * each), so a reader who cannot tell two colours apart tells their shapes. Drawn as outlines (no
 * fill), two shapes at one point both show; the 11th to 20th filled, or enclosed (markShape, markFilled).
 */
export const MARK_SHAPES = [
  'm-4 0a4 4 0 1 0 8 0 4 4 0 1 0-8 0',
  'm-3-3h6v6h-6z',
  'm0-4l3.5 6h-7z',
  'm0-4l4 4-4 4-4-4z',
  'm0 4l3.5-6h-7z',
  'm-4 0h8m-4-4v8',
  'm-3-3l6 6m0-6l-6 6',
  'm-4 0l6-3.5v7z',
  'm4 0l-6-3.5v7z',
  'm-2-3.5h4l2 3.5-2 3.5h-4l-2-3.5z',
] as const;

/** The width, in the drawing's pixels, a marker shape's outline is drawn (report-html's STYLE draws marks and a key's shapes with it): a line's. */
export const MARK_STROKE = 1.5;

/**
 * The second ten marks: MARK_SHAPES filled (markFilled), but for the plus and the cross, which hold
 * nothing to fill (filled, they looked as the first ten's): those are drawn in a circle and in a square.
 */
const SECOND_SHAPES: readonly string[] = MARK_SHAPES.map((shape, i) => ({ 5: `${shape}m-4-4${MARK_SHAPES[0].slice(5)}`, 6: `${shape}m0-6h6v6h-6z` })[i] ?? shape);

/**
 * How many series (a network's layers) in a row are told apart by their marks: the ten shapes as
 * outlines, then the second ten (SECOND_SHAPES, most filled), then the first again. Layers 1 and 11
 * shared a mark (a circle) where the ten shapes alone cycled; now layer 21 takes layer 1's, and a key
 * of more layers says so.
 */
export const MARK_VARIANTS = 2 * MARK_SHAPES.length;

/** The marker shape of the k-th unordered series, or of a network's layer k: the k-th of MARK_SHAPES, then of SECOND_SHAPES, cycling every MARK_VARIANTS. */
export const markShape = (k: number): string => (k % MARK_VARIANTS < MARK_SHAPES.length ? MARK_SHAPES : SECOND_SHAPES)[k % MARK_SHAPES.length];

/** Whether the k-th unordered series', or layer k's, marker shape is drawn filled: the second ten of every MARK_VARIANTS, where its shape is one of MARK_SHAPES (not the circled plus, the boxed cross). */
export const markFilled = (k: number): boolean => k % MARK_VARIANTS >= MARK_SHAPES.length && SECOND_SHAPES[k % MARK_SHAPES.length] === MARK_SHAPES[k % MARK_SHAPES.length];

/** What a key of more than MARK_VARIANTS series says of their marks. */
export const MARKS_REPEAT_WORDS = `marks repeat every ${MARK_VARIANTS} lines`;

/**
 * Points of a line over steps that carry its marker shape, at most: a few along it, so a reader
 * following one of a deep network's layers finds its shape within about a third of the plot's width,
 * and few enough that such a chart stays legible and small. The main report draws 156 layers' lines
 * over steps (25–50 records each): 3 marks each take ~15 KB of it (~32 bytes a mark; 4 took 5.9 KB
 * more, 2026-12-03), the 12 a line over layers or depths carries (svg.ts' DOTTED_POINTS, where each
 * point is a layer or a run) would add ~60 KB and put 132 shapes in an 11-layer chart.
 */
export const MARKS_OVER_STEPS = 3;

/**
 * Which of a line's `count` points carry its marker shape: every one where count ≤ `most`; else
 * `most` of them, one in each of `most` equal stretches of the line, line `line` of `lines` at
 * (line + ½) ÷ lines of its stretch, so lines drawn on one another (layers whose saturation all lies on
 * 0) show their shapes side by side, not stacked at the same x. The report's script marks a zoomed
 * line with it too.
 */
export function markedIndexes(count: number, most: number, line: number, lines: number): number[] {
  if (count <= most) return Array.from({ length: count }, (_, i) => i);
  const stretch = (count - 1) / most;
  return Array.from({ length: most }, (_, i) => Math.round((i + (line + 0.5) / lines) * stretch));
}

/**
 * The path of a line's marks: `shape` at each of its `points` (the drawing's pixels, x ascending:
 * its drawn points and its values at an edge) that markedIndexes picks, at the nearest whole pixel
 * (as the line's own y: a tenth more took ~1.4 KB of the main report). The report's script redraws
 * a zoomed line's marks with it, so they are picked by the drawing's rule.
 */
export function markPath(points: { x: number; y: number }[], shape: string, most: number, line: number, lines: number): string {
  return markedIndexes(points.length, most, line, lines)
    .map((i) => `M${Math.round(points[i].x)} ${points[i].y}${shape}`)
    .join('');
}

/** The shape a mark path draws (markPath's `shape`: after its first point, up to the next; a shape moves relatively, in lower case, so holds no 'M'), '' for an empty path. */
export function markPathShape(d: string): string {
  const next = d.indexOf('M', 1);
  return d === '' ? '' : d.slice(d.indexOf('m'), next < 0 ? d.length : next);
}

/**
 * How near, in the drawing's pixels, two lines are drawn as one: a line is 1.5 px wide, and study
 * (c)'s plain sigmoid and Adam accuracy lines, 0.9–1.7 px apart at each depth, read as one line.
 */
export const COINCIDENT_PX = 2;

/** A point of a line in the drawing's pixels. */
export interface PixelPoint {
  x: number;
  y: number;
}

/** The line through `points` (x ascending) at x, or undefined more than `slack` px outside them. */
function lineAt(points: PixelPoint[], x: number, slack: number): number | undefined {
  if (points.length === 0 || x < points[0].x - slack || x > points[points.length - 1].x + slack) return undefined;
  if (x <= points[0].x) return points[0].y;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (x <= b.x) return b.x === a.x ? b.y : a.y + ((x - a.x) / (b.x - a.x)) * (b.y - a.y);
  }
  return points[points.length - 1].y;
}

/** Whether line `under` lies within COINCIDENT_PX of line `over` at every point of either, over `under`'s span (which may pass `over`'s ends by `slack` px). */
function liesOn(under: PixelPoint[], over: PixelPoint[], slack: number): boolean {
  if (under.length === 0) return false;
  const near = (y: number | undefined, at: number) => y !== undefined && Math.abs(y - at) <= COINCIDENT_PX;
  const [from, to] = [under[0].x, under[under.length - 1].x];
  return under.every((p) => near(lineAt(over, p.x, slack), p.y)) && over.filter((p) => p.x >= from && p.x <= to).every((p) => near(lineAt(under, p.x, slack), p.y));
}

/**
 * For each line (in drawing order, the last on top), the index of the line drawn over it that hides
 * it, the topmost of those it lies on (liesOn) that also marks each value it marks at an edge (`edgeMarks[k]`,
 * one entry per bar, e.g. 'floor 50'; a bar of its own where the other has none shows), or -1 where none does:
 * what the key says beside its name. A line with no point drawn hides under none. `endSlack`: how far, in px,
 * a hidden line may run past the ends of the one over it (COINCIDENT_PX by default; 0 where a zoom would stretch that
 * stub, see lineChart).
 */
export function hiddenUnder(lines: PixelPoint[][], edgeMarks: string[][] = lines.map(() => []), endSlack = COINCIDENT_PX): number[] {
  const barsHidden = (k: number, over: number) => edgeMarks[k].every((mark) => edgeMarks[over].includes(mark));
  return lines.map((line, k) => {
    for (let over = lines.length - 1; over > k; over--) if (liesOn(line, lines[over], endSlack) && barsHidden(k, over)) return over;
    return -1;
  });
}

/** An edge of a line chart's plot where a value its axis cannot place is marked. */
export type OffAxisEdge = 'floor' | 'top';

/**
 * Where a value a line chart's axis cannot place is marked: +∞ (ReZero's first ÷ last ratio at
 * initialisation, its α 0) on the plot's top edge; −∞, and on a log axis 0 or below (a float32
 * product that underflowed to 0, say), on its floor; undefined for a value the axis places, and for
 * NaN, which has no value to mark (a gap in the line).
 */
export function offAxisEdge(y: number, log: boolean): OffAxisEdge | undefined {
  if (y === Infinity) return 'top';
  if (y === -Infinity || (log && y <= 0)) return 'floor';
  return undefined;
}

/** The length, in the drawing's pixels, of an off-axis mark: a bar from the plot's edge inwards. */
export const OFF_AXIS_MARK = 9;

/** The value a bar at `edge` stands for: on the floor 0 on a log axis ('≤ 0' where some value marked there is below 0, `negative`), else −∞; on the top ∞. */
export function offAxisValue(edge: OffAxisEdge, log: boolean, negative: boolean): string {
  const values: Record<OffAxisEdge, string> = { floor: log ? (negative ? '≤ 0' : '0') : '−∞', top: '∞' };
  return values[edge];
}

/**
 * What the key says of the bars at `edge`, on an axis whose floor is 10^`floor` where it is a log
 * axis: the value and where it lies, e.g. "0, below 1e-8: a bar up from the floor".
 */
export function offAxisWords(edge: OffAxisEdge, log: boolean, floor: number, negative: boolean): string {
  const where: Record<OffAxisEdge, string> = { floor: `${log ? `, below 1e${floor}` : ''}: a bar up from the floor`, top: ': a bar down from the top' };
  return offAxisValue(edge, log, negative) + where[edge];
}
