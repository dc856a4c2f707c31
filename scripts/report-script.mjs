#!/usr/bin/env node
// Writes the HTML report's inline script when gradscope is built (scripts/build-plan.mjs' step): the page's source,
// src/flow/report-page.ts, bundled with the library functions it imports and minified by esbuild into one classic script,
// saved as a string in build/report-script.js, which src/flow/report-script.ts imports and report-html.ts inlines as it is.
// Built here, not written from the functions' source when a report is, so no bundler that later bundles gradscope (its
// renaming, a keepNames build's `__name` calls, a helper it injects) can change the code the report's page runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './build-plan.mjs';

/** The page's script source, relative to the root. */
export const REPORT_PAGE = 'src/flow/report-page.ts';

/**
 * The script's text: `REPORT_PAGE` bundled and minified for the browsers the library supports (ES2022), with every "</"
 * written "<\/" (the same characters in a string, a template or a regular expression), so nothing in it closes the
 * <script> element it is inlined in. Refuses a text an HTML parser would read otherwise ("<!--" or "<script" in it).
 */
export async function reportScriptText(root = ROOT) {
  const { outputFiles } = await build({
    entryPoints: [join(root, REPORT_PAGE)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const text = outputFiles[0].text.trimEnd().replace(/<\//g, '<\\/');
  const unsafe = /<!--|<script/i.exec(text);
  if (unsafe) throw new Error(`${REPORT_PAGE} bundles to a script holding "${unsafe[0]}", which an HTML parser would not leave to it`);
  return text;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await reportScriptText();
  const header = `// Written by scripts/report-script.mjs from ${REPORT_PAGE} (npm run build): the HTML report's inline script.\n`;
  writeFileSync(join(ROOT, 'build/report-script.js'), `${header}export const REPORT_SCRIPT_TEXT = ${JSON.stringify(text)};\n`);
  writeFileSync(join(ROOT, 'build/report-script.d.ts'), `${header}/** The HTML report's inline script, minified. */\nexport declare const REPORT_SCRIPT_TEXT: string;\n`);
}
