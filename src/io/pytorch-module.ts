/**
 * The PyTorch module that holds a gradscope network's tensors under the same state_dict names, as
 * a Python expression over `nn`, `torch` and issue 13's `Residual` class: what safetensors files
 * carry in `__metadata__["pytorch"]`, so that
 *
 *   model = eval(meta["pytorch"]); model.load_state_dict(load_file(path))   # strict
 *
 * rebuilds the network in PyTorch. One nn.Sequential of the specs in order: a dense layer is
 * nn.Linear followed by its activation's module (nn.Identity() for 'linear'; `bias=False` for a
 * layer without a bias, whose state_dict holds its weight alone), batch norm
 * nn.BatchNorm1d (eps 1e-5, momentum 0.1: PyTorch's defaults, gradscope's values), layer norm
 * nn.LayerNorm (eps 1e-5), an activation layer its module, a residual block
 * `Residual(nn.Sequential(…))` or `Residual(nn.Sequential(…), gate="rezero")`.
 */
import type { OutputActivation } from '../kernels.js';
import type { CheckedDenseSpec, CheckedSpec } from '../layers/spec.js';
import { hasBias, widthAfter } from '../layers/spec.js';
import type { PytorchModule } from '../pytorch-record.js';

/** PyTorch's module for each activation (what the writer emits; the reader of module expressions maps the classes back). */
export const TORCH_MODULE: Record<OutputActivation, string> = {
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()',
  relu: 'nn.ReLU()',
  'leaky-relu': 'nn.LeakyReLU(0.01)',
  softsign: 'nn.Softsign()',
  selu: 'nn.SELU()',
  linear: 'nn.Identity()',
  softmax: 'nn.Softmax(dim=-1)',
};

/**
 * Issue 13's residual module, which names its tensors `alpha` (ReZero's gate, shape []) and
 * `branch.j.…`: define it before evaluating an expression that uses it (docs/interop.md shows it;
 * files with a residual block also carry it in `__metadata__["pytorch_residual"]`).
 */
export const PYTORCH_RESIDUAL_CLASS = `class Residual(nn.Module):
    def __init__(self, branch, gate="none"):
        super().__init__(); self.branch = branch
        if gate == "rezero": self.alpha = nn.Parameter(torch.zeros(()))
    def forward(self, x):
        return x + (self.alpha * self.branch(x) if hasattr(self, "alpha") else self.branch(x))
`;

/** A dense layer's nn.Linear taking `width` features: `nn.Linear(3, 4)`, or `nn.Linear(3, 4, bias=False)` for one without a bias. */
function linearModule(width: number, spec: CheckedDenseSpec): string {
  return `nn.Linear(${width}, ${spec.units}${hasBias(spec) ? '' : ', bias=False'})`;
}

/** The Python expression that builds the nn.Sequential of `specs` taking `inputs` features. */
export function pytorchExpression(specs: readonly CheckedSpec[], inputs: number): string {
  const modules: string[] = [];
  let width = inputs;
  for (const spec of specs) {
    switch (spec.type) {
      case 'dense':
        modules.push(linearModule(width, spec), TORCH_MODULE[spec.activation]);
        break;
      case 'batch-norm':
        modules.push(`nn.BatchNorm1d(${width}${pythonKeyword('eps', spec.epsilon)}${pythonKeyword('momentum', spec.momentum)})`);
        break;
      case 'layer-norm':
        modules.push(`nn.LayerNorm(${width}${pythonKeyword('eps', spec.epsilon)})`);
        break;
      case 'activation':
        modules.push(TORCH_MODULE[spec.activation]);
        break;
      case 'residual': {
        const branch = pytorchExpression(spec.layers, width);
        modules.push(spec.gate === 'rezero' ? `Residual(${branch}, gate="rezero")` : `Residual(${branch})`);
        break;
      }
    }
    width = widthAfter([spec], width);
  }
  return `nn.Sequential(${modules.join(', ')})`;
}

/** Whether the specs hold a residual block (whose module is the Residual class). */
export function usesResidual(specs: readonly CheckedSpec[]): boolean {
  return specs.some((spec) => spec.type === 'residual');
}

/** `, keyword=value` for a norm's setting given in its spec, nothing for one left at its default (PyTorch's too). */
function pythonKeyword(keyword: string, value: number | undefined): string {
  return value === undefined ? '' : `, ${keyword}=${value}`;
}

