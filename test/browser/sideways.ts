/** What sticks out sideways on a page: the checks of a phone's width, shared by the browser suites. */
import type { Page } from 'playwright-core';

/**
 * Each way `page` makes its reader scroll sideways or cuts something off at its width: the page wider
 * than its window, an element of `boxes` (its cards, scroll boxes) wider than its box, and an element
 * whose right edge is past the window (one inside a box of `boxes` that scrolls is counted by that box).
 * `scrolling`: boxes that scroll sideways by design (a report table read across its rows), which are
 * not counted, nor is anything inside them.
 */
export function sidewaysOverflow(page: Page, boxes: string, scrolling?: string): Promise<string[]> {
  return page.evaluate(([boxes, scrolling]) => {
    const root = document.documentElement;
    const found: string[] = [];
    if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth} px wide in ${root.clientWidth}`);
    const name = (e: Element) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.classList.length ? `.${Array.from(e.classList).join('.')}` : '');
    const within = scrolling ? `${boxes}, ${scrolling}` : boxes;
    for (const box of Array.from(document.querySelectorAll(boxes))) {
      if (box.scrollWidth > box.clientWidth && !(scrolling && box.matches(scrolling))) found.push(`${name(box)}: ${box.scrollWidth} px wide in ${box.clientWidth}`);
    }
    for (const e of Array.from(document.body.querySelectorAll('*'))) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > root.clientWidth + 0.5 && !e.parentElement!.closest(within)) found.push(`${name(e)}: right edge at ${r.right.toFixed(1)} px`);
    }
    return found;
  }, [boxes, scrolling ?? ''] as const);
}
