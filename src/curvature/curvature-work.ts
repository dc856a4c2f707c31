/**
 * measureCurvature's progress: the operator products it takes (CurvatureProgress.done / total) and
 * the share of its time spent (CurvatureProgress.fraction), what is still to come priced at what
 * its products and each Lanczos step's reorthogonalisation have cost so far in this run, so that
 * the fraction moves evenly in time on any machine. Counting products alone said "90 %" for a third
 * of a large network's run: a Lanczos step's Gram-Schmidt pass reads its whole basis (n·m
 * multiply-adds twice over, m the basis vectors so far), which on 88,330 parameters outgrows the
 * product within a few dozen steps; and what a product costs beside a pass differs by CPU (0.08
 * basis-entry reads per row and parameter on an AMD Zen 3, ~0.04 on an Intel Xeon) and backend.
 */
import { LANCZOS_MAX_STEPS, ROUNDING_PRODUCTS, type LanczosStep } from './lanczos.js';
import { MATRIX_TRACE_DEFAULTS } from './matrix-trace.js';
import { MASS_PROBE_STEPS, MASS_PROBES } from './negative-mass.js';
import type { LinearOperator } from './operators.js';

/** How far measureCurvature is: operator products done of the `total` planned, the share of the time done, and what it measures now. */
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
   * The share of the time done, from 0 to 1: the time spent in products and Lanczos steps over it and
   * the time still expected, priced at this run's own measured time per product and per basis entry
   * a reorthogonalisation pass reads (0 until the first Lanczos step; the share of the products done
   * while the clock, too coarse, has not yet seen a product and a step take time). A Lanczos run not
   * ended is expected to take as many steps as the longest of its kind so far that stopped before its
   * step limit (CurvatureWork says how), so the fraction may run ahead where a later run takes longer
   * than any before it, and behind where it ends sooner. Never falls; 1 at the end.
   */
  fraction: number;
  /** The matrix being measured. */
  matrix: 'hessian' | 'gaussNewton';
  /** Its trace (last, for the whole and every layer at once: its work is known before it runs) or its extreme eigenvalues. */
  measuring: 'trace' | 'eigenvalues';
  /** The layer (an index into CurvatureReport.layers) whose block is measured; undefined: the whole network. */
  layer?: number;
  /** That layer's PyTorch module name (LayerCurvature.module). */
  module?: string;
  /** That layer's name in the trace tables (LayerCurvature.label): 'hidden 1', "layers[3].layers[0] ('4.branch.0', dense)". */
  label?: string;
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
 * with the layers, on each block; and each H run on more than maxSteps parameters, MASS_PROBES
 * start vectors of MASS_PROBE_STEPS products for its negative mass (`mass`, in `total`).
 */
export function plannedProducts(parameters: number, blocks: readonly number[], options: CurvaturePlanOptions = {}): { trace: number; lanczos: number[]; mass: number; total: number } {
  const layers = options.layers ?? true;
  const exact = parameters <= (options.exactTraceLimit ?? MATRIX_TRACE_DEFAULTS.exactLimit);
  const trace = exact ? parameters : (options.probes ?? MATRIX_TRACE_DEFAULTS.probes) * (layers ? blocks.length : 1);
  const sizes = [parameters, ...(layers ? blocks : [])];
  const lanczos = sizes.map((n) => lanczosProducts(n, options.maxSteps));
  const mass = sizes.reduce((sum, n) => sum + massProducts(n, options.maxSteps), 0);
  return { trace, lanczos, mass, total: 2 * (trace + lanczos.reduce((sum, steps) => sum + steps, 0)) + mass };
}

/**
 * The most products a Hessian run on an n-dimensional operator takes for its negative mass beyond its
 * steps: MASS_PROBES start vectors of at most MASS_PROBE_STEPS steps where it does not find every
 * eigenvalue (n above maxSteps), else none: the mass is exact.
 */
export function massProducts(n: number, maxSteps = LANCZOS_MAX_STEPS): number {
  return n > lanczosSteps(n, maxSteps) ? MASS_PROBES * Math.min(MASS_PROBE_STEPS, n) : 0;
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
 * The stages of measureCurvature in the order it takes them, for `blocks` layers' blocks (none
 * without `layers`): each layer's Lanczos runs (H, then G), the whole network's, then the two traces.
 * The traces come last because their work is known before they start (n products, or the probes):
 * the progress then waits on no unknown once most of the work is done. Lanczos runs end when their
 * values converge, which nothing tells before they run; run first, what they took is known by the
 * time the fraction is large, so a wrong guess of their length moves it least (see CurvatureWork).
 */