/** Python's keywords, which no keyword argument may be named (`OrderedDict(in=…)` does not parse). */
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** A module of the tree the layers' names make: a dense layer's nn.Linear, or a container of modules by name. */
type NamedModule = { linear: number } | { children: Map<string, NamedModule> };

/**
 * The Python expression of the module that holds a dense chain's tensors under `module`'s names (src/pytorch-record.ts; absent:
 * nn.Sequential's 0, 2, 4, …, pytorchExpression's), or why no expression over nn.Sequential does. A container of numbered modules
 * is an nn.Sequential of them in order, each dense layer's activation module right after its nn.Linear and nn.Identity() in every
 * other place (where the saving module held a module with no tensors, such as nn.Dropout); one of named modules is an
 * `nn.Sequential(OrderedDict(name=…, …))` (collections.OrderedDict), each dense layer's activation module after it under
 * `<name>_<module>` (`out_softmax`). A logits record leaves out the output module (a layer without a bias is a block network's:
 * pytorchBlockExpression). Refused (the why) where the layers are
 * not in the order the containers run them, a container holds both numbered and named modules, a name is a Python keyword, or
 * no place is left for an activation module (`layers.0`, `layers.1` with a sigmoid between them).
 */
export function pytorchDenseExpression(sizes: readonly number[], activations: readonly OutputActivation[], module?: PytorchModule): { expression: string } | { why: string } {
  const depth = activations.length;
  const names = module?.layerNames ?? activations.map((_, l) => String(2 * l));
  const root: NamedModule = { children: new Map() };
  names.forEach((name, l) => {
    const path = name.split('.');
    let at = root as { children: Map<string, NamedModule> };
    for (const part of path.slice(0, -1)) {
      const next = at.children.get(part) ?? { children: new Map() };
      at.children.set(part, next);
      at = next as { children: Map<string, NamedModule> };
    }
    at.children.set(path[path.length - 1], { linear: l });
  });
  const numbered = (key: string) => /^\d+$/.test(key);
  const order: number[] = [];
  const write = (container: Map<string, NamedModule>, where: string): string | { why: string } => {
    const keys = [...container.keys()];
    const indices = keys.every(numbered);
    if (!indices && keys.some(numbered)) return { why: `the module ${where || '(root)'} holds both numbered and named modules (${keys.join(', ')}), which no nn.Sequential does` };
    const keyword = keys.find((key) => PYTHON_KEYWORDS.has(key));
    if (keyword !== undefined) return { why: `the module name ${keyword} is a Python keyword, which OrderedDict(…) cannot take by name` };
    const entries = indices ? [...container].sort(([a], [b]) => Number(a) - Number(b)) : [...container];
    const modules: { key: string; text: string }[] = [];
    for (const [key, child] of entries) {
      const path = where === '' ? key : `${where}.${key}`;
      if ('children' in child) {
        const text = write(child.children, path);
        if (typeof text !== 'string') return text;
        modules.push({ key, text: `nn.Sequential(${text})` });
        continue;
      }
      const l = child.linear;
      order.push(l);
      modules.push({ key, text: `nn.Linear(${sizes[l]}, ${sizes[l + 1]})` });
      // No output module after logits; no nn.Identity() among named modules, where no index needs filling.
      const activation = (l === depth - 1 && module?.logits) || (!indices && activations[l] === 'linear') ? undefined : TORCH_MODULE[activations[l]];
      if (activation === undefined) continue;
      const after = indices ? String(Number(key) + 1) : `${key}_${activation.slice(3, activation.indexOf('(')).toLowerCase()}`;
      if (container.has(after) || modules.some((m) => m.key === after)) {
        if (activations[l] === 'linear') continue; // nn.Identity() computes nothing: no place needed
        return { why: `no place is left for ${path}'s ${activation} between ${path} and ${indices ? `${where === '' ? '' : `${where}.`}${after}` : after}` };
      }
      modules.push({ key: after, text: activation });
    }
    if (!indices) return `OrderedDict(${modules.map((m) => `${m.key}=${m.text}`).join(', ')})`;
    const slots: string[] = [];
    for (const m of modules) {
      while (slots.length < Number(m.key)) slots.push(TORCH_MODULE.linear); // a module of no tensors the saving module held there
      slots.push(m.text);
    }
    return slots.join(', ');
  };
  const text = write(root.children, '');
  if (typeof text !== 'string') return text;
  if (order.some((l, i) => l !== i)) return { why: `the dense layers' names (${names.join(', ')}) put them in another order in their modules (${order.map((l) => names[l]).join(', ')})` };
  return { expression: `nn.Sequential(${text})` };
}

