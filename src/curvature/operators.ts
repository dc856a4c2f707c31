/**
 * The Hessian and the Gauss-Newton matrix of a network's mean loss over a data set, as float64
 * operators on flat parameter vectors (W⁰, b⁰, W¹, b¹, … in net.parameters() order), for the
 * Krylov methods of this folder. One forward and backward pass over all rows fixes the point θ;
 * each product then costs one R-pass on the backend, which reads what that pass left in the
 * network's buffers. Nothing the network holds for training (weights, optimiser state, RNG) changes.
 * A pass the network runs between two products (a predict, evaluate or gradients from a progress
 * callback, on other rows) rewrites those buffers: the next product sees the network's pass count
 * moved (Trainable.passes) and runs the rows' forward and backward pass again first, from the
 * operators' own copy of them, so every product is taken at the same point, to the bit.
 *
 * A block network (batch and layer norm, residual blocks, activation layers) has both through its
 * layers' R-operator, forward and reverse (src/layers/hessian.ts; batch norm in 'batch' mode,
 * through its batch statistics).
 */
import { ROW_LABELS, type Rows } from '../data/matrix.js';
import { GradscopeError } from '../errors.js';
import type { Tensor } from '../kernels.js';
import { checkNetwork, targetsBesideDataset, type Network } from '../api/network.js';
import { MODEL, type GaussNewtonOperator, type HessianOperator, type Model, type Parameter, type Trainable } from '../model.js';
import { allocVector, freeVector, type ParamVector } from '../optim/param-vector.js';
import { backpropRows } from '../network/rows.js';
import { lossWithinFloat32 } from '../model-limits.js';
import { Dataset } from '../training/dataset.js';
import { HessianProduct } from './hessian-product.js';

/** A symmetric linear map on float64 vectors: out = A·v (out and v do not alias). */
export type LinearOperator = (out: Float64Array, v: Float64Array) => void;

/** One layer's parameters (its weights, then its biases) in the flat vector. */
export interface ParameterBlock {
  /** The parameterised layer, in forward order (Parameter.group; for a dense network weights[layer]). */
  layer: number;
  /** Its PyTorch module name: the prefix of its tensors' state_dict names ('0', '2', '3.branch.0'). */
  module: string;
  /** Index of its first entry in the flat vector. */
  offset: number;
  /** Its weights and biases. */
  length: number;
}

/**
 * H·v and G·v at the network's current weights over the rows given (x and y, or a Dataset); the
 * rows stay in the backend until dispose(). A pass the network runs on other rows between products (predict, evaluate,
 * gradients) is undone before the next product (see the file comment); a change to its weights is
 * not: the products after it are taken at the new weights (measureCurvature refuses its report then).
 */
export class CurvatureOperators<T extends Tensor = Tensor> {
  /** Number of parameters n: the operators act on R^n. */
  readonly size: number;
  /** Mean loss over the rows at θ. */
  readonly loss: number;
  /** ∇C at θ, flat. */
  readonly gradient: Float64Array;
  /** Rows the mean is taken over. */
  readonly rows: number;
  /** Each layer's slice of the flat vector (the Hessian's diagonal blocks). */
  readonly blocks: ParameterBlock[];
  /** out = H·v (the exact Hessian of the mean loss). */
  readonly hessian: LinearOperator;
  /** out = G·v (the generalised Gauss-Newton matrix, positive semi-definite). */
  readonly gaussNewton: LinearOperator;
  /** A dense network's products (H and G), or a block network's H and G. */
  private readonly products: (HessianProduct<T> | GaussNewtonOperator<T> | HessianOperator<T>)[];
  /** The rows in the backend, for taking the point again (retakePoint). */
  private readonly data: Dataset<T>;
  /** Whether the operators copied the rows (x, y given) and so free them; a Dataset given is the caller's. */
  private readonly ownsData: boolean;
  /** The network's pass count when the point was last taken: a product finding another retakes it. */
  private pointPasses: number;
  /** A dense network's product, whose prepare() reads the point's deltas (absent for a block network's, which check the passes themselves). */
  private readonly dense: HessianProduct<T> | undefined;
  private readonly input: ParamVector<T>;
  private readonly output: ParamVector<T>;
  private readonly lengths: number[];
  private disposed = false;
  private readonly release = () => this.free();
  private readonly model: Trainable<T>;

