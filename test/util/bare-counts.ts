/**
 * Counts printed bare: each whole number of four or more digits that grouped() (src/counted.ts) would
 * split by commas, where the reader reads an amount. Left out, as counted.ts's rule leaves them as
 * String writes them: a place in the user's data or file (row, column, unit, line, character, byte,
 * an index in brackets), a seed, a flag's value (--k 1000), a year ("(2015)", "Figure 1" is short
 * anyway), a date or time, a commit id, and a number with decimals or in exponent form (a value, not a
 * count). Each hit comes with the text around it, so a failure says where it is.
 */
export function bareCounts(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\w.,+\-–/:[#])\d{4,}(?![\w,]|\.\d|[-:]\d)/g)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (/\b(rows?|columns?|units?|line|character|bytes?|seeds?|offset)\s$/.test(before)) continue;
    if (/--[a-z][a-z-]*[ =]$/.test(before)) continue;
    if (/^(19|20)\d\d$/.test(m[0]) && (/[(]$|[A-Za-z.] $/.test(before) || /^[);]/.test(after))) continue;
    found.push(`…${before}[${m[0]}]${text.slice(m.index + m[0].length, m.index + m[0].length + 30)}…`);
  }
  return found;
}

/**
 * The text a reader of an HTML page reads: without its scripts (the data block too), styles and tags, and without the charts' axis ticks
 * (which stay as the ticks write them), a histogram's layer name (its cell's first label) among them.
 */
export function pageText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<g class="(xticks|tick y)"[^>]*>[\s\S]*?<\/g>/g, ' ')
    .replace(/(<g class="histogram"[^>]*>(?:<path [^>]*\/>)*)<text [^>]*>(?:<title>[^<]*<\/title>)?[^<]*<\/text>/g, '$1 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}
