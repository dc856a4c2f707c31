// The report's inline script is written from library functions' own source (report-script.ts). A page's bundler minifies that
// source and renames the module-level names it uses, so a serialised function that names anything but its parameters, its own
// locals and the browser's globals (a constant of its module, another function) names something the script never defines: the
// script stopped at load in every minified build, the browser example's included (newuser48 #1: 'ND is not defined', the
// downloads dead). Here the script module is bundled and minified as a page's build would, and the script it writes is
// type-checked alone against the browser's globals: any name it uses and does not define is such a break.
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { REPORT_SCRIPT } from '../../src/flow/report-script.js';

const SCRIPT_FILE = '/report-script.js';
const options: ts.CompilerOptions = { allowJs: true, checkJs: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };
// TypeScript's "Cannot find name 'x'" and "Cannot find name 'x'. Did you mean 'y'?".
const NOT_FOUND = new Set([2304, 2552]);

/** The names `script` uses and does not define (a module script, as the report's page runs it), each once, in order. */
function undefinedNames(script: string): string[] {
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(SCRIPT_FILE, `${script}\nexport {};\n`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
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

/** REPORT_SCRIPT as report-script.ts writes it from a bundle of it minified as a page's bundler would. */
async function minifiedScript(): Promise<string> {
  const { outputFiles } = await build({ entryPoints: ['src/flow/report-script.ts'], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`)) as { REPORT_SCRIPT: string };
  return module.REPORT_SCRIPT;
}

describe("the report's script", () => {
  test('the check finds a name the script uses and does not define', () => {
    expect(undefinedNames('const a = (t) => t + ND;\nconsole.log(a(1), document.title);')).toEqual(['ND']);
  });

  test('defines every name it uses, as the library runs it', () => {
    expect(undefinedNames(REPORT_SCRIPT)).toEqual([]);
  });

  test('defines every name it uses when a bundler has minified the library', async () => {
    const script = await minifiedScript();
    // The bundle was minified: the script's functions are not their source as written.
    expect(script).not.toBe(REPORT_SCRIPT);
    expect(undefinedNames(script)).toEqual([]);
  }, 60_000);
});
