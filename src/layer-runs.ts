/**
 * A network's sizes and activations as a header prints them, with a run of one value said once and
 * counted: [784, 200 × 64, 10] and 'sigmoid × 200, softmax' (README's form for the remedies network,
 * [784, 8 × 32, 10]), where a deep network's header listed 202 sizes and 'sigmoid' 200 times on one line.
 */

/** The shortest run of one value said counted: shorter runs are listed, as the --layers flag writes them. */
export const COUNTED_RUN = 4;

/** `values` as runs of equal neighbours, in order. */
function runsOf<T>(values: readonly T[]): { value: T; count: number }[] {
  const runs: { value: T; count: number }[] = [];
  for (const value of values) {
    const last = runs.at(-1);
    if (last && last.value === value) last.count++;
    else runs.push({ value, count: 1 });
  }
  return runs;
}

/** Runs of COUNTED_RUN or more by `counted`, the others value by value; whether any was counted. */
function runsText<T>(values: readonly T[], counted: (value: T, count: number) => string): { parts: string[]; counted: boolean } {
  const parts: string[] = [];
  let any = false;
  for (const { value, count } of runsOf(values)) {
    if (count >= COUNTED_RUN) {
      parts.push(counted(value, count));
      any = true;
    } else for (let i = 0; i < count; i++) parts.push(String(value));
  }
  return { parts, counted: any };
}

/**
 * Sizes, input first: '[784,64,64,10]' as the --layers flag writes them (a run shorter than
 * COUNTED_RUN), '[784, 200 × 64, 10]' with a run counted (layers × units, spaced: no longer a flag's value).
 * Only hidden sizes are counted: `N × u` says N hidden layers, so the input and output sizes are always
 * said apart, even when a hidden layer has the same size ([30, 4 × 30, 10], not [5 × 30, 10]).
 */
export function sizesText(sizes: readonly number[]): string {
  if (sizes.length < 3) return sizesList(sizes);
  const hidden = runsText(sizes.slice(1, -1), (units, layers) => `${layers} × ${units}`);
  return hidden.counted ? `[${[String(sizes[0]), ...hidden.parts, String(sizes.at(-1))].join(', ')}]` : sizesList(sizes);
}

/**
 * A network's sizes, input first, as every message, table, report and command of gradscope says them: '[784,30,10]',
 * the --layers flag's value in brackets (messages said '[784, 30, 10]' where the studies said '[784,30,10]'). A header of a
 * deep network counts its runs instead (sizesText).
 */
export function sizesList(sizes: readonly number[]): string {
  return `[${sizes.join(',')}]`;
}

/** Activations, first layer first: 'sigmoid, sigmoid, softmax'; 'sigmoid × 200, softmax' with a run counted. */
export function activationsText(activations: readonly string[]): string {
  return runsText(activations, (name, count) => `${name} × ${count}`).parts.join(', ');
}
