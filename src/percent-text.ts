/** A fraction as gradscope prints a percentage, for everything it prints or writes (the CLI, the studies, the reports). */

/** `fraction` (0.123) as a percentage with one decimal, "12.3 %"; "—" for null (no value). */
export function percentText(fraction: number | null): string {
  return fraction === null ? '—' : `${(100 * fraction).toFixed(1)} %`;
}
