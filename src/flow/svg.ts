/**
 * Small inline-SVG charts for the HTML report: no library, no network. Every plotted value is also
 * a data attribute (data-value) on its element, so the report can be checked (and scraped) exactly.
 */

export interface Series {
  name: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

const W = 560;
const H = 300;
const M = { left: 64, right: 150, top: 28, bottom: 40 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? String(+v.toPrecision(3)) : v.toExponential(1));

function extent(values: number[], log: boolean): [number, number] {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) return log ? [0, 1] : [0, 1];
  let lo = Math.min(...usable.map((v) => (log ? Math.log10(v) : v)));
  let hi = Math.max(...usable.map((v) => (log ? Math.log10(v) : v)));
  if (log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  }
  if (hi === lo) hi = lo + 1;
  return [lo, hi];
}

/** A line chart; points with a non-finite (or, on a log axis, non-positive) value are left out. */
export function lineChart(o: { id: string; title: string; xLabel: string; yLabel: string; logY?: boolean; series: Series[]; xTicks?: string[] }): string {
  const log = o.logY ?? false;
  const allX = o.series.flatMap((s) => Array.from(s.xs));
  const [x0, x1] = extent(allX, false);
  const [y0, y1] = extent(o.series.flatMap((s) => Array.from(s.ys)), log);
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - (((log ? Math.log10(y) : y) - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  const ticks = log ? Array.from({ length: y1 - y0 + 1 }, (_, i) => 10 ** (y0 + i)) : Array.from({ length: 5 }, (_, i) => y0 + ((y1 - y0) * i) / 4);
  for (const t of ticks) {
    const y = py(t);
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#eee"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end" class="tick">${log ? `1e${Math.round(Math.log10(t))}` : fmt(t)}</text>`);
  }
  const xs = [...new Set(allX)].sort((a, b) => a - b);
  const xTickValues = xs.length <= 12 ? xs : Array.from({ length: 6 }, (_, i) => x0 + ((x1 - x0) * i) / 5);
  xTickValues.forEach((t, i) => parts.push(`<text x="${px(t)}" y="${H - M.bottom + 16}" text-anchor="middle" class="tick">${escapeHtml(o.xTicks?.[i] ?? fmt(t))}</text>`));
  o.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const points: string[] = [];
    const dots: string[] = [];
    for (let i = 0; i < s.xs.length; i++) {
      const y = s.ys[i];
      if (!Number.isFinite(y) || (log && !(y > 0))) continue;
      points.push(`${px(s.xs[i]).toFixed(1)},${py(y).toFixed(1)}`);
      dots.push(`<circle class="point" cx="${px(s.xs[i]).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${color}" data-series="${k}" data-x="${s.xs[i]}" data-value="${y}"><title>${escapeHtml(s.name)}: ${fmt(y)}</title></circle>`);
    }
    parts.push(`<g class="series" data-name="${escapeHtml(s.name)}"><polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(' ')}"/>${dots.join('')}</g>`);
    parts.push(`<rect x="${W - M.right + 10}" y="${M.top + k * 16}" width="10" height="10" fill="${color}"/><text x="${W - M.right + 24}" y="${M.top + k * 16 + 9}" class="legend">${escapeHtml(s.name)}</text>`);
  });
  return frame(o.id, o.title, o.xLabel, o.yLabel, parts.join(''), 'line');
}

