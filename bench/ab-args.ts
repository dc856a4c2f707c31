/** The command line of the A/B scripts (bench/ab.ts, ab-trees.ts, ab-trees-train.ts, ab-trees-calls.ts). */

/** The value after `name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/**
 * The `label=value` arguments (a binary or a tree per label), at least two, else `usage` as the error.
 * Split at the first '=' only: a path may hold one (`new=/tmp/a=b/tree`).
 */
export function labelledArgs(usage: string, args: readonly string[] = process.argv.slice(2)): { label: string; value: string }[] {
  const labelled = args.filter((a) => a.includes('=')).map((a) => {
    const at = a.indexOf('=');
    return { label: a.slice(0, at), value: a.slice(at + 1) };
  });
  if (labelled.length < 2) throw new Error(`usage: ${usage}`);
  return labelled;
}
