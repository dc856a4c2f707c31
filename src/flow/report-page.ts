/**
 * The HTML report's own script, run in the page (no dependency, no network): not part of the library. The build bundles
 * and minifies it with the functions it imports into one text (scripts/report-script.mjs writes build/report-script.js),
 * which report-html.ts inlines as it is, so a page's bundler never rewrites the code the report runs (newuser48 #1: a
 * minifier's renaming, review48b #2: a keepNames build's `__name` calls, each stopped the script when it was written at run
 * time from the functions' source). Three parts:
 * - downloads: the page's #report-data (report-data.ts: gzipped JSON and float32 series, in
 *   base 85) is unpacked once, each series back to the numbers the JSON would have held and each
 *   table written by column back to its records; a link with
 *   data-download="<run id>" (or "all") and data-format="json" | "csv" gets a Blob URL of that data
 *   when clicked; the CSV is Trace.toCSV()'s, by the same function (trace-csv.ts: a line per step and
 *   layer, and per epoch; NaN as an empty cell). <body data-data="ready"> says the data is unpacked, "unreadable" that the
 *   block's data-encoding is not DATA_ENCODING (the downloads then do nothing);
 * - tables: one wider than its box is shown a row per card (table-cards.ts), decided again when the
 *   window's width changes and once the fonts are loaded; <body data-tables-fitted-at="W"> says it was
 *   last decided at a page W CSS px wide;
 * - step ranges: dragging across a chart over steps (svg.plot[data-time]) zooms every such chart of
 *   its run to the selected steps by setting their viewBox, ticking them anew (up to a heatmap's
 *   last traced step, as it is drawn) and marking each line anew among its points in the range (its
 *   marks are in the drawing's pixels, which the viewBox does not move); "all steps" or a double-click
 *   undoes it, its ticks and marks as drawn.
 *   Charts over layers take no drag: no chart's drawing is selectable (the report's CSS), so a drag
 *   across one selects no text.
 * It runs the library's own functions: tickLabels, niceTicks and placedTicks are svg.ts's, so the ticks
 * it redraws read, thin and stay inside the drawing as the drawn ones do, by one rule at every width;
 * markPath and markPathShape are series-marks.ts', so a zoomed line's marks are picked as the drawn
 * ones are, among its points as linePoints (svg.ts') reads them back; float32Text is, so a value
 * unpacks to the decimal the report writes for it; traceCsv is trace-csv.ts's, classesOf (whether
 * its accuracy cells are written) training-progress.ts's, and blockPaths layer-names.ts's, so the
 * CSV downloaded is Trace.toCSV()'s, its rows' paths alike; base85Bytes and planeFloat32s are report-data.ts's, so the
 * page reads its data block with the readers test/flow/report-data tests, and unescapedKeys is, so the
 * data's own keys that start with '$' come back as the packer found them; labelTableCells, fitTables
 * and stickKeyColumns are table-cards.ts's.
 */
import { blockPaths } from '../layer-names.js';
import type { ReportData } from './report-html.js';
import { base85Bytes, DATA_ELEMENT_ID, DATA_ENCODING, planeFloat32s, unescapedKeys } from './report-data.js';
import { markPath, markPathShape, MARKS_OVER_STEPS } from './series-marks.js';
import { float32Text, linePoints, niceTicks, placedTicks, tickLabels } from './svg.js';
import { fitTables, labelTableCells, stickKeyColumns, TABLE_ACROSS_CLASS, TABLE_CARDS_CLASS } from './table-cards.js';
import type { TraceJSON } from './trace.js';
import { traceCsv } from './trace-csv.js';
import { classesOf } from './training-progress.js';