/** A rows × columns heatmap of `values[row][col]` (NaN cells grey), with a colour scale. */
export function heatmap(o: { id: string; title: string; xLabel: string; yLabel: string; rowLabels: string[]; colValues: ArrayLike<number>; values: number[][] }): string {
  const rows = o.values.length;
  const cols = o.colValues.length;
  const finite = o.values.flat().filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const cw = (W - M.left - M.right) / Math.max(cols, 1);
  const ch = (H - M.top - M.bottom) / Math.max(rows, 1);
  const color = (v: number) => {
    if (!Number.isFinite(v)) return '#ccc';
    const t = hi === lo ? 0.5 : (v - lo) / (hi - lo);
    // dark blue (slow learning) to yellow (fast)
    return `hsl(${Math.round(240 - 180 * t)},80%,${Math.round(25 + 45 * t)}%)`;
  };
  const parts: string[] = [];
  o.values.forEach((row, r) => {
    const y = M.top + (rows - 1 - r) * ch; // first layer at the bottom
    parts.push(`<text x="${M.left - 6}" y="${y + ch / 2 + 4}" text-anchor="end" class="tick">${escapeHtml(o.rowLabels[r])}</text>`);
    row.forEach((v, c) => {
      parts.push(`<rect class="cell" x="${(M.left + c * cw).toFixed(1)}" y="${y.toFixed(1)}" width="${(cw + 0.3).toFixed(1)}" height="${ch.toFixed(1)}" fill="${color(v)}" data-row="${r}" data-col="${c}" data-value="${v}"><title>${escapeHtml(o.rowLabels[r])}, ${fmt(o.colValues[c])}: ${fmt(v)}</title></rect>`);
    });
  });
  for (const c of [0, Math.floor((cols - 1) / 2), cols - 1]) {
    if (cols > 0) parts.push(`<text x="${M.left + (c + 0.5) * cw}" y="${H - M.bottom + 16}" text-anchor="middle" class="tick">${fmt(o.colValues[c])}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    parts.push(`<rect x="${W - M.right + 10}" y="${M.top + (4 - i) * 20}" width="14" height="20" fill="${color(v)}"/><text x="${W - M.right + 28}" y="${M.top + (4 - i) * 20 + 14}" class="legend">${fmt(v)}</text>`);
  }
  return frame(o.id, o.title, o.xLabel, o.yLabel, parts.join(''), 'heatmap');
}

/** One small histogram per layer (counts over equal bins of [lo, hi]), side by side. */
export function histograms(o: { id: string; title: string; lo: number; hi: number; labels: string[]; counts: ArrayLike<number>[] }): string {
  const cellW = 150;
  const cellH = 110;
  const width = Math.max(cellW * o.counts.length, 300);
  const parts: string[] = [];
  o.counts.forEach((counts, l) => {
    const max = Math.max(1, ...Array.from(counts));
    const bw = (cellW - 20) / counts.length;
    const x0 = l * cellW + 10;
    parts.push(`<g class="histogram" data-layer="${l}"><text x="${x0 + (cellW - 20) / 2}" y="${cellH + 14}" text-anchor="middle" class="tick">${escapeHtml(o.labels[l])}</text>`);
    for (let b = 0; b < counts.length; b++) {
      const h = (counts[b] / max) * (cellH - 10);
      parts.push(`<rect class="bar" x="${(x0 + b * bw).toFixed(1)}" y="${(cellH - h).toFixed(1)}" width="${Math.max(bw - 0.5, 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f77b4" data-layer="${l}" data-bin="${b}" data-value="${counts[b]}"/>`);
    }
    parts.push(`<line x1="${x0}" x2="${x0 + cellW - 20}" y1="${cellH}" y2="${cellH}" stroke="#999"/></g>`);
  });
  return `<figure class="chart" id="${o.id}" data-kind="histograms"><figcaption>${escapeHtml(o.title)} <span class="note">(range ${fmt(o.lo)} … ${fmt(o.hi)}, same for every layer)</span></figcaption><svg viewBox="0 0 ${width} ${cellH + 22}" width="${width}" height="${cellH + 22}">${parts.join('')}</svg></figure>`;
}

function frame(id: string, title: string, xLabel: string, yLabel: string, body: string, kind: string): string {
  return `<figure class="chart" id="${id}" data-kind="${kind}"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${body}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#999"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#999"/><text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle" class="axis">${escapeHtml(xLabel)}</text><text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle" class="axis">${escapeHtml(yLabel)}</text></svg></figure>`;
}
