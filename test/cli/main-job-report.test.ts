// The report the main job (npm start) writes, with its default flags, stays within the size the
// issue set for it (#17, item 3: "≤ 600 KB", 600,000 bytes): run in-process, written to a temporary folder.
//
// The job takes ~80 s of CPU (2026-12-02, at nice 19 and load ~12: study (a) 15.5 s, study (b) 21.9 s, study (c)
// 42.5 s, each ~6 times that in wall-clock time, measured apart), so beside other tests on a loaded machine it can outlast any
// fixed wall-clock limit (600 s was hit once at load ~14): a hang is told by silence instead. The job prints its
// progress as it goes, so the test fails when it has printed nothing for SILENT_LIMIT_S, naming the last line it
// printed; the vitest timeout is only the outer bound.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/cli.js';
import { MAIN_JOB_HEADINGS } from '../../src/cli/commands/main-job.js';
import { escapeHtml } from '../../src/flow/svg.js';
import { GRADIENT_COLUMNS_LEGEND, unitFailureNote } from '../../src/cli/commands/study-activations.js';
import { runCliInProcess } from '../util/cli.js';
import { flat } from '../util/printed-text.js';
import { tableStarting } from '../util/markdown-tables.js';
import { sameSpelling, studyBRowsPrinted } from '../util/study-b-tables.js';

/** #17's "≤ 600 KB" (the test held 600 KiB, 614,400 bytes, while the issue's figure was 600,000). */
const REPORT_BYTES = 600_000;

/** Longest the job may print nothing, in seconds: its longest silence was 59 s (of 446 s, 83 s of CPU) at nice 19, load ~11, 2026-12-02 07:35. */
const SILENT_LIMIT_S = 300;
/** The outer bound: the job's ~80 s of CPU at an eighth of a core. */
const OUTER_LIMIT_MS = 1_800_000;

