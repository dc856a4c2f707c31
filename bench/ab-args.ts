/** The command line of the A/B scripts (bench/ab.ts, ab-trees.ts, ab-trees-train.ts, ab-trees-calls.ts, ab-trees-threads.ts) and of bench/nothing-shared.ts. */

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

/**
 * The command line of the two-thread block scripts (bench/nothing-shared.ts, bench/ab-trees-threads.ts):
 * `[--blocks 150] [--batch 256] [--sizes 784,100,100,10]`, and the blocks' shape they share: per
 * block `oneSteps` one-thread steps and `twoSteps` two-thread ones (after one untimed, the worker
 * awake), a pause of `pauseMs` before each group so that the last group's worker, which spins
 * ~1 ms after its last job (pool.ts SPIN), is asleep.
 */
export function threadBlockOptions(): { blocks: number; batch: number; sizes: number[]; oneSteps: number; twoSteps: number; pauseMs: number } {
  return {
    blocks: Number(option('--blocks', '150')),
    batch: Number(option('--batch', '256')),
    sizes: option('--sizes', '784,100,100,10').split(',').map(Number),
    oneSteps: 3,
    twoSteps: 8,
    pauseMs: 3,
  };
}
