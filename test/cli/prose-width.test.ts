// Prose fits the terminal as tables do (b652ce0) and --help does (58adf89): a line of prose wider
// than the terminal wraps at its words, each line after the first under its text; a table's row and
// a command line are printed whole; with no width (fitLine's undefined: --help written to a file) every
// line is whole. A command's output written to a file fits READING_WIDTH (test/cli/printed-width).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/api/network.js';
import { fitLine, proseWords, READING_WIDTH, wrap, wrapTokens } from '../../src/cli/prose.js';
import { displayWidth } from '../../src/display-width.js';
import { COMMAND_NAMES, COMMAND_POSITIONALS } from '../../src/cli/command-positionals.js';
import { COMMANDS, main } from '../../src/cli/cli.js';
import { shellWord } from '../../src/shell-word.js';
import { ROOT, runCliInProcess } from '../util/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-prose-'));
/** The words of `text`, whatever its line breaks. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The mark that closes each opening mark. */
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}', '`': '`', "'": "'", '"': '"' };

/**
 * The runs of marks the source's printed texts open a command line with, in its string literals (a line that is not a
 * comment): "(`gradscope study plateau`" in the diagnosis, "(gradscope study --model …" in study's Model line, and so on.
 */
function openingsInSource(): string[] {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const openings = new Set<string>();
  for (const file of files)
    for (const line of readFileSync(join(ROOT, 'src', file), 'utf8').split('\n'))
      if (!/^\s*(\/\/|\*|\/\*)/.test(line))
        for (const [, marks] of line.matchAll(/([(\[{`'"\\]+)(?:gradscope|npx|node) /g)) openings.add(marks.replaceAll('\\', ''));
  return [...openings];
}

/** The lines of `lines` but the last that are not full: the next line's first word (proseWords' unit) would have fitted after them within `width`. */
function notFull(lines: readonly string[], width: number): string[] {
  return lines.slice(0, -1).filter((line, i) => displayWidth(line) + 1 + displayWidth(proseWords(lines[i + 1].trim())[0]) <= width);
}

describe('prose at a width', () => {
  it('wraps a line of prose at its words, under its indent and list marker; no width: whole', () => {
    const prose = 'Deep sigmoid autoencoder [784-256-128-64-16-64-128-256-784], bce, no pretraining: 30 s of training per optimiser, 84 % of it.';
    const lines = fitLine(prose, 40).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(words(lines.join(' '))).toEqual(words(prose));
    expect(lines.some((line) => line.endsWith('84') || line.startsWith('%'))).toBe(false);
    const bullet = fitLine('  - a note in a list that is longer than the terminal is wide', 30).split('\n');
    expect(bullet[0]).toMatch(/^ {2}- a note/);
    for (const line of bullet.slice(1)) expect(line).toMatch(/^ {4}\S/);
    expect(fitLine(prose, undefined)).toBe(prose);
  });

  // A terminal shows a CJK character in two columns, an accent written as a combining mark in none and an astral letter
  // (two UTF-16 units) in one: counted in UTF-16 units, a line of CJK words ran past the width and one of accents broke early.
  it('never begins a line with a lone number cut from the word before it (edges47 #14: "… by" at one line\'s end, "3 epochs" at the next\'s start)', () => {
    const text = 'the gap between the first and the last hidden layer closed by 3 epochs, and the loss fell 2.40× over 1,000 rows to 0';
    for (let width = 12; width <= 80; width++) {
      const lines = wrap(text, width, '').split('\n');
      for (const line of lines.slice(1)) expect(line, `at ${width}`).not.toMatch(/^\d/);
      expect(words(lines.join(' ')), `at ${width}`).toEqual(words(text));
    }
    expect(proseWords('closed by 3 epochs at 84 % of 1,000 rows (a mean ≤ 0.067)')).toEqual(['closed', 'by 3', 'epochs', 'at 84 %', 'of 1,000', 'rows', '(a', 'mean', '≤ 0.067)']);
    // Each word joins one neighbour at most: a list of numbers still breaks between them, so no run of words outgrows a line.
    expect(proseWords('layerRates: [4.23, 18.4, 4.14, 1]')).toEqual(['layerRates:', '[4.23, 18.4,', '4.14,', '1]']);
  });

  it('fits a line in terminal columns (displayWidth), not UTF-16 units: a CJK word, a combining mark, an astral letter', () => {
    const cjk = '層層層層 層層層層 層層層層';
    expect(wrap(cjk, 20, '')).toBe('層層層層 層層層層\n層層層層');
    expect(fitLine(cjk, 20)).toBe('層層層層 層層層層\n層層層層');
    const accents = Array(4).fill('cafe\u0301').join(' ');
    expect(wrap(accents, 23, '')).toBe(accents);
    expect(fitLine(accents, 23)).toBe(accents);
    const astral = Array(4).fill('𝑥𝑥𝑥𝑥𝑥').join(' ');
    expect(wrap(astral, 23, '')).toBe(astral);
    expect(wrapTokens(['層層', '𝑥𝑥', 'e\u0301'], 8, '  ', '', '  ')).toBe('層層  𝑥𝑥\n  e\u0301');
  });

  // On a terminal an error ran past its width (a DIVERGED's advice to 386 columns) and the terminal cut its words; a
  // script reading a file or a pipe gets it on one line, as before.
  it('wraps a message on stderr at its words where stderr is a terminal (live, errColumns), each line after the first indented; one line in a file, COLUMNS set or not', async () => {
    const run = async (errColumns?: number, live = errColumns !== undefined) => {
      let stderr = '';
      const code = await main(['study', 'sideways'], { out: () => undefined, err: (text) => void (stderr += text), live, errColumns });
      return { code, lines: stderr.trimEnd().split('\n') };
    };
    const inFile = await run();
    expect(inFile.code).toBe(2);
    expect(inFile.lines).toHaveLength(1);
    expect(displayWidth(inFile.lines[0])).toBeGreaterThan(100);
    // `COLUMNS=60 gradscope … 2> err.txt`: COLUMNS gives errColumns, yet stderr is a file (it wrote 3 lines).
    expect(await run(60, false)).toEqual(inFile);
    for (const width of [60, 200]) {
      const onTerminal = await run(width);
      expect(onTerminal.code).toBe(2);
      expect(onTerminal.lines.length).toBeGreaterThan(1);
      for (const line of onTerminal.lines) expect(displayWidth(line), line).toBeLessThanOrEqual(Math.min(width, READING_WIDTH));
      for (const line of onTerminal.lines.slice(1)) expect(line).toMatch(/^ {2}\S/);
      expect(words(onTerminal.lines.join(' '))).toEqual(words(inFile.lines[0]));
    }
  });

  it('prints a table row and a command line whole, and keeps a command line within prose on one line', () => {
    const row = 'sgd-momentum    1,582       0.002  SGD, batch 100, lr 0.01, momentum 0.9';
    expect(fitLine(row, 40)).toBe(row);
    const command = '  gradscope study --model model.json --data data.json --epochs 20 --optimizer adam --html report.html';
    expect(fitLine(command, 40)).toBe(command);
    const saved = 'Model: m.json (gradscope study --model m.json --data d.json trains it on from these weights with the same settings, tracing and diagnosing it, on the same rows)';
    expect(proseWords(saved)).toContain('(gradscope study --model m.json --data d.json');
    expect(fitLine(saved, 50).split('\n').some((line) => line.includes('(gradscope study --model m.json --data d.json'))).toBe(true);
  });

  it('keeps a quoted path whole with its command, and positional words after the command words', () => {
    const saved = `Model: my model.json (gradscope study --model ${shellWord('my model.json')} --data d.json trains it on from these weights with the same settings)`;
    expect(proseWords(saved)).toContain("(gradscope study --model 'my model.json' --data d.json");
    expect(fitLine(saved, 50).split('\n').some((line) => line.includes("(gradscope study --model 'my model.json' --data d.json"))).toBe(true);
    const quote = `(gradscope study --model ${shellWord("it's mine.json")} trains it)`;
    expect(proseWords(quote)).toEqual([`(gradscope study --model 'it'\\''s mine.json'`, 'trains', 'it)']);
    const convert = 'a tfjs layers model, which loadModel does not read: readModelFile or readTfjsLayersFile does (gradscope convert IN OUT.json makes a gradscope model of it)';
    expect(proseWords(convert)).toContain('(gradscope convert IN OUT.json');
    expect(proseWords(convert)).toContain('makes');
    expect(proseWords(`then gradscope convert ${shellWord('old model.json')} out/model.safetensors --from json; done`)).toContain("gradscope convert 'old model.json' out/model.safetensors --from json;");
  });

  // cli42: "gradscope is a …" read as a command line ('gradscope is a' kept as one word): a word after gradscope is a command
  // word only where it continues a command's words (COMMAND_NAMES, checked against the commands' specs here).
  it("reads a word after gradscope as a command word only where it is one: 'gradscope is a' stays prose", () => {
    expect([...COMMAND_NAMES].sort()).toEqual(COMMANDS.filter((c) => c.words.length > 0).map((c) => c.words.join(' ')).sort());
    expect(proseWords('gradscope is a TypeScript package')).toEqual(['gradscope', 'is', 'a', 'TypeScript', 'package']);
    expect(proseWords('run gradscope study plateau now')).toEqual(['run', 'gradscope study plateau', 'now']);
    expect(proseWords('then gradscope study is what runs')).toEqual(['then', 'gradscope study', 'is', 'what', 'runs']);
    expect(proseWords('npx gradscope train --epochs 3 here')).toEqual(['npx gradscope train --epochs 3', 'here']);
  });

  // A command line quoted in a sentence was cut on a 60-column terminal after its first word ("did you mean 'gradscope" /
  // "train'?"): its opening quote hid `gradscope`, and its closing quote the end of its last word.
  it("keeps a command line quoted in a sentence whole, to its closing quote, and the unknown command's guess on a terminal", async () => {
    expect(proseWords("did you mean 'gradscope train'? (a command is")).toEqual(['did', 'you', 'mean', "'gradscope train'?", '(a', 'command', 'is']);
    expect(proseWords("mean 'gradscope study depth' or 'gradscope study plateau'?")).toEqual(['mean', "'gradscope study depth'", 'or', "'gradscope study plateau'?"]);
    expect(proseWords("'npx gradscope convert IN OUT.json' does that job")).toEqual(["'npx gradscope convert IN OUT.json'", 'does', 'that', 'job']);
    expect(proseWords("see 'node bin/gradscope.js train --help'.")).toEqual(['see', "'node bin/gradscope.js train --help'."]);
    // A quoted value closes itself, not an unquoted command line.
    expect(proseWords(`gradscope study --model ${shellWord('my model.json')} trains it`)).toEqual(["gradscope study --model 'my model.json'", 'trains', 'it']);
    let stderr = '';
    expect(await main(['trian'], { out: () => undefined, err: (text) => void (stderr += text), live: true, errColumns: 60 })).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.includes("'gradscope train'?")), stderr).toBe(true);
  });

  // "(`gradscope study plateau`" was broken at 60 columns after "(`gradscope": the rule read one mark before `gradscope`
  // (a bracket, a backquote or a quote), not two, and a command word before its closing mark ("plateau`") as prose.
  it('keeps a command line whole after every run of opening marks the printed texts use, to its closing marks', () => {
    const openings = openingsInSource();
    for (const used of ['(`', '(', '`', "'"]) expect(openings, used).toContain(used);
    for (const open of new Set([...openings, '[', '"', '("', "('", '[`'])) {
      const close = [...open].reverse().map((mark) => CLOSER[mark]).join('');
      for (const command of ['gradscope study plateau', 'npx gradscope study depth', 'gradscope train --epochs 2', 'node bin/gradscope.js curvature --help']) {
        const quoted = `${open}${command}${close}`;
        const text = `its curvature can: ${quoted} measured Nielsen's plateau and more`;
        expect(proseWords(text), text).toEqual(['its', 'curvature', 'can:', quoted, 'measured', "Nielsen's", 'plateau', 'and', 'more']);
        expect(proseWords(`${quoted}, then`)).toEqual([`${quoted},`, 'then']);
        for (let width = 10; width <= 60; width++) expect(fitLine(text, width).split('\n').some((line) => line.includes(quoted)), `${text} at ${width}`).toBe(true);
      }
    }
  });

  it("knows a command's positional words from the CLI's table, not by their shape: a lower-case one is kept, prose after them is not", () => {
    // A bare lower-case positional was read as prose (the shape rule took only quoted words, capitals and paths), and a word after a
    // command that takes none as a positional if it looked like a path.
    expect(proseWords('run gradscope convert model out then look')).toEqual(['run', 'gradscope convert model out', 'then', 'look']);
    expect(proseWords('run gradscope train data.json as before')).toEqual(['run', 'gradscope train', 'data.json', 'as', 'before']);
    for (const command of COMMANDS) expect(command.positionals ?? [], command.usage).toEqual(COMMAND_POSITIONALS[command.words.join(' ')] ?? []);
  });

  it("gradscope train's prose fits 50 columns, with every word it prints in a file", async () => {
    const data = join(folder, 'rows-of-a-small-data-set-with-a-long-name.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0, 1], [1, 0], [1, 1], [0, 0]], targets: [[1, 0], [1, 0], [0, 1], [0, 1]] }));
    const args = ['train', '--data', data, '--layers', '2,3,2', '--epochs', '1', '--batch-size', '2'];
    const whole = await runCliInProcess(args);
    expect(whole.code, whole.stderr).toBe(0);
    const prose = whole.stdout.split('\n').filter((line) => line.length > 50 && !/\S {2,}\S/.test(line.trim()));
    expect(prose.length, 'a line of prose wider than 50 columns to wrap').toBeGreaterThan(0);
    const fitted = await runCliInProcess(args, 50);
    const stillWide = fitted.stdout.split('\n').filter((line) => line.length > 50 && !/\S {2,}\S/.test(line.trim()) && !line.includes(data));
    expect(stillWide).toEqual([]);
    expect(words(fitted.stdout)).toEqual(words(whole.stdout));
  });

  it("wraps study --model's diagnosis once, to the terminal where narrower than its 100 columns: each summary line full but its last", async () => {
    const model = join(folder, 'model.json');
    const net = await createNetwork({ sizes: [3, 4, 4, 2], activation: 'sigmoid', loss: 'cross-entropy', seed: 5, backend: 'ref' });
    writeFileSync(model, JSON.stringify(net.toJSON()));
    net.dispose();
    const data = join(folder, 'data.json');
    writeFileSync(data, JSON.stringify({ inputs: [[0.1, -0.2, 0.3], [1, 0.5, -1], [0, 0.2, 0.4], [-1, 0, 1]], targets: [[1, 0], [0, 1], [1, 0], [0, 1]] }));
    const width = 60;
    const run = await runCliInProcess(['study', '--model', model, '--data', data, '--epochs', '2', '--batch-size', '2', '--backend', 'ref'], width);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const start = lines.findIndex((line) => line.startsWith('Diagnosis: '));
    const summary = lines.slice(start + 1, lines.findIndex((line, i) => i > start && !line.startsWith('  ') || /^ {2}What to try/.test(line)));
    expect(summary.length).toBeGreaterThan(2);
    // Wrapped at 100 and then again at 60, a line of 100 became one of about 60 and one of about 40, which the next
    // line's first word would have filled. Wrapped once, each line but the last is as full as its words allow: the next
    // line's first word (proseWords' unit: a command in backticks is one, kept whole) does not fit after it.
    expect(notFull(summary, width)).toEqual([]);
    for (const line of summary) expect(line.length, line).toBeLessThanOrEqual(width);
    // The rule tells a text wrapped twice: the file's 100-column lines, each wrapped again at 60.
    const inFile = await runCliInProcess(['study', '--model', model, '--data', data, '--epochs', '2', '--batch-size', '2', '--backend', 'ref']);
    const fileLines = inFile.stdout.split('\n');
    const fileStart = fileLines.findIndex((line) => line.startsWith('Diagnosis: '));
    const fileSummary = fileLines.slice(fileStart + 1, fileLines.findIndex((line, i) => i > fileStart && !line.startsWith('  ') || /^ {2}What to try/.test(line)));
    expect(words(fileSummary.join(' '))).toEqual(words(summary.join(' ')));
    const twice = fileSummary.flatMap((line) => fitLine(line, width).split('\n'));
    expect(notFull(twice, width).length).toBeGreaterThan(0);
  });
});

