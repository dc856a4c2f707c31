/**
 * A block network's layer specs from the PyTorch module that holds its tensors, given as the Python
 * expression that builds it (`nn.Sequential(nn.Linear(784, 100), nn.BatchNorm1d(100), nn.ReLU(),
 * nn.Linear(100, 10), nn.Softmax(dim=-1))`), with the state_dict name that module gives each
 * tensor: so a state_dict PyTorch saved itself reads into gradscope whatever its module indices.
 *
 * Modules may be written `nn.X` or `torch.nn.X`; an nn.Sequential's modules in order, or named by
 * `nn.Sequential(OrderedDict(hidden=nn.Sequential(…), out=nn.Linear(…)))`, whose names then name the tensors. nn.Linear becomes a dense layer, taking the activation module right after it as its activation
 * (else 'linear'); nn.BatchNorm1d, nn.LayerNorm, the activation modules and issue 13's Residual
 * become their specs. Only what gradscope computes the same way is taken: PyTorch's defaults
 * (eps 1e-5, momentum 0.1, affine, running statistics tracked), nn.LeakyReLU's
 * slope 0.01, nn.Softmax over the last dimension; anything else is refused, naming the module.
 * nn.Dropout and nn.AlphaDropout, the identity at inference (model.eval()), are skipped with a note,
 * as the tfjs reader skips Keras' Dropout: the gradients read are those of the network without them. nn.Linear(bias=False)
 * becomes a dense layer without a bias (`bias: false`), named by its weight alone, as its state_dict holds it.
 */
import { describeValue } from '../errors.js';
import { LEAKY_RELU_SLOPE, type OutputActivation } from '../kernels.js';
import { RESIDUAL_GATES, type LayerSpec } from '../layers/spec.js';
import type { Fail } from '../model-limits.js';
import { badModel } from './model-data.js';
import { parsePythonCall, type PythonCall, type PythonValue } from './python-call.js';
import { TORCH_MODULE } from './pytorch-module.js';

/** What the module expression says: the input width, the specs, and the state_dict name of each tensor of theirs, in state_dict order. */
export interface PytorchArchitecture {
  inputs: number;
  layers: LayerSpec[];
  names: string[];
  /** What was read by a rule the expression does not spell out (a module skipped as the identity at inference). */
  notes: string[];
}

/** How an expression spells collections.OrderedDict, whose keyword arguments name an nn.Sequential's modules. */
const ORDERED_DICT = ['OrderedDict', 'collections.OrderedDict'];

/** PyTorch's modules that are the identity at inference (model.eval()) and hold no tensors: skipped, with a note, as the tfjs reader skips Keras' Dropout. */
const INFERENCE_IDENTITY = ['nn.Dropout', 'nn.AlphaDropout'];

/** Activation by PyTorch module class (`nn.ReLU` → 'relu'), from the one table the writer uses. */
const ACTIVATION_OF_CLASS: Record<string, OutputActivation> = Object.fromEntries(
  Object.entries(TORCH_MODULE).map(([activation, module]) => [module.slice(0, module.indexOf('(')), activation as OutputActivation]),
);

/**
 * Reads `expression` (see the module comment); `fail`'s error (default BAD_MODEL_FILE: a file's
 * expression) at `where`, naming the module path at fault.
 */
export function architectureOfPytorch(expression: string, where: string, fail: Fail = badModel): PytorchArchitecture {
  const walk = new Walk(where, fail);
  const layers = walk.sequential(nnNames(parsePythonCall(expression, where, fail)), '');
  if (walk.width === undefined) throw fail(where, 'no module says how many features the network takes (nn.Linear, nn.BatchNorm1d or nn.LayerNorm)');
  return { inputs: walk.inputs!, layers, names: walk.names, notes: walk.skippedNotes() };
}

/** A module's path within its nn.Sequential as Walk.sequential names it: its index, and in a Residual's branch `i.branch.j`. */
const SEQUENTIAL_PATH = /^\d+(\.branch\.\d+)*$/;

/**
 * Whether some module expression names modules `paths` (tensor names less `.weight`): each a Sequential path (SEQUENTIAL_PATH),
 * all under one module prefix or none (`net.0`, `net.2`: safetensors-blocks.ts' modulePrefix drops it). Names such as `encoder`
 * or `fc1` are a module class's attributes, which no expression gradscope reads gives.
 */
