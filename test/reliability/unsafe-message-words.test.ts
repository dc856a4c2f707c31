// What a caller passed, and what the system said, reaches an error's message escaped: a string
// holding an escape, a line break, a C1 CSI (U+009B) or a bidi override (U+202E) was shown by
// JSON.stringify, which leaves the C1 and bidi controls (and U+2028/9) raw, so printing the message
// sent a command to the terminal or reordered the line. Each word is quoted by its rule and reads
// back as passed (JSON.parse, or bash for a shell word); GradscopeError makes one last pass over the
// whole message (src/unsafe-characters.ts), which escapes nothing twice.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/index.js';
import { oneLine } from '../../src/cli/error-line.js';
import { describeValue, GradscopeError, ioError, shown } from '../../src/errors.js';
import { shellWord } from '../../src/shell-word.js';
import { bashWords } from '../util/bash-words.js';
import { expectError } from '../util/expect-error.js';
import { RAW_UNSAFE, UNSAFE_WORDS } from '../util/unsafe-words.js';

describe("a caller's string in a message", () => {
  it('shown and describeValue: JSON with every unsafe character escaped, which JSON.parse reads back', () => {
    for (const word of UNSAFE_WORDS) {
      expect(shown(word), JSON.stringify(word)).not.toMatch(RAW_UNSAFE);
      expect(JSON.parse(shown(word))).toBe(word);
      expect(JSON.parse(shown({ [word]: [word] }))).toEqual({ [word]: [word] });
      const described = describeValue(word);
      expect(described).not.toMatch(RAW_UNSAFE);
      expect(JSON.parse(described.replace(/^the string /, ''))).toBe(word);
    }
    // Line and paragraph separators, DEL and a C1 control, which JSON.stringify leaves raw.
    expect(shown('\u2028\u2029\x7f\u0085\u2066')).toBe('"\\u2028\\u2029\\u007f\\u0085\\u2066"');
  });

  it('through the API: a value shown, an option key quoted as its shell word', async () => {
    for (const word of UNSAFE_WORDS) {
      const value = await expectError(() => createNetwork({ sizes: [2, 2], activation: word as never }), 'INVALID_OPTION', /^activation: expected one of .*, got "/);
      expect(value.message).not.toMatch(RAW_UNSAFE);
      expect(JSON.parse(/, got (".*")$/.exec(value.message)![1])).toBe(word);
      const key = await expectError(() => createNetwork({ sizes: [2, 2], [word]: 1 } as never), 'INVALID_OPTION', /^createNetwork: unknown option /);
      expect(key.message).not.toMatch(RAW_UNSAFE);
      expect(bashWords(/^createNetwork: unknown option (\$'(?:[^'\\]|\\.)*'|'[^']*') \(known/.exec(key.message)![1])).toEqual([word]);
    }
  });
});

describe("an error's message, whole", () => {
  it("ioError without the system's code: its text, which may hold the path raw, is escaped", () => {
    for (const path of UNSAFE_WORDS) {
      const error = ioError(path, 'read', new Error(`cannot open ${path}`));
      expect(error.message, JSON.stringify(error.message)).not.toMatch(RAW_UNSAFE);
      expect(error.message.startsWith(`${shellWord(path)}: cannot read (Error: cannot open `), error.message).toBe(true);
    }
  });

  it('GradscopeError escapes what a message left raw, by the shell words\' escapes, and nothing twice', () => {
    const raw = new GradscopeError('INVALID_OPTION', 'a\x1b[2J b\nc \u009b d\u202ee \u2028');
    expect(raw.message).toBe('a\\x1b[2J b\\nc \\u009b d\\u202ee \\u2028');
    for (const word of UNSAFE_WORDS) {
      // Already quoted, a word passes unchanged: its escapes' backslashes are not escaped again.
      const quoted = `--out ${shellWord(word)}: ${shown(word)}`;
      expect(new GradscopeError('IO_ERROR', quoted).message).toBe(quoted);
      // A refusal rethrown with a prefix (outputFileFlag) passes through the constructor again: the same text.
      const once = new GradscopeError('IO_ERROR', `x ${word}`);
      expect(new GradscopeError('IO_ERROR', `--html ${once.message}`).message).toBe(`--html ${once.message}`);
    }
  });

  it("the command line's error line: what it writes itself (a UsageError, an internal error's text) is escaped too", () => {
    for (const word of UNSAFE_WORDS) expect(oneLine(`gradscope: ${word}`), JSON.stringify(word)).not.toMatch(RAW_UNSAFE);
  });

  it("the command line's error line is cut by code point: a character beyond U+FFFF at the cut is kept whole, never half of it", () => {
    // Cut at 1,000 UTF-16 units it ended 'a\ud83d…': half an emoji, a lone surrogate, printed to the terminal.
    expect(oneLine(`${'a'.repeat(999)}😀 tail`)).toBe(`${'a'.repeat(999)}😀…`);
    expect(oneLine(`${'😀'.repeat(1000)}`)).toBe('😀'.repeat(1000));
  });
});