let data: ReportData | null = null;
(async () => {
  const block = document.getElementById(DATA_ELEMENT_ID)!;
  // Bytes of another layout would unpack to wrong numbers: the downloads are left out instead.
  if (block.dataset.encoding !== DATA_ENCODING) {
    document.body.dataset.data = 'unreadable';
    return console.error(`gradscope report: the data block is encoded "${block.dataset.encoding}"; this page's script reads "${DATA_ENCODING}" only, so its downloads are off`);
  }
  const packed = base85Bytes(block.textContent!);
  const bytes = new Uint8Array(await new Response(new Blob([packed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const length = new DataView(bytes.buffer).getUint32(0, true);
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + length));
  const values = Array.from(planeFloat32s(bytes.subarray(4 + length)), (v) => (Number.isFinite(v) ? Number(float32Text(v)) : null));
  // A [rows, cols] series is stored column by column.
  const unpack = ({ $f32: offset, shape: [rows, cols] }: { $f32: number; shape: [number, number?] }) =>
    cols === undefined ? values.slice(offset, offset + rows) : Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => values[offset + c * rows + r]));
  // A table written by column, back to its records (its columns already unpacked: JSON.parse revives the inside first).
  const records = (columns: Record<string, unknown[]>) => {
    const keys = Object.keys(columns);
    return columns[keys[0]].map((_, r) => Object.fromEntries(keys.map((key) => [key, columns[key][r]])));
  };
  // The data's own keys that start with '$' were written with one more (report-data.ts), so only the packer's objects hold $f32 or $table.
  const revive = (v: unknown): unknown =>
    v === null || typeof v !== 'object' || Array.isArray(v)
      ? v
      : '$f32' in v
        ? unpack(v as { $f32: number; shape: [number, number?] })
        : '$table' in v
          ? records(v.$table as Record<string, unknown[]>)
          : unescapedKeys(v as Record<string, unknown>);
  data = JSON.parse(json, (_, v) => revive(v)) as ReportData;
  document.body.dataset.data = 'ready';
})();

const tableBoxes = Array.from(document.querySelectorAll<HTMLElement>('div.table'));
for (const box of tableBoxes) labelTableCells(box.querySelector('table')!);
// A table read across its rows scrolls in its box instead (ReportTable.readAcross).
const cardBoxes = tableBoxes.filter((box) => !box.classList.contains(TABLE_ACROSS_CLASS));
const keyedBoxes = tableBoxes.filter((box) => box.dataset.keyColumns !== undefined);
const fitTablesNow = () => {
  fitTables(cardBoxes, TABLE_CARDS_CLASS);
  for (const box of keyedBoxes) stickKeyColumns(box);
  document.body.dataset.tablesFittedAt = String(document.documentElement.clientWidth);
};
fitTablesNow();
// Only a change of width can change which tables fit: a height-only resize (a phone's address bar showing or
// hiding as the page scrolls) would lay every table out again as the user scrolls.
window.addEventListener('resize', () => {
  if (String(document.documentElement.clientWidth) !== document.body.dataset.tablesFittedAt) fitTablesNow();
});
void document.fonts.ready.then(fitTablesNow);

document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-download]');
  if (!link) return;
  if (!data) return event.preventDefault();
  const which = link.dataset.download!;
  const csv = link.dataset.format === 'csv';
  let text: string;
  if (which === 'all') text = JSON.stringify(data, null, 1);
  else {
    const trace: TraceJSON = data.runs[which].trace;
    text = csv ? traceCsv(trace, trace.blocks && blockPaths(trace.blocks).layers, classesOf(trace) !== undefined) : JSON.stringify(trace, null, 1);
  }
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type: csv ? 'text/csv' : 'application/json' }));
});

// Each chart's x ticks as drawn, kept at its first zoom: "all steps" puts them back as they were
// (a chart of up to 12 records is ticked at its own steps, a heatmap up to its last traced step).
const drawnTicks = new Map<Element, string>();
// Each line's marks as drawn, likewise.
const drawnMarks = new Map<Element, string>();

