// The report's inline script is a text gradscope's build writes (scripts/report-script.mjs: src/flow/report-page.ts and the
// library functions it imports, bundled and minified). It was once written when a report was, from the functions' own source
// (fn.toString()), which a page's bundler rewrites: its minifier renamed the module-level names they used, so the script
// named what it never defined (newuser48 #1: 'ND is not defined' in every minified build, the downloads dead), and a
// keepNames build (esbuild's keepNames, rolldown's and so Vite's) put `__name(…)` calls into their bodies, naming its helper
// (review48b #2). Here the report's code is bundled as a page's build would, keepNames too, by esbuild and by rolldown (Vite
// 8's bundler; terser is not installed here), and the report it writes must carry the built script unchanged; that script is
// type-checked alone against the browser's globals: any name it uses and does not define would stop it.
import { build } from 'esbuild';
import { rolldown } from 'rolldown';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { REPORT_SCRIPT } from '../../src/flow/report-script.js';

const SCRIPT_FILE = '/report-script.js';
const options: ts.CompilerOptions = { allowJs: true, checkJs: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };
// TypeScript's "Cannot find name 'x'" and "Cannot find name 'x'. Did you mean 'y'?".
const NOT_FOUND = new Set([2304, 2552]);

/** The names `script` uses and does not define (a classic script, as the report's page runs it), each once, in order. */
function undefinedNames(script: string): string[] {
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(SCRIPT_FILE, script, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => (name === SCRIPT_FILE ? source : getSourceFile(name, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === SCRIPT_FILE || fileExists(name);
  const program = ts.createProgram([SCRIPT_FILE], options, host);
  const names = program
    .getSemanticDiagnostics(source)
    .filter((d) => NOT_FOUND.has(d.code))
    .map((d) => source.text.slice(d.start!, d.start! + d.length!));
  return [...new Set(names)];
}

/**
 * The report's code (report-html.ts) as one module a page's bundler made, minified and keeping function names as keepNames
 * builds do, and how that bundle shows it kept them: esbuild calls its helper with each function and its name (renderReport's
 * too); rolldown keeps the names it would rename and calls `__name` for a function it renames anyway (a clash of names).
 */
const BUNDLERS: Record<string, { bundle: () => Promise<string>; keptNames: RegExp }> = {
  'esbuild, minified, keepNames': {
    bundle: async () => {
      const { outputFiles } = await build({ entryPoints: ['src/flow/report-html.ts'], bundle: true, minify: true, keepNames: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
      return outputFiles[0].text;
    },
    keptNames: /\([\w$]+,"renderReport"\)/,
  },
  'rolldown, minified, keepNames': {
    bundle: async () => {
      const bundle = await rolldown({ input: 'src/flow/report-html.ts', platform: 'browser', logLevel: 'silent' });
      const { output } = await bundle.generate({ format: 'esm', minify: true, keepNames: true });
      await bundle.close();
      return output[0].code;
    },
    keptNames: /^(?=[^]*async function renderReport\()(?=[^]*__name\()/,
  },
};

/** The inline script of the report the bundled `code` renders (its last <script> element's text). */
async function bundledReportScript(code: string): Promise<string> {
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { renderReport: (input: { title: string }) => Promise<string> };
  const html = await module.renderReport({ title: 'bundled' });
  return /<script>([^]*)<\/script><\/body><\/html>\n$/.exec(html)![1];
}

describe("the report's script", () => {
  test('the check finds a name the script uses and does not define', () => {
    expect(undefinedNames('const a = (t) => t + ND;\nconsole.log(a(1), document.title);')).toEqual(['ND']);
  });

  test('is what the build writes from the current sources, and defines every name it uses', async () => {
    const { reportScriptText } = (await import('../../scripts/report-script.mjs' as string)) as { reportScriptText: () => Promise<string> };
    expect(REPORT_SCRIPT).toBe(await reportScriptText());
    expect(undefinedNames(REPORT_SCRIPT)).toEqual([]);
    // Minified (a line of its own per statement would be the source), and nothing in it closes its <script>.
    expect(REPORT_SCRIPT.split('\n').length).toBeLessThan(5);
    expect(REPORT_SCRIPT).not.toContain('</');
  }, 60_000);

  for (const [bundler, { bundle, keptNames }] of Object.entries(BUNDLERS)) {
    test(`is the report's script, unchanged, when ${bundler} bundled the library`, async () => {
      const code = await bundle();
      expect(code).toMatch(keptNames);
      expect(await bundledReportScript(code)).toBe(REPORT_SCRIPT);
    }, 60_000);
  }
});
