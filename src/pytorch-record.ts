/**
 * What a dense chain read from a PyTorch state_dict keeps of the module that saved it (a block network likewise keeps its
 * tensors' names: tensorNames, readBlockPytorchModule), so that the way
 * back out (toSafetensors, convert to .safetensors) loads into that module with a strict
 * load_state_dict: its dense layers' module names where they are not nn.Sequential's 0, 2, 4, …
 * (`hidden.0 … hidden.10, out`; `0, 3, 6` with an nn.Dropout after each activation), and whether it
 * ends in logits (read with the softmax or sigmoid output its PyTorch loss applies itself). Every
 * holder of a dense chain keeps it: ModelData and the Network (`pytorchModule`), gradscope's JSON model
 * file and JSON checkpoint (top-level `pytorchModule`), the binary checkpoint's header
 * (`pytorchModule`) and the safetensors gradscope writes (`__metadata__.pytorchModule`, its JSON text).
 * A file's record is data: checked whole (names, lengths, duplicates, the logits' output) before
 * anything is built from it, and refused naming the field, never skipped.
 */
import { describeValue, shown } from './errors.js';
import { LOSS_OUTPUT, type Loss, type OutputActivation } from './kernels.js';
import { andList } from './list-text.js';
import { checkFileFields, type Fail } from './model-limits.js';

/** What a dense chain read from a PyTorch state_dict keeps of the module that saved it (see the module comment). */
export interface PytorchModule {
  /**
   * Each dense layer's module name, input first: its tensors are `<name>.weight` and `<name>.bias`
   * ('hidden.0', …, 'hidden.10', 'out'). Absent: nn.Sequential's '0', '2', '4', … (denseTensorName).
   */
  layerNames?: string[];
  /**
   * true where the module ends in logits (its last nn.Linear, no activation module after it) and was
   * read with the output its loss fuses (softmax with cross-entropy: nn.CrossEntropyLoss; sigmoid with
   * binary cross-entropy: nn.BCEWithLogitsLoss): the module expression written back ends without that
   * output module. Absent: the module computes the output activation itself.
   */
  logits?: true;
  /**
   * A block network's (normalisation, residual) tensors' names in the module that saved them, one per tensor in
   * state_dict order (net.state()'s): `fc1.weight`, `bn1.running_mean`, `net.3.branch.0.bias`. Absent: gradscope's own names
   * (nn.Sequential's indices, a dense layer taking two). A dense chain records layerNames instead.
   */
  tensorNames?: string[];
}

/** PyTorch's losses that take logits and apply the output activation themselves, by gradscope's loss. */
export const LOGITS_LOSS: Partial<Record<Loss, string>> = { 'cross-entropy': 'nn.CrossEntropyLoss', 'binary-cross-entropy': 'nn.BCEWithLogitsLoss' };

/** Longest module name taken, in characters (PyTorch's deepest real paths are tens). */
export const MAX_LAYER_NAME = 256;

/** A module path as PyTorch names one: Python identifiers (a module's attributes) and indices (an nn.Sequential's or nn.ModuleList's), joined by dots. */
const MODULE_PATH = /^(?:[A-Za-z_][A-Za-z0-9_]*|0|[1-9][0-9]*)(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|0|[1-9][0-9]*))*$/;

/** The name of dense layer `l`'s `tensor` under `module`'s names, nn.Sequential's `2l` where it records none. */
export function layerTensorName(module: PytorchModule | undefined, l: number, tensor: 'weight' | 'bias'): string {
  return `${module?.layerNames?.[l] ?? 2 * l}.${tensor}`;
}

/**
 * `value` as the record of a dense chain of `model`'s activations and loss, copied, or `fail` at
 * `where` (and its field) saying what is wrong; undefined for an empty record.
 */
export function readPytorchModule(value: unknown, model: { loss: Loss; activations: readonly OutputActivation[] }, where: string, fail: Fail): PytorchModule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(where, `expected an object { layerNames, logits }, got ${describeValue(value)}`);
  checkFileFields(value, ['layerNames', 'logits'], where, fail);
  const { layerNames, logits } = value as Record<string, unknown>;
  const names = layerNames === undefined ? undefined : checkLayerNames(layerNames, model.activations.length, `${where}.layerNames`, fail);
  if (logits !== undefined && logits !== true) throw fail(`${where}.logits`, `expected true or no field, got ${describeValue(logits)}`);
  if (logits === true) checkLogits(model, `${where}.logits`, fail);
  if (names === undefined && logits === undefined) return undefined;
  return { ...(names && { layerNames: names }), ...(logits && { logits }) };
}