/** A module placed in a container of the module tree: its path below the container (undefined for a module of no tensors, placed after the one before it), and its expression. */
interface Placed {
  parts: string[] | undefined;
  text: string;
  /** nn.Identity() and the like: computes nothing, so it needs no place where none is left. */
  optional?: boolean;
}

/** Tensors a checked spec holds in the state_dict (blockTensorLayout's count). */
function tensorCount(spec: CheckedSpec): number {
  switch (spec.type) {
    case 'dense':
      return hasBias(spec) ? 2 : 1;
    case 'layer-norm':
      return 2;
    case 'batch-norm':
      return 5;
    case 'activation':
      return 0;
    case 'residual':
      return (spec.gate === 'rezero' ? 1 : 0) + spec.layers.reduce((n, layer) => n + tensorCount(layer), 0);
  }
}

/**
 * The Python expression of the module that holds a block network's tensors under `module`'s tensorNames (src/pytorch-record.ts;
 * absent: gradscope's own, pytorchExpression's), or why no expression over nn.Sequential and Residual does. The rule of
 * pytorchDenseExpression, module by module: a container of numbered modules is an nn.Sequential of them in order, nn.Identity() in
 * every place no module of the network takes (where the saving module held one of no tensors, such as nn.Dropout); one of named
 * modules is `nn.Sequential(OrderedDict(name=…))`; a module of no tensors (an activation) goes right after the one before it (the next
 * index, or `<name>_<module>`). A logits record leaves out the output module. Refused (the why) where the modules are not in the
 * order their containers run them, a container holds both numbered and named modules, a name is a Python keyword, or no place is left.
 */
export function pytorchBlockExpression(specs: readonly CheckedSpec[], inputs: number, module?: PytorchModule): { expression: string } | { why: string } {
  const names = module?.tensorNames;
  if (names === undefined) {
    if (!module?.logits) return { expression: pytorchExpression(specs, inputs) };
    const last = specs[specs.length - 1] as Extract<CheckedSpec, { type: 'dense' }>;
    return { expression: pytorchExpression([...specs.slice(0, -1), { ...last, activation: 'linear' }], inputs).replace(/, nn\.Identity\(\)\)$/, ')') };
  }
  let cursor = 0;
  const moduleAt = (i: number) => names[i].slice(0, names[i].lastIndexOf('.'));
  // The modules of `layers` taking `width` features, each with its path below `prefix` (the container's module path and a dot).
  const place = (layers: readonly CheckedSpec[], width: number, prefix: string, outer: boolean): Placed[] | { why: string } => {
    const placed: Placed[] = [];
    const below = (path: string): string[] | { why: string } => (path.startsWith(prefix) && path.length > prefix.length ? path.slice(prefix.length).split('.') : { why: `${path} is not inside ${prefix.slice(0, -1) || 'the module'}, where the network runs it` });
    for (const [i, spec] of layers.entries()) {
      const count = tensorCount(spec);
      const last = outer && i === layers.length - 1;
      switch (spec.type) {
        case 'dense':
        case 'batch-norm':
        case 'layer-norm': {
          const parts = below(moduleAt(cursor));
          if (!Array.isArray(parts)) return parts;
          const text = spec.type === 'dense' ? linearModule(width, spec) : pytorchExpression([spec], width).slice('nn.Sequential('.length, -1);
          placed.push({ parts, text });
          if (spec.type === 'dense' && !(last && module?.logits) && spec.activation !== 'linear') placed.push({ parts: undefined, text: TORCH_MODULE[spec.activation] });
          break;
        }
        case 'activation':
          placed.push({ parts: undefined, text: TORCH_MODULE[spec.activation], optional: spec.activation === 'linear' });
          break;
        case 'residual': {
          // Its module path: its gate's (alpha), else the one its branch's first tensor sits under (<path>.branch.…).
          const first = spec.gate === 'rezero' ? moduleAt(cursor) : names[cursor]?.slice(prefix.length).includes('.branch.') ? names[cursor].slice(0, prefix.length + names[cursor].slice(prefix.length).indexOf('.branch.')) : undefined;
          if (first === undefined || count === 0) return { why: `a residual block's branch holds no tensor named <block>.branch.…, which would place it` };
          const parts = below(first);
          if (!Array.isArray(parts)) return parts;
          if (spec.gate === 'rezero') cursor++;
          const branch = place(spec.layers, width, `${first}.branch.`, false);
          if (!Array.isArray(branch)) return branch;
          const written = container(branch, `${first}.branch`);
          if (typeof written !== 'string') return written;
          placed.push({ parts, text: spec.gate === 'rezero' ? `Residual(nn.Sequential(${written}), gate="rezero")` : `Residual(nn.Sequential(${written}))` });
          width = widthAfter([spec], width);
          continue;
        }
      }
      cursor += count;
      width = widthAfter([spec], width);
    }
    return placed;
  };
  const placed = place(specs, inputs, '', true);
  if (!Array.isArray(placed)) return placed;
  const root = container(placed, '');
  return typeof root === 'string' ? { expression: `nn.Sequential(${root})` } : root;
}

