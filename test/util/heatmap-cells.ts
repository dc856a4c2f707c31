/**
 * A heatmap's cells read back from what svg.ts draws: each row (data-row) a group of paths, one per colour and filled
 * with it, each run of neighbouring cells of that colour one box `M<its first step> 0h<its steps>v1H<its first step>`
 * (cellRuns), so a column's colour is that of the box over its step.
 */

/** One box of a row: its colour over the steps [from, to). */
export interface CellRun {
  color: string;
  from: number;
  to: number;
}

/** A row's boxes (each path's fill and d), in step order; a d that is not boxes `M<x> 0h<w>v1H<x>` fails the test. */
export function cellRuns(paths: { fill: string; d: string }[]): CellRun[] {
  return paths
    .flatMap(({ fill, d }) => {
      if (!/^(M([\d.e+-]+) 0h[\d.e+-]+v1H\2)+$/.test(d)) throw new Error(`a heatmap row's path d="${d}" is not boxes 'M<step> 0h<steps>v1H<step>'`);
      return [...d.matchAll(/M([^ ]+) 0h([^v]+)v1H[^M]+/g)].map((m) => ({ color: fill, from: Number(m[1]), to: Number(m[1]) + Number(m[2]) }));
    })
    .sort((a, b) => a.from - b.from);
}

/**
 * The colour of each column, its left edge at steps[c], from a row's runs: they must tile the columns from the first
 * step on, each starting at a column's step, without a gap or an overlap, and end past the last step.
 */
export function columnColors(runs: CellRun[], steps: ArrayLike<number>): string[] {
  const columns = Array.from(steps);
  runs.forEach((run, i) => {
    if (!columns.includes(run.from)) throw new Error(`a box starts at ${run.from}, no column's step`);
    if (i > 0 && runs[i - 1].to !== run.from) throw new Error(`boxes end at ${runs[i - 1].to} and start at ${run.from}`);
  });
  if (runs[0]?.from !== columns[0] || !(runs.at(-1)!.to > columns.at(-1)!)) throw new Error(`the boxes span ${runs[0]?.from}–${runs.at(-1)?.to}, not the columns' ${columns[0]}–${columns.at(-1)}`);
  return columns.map((step) => runs.find((run) => run.from <= step && step < run.to)!.color);
}

/** Each row of a heatmap's SVG text, by its data-row: its group's attributes and its paths. */
export function heatmapRows(svg: string): { row: number; attributes: string; paths: { fill: string; d: string }[] }[] {
  return [...svg.matchAll(/<g class="row" data-row="(\d+)"([^>]*)>(.*?)<\/g>/g)].map((m) => ({
    row: Number(m[1]),
    attributes: m[2],
    paths: [...m[3].matchAll(/<path fill="([^"]+)" d="([^"]+)"\/>/g)].map((p) => ({ fill: p[1], d: p[2] })),
  }));
}

/** Each row's column colours (columnColors), row by row in data-row order, from a heatmap's SVG text drawn over `steps`. */
export function heatmapFills(svg: string, steps: ArrayLike<number>): string[][] {
  return heatmapRows(svg).map((r) => columnColors(cellRuns(r.paths), steps));
}
