/**
 * An oracle for the `pytorch` metadata of safetensors files, independent of the code that writes
 * and reads it: for the Python call expressions gradscope emits (`nn.Sequential(nn.Linear(4, 6),
 * nn.ReLU(), Residual(nn.Sequential(…), gate="rezero"), …)`, parsed by src/io/python-call.ts, syntax
 * only), the state_dict PyTorch's modules would hold, written from PyTorch's documentation: nn.Linear(in, out) holds weight [out, in] and
 * bias [out]; nn.BatchNorm1d(n) weight and bias [n], then the buffers running_mean, running_var [n]
 * and num_batches_tracked (int64, shape []); nn.LayerNorm(n) weight and bias [n]; activation
 * modules nothing; nn.Sequential numbers its children 0, 1, …; and issue 13's Residual holds
 * `alpha` [] (gate "rezero") and its child `branch`. state_dict lists a module's own parameters,
 * then its own buffers, then its children's entries. Widths are followed through the tree, so a
 * module that could not run on its input (nn.Linear(5, 3) after 6 features) fails the walk.
 */
import { parsePythonCall, type PythonCall, type PythonValue } from '../../src/io/python-call.js';

/** A call `head(args, key=value)` (src/io/python-call.ts parses the syntax; what the calls mean is this oracle's own). */
export type Call = PythonCall;
export type Value = PythonValue;

/** Parses one call expression over nn, torch and Residual; throws on anything outside the grammar. */
export function parseCall(text: string): Call {
  return parsePythonCall(text, 'pytorch');
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