export function someModuleNames(paths: readonly string[]): boolean {
  if (paths.length === 0) return false;
  return ['', ...modulePrefixesOf(paths[0])].some((prefix) => paths.every((path) => path.startsWith(prefix) && SEQUENTIAL_PATH.test(path.slice(prefix.length))));
}

/** A tensor of issue 13's Residual as Walk.sequential names it, under any module prefix: its branch's modules' (`2.branch.0.weight`) or its ReZero gate (`2.alpha`). */
const RESIDUAL_TENSOR = /(?:^|\.)\d+\.(?:branch\.\d+\.|alpha$)/;

/** Whether a tensor's name is a PyTorch Residual's (RESIDUAL_TENSOR): no dense chain holds it. */
export function isResidualTensor(name: string): boolean {
  return RESIDUAL_TENSOR.test(name);
}

/** The module prefixes a tensor's or module's name may start with: `name` up to each of its dots, dot included, shortest first (`net.0.weight`: `net.`, `net.0.`). */
export function modulePrefixesOf(name: string): string[] {
  return [...name].flatMap((c, i) => (c === '.' ? [name.slice(0, i + 1)] : []));
}

/** The call with every `torch.nn.X` as `nn.X`: the same class, as a script that imports torch alone spells it. */
function nnNames(call: PythonCall): PythonCall {
  const named = (value: PythonValue) => (typeof value === 'object' ? nnNames(value) : value);
  return {
    head: call.head.startsWith('torch.nn.') ? call.head.slice('torch.'.length) : call.head,
    args: call.args.map(named),
    kwargs: Object.fromEntries(Object.entries(call.kwargs).map(([key, value]) => [key, named(value)])),
  };
}

class Walk {
  /** Features at the current module (undefined until a module with a size says). */
  width: number | undefined;
  inputs: number | undefined;
  readonly names: string[] = [];
  /** The modules skipped as the identity at inference, by module and p (`nn.Dropout(p=0.1)`): their paths. */
  private readonly skips = new Map<string, string[]>();

  constructor(
    private readonly where: string,
    private readonly refuse: Fail,
  ) {}

  private fail(path: string, message: string): never {
    throw this.refuse(`${this.where} module ${path || '(root)'}`, message);
  }

  /** Takes a module of `n` features in at `path`. */
  private takes(n: number, path: string): void {
    if (this.width === undefined) this.inputs = this.width = n;
    else if (n !== this.width) this.fail(path, `takes ${n} features but gets ${this.width}`);
  }

