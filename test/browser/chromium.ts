/**
 * Headless Chromium for the end-to-end suites: Debian's `chromium` driven by playwright-core
 * (`npx playwright install` is not used). Suites skip, saying why, only when no chromium is found.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

function which(command: string): string | undefined {
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Path of the browser, or undefined (then the suites skip). CHROMIUM overrides the lookup. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? which('chromium') ?? which('chromium-browser');

export const NO_CHROMIUM = 'skipped: no chromium found (`which chromium`); install it with `apt-get install -y chromium`';

if (!CHROMIUM_PATH) console.warn(`browser end-to-end tests ${NO_CHROMIUM}`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Console errors and uncaught exceptions of a page (and its workers), collected as text. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', (message) => {
    if (message.type() === 'error') errors.push(`worker console.error: ${message.text()}`);
  }));
  return errors;
}

/** The text nodes of a page (not its scripts' or styles'): where a reader sees words, numbers and percentages. */
export function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.parentElement!.closest('script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) });
    const all: string[] = [];
    while (walker.nextNode()) all.push(walker.currentNode.textContent!);
    return all;
  });
}
