/**
 * A parser for the Python expressions that describe PyTorch modules in safetensors metadata
 * (`nn.Sequential(nn.Linear(784, 100), nn.BatchNorm1d(100), nn.ReLU(inplace=True), …)`): nested
 * calls of dotted names over `nn`, `torch`, `Residual` and `OrderedDict`, with positional then keyword arguments
 * that are calls, numbers, strings ('…' or "…") or True/False. Nothing is evaluated. Syntax only:
 * what the calls mean is the caller's (pytorch-import.ts; the tests' oracle).
 */
import { GradscopeError } from '../errors.js';
import { FLOAT32_MAX_WORDS } from '../checks.js';
import type { Fail } from '../model-limits.js';

/** A call `head(args…, key=value…)`. */
export interface PythonCall {
  /** The dotted name called, e.g. 'nn.Linear'. */
  head: string;
  /** Positional arguments, in order. */
  args: PythonValue[];
  /** Keyword arguments by name. */
  kwargs: Record<string, PythonValue>;
}
/** An argument: a call, a number, a string or a boolean. */
export type PythonValue = PythonCall | number | string | boolean;

/** Names an expression may start from: what `eval` is given (nn, torch, issue 13's Residual, and OrderedDict, which names an nn.Sequential's modules). */
const ROOTS = ['nn', 'torch', 'Residual', 'OrderedDict', 'collections'];
/** Deepest nesting of calls taken (a hostile text must not exhaust the stack). */
const MAX_DEPTH = 200;

/** The error of a file's expression: BAD_MODEL_FILE. */
const fileFault: Fail = (where, message) => new GradscopeError('BAD_MODEL_FILE', `${where}: ${message}`);

/**
 * Parses one call expression; `refuse`'s error (default BAD_MODEL_FILE: the file's expression) at
 * `where` for anything outside the grammar, saying where in the text.
 */
export function parsePythonCall(text: string, where: string, refuse: Fail = fileFault): PythonCall {
  let at = 0;
  const fail = (what: string): never => {
    throw refuse(where, `${what} at character ${at} (${JSON.stringify(text.slice(at, at + 20))})`);
  };
  const blank = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const match = (pattern: RegExp): string | undefined => {
    blank();
    const m = pattern.exec(text.slice(at));
    if (m) at += m[0].length;
    return m?.[0];
  };
  const value = (depth: number): PythonValue => {
    blank();
    const start = at;
    const number = match(/^-?\d+(\.\d+)?([eE][-+]?\d+)?/);
    if (number !== undefined) {
      const read = Number(number);
      // No module here takes a number float32 cannot hold (eps, momentum and slopes are held in it): its option's check echoed 1e400 back as Infinity, 1e-400 as 0.
      const held = Math.fround(read);
      const outside = !Number.isFinite(held) ? `${held} in float32, which holds magnitudes up to ${FLOAT32_MAX_WORDS}` : held === 0 && /[1-9]/.test(number.replace(/[eE].*/, '')) ? '0 in float32, though not written as 0' : undefined;
      if (outside !== undefined) {
        at = start;
        fail(`${number} is ${outside}`);
      }
      return read;
    }
    const quoted = match(/^("[^"\\\n]*"|'[^'\\\n]*')/);
    if (quoted !== undefined) return quoted.slice(1, -1);
    const boolean = match(/^(True|False)\b/);
    if (boolean !== undefined) return boolean === 'True';
    return call(depth + 1);
  };
  const call = (depth: number): PythonCall => {
    if (depth > MAX_DEPTH) fail(`calls nested deeper than ${MAX_DEPTH}`);
    const head = match(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*/) ?? fail('expected a module, such as nn.Linear(…)');
    if (!ROOTS.includes(head.split('.')[0])) fail(`${head} is not a name over ${ROOTS.join(', ')}`);
    if (match(/^\(/) === undefined) fail(`expected ( after ${head}`);
    // Keywords in an object with no prototype: in {} `__proto__=…` set the prototype and was dropped unread.
    const result: PythonCall = { head, args: [], kwargs: Object.create(null) as Record<string, PythonValue> };
    if (match(/^\)/) !== undefined) return result;
    for (;;) {
      const keyword = match(/^[A-Za-z_]\w*\s*=(?!=)/);
      if (keyword !== undefined) {
        const name = keyword.slice(0, -1).trim();
        if (Object.hasOwn(result.kwargs, name)) fail(`keyword argument ${name} repeated`); // as Python refuses it, not the last one silently taken
        result.kwargs[name] = value(depth);
      }
      else if (Object.keys(result.kwargs).length > 0) fail('positional argument after a keyword one');
      else result.args.push(value(depth));
      if (match(/^\)/) !== undefined) return result;
      if (match(/^,/) === undefined) fail('expected , or )');
      if (match(/^\)/) !== undefined) return result; // a trailing comma
    }
  };
  const root = call(0);
  blank();
  if (at !== text.length) fail('unexpected text after the expression');
  return root;
}
