/**
 * Where a page breaks a line inside a word of its code (a command or an option): the report's and
 * the visualizer's one rule (src/flow/code-words.ts) allows breaks only between a command's words. A
 * browser breaks a line after a hyphen: the remedies' commands and options read '--' at a line's end
 * and 'init' under it, 'he-' and 'normal' (newuser34, in npm start's report).
 */
import type { Page } from 'playwright-core';

/** The narrowest phone's width to the widest where the report's and the visualizer's prose still wraps its code, in steps that put some line end inside a word. */
export const CODE_BREAK_WIDTHS = Array.from({ length: 41 }, (_, i) => 320 + 11 * i);

/**
 * Every word of the `code` elements under `selector` that a line breaks inside while it fits its line
 * (a word wider than its line must wrap somewhere), at each of `widths`, named with the width; and how
 * many words were looked at, so a page with no code cannot pass.
 */
export async function codeWordsBroken(page: Page, selector: string, widths = CODE_BREAK_WIDTHS): Promise<{ words: number; broken: string[] }> {
  const broken: string[] = [];
  let words = 0;
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 });
    const found = await page.evaluate((codes) => {
      const out = { words: 0, broken: [] as string[] };
      for (const code of Array.from(document.querySelectorAll(codes))) {
        if (code.getBoundingClientRect().width === 0) continue;
        const line = code.closest('li, p, div')!.getBoundingClientRect().width;
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.textContent!.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index!);
            range.setEnd(node, match.index! + match[0].length);
            const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            out.words++;
            if (tops.size > 1 && range.getBoundingClientRect().width < line) out.broken.push(match[0]);
          }
        }
      }
      return out;
    }, `${selector} code`);
    words += found.words;
    broken.push(...found.broken.map((w) => `${w} at ${width} px`));
  }
  return { words, broken };
}