export function curvatureStages(blocks: number, layers: boolean): Omit<CurvatureStage, 'module' | 'label'>[] {
  const eigen = (layer?: number) => (['hessian', 'gaussNewton'] as const).map((matrix) => ({ matrix, measuring: 'eigenvalues' as const, ...(layer !== undefined && { layer }) }));
  const perLayer = layers ? Array.from({ length: blocks }, (_, layer) => eigen(layer)).flat() : [];
  return [...perLayer, ...eigen(), { matrix: 'hessian', measuring: 'trace' }, { matrix: 'gaussNewton', measuring: 'trace' }];
}

/**
 * How far the fraction may stand from the share of the work done, ahead or behind, on the plans
 * test/curvature/progress-plan.test.ts plays (runs that stop early, runs that hit their step limit,
 * runs far longer than any before them; from real runs' steps): a third. Most stay within 0.14; the
 * far end is a later run taking 2.6× the steps of any before it (ahead 0.33), which nothing before it
 * tells. Of the time, where the products and the passes cost what they have cost so far (the run's own
 * measured prices; a machine whose speed changes mid-run moves it more), on a clock of ticks up to 100
 * products' too. The whole network's run after a block's cut off at its step limit was the other far
 * end (behind 0.30) while it was expected to take that block's steps (see CurvatureWork): 0.13 now.
 */
export const PROGRESS_TOLERANCE = 1 / 3;

/** A run of the plan: a trace of `products` products, or a Lanczos run on an n-dimensional operator of at most `limit` steps. */
export type PlannedRun = { what: CurvatureStage; n: number } & ({ measuring: 'trace'; products: number } | { measuring: 'eigenvalues'; limit: number; mass?: number });

/** A planned run as it goes: its products and steps taken, and whether it has ended. */
interface RunState {
  planned: PlannedRun;
  products: number;
  steps: number;
  ended: boolean;
}

/**
 * The products and the time of a measurement, planned and done, and the share of the time done.
 *
 * Products (`done`, `total`): the plan is the most each run can take (a trace's n products or its
 * probes, a Lanczos run's min(n, maxSteps) steps and its rounding product); a run that ends early
 * takes its untaken products off the plan, so `done` never passes `total` and both end equal.
 *
 * Time: each product is timed, and each Lanczos step's recurrence and reorthogonalisation (from the
 * end of its product to its onStep), the passes priced by the basis entries they read, n·m each for
 * m basis vectors (a restart's fresh vector two passes more). What is still to come is priced at
 * this run's own time per product and per entry read so far: no figure of another machine, and no
 * run of its own beyond the work itself (the first Lanczos step, the plan's first stage, shows both).
 * A trace's products are known. A Lanczos run's steps are not: it ends when its values converge.
 * Each run not ended is expected to take as many steps as the longest run of its kind (the same
 * matrix, and a layer's block or the whole network) taken so far that stopped before its step limit,
 * else of its matrix, else (every run so far cut off at its limit) the longest of its kind, else of its
 * matrix, else of any, else its step limit: a run cut off tells only that it did not converge (on the
 * digits default the whole network's Hessian run, 185 steps, was expected to take the output block's
 * 300 so, not the 130 of the block whose run converged); the run under way at least one step more than it has taken, and the later
 * runs at least what it is expected to take, with one pass per step. The fraction never falls (a
 * longer expectation holds it until the work catches up) and is 1 when the last run ends.
 */
export class CurvatureWork {
  private products = 0;
  private plannedProducts: number;
  private readonly runs: RunState[];
  private next = 0;
  private shown = 0;
  // This run's measured costs: time in products and their count, time in steps and the entries their passes read.
  private productTime = 0;
  private timedProducts = 0;
  private stepTime = 0;
  private entriesRead = 0;
  // When the last product (or step) ended, after its report: a step's time runs from here to its onStep.
  private mark = 0;

  /**
   * @param planned every run the measurement takes, in its order (curvatureStages)
   * @param onProgress told after every product and at the end of every run
   * @param clock the time in milliseconds (performance.now; a test's own)
   */
  constructor(
    planned: readonly PlannedRun[],
    private readonly onProgress: (progress: CurvatureProgress) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.runs = planned.map((run) => ({ planned: run, products: 0, steps: 0, ended: false }));
    this.plannedProducts = planned.reduce((sum, run) => sum + mostProducts(run), 0);
  }

