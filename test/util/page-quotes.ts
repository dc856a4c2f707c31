/**
 * The messages a docs page quotes ("…" in its prose), for the test that makes the call printing each:
 * `quoteOn(page, opening)` reads the one quote that opens with `opening`, and `quotePattern` matches the
 * code's text against it, so a quote edited on the page alone fails that test. test/docs/page-quotes
 * walks every quote of a passage and fails on one that no test reads this way (the call is spelt out,
 * `quoteOn('docs/….md', '…')`, so that the walk finds it in the test's source).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Every "…" quote (straight double quotes) in the page's prose, outside its fenced code, in order, its line breaks as spaces. */
export function quotesOf(page: string, passage?: (text: string) => string): string[] {
  const text = readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8').replace(/^```.*?^```/gms, '');
  return [...(passage ? passage(text) : text).matchAll(/"([^"]+)"/g)].map((m) => m[1].replace(/\s*\n\s*/g, ' '));
}

/**
 * Every message a page quotes as code: its backtick spans of four words or more (a message, where a
 * shorter span is a name or an option), outside its fenced code, in order, their line breaks as spaces.
 */
export function codeQuotesOf(page: string, passage?: (text: string) => string): string[] {
  const text = readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8').replace(/^```.*?^```/gms, '');
  return [...(passage ? passage(text) : text).matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\s*\n\s*/g, ' ')).filter((span) => span.split(' ').length >= 4);
}

/** The quotes of `quotes` that `opening` names: the one that is the opening itself where there is one (a short quote that opens a longer one: "Dead units"), else those that open with it. */
export const quotesNamed = (quotes: string[], opening: string): string[] =>
  quotes.includes(opening) ? [opening] : quotes.filter((quote) => quote.startsWith(opening));

/** The quote on `page` (a path from the repository's root) that `opening` names: one, or the same words each time the page quotes them (a test fails naming both otherwise). */
export function quoteOn(page: string, opening: string): string {
  const quotes = new Set(quotesNamed(quotesOf(page), opening));
  expect([...quotes].length, `${page}: a quote opening "${opening}"`).toBe(1);
  return [...quotes][0];
}

/** The message `page` quotes as code (`…`, four words or more) that `opening` names, as quoteOn names a "…" quote. */
export function codeQuoteOn(page: string, opening: string): string {
  const quotes = new Set(quotesNamed(codeQuotesOf(page), opening));
  expect([...quotes].length, `${page}: a code quote opening "${opening}"`).toBe(1);
  return [...quotes][0];
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, '\\s+');
const NUMBER = /\d+(?:,\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?/g;

/**
 * A quote as a pattern of the text it is taken from: "…" stands for any text the page leaves out,
 * spaces for any run of white space (a message may wrap). With `anyNumbers`, each number stands for any
 * number: for a quote of a run the page names but no test makes again, whose words the test's own run
 * prints beside other numbers.
 */
export function quotePattern(quote: string, { anyNumbers = false } = {}): RegExp {
  const part = (text: string) =>
    anyNumbers
      ? text.split(NUMBER).map(escaped).join(NUMBER.source)
      : escaped(text);
  return new RegExp(quote.split(/\s*…\s*/).map(part).join('[\\s\\S]*?'));
}
