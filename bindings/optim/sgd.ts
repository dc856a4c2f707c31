/** Stochastic gradient descent with momentum and L2 weight decay (PyTorch's convention). */
import { invalidOption } from '../errors.js';
import type { Tensor } from '../kernels.js';
import type { Network } from '../network/network.js';
import type { Optimizer, OptimizerState } from './optimizer.js';

export interface SgdOptions {
  /** In [0, 1); 0 is plain gradient descent. */
  momentum?: number;
  /** L2 penalty coefficient, ≥ 0. */
  weightDecay?: number;
}

export function checkSgdOptions(options: SgdOptions): Required<SgdOptions> {
  const momentum = options.momentum ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) {
    throw invalidOption(`momentum: expected a number in [0, 1), got ${JSON.stringify(momentum)}`);
  }
  if (typeof weightDecay !== 'number' || !(weightDecay >= 0 && Number.isFinite(weightDecay))) {
    throw invalidOption(`weightDecay: expected a finite number ≥ 0, got ${JSON.stringify(weightDecay)}`);
  }
  return { momentum, weightDecay };
}

export class Sgd implements Optimizer {
  readonly name = 'sgd';
  private velocities: Tensor[] | undefined;
  private readonly options: Required<SgdOptions>;

  constructor(
    private readonly net: Network,
    options: SgdOptions = {},
  ) {
    this.options = checkSgdOptions(options);
  }

  step(net: Network, learningRate: number, _batch: number): void {
    const k = net.kernels;
    const params = net.parameters();
    this.velocities ??= params.map((p) => k.alloc(p.length));
    params.forEach((p, i) => k.sgdUpdate(p.value, this.velocities![i], p.grad, p.length, learningRate, this.options.momentum, this.options.weightDecay));
  }

  state(): OptimizerState {
    const k = this.net.kernels;
    return {
      name: this.name,
      scalars: { ...this.options },
      tensors: (this.velocities ?? []).map((v) => Float32Array.from(k.view(v))),
    };
  }

  restore(state: OptimizerState): void {
    const k = this.net.kernels;
    const params = this.net.parameters();
    if (state.tensors.length === 0) {
      this.dispose();
      return;
    }
    this.velocities ??= params.map((p) => k.alloc(p.length));
    this.velocities.forEach((v, i) => k.write(v, state.tensors[i]));
  }

  dispose(): void {
    this.velocities?.forEach((v) => this.net.kernels.free(v));
    this.velocities = undefined;
  }
}
