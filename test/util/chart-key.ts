/**
 * A chart's key as the report's SVG writes it (svg.ts: an <svg class="key"> beside the drawing), read
 * back for the tests: its legend's entries (a swatch per line, its name beside it), a heatmap's
 * entries off its colour scale.
 */

/** The markup of a chart's key (its <svg class="key">), or undefined where it has none. */
export const keyOf = (figure: string): string | undefined => /<svg class="key[^"]*"[^>]*>(.*?)<\/svg>/s.exec(figure)?.[1];

/** A name of the key as written: its lines (tspans when wrapped) and its whole text (the <title> of a wrapped one). */
function nameOf(text: string): { name: string; lines: string[]; wrapped: boolean } {
  const title = /^<title>([^<]*)<\/title>/.exec(text);
  const lines = title ? [...text.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => t[1]) : [text];
  return { name: title ? title[1] : text, lines, wrapped: title !== null };
}

/** The names of a legend (its <text y> elements), in order, each with its y. */
const namesOf = (key: string) => [...key.matchAll(/<text y="([^"]+)">(.*?)<\/text>/g)].map((m) => ({ y: Number(m[1]), ...nameOf(m[2]) }));

/** A line chart's legend entries, top to bottom: each swatch's colour, top and marker shape (where it has one, `filled` where it is), and the name beside it ([] without a legend). */
export function legendOf(figure: string): { color: string; y: number; shape?: string; filled?: true; name: string; lines: string[]; wrapped: boolean }[] {
  // A legend is its key's <svg class="key legend">, its names at x 0.
  // Its entries for the bars at a plot's edge (offAxisOf) are no series.
  const legend = /<svg class="key legend"[^>]*>(.*?)<\/svg>/s.exec(figure)?.[1]?.replace(/<g class="off-axis[^"]*"[^>]*>.*?<\/g>/s, '');
  if (!legend) return [];
  // A swatch is a stroke 14 px left of its name, through its middle (its top + 5), or a marker shape centred 9 px left of it.
  // A filled shape is filled with its colour (style="fill:…").
  const swatches = [...legend.matchAll(/<path d="(?:M-14 ([^h]+)h10|M-9 ([\d.]+)(m[^"]*))" stroke="([^"]+)"( style="fill:\4")?\/>/g)].map((m) => ({
    y: Number(m[1] ?? m[2]) - 5,
    color: m[4],
    ...(m[3] === undefined ? {} : { shape: m[3] }),
    ...(m[5] === undefined ? {} : { filled: true as const }),
  }));
  const names = namesOf(legend);
  if (names.length !== swatches.length) throw new Error(`legendOf: ${swatches.length} swatches beside ${names.length} names`);
  return swatches.map((swatch, i) => ({ ...swatch, name: names[i].name, lines: names[i].lines, wrapped: names[i].wrapped }));
}

/** A heatmap's entries off its colour scale, top to bottom: each one's colour and its words. */
export function offScaleOf(figure: string): [color: string, label: string][] {
  const key = keyOf(figure) ?? '';
  const colors = [...key.matchAll(/<rect y="[^"]+" width="14" height="14" fill="([^"]+)"\/>/g)].map((m) => m[1]);
  const labels = namesOf(/<g class="legend"[^>]*>(.*)<\/g>/s.exec(key)?.[1] ?? '').map((n) => n.name);
  return colors.map((color, i) => [color, labels[i]]);
}

/** A line chart's key entries for the bars at its plot's edges (∞, 0 on a log axis), top to bottom: their words ([] without any). */
export function offAxisOf(figure: string): string[] {
  const group = /<g class="off-axis[^"]*"[^>]*>(.*?)<\/g>/s.exec(keyOf(figure) ?? '')?.[1];
  return group === undefined ? [] : namesOf(group).map((n) => n.name);
}
