/**
 * Where a chart that gives each layer a row draws it: the HTML report's steps × layers heatmaps and
 * the visualizer's (its heatmap and its per-layer bars) share this rule, so a reader who learnt one
 * reads the other the same way.
 */
import { checkWhole } from '../checks.js';

/**
 * The position of row `row` of `rows`, counted from the top (0 = the top row): the first layer at the
 * bottom and the output at the top, as a network is drawn growing up from its inputs.
 */
export function layerRowFromTop(row: number, rows: number): number {
  checkWhole(rows, 'layerRowFromTop: rows', 1);
  checkWhole(row, 'layerRowFromTop: row', 0, { max: rows - 1, why: 'rows are counted from 0' });
  return rows - 1 - row;
}