describe('the main job', () => {
  it(`writes an HTML report of at most ${REPORT_BYTES.toLocaleString('en')} bytes with its default flags`, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradscope-main-job-'));
    let watchdog: ReturnType<typeof setInterval> | undefined;
    try {
      const report = join(folder, 'gradscope-report.html');
      let errors = '';
      let out = '';
      const started = { wall: performance.now(), cpu: process.cpuUsage() };
      let heard = { at: performance.now(), line: '(nothing yet)' };
      let quietest = 0;
      const hear = (text: string) => {
        const now = performance.now();
        quietest = Math.max(quietest, now - heard.at);
        heard = { at: now, line: text.trim().split('\n').at(-1) ?? heard.line };
      };
      const silence = new Promise<never>((_, reject) => {
        watchdog = setInterval(() => {
          if (performance.now() - heard.at > SILENT_LIMIT_S * 1000) reject(new Error(`the main job printed nothing for ${SILENT_LIMIT_S} s after: ${heard.line}`));
        }, 1000);
      });
      const job = main(['--html', report], { out: (text) => void ((out += text), hear(text)), err: (text) => void ((errors += text), hear(text)), live: false });
      const code = await Promise.race([job, silence]);
      clearInterval(watchdog);
      expect(code, errors).toBe(0);
      const bytes = statSync(report).size;
      const cpu = process.cpuUsage(started.cpu);
      console.log(
        `main job report: ${(bytes / 1024).toFixed(0)} KiB, ${bytes} bytes; ${((performance.now() - started.wall) / 1000).toFixed(0)} s, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s of CPU, ` +
          `longest silence ${(quietest / 1000).toFixed(0)} s`,
      );
      expect(bytes).toBeGreaterThan(100 * 1024); // a real report, not an empty page
      expect(bytes).toBeLessThanOrEqual(REPORT_BYTES);
      // Study (c) is in the report whole, listed in the contents: its accuracy table, its charts and its rows.
      // (It was its accuracy table only, said to keep the report within 600 KB; with its charts it fits, its size
      // held below against README's figure.)
      const page = readFileSync(report, 'utf8');
      expect(page).toContain('<a href="#trainable-depth">Study (c): how deep each remedy trains</a>');
      // Its three sections are headed by their letters (a study run alone is headed by its name: test/cli/report-headings), then,
      // as some of its diagnoses ask the curvature question, the one section on how to measure it (newuser49 #7).
      expect([...page.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual([...MAIN_JOB_HEADINGS.map(escapeHtml), 'Measuring the curvature where a run stopped']);
      expect(page).toMatch(/<th>remedy<\/th><th>2<\/th><th>10<\/th><th>50<\/th>/);
      for (const chart of ['trainable-depth-accuracy', 'trainable-depth-ratio', 'trainable-depth-deepest']) expect(page).toContain(`id="${chart}"`);
      // Study (b)'s note says what the kernel counts (it said "units with σ'(z) < 1 % of its maximum") and explains dead %.
      // (Its prose wraps at READING_WIDTH, written to a file too: read across its lines.)
      expect(flat(out)).toContain(flat(unitFailureNote()));
      // … and what its gradient columns are, as `gradscope study activations` says (one text for both: activationStudyText; it left this line out, newuser30).
      expect(flat(out)).toContain(` ${flat(`${unitFailureNote()}\n${GRADIENT_COLUMNS_LEGEND}`)} `);
      // At his 500 epochs, Nielsen's ratios at both his epochs sit beside ours (test/cli/study.test.ts: at 1 epoch, only his epoch 0).
      // (The table's headings wrap to READING_WIDTH written to a file: 'Nielsen's,' over 'epoch 0 → 499'.)
      expect(out).toContain('epoch 0 → 499');
      expect(out).toMatch(/^\[784,30,30,10\] .* 0\.21 → 0\.36 /m);
      // … and its records are labelled as what they are: step s (charts) is the start of epoch s − 1 (tables), before its update.
      expect(out).toContain('At the first step (the start of epoch 0):');
      expect(page).toContain('One step per epoch, each recorded before its update: steps 1–500 are the starts of epochs 0–499.');
      expect(flat(out)).not.toContain("σ'(z) < 1 %");
      // README's account of the quick study (c) is this run's table (auditor54 #5a: held by nothing): every remedy on the line
      // and above it nowhere, the line's band, plain sigmoid's best depth and its accuracy there, and the best accuracies of three.
      expect(quickStudyCSaid(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'))).toEqual(quickStudyCPrinted(out));
      // docs/trainable-depth.md says the same run's figures again (auditor55 #18: held in README only).
      const depthPage = flat(readFileSync(new URL('../../docs/trainable-depth.md', import.meta.url), 'utf8'));
      const again = /relu-he, batch-norm-relu and ReZero end at a best of ([\d.]+), ([\d.]+) and ([\d.]+) % and plain sigmoid at ([\d.]+) % at (\d+) layers/.exec(depthPage);
      expect(again, "docs/trainable-depth.md: the 3-epoch run's sentence").not.toBeNull();
      const [, , , plainDepth, plainAccuracy, ...best] = quickStudyCPrinted(out);
      expect(again!.slice(1)).toEqual([...best, plainAccuracy, plainDepth]);
      // README's study (b) table is "the main job's study (b)": each cell is this run's test error (auditor54 #5b: held by nothing).
      const activations = tableStarting({ file: 'README.md', text: readFileSync(new URL('../../README.md', import.meta.url), 'utf8') }, '| activation | standard init');
      const printedErrors = new Map([...out.matchAll(/^(\w+) +(standard|glorot-uniform|he-normal) +([\d.]+ %) /gm)].map((m) => [`${m[1]} ${m[2]}`, m[3]]));
      expect(activations.rows.length).toBe(4);
      for (const [activation, ...cells] of activations.rows) {
        expect(cells, activation).toEqual(['standard', 'glorot-uniform', 'he-normal'].map((init) => printedErrors.get(`${activation} ${init}`)));
      }
      // docs/gradient-flow.md's study (b) table is npm start's study (b) (auditor55 #8: only README's test errors were held):
      // every cell of its 12 rows. (Its activation table, of Glorot & Bengio's measure, is printed by `gradscope study
      // activations`, not by npm start; re-running its five runs would take ~2 min of CPU: held by no test; every
      // cell and its 'at most 2 %' were checked by hand against auditor55's run of c28bf863 on 2026-12-07.)
      const flowPage = { file: 'docs/gradient-flow.md', text: readFileSync(new URL('../../docs/gradient-flow.md', import.meta.url), 'utf8') };
      const studyB = studyBRowsPrinted(out);
      const pageRows = tableStarting(flowPage, '| activation | init | test error').rows;
      expect(pageRows.length).toBe(12);
      for (const [activation, init, ...cells] of pageRows) expect(cells.map(sameSpelling), `${activation} ${init}`).toEqual(studyB.get(`${activation} ${init}`));
      // Study (c)'s progress reads as the standalone study's does (rowProgress): 'trainable depth: N %, remedy at d hidden layers'.
      expect(errors).toMatch(/^trainable depth: 100 %, \S+ at 50 hidden layers$/m);
      // README's report size is this report's, within 5 % (it said 507 KB when the report was 516 kB).
      const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
      // docs/studies.md's quote of study (a)'s deepest diagnosis is what the job prints: each part between its
      // '…' in order (it quoted "the batches' loss stopped falling" after the words had changed).
      expect(quotedPartsMissing(readFileSync(new URL('../../docs/studies.md', import.meta.url), 'utf8'), out)).toEqual([]);
      const stated = Number(/reports\/gradscope-report\.html` \((\d+) KiB/.exec(readme)![1]);
      expect(Math.abs(bytes / 1024 - stated) / stated).toBeLessThanOrEqual(0.05);
    } finally {
      clearInterval(watchdog);
      rmSync(folder, { recursive: true, force: true });
    }
  }, OUTER_LIMIT_MS);

  it('--help says what the report holds', async () => {
    const help = (await runCliInProcess(['--help'])).stdout;
    expect(help).toContain('printed, and an HTML report of the three');
    expect(help).not.toMatch(/quick trainable depth, tables, diagnoses, HTML report/);
  });
});

/** docs/studies.md's quoted diagnosis (after 'e.g. for the deepest sigmoid network of study (a)'), cut at its '…': the parts not found in `out` in order. */
function quotedPartsMissing(doc: string, out: string): string[] {
  const words = (text: string) => flat(text).trim();
  const quote = /deepest sigmoid network of study \(a\): \*"([^"]+)"\*/.exec(doc);
  if (!quote) return ['(no quote found in docs/studies.md)'];
  const printed = words(out);
  const missing: string[] = [];
  let from = 0;
  for (const part of quote[1].split('…').map(words).filter((p) => p !== '')) {
    const at = printed.indexOf(part, from);
    if (at < 0) missing.push(part);
    else from = at + part.length;
  }
  return missing;
}

/** The remedies README names in its account of the quick study (c), and what it says of each: README's order. */
const QUICK_NONE = ['relu-he', 'batch-norm-relu', 'rezero'] as const;

/**
 * README's quick study (c) sentence: how many remedies read `none` (every one: each ends on the line, within 2 standard
 * errors of 90 %), the band's ends, plain sigmoid's depth and accuracy there, and the best of each QUICK_NONE remedy.
 */
function quickStudyCSaid(readme: string): string[] {
  const said =
    /reads `none` for all (\w+) remedies: each ends on the line, within 2 standard errors of 90 % on the 1,000 held-out digits \(([\d.]+) to ([\d.]+) %: plain sigmoid ([\d.]+) % at (\d+) layers, relu-he, batch-norm-relu and ReZero ([\d.]+), ([\d.]+) and ([\d.]+) % at best/.exec(
      flat(readme),
    );
  expect(said, "README: the quick study (c)'s 'deepest above 90 %' sentence").not.toBeNull();
  const [count, low, high, plainAccuracy, plainDepth, ...best] = said!.slice(1);
  return [String(['one', 'two', 'three', 'four', 'five', 'six', 'seven'].indexOf(count) + 1), low, high, plainDepth, plainAccuracy, ...best];
}

/** The same figures from the job's printed accuracy table ('Held-out accuracy by hidden layers:') and the line under the deepest table. */
function quickStudyCPrinted(out: string): string[] {
  const table = out.slice(out.indexOf('Held-out accuracy by hidden layers:')).split('\n\n')[0].split('\n');
  const rows = table.filter((l) => / %/.test(l) && !l.startsWith('remedy'));
  // Every remedy's deepest cell is 'none; on the line at …': above the line nowhere.
  for (const line of rows) expect(line, "study (c)'s table: a remedy above the line somewhere").toMatch(/ none; on the line at [\d, ]+$/);
  const row = (remedy: string) => {
    const line = rows.find((l) => l.startsWith(`${remedy} `));
    expect(line, `study (c)'s table: the ${remedy} row`).toBeDefined();
    return line!;
  };
  const accuracies = (remedy: string) => [...row(remedy).matchAll(/([\d.]+) %/g)].map((m) => m[1]);
  const band = / of 90 %: ([\d.]+) % to ([\d.]+) %, where this one run/.exec(flat(out));
  expect(band, "study (c)'s line under its deepest table").not.toBeNull();
  const plain = accuracies('plain-sigmoid');
  // The header: 'remedy', one column per depth (as many as a row's accuracies), then the deepest column's words.
  const depths = table.find((l) => l.startsWith('remedy'))!.trim().split(/ +/).slice(1, 1 + plain.length).map(Number);
  const plainDepth = depths[plain.indexOf(plain.reduce((a, b) => (Number(b) > Number(a) ? b : a)))];
  const best = QUICK_NONE.map((remedy) => accuracies(remedy).reduce((a, b) => (Number(b) > Number(a) ? b : a)));
  return [String(rows.length), band![1], band![2], String(plainDepth), plain[depths.indexOf(plainDepth)], ...best];
}