/** The arguments of the nn.Sequential holding `modules` (in the order the network runs them) at module path `where`, or why none does. */
function container(modules: readonly Placed[], where: string): string | { why: string } {
  const here = where || '(root)';
  // Modules with a deeper path go in a nested container under their first part; a module of no tensors follows the one before it.
  const groups: { key: string | undefined; items: Placed[]; leaf?: Placed }[] = [];
  for (const module of modules) {
    const open = groups[groups.length - 1];
    if (module.parts === undefined) {
      // Beside the module before it: inside that module's container where it sits in one.
      if (open?.key !== undefined && open.leaf === undefined) open.items.push(module);
      else groups.push({ key: undefined, items: [], leaf: module });
      continue;
    }
    const [key, ...rest] = module.parts;
    if (rest.length > 0 && open?.key === key && open.leaf === undefined) {
      open.items.push({ ...module, parts: rest });
      continue;
    }
    if (groups.some((group) => group.key === key)) return { why: `the module ${where === '' ? key : `${where}.${key}`} would run in two places: the network's modules are not in the order its containers run them` };
    groups.push(rest.length > 0 ? { key, items: [{ ...module, parts: rest }] } : { key, items: [], leaf: module });
  }
  const keys = groups.flatMap((group) => (group.key === undefined ? [] : [group.key]));
  const numbered = keys.every((key) => /^\d+$/.test(key));
  if (!numbered && keys.some((key) => /^\d+$/.test(key))) return { why: `the module ${here} holds both numbered and named modules (${keys.join(', ')}), which no nn.Sequential does` };
  const keyword = keys.find((key) => PYTHON_KEYWORDS.has(key));
  if (keyword !== undefined) return { why: `the module name ${keyword} is a Python keyword, which OrderedDict(…) cannot take by name` };
  const written: { key: string; text: string }[] = [];
  const taken = new Set(keys);
  for (const [g, group] of groups.entries()) {
    let key = group.key;
    if (key === undefined) {
      // The next index (before the next numbered module's), or <name>_<module>; none at the container's start but index 0.
      const nextKey = groups.slice(g + 1).find((later) => later.key !== undefined)?.key;
      const before = written[written.length - 1]?.key;
      const module = group.leaf!.text;
      const candidate = numbered ? String(before === undefined ? 0 : Number(before) + 1) : `${before ?? 'module'}_${module.slice(3, module.indexOf('(')).toLowerCase()}`;
      const free = !taken.has(candidate) && (!numbered || nextKey === undefined || Number(candidate) < Number(nextKey));
      if (!free) {
        if (group.leaf!.optional) continue;
        return { why: `no place is left for ${module} in ${here} after ${before ?? 'its start'}` };
      }
      key = candidate;
      taken.add(key);
    }
    let text: string;
    if (group.leaf !== undefined) text = group.leaf.text;
    else {
      const inner = container(group.items, where === '' ? key : `${where}.${key}`);
      if (typeof inner !== 'string') return inner;
      text = `nn.Sequential(${inner})`;
    }
    written.push({ key, text });
  }
  if (!numbered) return `OrderedDict(${written.map((m) => `${m.key}=${m.text}`).join(', ')})`;
  // Numbered: in increasing order, the places between filled with nn.Identity().
  const out: string[] = [];
  for (const { key, text } of written) {
    const index = Number(key);
    if (index < out.length) return { why: `the module ${where === '' ? key : `${where}.${key}`} runs after a module of a higher index in ${here}, which no nn.Sequential does` };
    while (out.length < index) out.push('nn.Identity()');
    out.push(text);
  }
  return out.join(', ');
}