/** Zooms every chart over steps of `run` to the steps `range` (undefined: all steps, as drawn). */
function showSteps(run: Element, range: [number, number] | undefined): void {
  for (const plot of Array.from(run.querySelectorAll<SVGSVGElement>('svg.plot[data-time]'))) {
    const x0 = Number(plot.dataset.x0);
    const x1 = Number(plot.dataset.x1);
    const [a, b] = range ? [Math.max(x0, range[0]), Math.min(x1, range[1])] : [x0, x1];
    if (!(b > a)) continue;
    const chart = plot.parentNode as SVGSVGElement;
    const height = plot.viewBox.baseVal.height;
    plot.setAttribute('viewBox', `${a} 0 ${b - a} ${height}`);
    const ticks = chart.querySelector('g.xticks')!;
    if (!drawnTicks.has(ticks)) drawnTicks.set(ticks, ticks.innerHTML);
    // A line chart's marks: one path per line, in line order, in the drawing's pixels (a heatmap has none).
    const marks = Array.from(chart.querySelectorAll(':scope > path.mark'));
    for (const mark of marks) if (!drawnMarks.has(mark)) drawnMarks.set(mark, mark.getAttribute('d')!);
    if (!range) {
      ticks.innerHTML = drawnTicks.get(ticks)!;
      for (const mark of marks) mark.setAttribute('d', drawnMarks.get(mark)!);
      continue;
    }
    // Across the plot's own box: a heatmap's is narrower, its left margin sized to its row labels.
    const left = Number(plot.getAttribute('x'));
    const plotWidth = Number(plot.getAttribute('width'));
    // Each line's marks picked again among its points in the range (its drawn points and its bars at an edge, where a bar's
    // path starts: on the edge), so a zoomed line carries its shape as the whole line does.
    const groups = plot.querySelectorAll('g.series');
    marks.forEach((mark, k) => {
      // Its lines (svg.ts' linePath: the paths without a class), a lone point between gaps read as one point, as the drawing marks it.
      const drawn = Array.from(groups[k].querySelectorAll(':scope > path:not([class])'), (line) => linePoints(line.getAttribute('d')!)).flat();
      const bars = groups[k].querySelector('path.off');
      const barPoints = bars ? Array.from(bars.getAttribute('d')!.matchAll(/M([^,]+),([^v]+)/g), (m) => ({ x: Number(m[1]), y: Number(m[2]) })) : [];
      const points = drawn.concat(barPoints).filter((p) => p.x >= a && p.x <= b);
      points.sort((p, q) => p.x - q.x);
      const placed = points.map((p) => ({ x: left + ((p.x - a) / (b - a)) * plotWidth, y: Number(plot.getAttribute('y')) + p.y }));
      mark.setAttribute('d', markPath(placed, markPathShape(drawnMarks.get(mark)!), MARKS_OVER_STEPS, k, marks.length));
    });
    // Up to the last traced step (a heatmap's data-last: its plot runs on to the last column's edge, where no step was).
    const end = Math.min(b, plot.dataset.last === undefined ? b : Number(plot.dataset.last));
    const steps = end >= a ? niceTicks(a, end, 6, 1) : [];
    const written = tickLabels(steps);
    // Placed and thinned as the drawn ticks are (the narrower plot of a heatmap holds fewer).
    const { xs, kept } = placedTicks(
      steps.map((t) => left + ((t - a) / (b - a)) * plotWidth),
      written,
      chart.viewBox.baseVal.width,
      false,
    );
    ticks.innerHTML = kept.map((i) => `<text x="${xs[i]}">${written[i]}</text>`).join('');
  }
  const label = run.querySelector<HTMLElement>('.range')!;
  label.hidden = !range;
  if (range) label.querySelector('output')!.textContent = `${Math.round(range[0])}–${Math.round(range[1])}`;
}

/** The step under `clientX` in `plot`'s view. */
function stepAt(plot: SVGSVGElement, clientX: number): number {
  const box = plot.getBoundingClientRect();
  const view = plot.viewBox.baseVal;
  return view.x + ((clientX - box.left) / box.width) * view.width;
}

for (const run of Array.from(document.querySelectorAll('section.run'))) {
  run.querySelector('.range button')!.addEventListener('click', () => showSteps(run, undefined));
  for (const plot of Array.from(run.querySelectorAll<SVGSVGElement>('svg.plot[data-time]'))) {
    let start: number | undefined;
    let brush: SVGRectElement | undefined;
    plot.addEventListener('pointerdown', (event) => {
      start = stepAt(plot, event.clientX);
      brush = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      brush.setAttribute('class', 'brush');
      brush.setAttribute('y', '0');
      brush.setAttribute('height', String(plot.viewBox.baseVal.height));
      plot.append(brush);
      plot.setPointerCapture(event.pointerId);
    });
    plot.addEventListener('pointermove', (event) => {
      if (start === undefined) return;
      const x = stepAt(plot, event.clientX);
      brush!.setAttribute('x', String(Math.min(start, x)));
      brush!.setAttribute('width', String(Math.abs(x - start)));
    });
    plot.addEventListener('pointerup', (event) => {
      if (start === undefined) return;
      const end = stepAt(plot, event.clientX);
      brush!.remove();
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      start = undefined;
      // A click, or a drag narrower than 1 % of the view, is not a selection.
      if (b - a > plot.viewBox.baseVal.width / 100) showSteps(run, [a, b]);
    });
    // A touch the browser takes to scroll (a chart wider than a phone scrolls sideways in its box) cancels the drag: nothing selected, no brush left.
    plot.addEventListener('pointercancel', () => {
      brush?.remove();
      start = undefined;
    });
    plot.addEventListener('dblclick', () => showSteps(run, undefined));
  }
}