  /**
   * The rows given as a Dataset of the network's backend are borrowed: the operators read them until
   * dispose() and leave them to the caller to dispose (after the operators; a product finding them
   * disposed throws DISPOSED). Given as x and y, they are checked and copied into the backend once
   * and freed by dispose().
   */
  constructor(net: Network<T>, data: Dataset<T>);
  constructor(net: Network<T>, x: Rows, y: Rows);
  constructor(net: Network<T>, x: Rows | Dataset<T>, y?: Rows) {
    checkNetwork(net, 'CurvatureOperators');
    if (x instanceof Dataset && y !== undefined) throw targetsBesideDataset(ROW_LABELS.targets);
    // The rows in the backend (the caller's values read once), kept for retakePoint: a pass between
    // products then costs one forward and backward pass, and none costs nothing. Copied here, they
    // take rows × (inputs + outputs) floats until dispose(), the copy gradients(x, y) made for its
    // own call and freed. gradients() runs forward ('batch' mode) and backprop over every row and
    // throws, before anything else is allocated, if the data or the network is bad.
    this.ownsData = !(x instanceof Dataset);
    const data = (this.data = x instanceof Dataset ? x : net.dataset(x, y!));
    const model = (this.model = net[MODEL]);
    const k = model.kernels;
    try {
      const point = net.gradients(data);
      this.loss = point.loss;
      this.rows = data.rows;
      const params = model.parameters();
      this.gradient = Float64Array.from(params.flatMap((p) => Array.from(point.parameters[p.name])));
      this.lengths = params.map((p) => p.length);
      this.size = this.gradient.length;
      this.blocks = blocksOf(params);
      // All or nothing: an allocation that throws (OUT_OF_MEMORY, a size the backend refuses) frees
      // the vectors and products made before it, and the rows copied above are freed below.
      const built = k.allOrNothing(() => this.buildProducts(model));
      ({ input: this.input, output: this.output, products: this.products, dense: this.dense, hessian: this.hessian, gaussNewton: this.gaussNewton } = built);
    } catch (error) {
      if (this.ownsData) data.dispose();
      throw error;
    }
    this.pointPasses = model.passes;
    model.onDispose.add(this.release);
  }

  /** The two parameter vectors, the products and the operators on them (the network's buffers hold the point). */
  private buildProducts(model: Trainable<T>) {
    const k = model.kernels;
    const input = allocVector(k, this.lengths);
    const output = allocVector(k, this.lengths);
    if (model.kind === 'dense') {
      const dense = new HessianProduct(model as Model<T>, this.rows);
      dense.prepare(this.rows);
      const hessian: LinearOperator = (out, v) => this.apply(out, v, () => dense.apply(output, input));
      const gaussNewton: LinearOperator = (out, v) => this.apply(out, v, () => dense.applyGaussNewton(output, input));
      return { input, output, products: [dense], dense, hessian, gaussNewton };
    }
    const [hessianProduct, gaussNewtonProduct] = [model.hessian!(), model.gaussNewton!()];
    const hessian: LinearOperator = (out, v) => this.apply(out, v, () => hessianProduct.apply(output, input, this.rows));
    const gaussNewton: LinearOperator = (out, v) => this.apply(out, v, () => gaussNewtonProduct.apply(output, input, this.rows));
    return { input, output, products: [hessianProduct, gaussNewtonProduct], dense: undefined, hessian, gaussNewton };
  }

  /** The operator restricted to one diagonal block: v and out have the block's length. */
  restrict(operator: LinearOperator, block: ParameterBlock): LinearOperator {
    const full = new Float64Array(this.size);
    const product = new Float64Array(this.size);
    return (out, v) => {
      full.set(v, block.offset);
      operator(product, full);
      full.fill(0, block.offset, block.offset + block.length);
      out.set(product.subarray(block.offset, block.offset + block.length));
    };
  }