/**
 * A dense chain's file record (`value`, at `where`) as gradscope wrote it from 2026-12-06 to session 53, whose `biasFree` listed the
 * layers built without a bias (nn.Linear(bias=False)), held at zero by the old route: the record without that field, and the
 * layers it lists (checked: distinct indices below `depth`, increasing, at least one), which the file's reader builds without a
 * bias (biasFreeChainAsBlocks). Any other value is returned as it is, for readPytorchModule to check.
 */
export function withoutLegacyBiasFree(value: unknown, depth: number, where: string, fail: Fail): { record: unknown; biasFree: number[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, 'biasFree')) return { record: value, biasFree: [] };
  const { biasFree, ...record } = value as Record<string, unknown>;
  return { record: Object.keys(record).length > 0 ? record : undefined, biasFree: checkBiasFree(biasFree, depth, `${where}.biasFree`, fail) };
}

/** `value` as a dense chain's bias-free layers (an old record's biasFree): distinct layer indices below `depth`, increasing, at least one; copied, or `fail` at `where`. */
function checkBiasFree(value: unknown, depth: number, where: string, fail: Fail): number[] {
  if (!Array.isArray(value) || value.length === 0) throw fail(where, `expected the indices of the dense layers built without a bias (nn.Linear(bias=False)), at least one, got ${describeValue(value)}`);
  return value.map((l: unknown, i) => {
    const previous: unknown = i === 0 ? -1 : value[i - 1];
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= depth) throw fail(`${where}[${i}]`, `expected a dense layer's index from 0 to ${depth - 1}, got ${describeValue(l)}`);
    if (typeof previous === 'number' && l <= previous) throw fail(`${where}[${i}]`, `${l} follows ${previous}: each layer once, in increasing order`);
    return l;
  });
}


/**
 * What `gradscope convert` says where it writes a model that keeps its PyTorch module (`module`) to a format that has no place for it
 * (ONNX, tfjs: their own layer and tensor names, no record of logits): that the file (`file`, a phrase with its article:
 * formatPhrase's "an ONNX file") does not keep it, and which files do.
 */
export function moduleNotKeptNote(file: string, module: PytorchModule): string {
  const names = module.layerNames ?? module.tensorNames;
  const kept = andList([names && `its names (${names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', ')})`, module.logits && 'that it ends in logits'].filter((part) => typeof part === 'string'));
  return `the PyTorch module's record (pytorchModule: ${kept}) is not kept in ${file}, which names its tensors its own way: convert to .safetensors or gradscope's .json to keep it`;
}

/** The JSON text of a record, as a string-valued metadata map holds it. */
export function pytorchModuleText(module: PytorchModule): string {
  return JSON.stringify({
    ...(module.layerNames && { layerNames: module.layerNames }),
    ...(module.tensorNames && { tensorNames: module.tensorNames }),
    ...(module.logits && { logits: true }),
  });
}

/**
 * `value` as the record of a block network of `model`'s loss and output whose tensors gradscope names `slots` (its state_dict
 * layout), copied, or `fail` at `where` (and its field); undefined for an empty record. Each name a module path (checkLayerNames'
 * rule) ending in its slot's own tensor name (`.weight`, `.running_mean`, `.alpha`), none twice, the tensors of one module under one
 * module path and those of two modules under two: what PyTorch's state_dict of one module tree gives.
 */
export function readBlockPytorchModule(value: unknown, model: { loss: Loss; activations: readonly OutputActivation[] }, slots: readonly { name: string }[], where: string, fail: Fail): PytorchModule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(where, `expected an object { tensorNames, logits }, got ${describeValue(value)}`);
  checkFileFields(value, ['tensorNames', 'logits'], where, fail);
  const { tensorNames, logits } = value as Record<string, unknown>;
  const names = tensorNames === undefined ? undefined : checkTensorNames(tensorNames, slots, `${where}.tensorNames`, fail);
  if (logits !== undefined && logits !== true) throw fail(`${where}.logits`, `expected true or no field, got ${describeValue(logits)}`);
  if (logits === true) checkLogits(model, `${where}.logits`, fail);
  if (names === undefined && logits === undefined) return undefined;
  return { ...(names && { tensorNames: names }), ...(logits && { logits }) };
}

/** A tensor's module path and its own name: `bn1` and `running_mean` of `bn1.running_mean`. */
export function moduleOfTensor(name: string): { module: string; tensor: string } {
  const dot = name.lastIndexOf('.');
  return { module: name.slice(0, dot), tensor: name.slice(dot + 1) };
}

