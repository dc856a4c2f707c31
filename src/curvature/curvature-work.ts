/**
 * measureCurvature's progress: the operator products it takes (CurvatureProgress.done / total) and
 * the share of its work done (CurvatureProgress.fraction), each product and each Lanczos step's
 * reorthogonalisation weighed by its modelled cost, so that the fraction moves roughly evenly in
 * time. Counting products alone said "90 %" for a third of a large network's run: a Lanczos step's
 * Gram-Schmidt pass reads its whole basis (n·m multiply-adds twice over, m the basis vectors so
 * far), which on 88,330 parameters outgrows the product within a few dozen steps.
 */
import { LANCZOS_MAX_STEPS, ROUNDING_PRODUCTS, type LanczosStep } from './lanczos.js';
import { MATRIX_TRACE_DEFAULTS } from './matrix-trace.js';
import type { LinearOperator } from './operators.js';

/** How far measureCurvature is: operator products done of the `total` planned, the share of the work done, and what it measures now. */
export interface CurvatureProgress {
  /** Products done; never more than `total`, and equal to it at the end. */
  done: number;
  /**
   * Products the measurement takes: at first the most it can take (every Lanczos run to its step
   * limit); when a Lanczos run converges early, the products it did not take are dropped, so
   * `total` may fall between calls (never rise).
   */
  total: number;
  /**
   * The share of the work now planned that is done, from 0 to 1: products and each Lanczos step's
   * reorthogonalisation weighed by their modelled costs (PRODUCT_COST_PER_ROW_PARAMETER; a pass
   * against m basis vectors of n entries costs n·m), so that it moves roughly evenly in time where
   * `done / total` would not: on a large network a late Lanczos step's reorthogonalisation costs many
   * products. Never falls (a run that ends early drops its untaken work from the plan); 1 at the end.
   */
  fraction: number;
  /** The matrix being measured. */
  matrix: 'hessian' | 'gaussNewton';
  /** Its trace (first, for the whole and every layer at once) or its extreme eigenvalues. */
  measuring: 'trace' | 'eigenvalues';
  /** The layer (an index into CurvatureReport.layers) whose block is measured; undefined: the whole network. */
  layer?: number;
  /** That layer's PyTorch module name (LayerCurvature.module). */
  module?: string;
}

/**
 * The modelled cost of one operator product (H·v or G·v over every row), per row and per parameter
 * of the whole network, in the unit of the reorthogonalisation's: one basis entry read by a
 * Gram-Schmidt pass (a multiply-add in its dot product and one in its update). A pass against m
 * basis vectors of n entries costs n·m. Measured with scripts/lanczos-work-ratio.ts (the product's
 * CPU time per row and parameter over a pass's per basis entry read, in the same Lanczos runs on
 * sigmoid networks' Hessians) on 2026-12-02, 01:31–01:37 UTC, AMD EPYC Zen 3, load 11–15: wasm
 * SIMD 0.043 on [784, 64 ×10, 10] with 200 rows, 0.083 on [64, 60 ×9, 10] with 100, 0.146 on
 * [32, 40, 40, 10] with 50 (the wider the layers, the cheaper a product per parameter); wasm scalar
 * 0.231 and 0.304 on the last two, ref 2.00 and 1.77. Each constant is within 2× of its backend's
 * values: enough for a bar that moves roughly evenly, where the products alone were off by 30× on a
 * late step of a large run. A block's product (a layer's Lanczos run) is a whole network's product,
 * restricted.
 */
export const PRODUCT_COST_PER_ROW_PARAMETER = {
  /** The wasm backend's SIMD kernels (the default). */
  wasmSimd: 0.08,
  /** The wasm backend's scalar kernels ('wasm-scalar', 'wasm-scalar-binary'). */
  wasmScalar: 0.27,
  /** The float64 TypeScript backends, 'ref' and 'ref-f32'. */
  ref: 1.9,
} as const;

/** The cost of one product on `backend` (a Kernels.name) for `rows` rows and `parameters` parameters, in basis-entry reads (at least 1). */
export function productCost(backend: string, rows: number, parameters: number): number {
  const { wasmSimd, wasmScalar, ref } = PRODUCT_COST_PER_ROW_PARAMETER;
  const perEntry = backend.startsWith('ref') ? ref : backend.includes('scalar') ? wasmScalar : wasmSimd;
  return Math.max(1, Math.round(perEntry * rows * parameters));
}

/** The most a Lanczos run of up to `steps` steps on an n-dimensional operator costs with one pass per step: Σ_{m=1..steps} (product + n·m), and the product that measures the rounding. */
export function lanczosCost(n: number, steps: number, product: number): number {
  return (steps + ROUNDING_PRODUCTS) * product + (n * steps * (steps + 1)) / 2;
}

