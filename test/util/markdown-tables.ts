/**
 * The rows of the pipe table under a markdown heading: each row's cells, trimmed, the header row and
 * the |---| rule left out. Throws when the heading or its table is missing, so a test reading one
 * fails by name rather than on an empty list.
 */
export function tableUnder(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading '${heading}'`);
  const next = markdown.indexOf('\n#', start + heading.length + 2);
  const section = markdown.slice(start, next < 0 ? undefined : next).split('\n');
  const rows = section.filter((line) => line.startsWith('|')).map((line) => line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((cell) => cell.trim()));
  if (rows.length < 3) throw new Error(`no table under '${heading}'`);
  return rows.slice(2);
}

/** The pipe table of `doc` (named `file` in errors) whose header row starts with `start`: its header's cells and its rows' (the |---| rule left out). */
export function tableStarting(doc: { file: string; text: string }, start: string): { header: string[]; rows: string[][] } {
  const lines = doc.text.split('\n');
  const at = lines.findIndex((line) => line.startsWith(start));
  if (at < 0) throw new Error(`${doc.file}: no table headed '${start}'`);
  const cells = (line: string) => line.slice(1, -1).split('|').map((cell) => cell.trim());
  const rows: string[][] = [];
  for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]));
  return { header: cells(lines[at]), rows };
}