/** `names` checked as one name per slot (readBlockPytorchModule's rules), copied; `fail` at `where[i]` otherwise. */
function checkTensorNames(names: unknown, slots: readonly { name: string }[], where: string, fail: Fail): string[] {
  if (!Array.isArray(names)) throw fail(where, `expected an array of ${slots.length} tensor names, one per tensor in state_dict order, got ${describeValue(names)}`);
  if (names.length !== slots.length) throw fail(where, `lists ${names.length} names for ${slots.length} tensors: one per tensor, in state_dict order`);
  const copy: string[] = [];
  // Each of gradscope's modules (0, 2, 3.branch.0) as the file's module path, and back: one module, one path.
  const fileModule = new Map<string, string>();
  const ownModule = new Map<string, string>();
  for (let i = 0; i < slots.length; i++) {
    const name: unknown = names[i];
    const at = `${where}[${i}]`;
    if (typeof name !== 'string') throw fail(at, `expected a tensor name, got ${describeValue(name)}`);
    if (name.length > MAX_LAYER_NAME) throw fail(at, `${shown(name)} is ${name.length} characters long: at most ${MAX_LAYER_NAME}`);
    const own = moduleOfTensor(slots[i].name);
    const file = moduleOfTensor(name);
    if (!MODULE_PATH.test(name) || file.module === '') throw fail(at, `${shown(name)} is not a PyTorch tensor name: a module path (Python identifiers and indices joined by dots) then .${own.tensor}`);
    if (file.tensor !== own.tensor) throw fail(at, `${shown(name)} names the tensor ${own.tensor} of gradscope's ${slots[i].name}: expected <module>.${own.tensor}`);
    const twice = copy.indexOf(name);
    if (twice >= 0) throw fail(at, `${shown(name)} is ${where}[${twice}] too: each tensor has a name of its own`);
    const path = fileModule.get(own.module) ?? file.module;
    const other = ownModule.get(file.module) ?? own.module;
    if (path !== file.module || other !== own.module) throw fail(at, `${shown(name)} puts the tensors of one module under two module paths, or of two modules under one (${own.module} is ${shown(path)})`);
    fileModule.set(own.module, file.module);
    ownModule.set(file.module, own.module);
    copy.push(name);
  }
  return copy;
}

/**
 * `names` as one module name per dense layer (`depth` of them), copied: each a module path (MODULE_PATH) of at most
 * MAX_LAYER_NAME characters, none twice, and none inside another (an nn.Linear holds no modules: `out` and `out.0`
 * cannot both be one); `fail` at `where[i]` otherwise, the name quoted by shown (escaped, cut).
 */
export function checkLayerNames(names: unknown, depth: number, where: string, fail: Fail): string[] {
  if (!Array.isArray(names)) throw fail(where, `expected an array of ${depth} module names, one per dense layer, got ${describeValue(names)}`);
  if (names.length !== depth) throw fail(where, `lists ${names.length} names for ${depth} dense layers: one per layer, input first`);
  const copy: string[] = [];
  for (let i = 0; i < depth; i++) {
    const name: unknown = names[i];
    const at = `${where}[${i}]`;
    if (typeof name !== 'string') throw fail(at, `expected a module name, got ${describeValue(name)}`);
    if (name.length > MAX_LAYER_NAME) throw fail(at, `${shown(name)} is ${name.length} characters long: at most ${MAX_LAYER_NAME}`);
    if (!MODULE_PATH.test(name)) {
      throw fail(at, `${shown(name)} is not a PyTorch module name: Python identifiers and indices joined by dots ('hidden.0', 'out'), each tensor then <name>.weight and <name>.bias`);
    }
    const twice = copy.indexOf(name);
    if (twice >= 0) throw fail(at, `${shown(name)} is ${where}[${twice}] too: each dense layer's module has a name of its own`);
    const nested = copy.findIndex((other) => other.startsWith(`${name}.`) || name.startsWith(`${other}.`));
    if (nested >= 0) {
      const [inner, outer] = copy[nested].length > name.length ? [copy[nested], name] : [name, copy[nested]];
      throw fail(at, `${shown(inner)} would be a module inside ${shown(outer)}, another dense layer's nn.Linear, which holds none`);
    }
    copy.push(name);
  }
  return copy;
}

/** Refuses a logits record where the output and loss are not a PyTorch logits loss's pair (softmax with cross-entropy, sigmoid with binary cross-entropy). */
function checkLogits(model: { loss: Loss; activations: readonly OutputActivation[] }, where: string, fail: Fail): void {
  const output = model.activations[model.activations.length - 1];
  if (LOGITS_LOSS[model.loss] === undefined || LOSS_OUTPUT[model.loss] !== output) {
    throw fail(where, `a module ending in logits is read with the output its PyTorch loss applies itself (softmax with cross-entropy, sigmoid with binary-cross-entropy), not ${output} with ${model.loss}`);
  }
}
