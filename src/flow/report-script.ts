/**
 * The report's inline script as gradscope's build wrote it: the page's script (report-page.ts) bundled with the library
 * functions it runs and minified into one text (scripts/report-script.mjs, to build/report-script.js), which report-html.ts
 * inlines unchanged. Written once when gradscope is built, not from the functions' source when a report is (fn.toString()),
 * so no bundler that bundles gradscope can change it: a minifier's renaming left the old script naming what it never
 * defined (newuser48 #1), and a keepNames build's `__name(…)` calls did too (review48b #2). The build writes no "</" in it
 * (nothing can close its <script>); test/flow/report-script-minified checks the text a page's bundle carries is this one.
 */
import { REPORT_SCRIPT_TEXT } from '../../build/report-script.js';

/** The script's text, inlined in the report's last <script> element. */
export const REPORT_SCRIPT: string = REPORT_SCRIPT_TEXT;