/** The options of measureCurvature that set its plan, as it takes them (each has its default). */
export interface CurvaturePlanOptions {
  /** Each layer's blocks too (CurvatureOptions.layers). Default true. */
  layers?: boolean;
  /** CurvatureOptions.exactTraceLimit. Default MATRIX_TRACE_DEFAULTS.exactLimit. */
  exactTraceLimit?: number;
  /** CurvatureOptions.probes. Default MATRIX_TRACE_DEFAULTS.probes. */
  probes?: number;
  /** CurvatureOptions.maxSteps. Default LANCZOS_MAX_STEPS. */
  maxSteps?: number;
}

/**
 * The products measureCurvature plans at most for a network of `parameters` whose layers' blocks
 * hold `blocks` parameters each (CurvatureProgress' first `total`): per matrix, H and G, its trace
 * (n products when exact, else `probes`, per layer with the layers) and Lanczos runs of at most
 * min(n, maxSteps) steps, and one product more each (ROUNDING_PRODUCTS), on the whole network and,
 * with the layers, on each block.
 */
export function plannedProducts(parameters: number, blocks: readonly number[], options: CurvaturePlanOptions = {}): { trace: number; lanczos: number[]; total: number } {
  const layers = options.layers ?? true;
  const exact = parameters <= (options.exactTraceLimit ?? MATRIX_TRACE_DEFAULTS.exactLimit);
  const trace = exact ? parameters : (options.probes ?? MATRIX_TRACE_DEFAULTS.probes) * (layers ? blocks.length : 1);
  const lanczos = [parameters, ...(layers ? blocks : [])].map((n) => lanczosProducts(n, options.maxSteps));
  return { trace, lanczos, total: 2 * (trace + lanczos.reduce((sum, steps) => sum + steps, 0)) };
}

/** The most steps a Lanczos run on an n-dimensional operator takes: min(n, maxSteps). */
export function lanczosSteps(n: number, maxSteps = LANCZOS_MAX_STEPS): number {
  return Math.min(n, maxSteps);
}

/** The most products a Lanczos run on an n-dimensional operator takes: a product per step, and the one that measures the rounding. */
export function lanczosProducts(n: number, maxSteps = LANCZOS_MAX_STEPS): number {
  return lanczosSteps(n, maxSteps) + ROUNDING_PRODUCTS;
}

/** What a stage of the measurement is: the matrix, trace or eigenvalues, and the layer. */
export type CurvatureStage = Omit<CurvatureProgress, 'done' | 'total' | 'fraction'>;

/**
 * The products and the work of a measurement, planned and done. The plan is the most each run can
 * take (a trace's n products or its probes, a Lanczos run's min(n, maxSteps) steps with one
 * reorthogonalisation pass each); a run that ends early takes its untaken part off the plan (rather
 * than jumping to its planned end), a step's second DGKS pass or a restart's two passes add their
 * cost to both, so `done` never
 * passes `total`, the fraction never falls, and both end equal. Costs are whole numbers, so the sums
 * are exact.
 */
export class CurvatureWork {
  private products = 0;
  private plannedProducts: number;
  private work = 0;
  private plannedWork: number;

  /**
   * @param product the cost of one product (productCost)
   * @param runs every run the measurement will take: its products and its work at most
   * @param onProgress told after every product and at the end of every run
   */
  constructor(
    private readonly product: number,
    runs: readonly { products: number; work: number }[],
    private readonly onProgress: (progress: CurvatureProgress) => void,
  ) {
    this.plannedProducts = runs.reduce((sum, run) => sum + run.products, 0);
    this.plannedWork = runs.reduce((sum, run) => sum + run.work, 0);
  }

  /**
   * `run(operator, onStep)` counted as one planned run of at most `products` products and `work`
   * work: each product is counted and reported, each Lanczos step (`onStep`, for a Lanczos run) adds
   * its passes' n·m per pass.
   */
  stage<R>(what: CurvatureStage, planned: { products: number; work: number }, n: number, run: (operator: LinearOperator, onStep: (step: LanczosStep) => void) => R, operator: LinearOperator): R {
    const productsEnd = this.products + planned.products;
    let workEnd = this.work + planned.work;
    const result = run(
      (out, v) => {
        operator(out, v);
        this.products = Math.min(productsEnd, this.products + 1);
        this.work = Math.min(workEnd, this.work + this.product);
        this.report(what);
      },
      ({ basis, passes, restarted }) => {
        // The plan has one pass per step: a second (DGKS) and a restart's two are work it could not foresee.
        const taken = passes + (restarted ? 2 : 0);
        const unplanned = (taken - 1) * n * basis;
        workEnd += unplanned;
        this.plannedWork += unplanned;
        this.work = Math.min(workEnd, this.work + taken * n * basis);
      },
    );
    this.plannedProducts -= productsEnd - this.products;
    this.plannedWork -= workEnd - this.work;
    this.report(what);
    return result;
  }

  private report(what: CurvatureStage): void {
    this.onProgress({ done: this.products, total: this.plannedProducts, fraction: this.work / this.plannedWork, ...what });
  }
}