  /**
   * `run(operator, onStep)` counted as the plan's next run (reported as its `what`): each product is
   * timed, counted and reported, each Lanczos step (`onStep`, for a Lanczos run) timed by the entries its passes read.
   */
  stage<R>(run: (operator: LinearOperator, onStep: (step: LanczosStep) => void) => R, operator: LinearOperator): R {
    const state = this.runs[this.next++];
    const { planned } = state;
    const { what } = planned;
    const most = mostProducts(planned);
    const result = run(
      (out, v) => {
        const start = this.clock();
        operator(out, v);
        this.productTime += this.clock() - start;
        this.timedProducts++;
        if (state.products < most) {
          state.products++;
          this.products++;
        }
        this.report(what);
        this.mark = this.clock();
      },
      ({ basis, passes, restarted }) => {
        const now = this.clock();
        this.stepTime += now - this.mark;
        this.mark = now;
        state.steps++;
        // a restart's fresh vector is orthogonalised by two passes more
        this.entriesRead += (passes + (restarted ? 2 : 0)) * planned.n * basis;
      },
    );
    state.ended = true;
    this.plannedProducts -= most - state.products;
    this.report(what);
    return result;
  }

  /**
   * The share of the time done: the time spent over it and the time still expected (see the class
   * comment), never less than it said before; 0 until the first step, the share of the products until
   * the clock has seen a product and a step take time, 1 once every run has ended.
   */
  private fraction(): number {
    if (this.runs.every((state) => state.ended)) return (this.shown = 1);
    if (this.entriesRead === 0) return this.shown;
    // A clock too coarse to have seen a product or a step take time yet (a browser's, 0.1–1 ms, against
    // products of microseconds) cannot price the work: the share of the products is what is known until it can.
    if (this.productTime === 0 || this.stepTime === 0) {
      if (this.products < this.plannedProducts) this.shown = Math.max(this.shown, this.products / this.plannedProducts);
      return this.shown;
    }
    const perProduct = this.productTime / this.timedProducts;
    const perEntry = this.stepTime / this.entriesRead;
    let expected = 0;
    // Lanczos runs so far, in order, with the steps each took or is expected to take, and whether it ended at its step limit.
    const seen: { what: CurvatureStage; steps: number; cutOff: boolean }[] = [];
    const longest = (runs: typeof seen) => (runs.length ? Math.max(...runs.map((r) => r.steps)) : undefined);
    const stoppedEarly = (runs: typeof seen) => runs.filter((r) => !r.cutOff);
    for (const state of this.runs) {
      const { planned } = state;
      if (planned.measuring === 'trace') {
        if (!state.ended) expected += (planned.products - state.products) * perProduct;
        continue;
      }
      const { matrix, layer } = planned.what;
      const ofMatrix = seen.filter((r) => r.what.matrix === matrix);
      const ofKind = ofMatrix.filter((r) => (r.what.layer === undefined) === (layer === undefined));
      const like = longest(stoppedEarly(ofKind)) ?? longest(stoppedEarly(ofMatrix)) ?? longest(ofKind) ?? longest(ofMatrix) ?? longest(seen);
      const steps = state.ended ? state.steps : Math.min(planned.limit, Math.max(like ?? planned.limit, state.steps + 1));
      seen.push({ what: planned.what, steps, cutOff: state.ended && steps === planned.limit });
      if (state.ended) continue;
      const products = Math.max(0, steps + ROUNDING_PRODUCTS + (planned.mass ?? 0) - state.products);
      expected += products * perProduct + ((planned.n * (steps * (steps + 1) - state.steps * (state.steps + 1))) / 2) * perEntry;
    }
    const done = this.productTime + this.stepTime;
    this.shown = Math.max(this.shown, done / (done + expected));
    return this.shown;
  }

  private report(what: CurvatureStage): void {
    this.onProgress({ done: this.products, total: this.plannedProducts, fraction: this.fraction(), ...what });
  }
}

/** The most products a run of the plan takes: a trace's, or a Lanczos run's at its step limit (lanczosProducts) and its negative mass' (`mass`). */
function mostProducts(run: PlannedRun): number {
  return run.measuring === 'trace' ? run.products : lanczosProducts(run.n, run.limit) + (run.mass ?? 0);
}
