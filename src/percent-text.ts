/** A fraction as gradscope prints a percentage, for everything it prints or writes (the CLI, the studies, the reports). */
import { invalidOption, shown } from './errors.js';

/** `fraction` (0.123) as a percentage with one decimal, "12.3 %"; "—" for null (no value). */
export function percentText(fraction: number | null): string {
  if (fraction !== null && typeof fraction !== 'number') throw invalidOption(`percentText(fraction): expected a number or null, got ${shown(fraction)}`);
  return fraction === null ? '—' : `${(100 * fraction).toFixed(1)} %`;
}
