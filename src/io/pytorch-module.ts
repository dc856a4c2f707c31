/**
 * The PyTorch module that holds a gradscope network's tensors under the same state_dict names, as
 * a Python expression over `nn`, `torch` and issue 13's `Residual` class: what safetensors files
 * carry in `__metadata__["pytorch"]`, so that
 *
 *   model = eval(meta["pytorch"]); model.load_state_dict(load_file(path))   # strict
 *
 * rebuilds the network in PyTorch. One nn.Sequential of the specs in order: a dense layer is
 * nn.Linear followed by its activation's module (nn.Identity() for 'linear'), batch norm
 * nn.BatchNorm1d (eps 1e-5, momentum 0.1: PyTorch's defaults, gradscope's values), layer norm
 * nn.LayerNorm (eps 1e-5), an activation layer its module, a residual block
 * `Residual(nn.Sequential(…))` or `Residual(nn.Sequential(…), gate="rezero")`.
 */
import type { OutputActivation } from '../kernels.js';
import type { CheckedSpec } from '../layers/spec.js';
import { widthAfter } from '../layers/spec.js';
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

/** The Python expression that builds the nn.Sequential of `specs` taking `inputs` features. */
export function pytorchExpression(specs: readonly CheckedSpec[], inputs: number): string {
  const modules: string[] = [];
  let width = inputs;
  for (const spec of specs) {
    switch (spec.type) {
      case 'dense':
        modules.push(`nn.Linear(${width}, ${spec.units})`, TORCH_MODULE[spec.activation]);
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
 * `<name>_<module>` (`out_softmax`). A logits record leaves out the output module. Refused (the why) where the layers are
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
