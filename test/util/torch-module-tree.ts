/**
 * An oracle for the `pytorch` metadata of safetensors files, independent of the code that writes
 * it: a parser for the Python call expressions gradscope emits (`nn.Sequential(nn.Linear(4, 6),
 * nn.ReLU(), Residual(nn.Sequential(…), gate="rezero"), …)`), and the state_dict PyTorch's modules
 * would hold, written from PyTorch's documentation: nn.Linear(in, out) holds weight [out, in] and
 * bias [out]; nn.BatchNorm1d(n) weight and bias [n], then the buffers running_mean, running_var [n]
 * and num_batches_tracked (int64, shape []); nn.LayerNorm(n) weight and bias [n]; activation
 * modules nothing; nn.Sequential numbers its children 0, 1, …; and issue 13's Residual holds
 * `alpha` [] (gate "rezero") and its child `branch`. state_dict lists a module's own parameters,
 * then its own buffers, then its children's entries. Widths are followed through the tree, so a
 * module that could not run on its input (nn.Linear(5, 3) after 6 features) fails the walk.
 */

/** A call `head(args, key=value)`; leaves are numbers and strings. */
export interface Call {
  head: string;
  args: Value[];
  kwargs: Record<string, Value>;
}
export type Value = Call | number | string;

/** Names the expression may use: `eval` sees nn, torch and Residual only. */
const ROOTS = ['nn', 'torch', 'Residual'];

/** Parses one call expression; throws on anything outside the grammar (or trailing text). */
export function parseCall(text: string): Call {
  let at = 0;
  const blank = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at ${at}: ${JSON.stringify(text.slice(at, at + 20))}`);
  };
  const expect = (token: string) => {
    blank();
    if (!text.startsWith(token, at)) fail(`expected ${token}`);
    at += token.length;
  };
  const name = (): string => {
    blank();
    const m = /^[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*/.exec(text.slice(at));
    if (!m) return fail('expected a name');
    at += m[0].length;
    return m[0];
  };
  const value = (): Value => {
    blank();
    const number = /^-?\d+(\.\d+)?([eE]-?\d+)?/.exec(text.slice(at));
    if (number) {
      at += number[0].length;
      return Number(number[0]);
    }
    if (text[at] === '"') {
      const end = text.indexOf('"', at + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(at + 1, end);
      at = end + 1;
      return s;
    }
    return call();
  };
  const call = (): Call => {
    const head = name();
    if (!ROOTS.includes(head.split('.')[0])) fail(`${head} is not over nn, torch or Residual`);
    expect('(');
    const result: Call = { head, args: [], kwargs: {} };
    blank();
    if (text[at] === ')') {
      at++;
      return result;
    }
    for (;;) {
      blank();
      const keyword = /^([A-Za-z_]\w*)\s*=/.exec(text.slice(at));
      if (keyword) {
        at += keyword[0].length;
        result.kwargs[keyword[1]] = value();
      } else {
        if (Object.keys(result.kwargs).length > 0) fail('positional argument after a keyword one');
        result.args.push(value());
      }
      blank();
      if (text[at] === ',') at++;
      else if (text[at] === ')') {
        at++;
        return result;
      } else fail('expected , or )');
    }
  };
  const root = call();
  blank();
  if (at !== text.length) fail('trailing text');
  return root;
}

/** One entry of the state_dict the module tree would hold. */
export interface TorchEntry {
  name: string;
  shape: number[];
  dtype: 'F32' | 'I64';
}

/** What an activation module is, for the walk: its class and its arguments as PyTorch would see them. */
export interface ActivationModule {
  path: string;
  module: string;
  args: Value[];
  kwargs: Record<string, Value>;
}

/** The walk's result: the state_dict, the width out, and every parameter-free module met. */
export interface ModuleTree {
  entries: TorchEntry[];
  outputs: number;
  activations: ActivationModule[];
}

const ACTIVATION_MODULES = ['nn.Identity', 'nn.Sigmoid', 'nn.Tanh', 'nn.ReLU', 'nn.LeakyReLU', 'nn.Softsign', 'nn.SELU', 'nn.Softmax'];

function int(v: Value | undefined, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${where}: expected a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** Walks a module expression on `inputs` features, as PyTorch would build and run it. */
export function moduleTree(call: Call, inputs: number, prefix = ''): ModuleTree {
  const entries: TorchEntry[] = [];
  const activations: ActivationModule[] = [];
  const width = (n: number, where: string) => {
    if (n !== inputs) throw new Error(`${where}: takes ${n} features but gets ${inputs}`);
  };
  const name = prefix.replace(/\.$/, '') || '(root)';
  switch (call.head) {
    case 'nn.Sequential': {
      let features = inputs;
      call.args.forEach((child, i) => {
        if (typeof child !== 'object') throw new Error(`${name}: child ${i} is not a module`);
        const sub = moduleTree(child, features, `${prefix}${i}.`);
        entries.push(...sub.entries);
        activations.push(...sub.activations);
        features = sub.outputs;
      });
      return { entries, outputs: features, activations };
    }
    case 'nn.Linear': {
      const [nIn, nOut] = [int(call.args[0], `${name} in_features`), int(call.args[1], `${name} out_features`)];
      width(nIn, name);
      entries.push({ name: `${prefix}weight`, shape: [nOut, nIn], dtype: 'F32' }, { name: `${prefix}bias`, shape: [nOut], dtype: 'F32' });
      return { entries, outputs: nOut, activations };
    }
    case 'nn.BatchNorm1d':
    case 'nn.LayerNorm': {
      const n = int(call.args[0], `${name} features`);
      width(n, name);
      entries.push({ name: `${prefix}weight`, shape: [n], dtype: 'F32' }, { name: `${prefix}bias`, shape: [n], dtype: 'F32' });
      if (call.head === 'nn.BatchNorm1d') {
        entries.push(
          { name: `${prefix}running_mean`, shape: [n], dtype: 'F32' },
          { name: `${prefix}running_var`, shape: [n], dtype: 'F32' },
          { name: `${prefix}num_batches_tracked`, shape: [], dtype: 'I64' },
        );
      }
      return { entries, outputs: n, activations };
    }
    case 'Residual': {
      const gate = call.kwargs.gate ?? call.args[1] ?? 'none';
      if (gate !== 'none' && gate !== 'rezero') throw new Error(`${name}: gate ${JSON.stringify(gate)}`);
      if (gate === 'rezero') entries.push({ name: `${prefix}alpha`, shape: [], dtype: 'F32' });
      const branch = call.args[0];
      if (typeof branch !== 'object') throw new Error(`${name}: branch is not a module`);
      const sub = moduleTree(branch, inputs, `${prefix}branch.`);
      if (sub.outputs !== inputs) throw new Error(`${name}: x + branch(x) needs the branch to keep ${inputs} features, it gives ${sub.outputs}`);
      return { entries: [...entries, ...sub.entries], outputs: inputs, activations: sub.activations };
    }
    default:
      if (!ACTIVATION_MODULES.includes(call.head)) throw new Error(`${name}: unknown module ${call.head}`);
      activations.push({ path: name, module: call.head, args: call.args, kwargs: call.kwargs });
      return { entries, outputs: inputs, activations };
  }
}