  private size(value: PythonValue | undefined, path: string, what: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) this.fail(path, `${what}: expected a whole number ≥ 1, got ${describeValue(value)}`);
    return value;
  }

  /**
   * PyTorch's defaults only: at most `positional` positional arguments (the sizes), and each
   * keyword given, but the sizes', with its default value.
   */
  private defaults(call: PythonCall, path: string, positional: number, sizes: string[], allowed: Record<string, PythonValue>): void {
    if (call.args.length > positional) this.fail(path, `${call.head} with ${call.args.length} positional arguments: give the options by name`);
    for (const [key, value] of Object.entries(call.kwargs)) {
      if (sizes.includes(key)) continue;
      // Own keys only: `in` finds Object.prototype's too (constructor=1 was read as the default function Object).
      if (!Object.hasOwn(allowed, key)) this.fail(path, `${call.head}(${key}=…) is not taken`);
      if (value !== allowed[key]) this.fail(path, `${call.head}(${key}=${python(value)}): gradscope computes it with ${key}=${python(allowed[key])}`);
    }
  }

  /**
   * A norm's eps or momentum keyword as the spec's field (absent when not given: the default, which
   * is PyTorch's), a number (checked by the spec checks after); momentum=None (PyTorch's cumulative
   * average) is refused by name.
   */
  private normNumber(call: PythonCall, path: string, keyword: 'eps' | 'momentum', field: 'epsilon' | 'momentum'): { epsilon?: number; momentum?: number } {
    const value = call.kwargs[keyword];
    if (value === undefined) return {};
    if (typeof value !== 'number') {
      this.fail(path, `${call.head}(${keyword}=${python(value)}): expected a number${keyword === 'momentum' ? ' from 0 to 1 (momentum=None, a cumulative average, is not offered)' : ''}`);
    }
    return { [field]: value };
  }

  sequential(call: PythonCall, prefix: string): LayerSpec[] {
    const path = prefix.replace(/\.$/, '');
    if (call.head !== 'nn.Sequential' || Object.keys(call.kwargs).length > 0) this.fail(path, `expected nn.Sequential(modules…), got ${call.head}`);
    const layers: LayerSpec[] = [];
    // nn.Sequential(OrderedDict(name=module, …)) names its modules (a module class's attributes, as toSafetensors writes them); else their indices do.
    const only = call.args[0];
    const named = call.args.length === 1 && typeof only === 'object' && ORDERED_DICT.includes(only.head);
    if (named && only.args.length > 0) this.fail(path, `${only.head}(…) with positional arguments: give each module by name, ${only.head}(fc1=nn.Linear(…), …)`);
    const keys = named ? Object.keys(only.kwargs) : call.args.map((_, i) => String(i));
    const modules = named ? Object.values(only.kwargs) : call.args;
    for (let i = 0; i < modules.length; i++) {
      const module = modules[i];
      const here = `${prefix}${keys[i]}`;
      if (typeof module !== 'object') this.fail(here, `expected a module, got ${describeValue(module)}`);
      const name = (tensor: string) => this.names.push(`${here}.${tensor}`);
      switch (module.head) {
        case 'nn.Linear': {
          const inputs = this.size(module.args[0] ?? module.kwargs.in_features, here, 'in_features');
          const units = this.size(module.args[1] ?? module.kwargs.out_features, here, 'out_features');
          const { bias: biasKeyword, ...kwargs } = module.kwargs;
          this.defaults({ ...module, kwargs }, here, 3, ['in_features', 'out_features'], {});
          const bias = module.args[2] ?? biasKeyword ?? true;
          if (typeof bias !== 'boolean') this.fail(here, `nn.Linear(bias=${python(bias)}): expected True or False`);
          this.takes(inputs, here);
          this.width = units;
          name('weight');
          // nn.Linear(bias=False) holds its weight alone: named so (the state_dict a strict load_state_dict asks for), a layer without a bias.
          if (bias) name('bias');
          // The activation module after it, past any module that is the identity at inference (ReLU(Dropout(z)) is Dropout(ReLU(z)) there).
          let after = i + 1;
          while (this.skipped(modules[after], `${prefix}${keys[after]}`)) after++;
          const next = modules[after];
          const activation = typeof next === 'object' ? this.activation(next, `${prefix}${keys[after]}`) : undefined;
          i = activation !== undefined ? after : after - 1;
          layers.push({ type: 'dense', units, activation: activation ?? 'linear', ...(!bias && { bias: false }) });
          break;
        }
        case 'nn.Sequential':
          // A Sequential inside one runs its modules in turn, as if they stood in its place: its modules named under its own.
          layers.push(...this.sequential(module, `${here}.`));
          break;
        case 'nn.BatchNorm1d':
          this.takes(this.size(module.args[0] ?? module.kwargs.num_features, here, 'num_features'), here);
          this.defaults(module, here, 1, ['num_features', 'eps', 'momentum'], { affine: true, track_running_stats: true });
          for (const tensor of ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']) name(tensor);
          layers.push({ type: 'batch-norm', ...this.normNumber(module, here, 'eps', 'epsilon'), ...this.normNumber(module, here, 'momentum', 'momentum') });
          break;
        case 'nn.LayerNorm':
          this.takes(this.size(module.args[0] ?? module.kwargs.normalized_shape, here, 'normalized_shape'), here);
          this.defaults(module, here, 1, ['normalized_shape', 'eps'], { elementwise_affine: true, bias: true });
          name('weight');
          name('bias');
          layers.push({ type: 'layer-norm', ...this.normNumber(module, here, 'eps', 'epsilon') });
          break;
        case 'Residual': {
          this.defaults(module, here, 2, ['branch', 'gate'], {});
          const gate = module.kwargs.gate ?? module.args[1] ?? 'none';
          if (!(RESIDUAL_GATES as readonly PythonValue[]).includes(gate)) this.fail(here, `gate: expected ${RESIDUAL_GATES.map((g) => `"${g}"`).join(' or ')}, got ${describeValue(gate)}`);
          const branch = module.args[0] ?? module.kwargs.branch;
          if (typeof branch !== 'object') this.fail(here, 'expected Residual(nn.Sequential(…)…)');
          if (gate === 'rezero') name('alpha');
          const width = this.width;
          const branchLayers = this.sequential(branch, `${here}.branch.`);
          if (width !== undefined && this.width !== width) this.fail(here, `x + branch(x) needs the branch to keep ${width} features, it gives ${this.width}`);
          layers.push({ type: 'residual', gate: gate as (typeof RESIDUAL_GATES)[number], layers: branchLayers });
          break;
        }
        default: {
          if (this.skipped(module, here)) break;
          const activation = this.activation(module, here);
          if (activation === undefined) {
            this.fail(here, `${module.head} is not a module gradscope has (nn.Linear, nn.BatchNorm1d, nn.LayerNorm, Residual, ${Object.keys(ACTIVATION_OF_CLASS).join(', ')}; ${INFERENCE_IDENTITY.join(' and ')} skipped)`);
          }
          layers.push({ type: 'activation', activation });
        }
      }
    }
    return layers;
  }

  /**
   * Whether `module` (at `path`) is the identity at inference (INFERENCE_IDENTITY: nn.Dropout(p), nn.AlphaDropout(p)), noted as
   * skipped; its p checked as PyTorch checks it (from 0 to 1), any other argument refused.
   */
  private skipped(module: PythonValue | undefined, path: string): boolean {
    if (typeof module !== 'object' || !INFERENCE_IDENTITY.includes(module.head)) return false;
    this.defaults(module, path, 2, ['p', 'inplace'], {});
    const p = module.args[0] ?? module.kwargs.p ?? 0.5;
    if (typeof p !== 'number' || p < 0 || p > 1) this.fail(path, `${module.head}(p=${python(p)}): expected a probability from 0 to 1`);
    const inplace = module.args[1] ?? module.kwargs.inplace ?? false;
    if (typeof inplace !== 'boolean') this.fail(path, `${module.head}(inplace=${python(inplace)}): expected True or False`);
    const kind = `${module.head}(p=${p})`;
    this.skips.set(kind, [...(this.skips.get(kind) ?? []), path]);
    return true;
  }

  /** One note per kind of module skipped (skipped), naming each one's path. */
  skippedNotes(): string[] {
    return [...this.skips].map(([module, paths]) => `skipped ${module} ${paths.length === 1 ? 'module' : 'modules'} ${paths.join(', ')}: the identity at inference (model.eval()), so gradients are those of the network without ${paths.length === 1 ? 'it' : 'them'}`);
  }

  /** The activation an activation module computes (undefined for other modules); refuses one gradscope computes otherwise. */
  private activation(call: PythonCall, path: string): OutputActivation | undefined {
    const activation = ACTIVATION_OF_CLASS[call.head];
    if (activation === undefined) return undefined;
    if (activation === 'leaky-relu') {
      const slope = call.args[0] ?? call.kwargs.negative_slope ?? LEAKY_RELU_SLOPE;
      if (slope !== LEAKY_RELU_SLOPE) this.fail(path, `nn.LeakyReLU(${python(slope)}): gradscope's leaky-relu has slope ${LEAKY_RELU_SLOPE}`);
    } else if (activation === 'softmax') {
      const dim = call.args[0] ?? call.kwargs.dim;
      if (dim !== -1 && dim !== 1) this.fail(path, `nn.Softmax(dim=${python(dim)}): gradscope's softmax is over the features (dim=-1)`);
    } else if (call.args.length > 0 || Object.keys(call.kwargs).some((k) => k !== 'inplace')) {
      this.fail(path, `${call.head} takes no arguments here`);
    }
    return activation;
  }
}

/** An argument as Python spells it (True, not true), for messages. */
function python(value: PythonValue | undefined): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'object') return `${value.head}(…)`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
