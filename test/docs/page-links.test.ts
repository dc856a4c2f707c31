// Links between the pages (README.md, CONTRIBUTING.md, docs/*.md) read as a reader reads a page's
// title: a link's label is the page's or the section's title, never its file path ("docs/api.md"),
// every page a link names exists, every #anchor names one of its headings (GitHub's slugs), and
// every page under docs/ opens with one '# ' title. bench/RESULTS.md is a file the bench writes,
// named by its path so a reader finds it in the checkout: it is no page of the docs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks } from '../util/markdown-examples.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const DOCS = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
const PAGES = ['README.md', 'CONTRIBUTING.md', ...DOCS];
const WRITTEN_BY_THE_BENCH = 'bench/RESULTS.md';

/** `markdown` without its fenced blocks (a '#' comment in a shell block is no heading; code is no link). */
function prose(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of fencedBlocks(markdown)) {
    const codeLines = block.code === '' ? 0 : block.code.split('\n').length;
    for (let i = block.line - 1; i <= block.line + codeLines; i++) lines[i] = '';
  }
  return lines.join('\n');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

const headings = (page: string) => [...prose(read(page)).matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]);

interface PageLink {
  page: string;
  label: string;
  target: string;
  anchor: string | undefined;
}

/** Every link of `page` to a markdown page, its target resolved from the repository's root. */
function pageLinks(page: string): PageLink[] {
  return [...prose(read(page)).matchAll(/\[([^\]]+)\]\(([^)#\s]*\.md)(?:#([^)\s]+))?\)/g)].map((m) => ({
    page,
    label: m[1],
    target: normalize(join(dirname(page), m[2])),
    anchor: m[3],
  }));
}

const LINKS = PAGES.flatMap(pageLinks).filter((link) => link.target !== WRITTEN_BY_THE_BENCH);

describe('links between the pages', () => {
  it('finds the links of a page, their targets from the root and their anchors; slugs as GitHub makes them', () => {
    expect(pageLinks('docs/studies.md').find((link) => link.anchor === 'set-up')).toEqual({ page: 'docs/studies.md', label: 'Set-up', target: 'docs/trainable-depth.md', anchor: 'set-up' });
    expect(slug('How long `npm start` takes on an Intel Xeon')).toBe('how-long-npm-start-takes-on-an-intel-xeon');
    expect(slug("Study (a): Nielsen's vanishing gradient")).toBe('study-a-nielsens-vanishing-gradient');
    expect(LINKS.length).toBeGreaterThan(40);
  });

  it("label each link with a title, not the page's file name", () => {
    expect(LINKS.filter((link) => /\.md$/i.test(link.label.trim())).map((link) => `${link.page}: [${link.label}]`)).toEqual([]);
  });

  it('name pages in prose by their titles: outside code, a path to a page is only ever a link\'s target', () => {
    const named = PAGES.flatMap((page) =>
      prose(read(page))
        .split('\n')
        .map((line) => line.replace(/`[^`]*`/g, '').replace(/\]\([^)]*\)/g, ']'))
        .filter((line) => /\bdocs\/[a-z-]+\.md\b/.test(line))
        .map((line) => `${page}: ${line.trim().slice(0, 80)}`),
    );
    expect(named).toEqual([]);
  });

  it('name pages that exist, at headings they have', () => {
    const broken = LINKS.filter((link) => !existsSync(join(root, link.target)) || (link.anchor !== undefined && !headings(link.target).map(slug).includes(link.anchor)));
    expect(broken.map((link) => `${link.page}: ${link.target}#${link.anchor ?? ''}`)).toEqual([]);
  });

  it("never start a README line of prose with '[…]:': typedoc, which reads README as the project's page, takes it for a link reference definition", () => {
    // The fresh-clone CI of 226a560f failed test/docs/api-reference on "[1.69×]: at 1024 …" ('The relative path at is not a file').
    const definitionLike = /^\[[^\]]*\]:/;
    expect(definitionLike.test('[1.69×]: at 1024 train() does not take the one-job step')).toBe(true);
    expect(prose(read('README.md')).split('\n').filter((line) => definitionLike.test(line))).toEqual([]);
  });

  it("open each page under docs/ with one '# ' title", () => {
    expect(DOCS.filter((page) => !read(page).startsWith('# ') || (prose(read(page)).match(/^# /gm) ?? []).length !== 1)).toEqual([]);
  });
});
