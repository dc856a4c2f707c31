/** The command line of the A/B scripts (bench/ab.ts, ab-trees.ts, ab-trees-train.ts). */

/** The value after `name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** The `label=value` arguments (a binary or a tree per label), at least two, else `usage` as the error. */
export function labelledArgs(usage: string): { label: string; value: string }[] {
  const labelled = process.argv.slice(2).filter((a) => a.includes('=')).map((a) => {
    const [label, value] = a.split('=');
    return { label, value };
  });
  if (labelled.length < 2) throw new Error(`usage: ${usage}`);
  return labelled;
}
