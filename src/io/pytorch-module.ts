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
