/**
 * Chance for a classifier, one rule and one wording for every place gradscope says "at chance": the
 * diagnosis of a plateau (flow/diagnosis/progress-sentences.ts, its heading: flow/diagnose.ts), the
 * CLI's warning of a run that learnt nothing (cli/worse-warning.ts) and study remedies' reading.
 *
 * Chance is what a guess that ignores the input gets right: one class for every row gets that class's
 * share of the rows, so the best such guess, always the most frequent class, gets the largest share,
 * and a network whose output does not depend on its input lands on one of the shares (newuser43: a
 * deep sigmoid net on rows 78.7 / 10.2 / 11.1 % of three classes learnt its output bias alone, got
 * 78.7 % right and was not called at chance by 1/3 ± 5 points). Over classes of equal shares this is
 * 1/classes, the rule before; where the rows' classes are not known (a trace saved before gradscope
 * recorded them), it is 1/classes too.
 */
import { predictedClass } from '../model.js';
import { isOneHotRow } from '../data/one-hot.js';
import type { Rows } from '../data/matrix.js';
import { percent } from './diagnosis/diagnosis-words.js';

/**
 * An accuracy within this of chance either way is at chance: the network classifies about as well as
 * a guess that ignores its input. Five points is about two binomial standard errors of an accuracy of
 * 10 % over 144 rows (2·√(0.1·0.9/144) = 0.05), and a fifth of the way from chance to a right half
 * of the rows on 10 classes. Above chance it reaches at most halfway from chance to every row right
 * (chanceBand): past that the network has halved the best guess's errors, which is learning (over
 * rows 95 % of one class, chance + 5 points would be every row right).
 */
export const AT_CHANCE_MARGIN = 0.05;

/** Chance over a network's classes: the share of the rows a guess that ignores the input gets right at best and at worst. */
export interface ChanceLevel {
  /** The classes the network tells apart. */
  classes: number;
  /** The most frequent class's share of the rows: what always guessing it gets right (1/classes where the classes' rows are not known). */
  best: number;
  /** The least frequent class's share: what always guessing that one gets right (1/classes where the classes' rows are not known). */
  worst: number;
}

/**
 * The rows of each class among `rows` target rows of `cols` values (`values`, row-major), as the accuracy reads a target's class
 * (predictedClass: its largest value's index, over one value whether it is ≥ ½); undefined unless every row is a class row: one-hot
 * over 2 values or more, 0 or 1 over one. Soft or real-valued targets have no class each row is "of".
 */
export function classRowsOf(values: ArrayLike<number>, rows: number, cols: number): number[] | undefined {
  if (rows < 1 || cols < 1) return undefined;
  const counts = new Array<number>(Math.max(cols, 2)).fill(0);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    if (cols === 1 ? values[at] !== 0 && values[at] !== 1 : !isOneHotRow(values, at, at + cols)) return undefined;
    counts[predictedClass(values, at, cols)]++;
  }
  return counts;
}

/** Chance among `classes` classes whose rows number `classRows` (one count a class, not all 0), or, without them, 1/classes. */
export function chanceOf(classes: number, classRows?: readonly number[]): ChanceLevel {
  const total = classRows?.reduce((a, b) => a + b, 0) ?? 0;
  if (classRows === undefined || classRows.length !== classes || !(total > 0)) return { classes, best: 1 / classes, worst: 1 / classes };
  return { classes, best: Math.max(...classRows) / total, worst: Math.min(...classRows) / total };
}

/** The accuracies that are at chance, the bounds counted in: AT_CHANCE_MARGIN below the worst guess to AT_CHANCE_MARGIN above the best, at most halfway from it to 1. */
export function chanceBand(level: Pick<ChanceLevel, 'best' | 'worst'>): { low: number; high: number } {
  return { low: level.worst - AT_CHANCE_MARGIN, high: Math.min(level.best + AT_CHANCE_MARGIN, (level.best + 1) / 2) };
}

/** Whether `accuracy` is at chance (chanceBand). */
export function accuracyAtChance(accuracy: number, level: Pick<ChanceLevel, 'best' | 'worst'>): boolean {
  const { low, high } = chanceBand(level);
  return accuracy >= low && accuracy <= high;
}

/**
 * "a guess among 10 classes (10 % right), within 5 points either way" where every class has the same share as printed (or the rows
 * are not known); else "a guess that ignores the input (one class for every row: 10 % to 79 % of the rows right, 79 % always the most
 * frequent), within 5 points either way", and where the band stops short of chance + 5 points, how far above the best it reaches.
 */
export function chanceWords(level: ChanceLevel): string {
  const margin = Math.round(100 * AT_CHANCE_MARGIN);
  const { high } = chanceBand(level);
  const within = high < level.best + AT_CHANCE_MARGIN ? `within ${margin} points below and ${percent(high - level.best).replace(' %', '')} above` : `within ${margin} points either way`;
  const [best, worst, even] = [percent(level.best), percent(level.worst), percent(1 / level.classes)];
  if (best === even && worst === even) return `a guess among ${level.classes} classes (${even} right), ${within}`;
  return `a guess that ignores the input (one class for every row: ${worst} to ${best} of the rows right, ${best} always the most frequent), ${within}`;
}

/** classRowsOf over rows given as arrays or as a flat block (data/matrix.ts Rows): the checked rows of a command that measures accuracy. */
export function classRowsOfRows(y: Rows): number[] | undefined {
  if (!Array.isArray(y)) return classRowsOf(y.data, y.rows, y.cols);
  const cols = y[0]?.length ?? 0;
  if (!y.every((row) => row.length === cols)) return undefined;
  const flat: number[] = [];
  for (const row of y) for (let j = 0; j < cols; j++) flat.push(row[j]);
  return classRowsOf(flat, y.length, cols);
}

/** Chance among `classes` on the rows whose targets are `y` (chanceOf over classRowsOfRows); undefined without classes (a regression). */
export const chanceOnRows = (classes: number | undefined, y: Rows): ChanceLevel | undefined => (classes === undefined ? undefined : chanceOf(classes, classRowsOfRows(y)));
