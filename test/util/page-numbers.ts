/**
 * The numbers a docs page quotes, for a test that measures them again: the page's prose with its line
 * breaks as spaces (a sentence may wrap anywhere), the captures of the one place a pattern matches in
 * it, and a measured value written as the page writes its number, so the two compare as text at the
 * page's own digits.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

const prose = new Map<string, string>();

/** The page's text (a path from the repository's root, 'docs/curvature.md'), its line breaks as spaces. */
export function pageProse(page: string): string {
  if (!prose.has(page)) prose.set(page, readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' '));
  return prose.get(page)!;
}

/** The captures of the one place `pattern` matches in the page's prose (a test fails naming the page and the pattern otherwise). */
export function quotedOn(page: string, pattern: RegExp): string[] {
  const places = [...pageProse(page).matchAll(new RegExp(pattern.source, 'g'))];
  expect(places.length, `${page}: ${pattern.source}`).toBe(1);
  return places[0].slice(1);
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (exponent: number) => `${exponent < 0 ? '⁻' : ''}${[...String(Math.abs(exponent))].map((digit) => SUPERSCRIPTS[Number(digit)]).join('')}`;

/**
 * `value` written as the page writes `text`: to as many decimals, in the same form: plain (0.042),
 * exponent (3.1e-7) or a power of ten (2.6·10⁻⁸); a leading minus as U+2212, as the pages write it.
 */
export function asWritten(text: string, value: number): string {
  const [mantissa, power] = text.includes('·10') ? text.split('·10') : text.split('e');
  const decimals = mantissa.split('.')[1]?.length ?? 0;
  let written: string;
  if (power === undefined) written = value.toFixed(decimals);
  else {
    const [digits, exponent] = value.toExponential(decimals).split('e');
    written = text.includes('·10') ? `${digits}·10${superscript(Number(exponent))}` : `${digits}e${Number(exponent)}`;
  }
  return written.replace(/^-/, '−');
}
