/**
 * Chance among a network's classes as gradscope says it: one wording for the diagnosis of a plateau at
 * chance (flow/diagnosis/progress-sentences.ts) and the CLI's warning of a run that learnt nothing
 * (cli/worse-warning.ts), which say the same thing of the same rule (atChance).
 */
import { percent } from './diagnosis/diagnosis-words.js';
import { AT_CHANCE_MARGIN } from './training-progress.js';

/** "a guess among 10 classes (10 % right), within 5 points either way": chance among `classes` and the margin AT_CHANCE_MARGIN that counts as at chance. */
export function chanceWords(classes: number): string {
  return `a guess among ${classes} classes (${percent(1 / classes)} right), within ${Math.round(100 * AT_CHANCE_MARGIN)} points either way`;
}