  /**
   * The mean loss over the rows at θ + t·v (θ the point, v flat in the operators' order), by the pass
   * that took the point (backpropRows: 'batch' mode, so a batch norm network's loss is the one whose
   * Hessian the products take, not evaluate's on running statistics); θ is written back after, to
   * the bit. Infinity where the rows overflow float32 there (no loss can be taken). The next product
   * takes the point again (the pass count moved). For the steps of critical-point.ts along an eigenvector.
   */
  lossAlong(v: Float64Array, t: number): number {
    this.checkUsable();
    const k = this.model.kernels;
    const params = this.model.parameters();
    const point = params.map((p) => k.view(p.value).slice(0, p.length));
    try {
      let offset = 0;
      params.forEach((p, i) => {
        const start = offset;
        k.write(p.value, point[i].map((w, j) => w + t * v[start + j]));
        offset += p.length;
      });
      const { inputs, targets } = this.data.resident();
      const loss = backpropRows(this.model, inputs, targets);
      return lossWithinFloat32(loss) ? loss : Infinity;
    } catch (error) {
      if (error instanceof GradscopeError && error.code === 'NON_FINITE_INPUT') return Infinity;
      throw error;
    } finally {
      params.forEach((p, i) => k.write(p.value, point[i]));
    }
  }

  private checkUsable(): void {
    if (this.disposed || this.model.isDisposed) throw new GradscopeError('DISPOSED', 'curvature: the network or its curvature operators were disposed');
    // At every product, not only where the point is taken again from the rows: whether one is refused does not hang on a pass before it.
    if (this.data.isDisposed) throw new GradscopeError('DISPOSED', 'curvature: the Dataset the curvature operators were made on was disposed; dispose it after the operators');
  }

  private apply(out: Float64Array, v: Float64Array, product: () => void): void {
    this.checkUsable();
    if (this.model.passes !== this.pointPasses) this.retakePoint();
    const k = this.model.kernels;
    let offset = 0;
    this.lengths.forEach((length, i) => {
      k.write(this.input[i], v.subarray(offset, offset + length));
      offset += length;
    });
    product();
    offset = 0;
    this.lengths.forEach((length, i) => {
      out.set(k.view(this.output[i]).subarray(0, length), offset);
      offset += length;
    });
  }

  /**
   * The forward and backward pass over the rows again, as gradients() ran it (backpropRows: the same
   * kernels on the same rows and weights give the same bits), and a dense product's prepare() on its
   * deltas. A block network's products see the passes moved themselves (StackHessian's kept backward).
   */
  private retakePoint(): void {
    const { inputs, targets } = this.data.resident();
    backpropRows(this.model, inputs, targets);
    this.dense?.prepare(this.rows);
    this.pointPasses = this.model.passes;
  }

  /** Frees the backend memory of the products (the network stays usable). */
  dispose(): void {
    if (this.disposed) return;
    this.model.onDispose.delete(this.release);
    this.free();
  }

  /** Also run when the network is disposed first. */
  private free(): void {
    this.disposed = true;
    for (const product of this.products) product.dispose();
    if (this.ownsData) this.data.dispose();
    freeVector(this.model.kernels, this.input);
    freeVector(this.model.kernels, this.output);
  }
}

/** Each parameterised layer's slice of the flat vector: consecutive parameters of one group. */
function blocksOf(params: readonly Parameter[]): ParameterBlock[] {
  const blocks: ParameterBlock[] = [];
  let offset = 0;
  for (const p of params) {
    const last = blocks[blocks.length - 1];
    if (last && last.layer === p.group) last.length += p.length;
    else blocks.push({ layer: p.group, module: p.name.slice(0, p.name.lastIndexOf('.')), offset, length: p.length });
    offset += p.length;
  }
  return blocks;
}
