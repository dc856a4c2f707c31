// The y labels of a chart's SVG as svg.ts writes them: one <g class="tick y"> per chart, right-aligned at its
// translate's x, each label a <text> with its y, its text, and a <title> with the whole name when cut short.

/** One y label: where it sits (x of its group, its own y), its text, and its <title> if it has one. */
export interface YLabel {
  x: number;
  y: number;
  text: string;
  title?: string;
}

/** Every y label of `svg` (a chart or a whole page), in document order. */
export function yLabelsOf(svg: string): YLabel[] {
  return [...svg.matchAll(/<g class="tick y" transform="translate\(([^ ]+) 0\)">(.*?)<\/g>/g)].flatMap(([, x, texts]) =>
    [...texts.matchAll(/<text y="([^"]+)">(?:<title>([^<]*)<\/title>)?([^<]*)<\/text>/g)].map(([, y, title, text]) => ({
      x: Number(x),
      y: Number(y),
      text,
      ...(title !== undefined && { title }),
    })),
  );
}
