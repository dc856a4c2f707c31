/**
 * Study: saddle or minimum? Nielsen's 4-hidden-layer sigmoid network [784, 30, 30, 30, 30, 10]
 * under his set-up (fig/generate_gradient.py with network2.py: weights N(0, 1/n_in), biases
 * N(0, 1), sigmoid outputs with the cross-entropy cost, full-batch gradient descent on the first
 * 1,000 training digits, η = 0.1, L2 λ = 5 on the weights), where every layer's gradient shrinks
 * together: the plateau. At several epochs along his training it measures the curvature of the
 * objective he minimises, C + (λ/2n)·‖w‖² (the data loss's Hessian plus λ/n on the weights):
 * its extreme eigenvalues (Lanczos), the share of negative curvature, each layer's gradient
 * signal-to-noise ratio, and whether a step along the most negative eigenvector v lowers the
 * objective on both sides, and by as much as a step of the same length down the gradient lowers
 * it at most (the curvature, not the gradient, does it: a saddle, Dauphin et al. 2014) or not.
 */
import { createNetwork, type Network } from '../api/network.js';
import { lanczos } from '../curvature/lanczos.js';
import { MASS_PROBES } from '../curvature/negative-mass.js';
import { curvatureVerdict, descentProbes, downhillOf, orientDownhill, pointReading, saddleProbes, type CurvatureVerdict, type DownhillProbe, type SaddleProbe } from '../curvature/critical-point.js';
import { meanFieldPrediction, type MeanFieldLayer } from '../curvature/mean-field.js';
import { CurvatureOperators } from '../curvature/operators.js';
import { verdictEvidence } from '../curvature/evidence.js';
import { loadMnist, MNIST_TRAIN_DIGITS } from '../data/mnist.js';
import type { CurvatureEvidence } from '../flow/curvature-evidence.js';
import { diagnose, type Diagnosis } from '../flow/diagnose.js';
import { denseChainNoiseLayers, GradientNoiseMeter } from '../flow/gradient-noise.js';
import type { Trace } from '../flow/trace.js';
import { denseModelOf, MODEL } from '../model.js';
import { euclideanNorm } from '../norm.js';
import { type Bound, checkAtMost, checkCallback, checkChoice, checkFloat32, checkKnownKeys, checkNumber, checkSeed, keysOf } from '../checks.js';
import { checkEigenCount } from '../curvature/lanczos.js';
import { parameterCountOf } from '../network/memory-budget.js';
import { NIELSEN_EPOCHS_BOUND, PLATEAU_POINTS_BOUND } from './study-bounds.js';
import { STUDY_SEED } from './study-defaults.js';
import type { Dataset } from '../training/dataset.js';
import { DEPTH_NETWORK_OPTIONS, DEPTH_ROWS, nielsenLambdaBound, nielsenTraining, NIELSEN_TRAINING } from './depth.js';
import { GradscopeError } from '../errors.js';
import { lossWithinFloat32 } from '../model-limits.js';

/** Nielsen's network: 784 inputs, 4 sigmoid hidden layers of 30, 10 sigmoid outputs. */
export const PLATEAU_SIZES = [784, 30, 30, 30, 30, 10];
/** The study's defaults: measurements along the training, eigenvalues at each end of the spectrum. */
export const PLATEAU_DEFAULTS = {
  /** Measurements along the training. */
  points: 5,
  /** Eigenvalues at each end of the Hessian's spectrum. */
  k: 3,
  /** What each point measures (PlateauOptions.curvatureOf): the objective the network trains on. */
  curvatureOf: 'objective',
} as const;
/** The most eigenvalues at each end: the network's parameter count, the Hessian's size (checkEigenCount). */
export const PLATEAU_K_BOUND: Bound = { max: parameterCountOf(PLATEAU_SIZES), why: "the network's parameter count: the Hessian has no more eigenvalues" };
/** Options of runPlateauStudy; every one has a default. */
export interface PlateauOptions {
  /** Epochs (= full-batch steps) of Nielsen's training. Default 500 (his); at most 10,000. */
  epochs?: number;
  /**
   * Measurements, spread evenly from epoch 0 to the last, each at an epoch of its own: with fewer than
   * `points − 1` epochs some would fall on the same epoch, which is measured once (so 0 epochs give one
   * point). Default PLATEAU_DEFAULTS.points = 5; at most 100.
   */
  points?: number;
  /** L2 λ (default 5, his); at most nielsenLambdaBound(rows).max, 10,000 over 1,000 rows. */
  lambda?: number;
  /** Eigenvalues at each end. Default PLATEAU_DEFAULTS.k = 3; at most the network's 26,650 parameters. */
  k?: number;
  /** Training rows: the first n digits (default 1,000, his; fewer only to test quickly). */
  rows?: number;
  /** Largest Lanczos basis. Default 200. */
  maxSteps?: number;
  /** Seed of the network and of Lanczos' start vectors (default STUDY_SEED = 1). */
  seed?: number;
  /**
   * What each point measures (default PLATEAU_DEFAULTS.curvatureOf = 'objective'): the objective the network trains on, C + (λ/2n)‖w‖²,
   * or with 'loss' the cross-entropy C alone on the same weights (trained with the L2 term all the
   * same): its Hessian, gradient and steps along its own eigenvector, without the λ/n the L2 term adds
   * along every weight direction, which on Nielsen's plateau hides most of C's negative curvature.
   */
  curvatureOf?: CurvatureOf;
  /** Called after each measurement with the points done and the points in all (the distinct epochs: see `points`; default: none). */
  onProgress?: (done: number, points: number) => void;
}

/** What the plateau study's points measure: the training objective, or the data loss alone (PlateauOptions.curvatureOf). */
export const CURVATURE_OF = ['objective', 'loss'] as const;
/** One of CURVATURE_OF. */
export type CurvatureOf = (typeof CURVATURE_OF)[number];

/** Everything measured at one point of the training (f: what the point measures, PlateauResult.curvatureOf). */
export interface PlateauPoint {
  /** The epochs trained before the point. */
  epoch: number;
  /** Cross-entropy C on the rows. */
  loss: number;
  /** f: C with the L2 term (λ/2n)‖w‖², or C itself when the point measures the loss alone. */
  objective: number;
  /** ‖∇f‖. */
  gradientNorm: number;
  /**
   * ‖∇C‖, the data loss's gradient alone, without the L2 term's (λ/n)·w. On Nielsen's plateau most
   * of ‖∇f‖ is that term's (docs/curvature.md): descent there shrinks the weights while C stays flat.
   */
  lossGradientNorm: number;
  /** The k largest eigenvalues of f's Hessian, descending. */
  largest: number[];
  /** The k smallest eigenvalues of f's Hessian, ascending. */
  smallest: number[];
  /** Whether Lanczos met its tolerance. */
  converged: boolean;
  /**
   * Share of |λ|-weighted spectral mass below zero (see LanczosResult.negativeMass): where estimated, from MASS_PROBES start
   * vectors, the converged eigenvalues counted exactly, as measureCurvature's (deflated stochastic Lanczos quadrature).
   */
  negativeMass: number;
  /** Whether negativeMass is exact (every eigenvalue found) or the estimate. */
  negativeMassExact: boolean;
  /** Each start vector's estimate of negativeMass where it is estimated (MASS_PROBES of them; negativeMass lies between the lowest and the highest); empty where exact. */
  negativeMassProbes: number[];
  /** Largest eigenvalue of the Gauss-Newton matrix of the data loss. */
  gaussNewtonLargest: number;
  /** Gradient signal-to-noise ratio of each layer over the rows (flow/gradient-noise.ts). */
  gradientSNR: number[];
  /** vᵀ∇f for the most negative eigenvector v (sign fixed so that it is ≤ 0). */
  slopeAlongV: number;
  /** f along ±v at each of SADDLE_STEPS, shortest first. */
  probes: SaddleProbe[];
  /** f down its gradient, f(θ − s·∇f/‖∇f‖) − f(θ), at every length of DESCENT_STEPS and the best one's refinement, as CurvatureReport.descent; empty where ∇f = 0. */
  descent: DownhillProbe[];
  /** What the measurements say about the point: curvatureVerdict's rule. */
  verdict: CurvatureVerdict;
}

/** What runPlateauStudy measured. */
export interface PlateauResult {
  /** The network's layer sizes (PLATEAU_SIZES). */
  sizes: number[];
  /** Training rows: the first digits. */
  rows: number;
  /** Epochs of full-batch training. */
  epochs: number;
  /** Nielsen's η. */
  learningRate: number;
  /** The L2 λ the network trained with. */
  lambda: number;
  /** What the points measure (PlateauOptions.curvatureOf): with 'loss', f = C and each point's objective is its loss. */
  curvatureOf: CurvatureOf;
  /** The points, in epoch order. */
  points: PlateauPoint[];
  /** The mean-field prediction of the gradient decay over depth at initialisation, beside the measured one. */
  meanField: MeanFieldLayer[];
  /** diagnose() of the last stretch of training (traced every ~2 % of it), with the last point's curvature; absent without training. */
  diagnosis?: Diagnosis;
  /** The trace of that last stretch, which the diagnosis read (its network and training settings); absent without training. */
  trace?: Trace;
  /** Accuracy on the digits' test split at the end. */
  testAccuracy: number;
  /** Wall-clock seconds the study took. */
  seconds: number;
}

/** The last point's curvature as diagnose() takes it (verdictEvidence: one mapping with measureCurvature's reports). */
export function curvatureEvidence(point: PlateauPoint, measured: CurvatureOf): CurvatureEvidence {
  return verdictEvidence(point.verdict, pointReading(point.verdict, point.probes, downhillOf(point.descent)), point.smallest[0], point.largest[0], measured);
}

/** Runs the study (see the file comment; docs/curvature.md, "Saddle or minimum?"): `gradscope study plateau`. */
export async function runPlateauStudy(options: PlateauOptions = {}): Promise<PlateauResult> {
  checkKnownKeys(options, keysOf<PlateauOptions>({ epochs: true, points: true, lambda: true, k: true, rows: true, maxSteps: true, seed: true, curvatureOf: true, onProgress: true }), 'runPlateauStudy');
  const epochs = checkAtMost(checkNumber(options.epochs, 'plateau study: epochs', { min: 0, integer: true }, NIELSEN_TRAINING.epochs), 'plateau study: epochs', NIELSEN_EPOCHS_BOUND);
  const points = checkAtMost(checkNumber(options.points, 'plateau study: points', { min: 1, integer: true }, PLATEAU_DEFAULTS.points), 'plateau study: points', PLATEAU_POINTS_BOUND);
  const rows = checkNumber(options.rows, 'plateau study: rows', { min: 2, integer: true }, DEPTH_ROWS);
  const lambda = checkFloat32(checkAtMost(checkNumber(options.lambda, 'plateau study: lambda', { min: 0 }, NIELSEN_TRAINING.lambda), 'plateau study: lambda', nielsenLambdaBound(rows)), 'plateau study: lambda', rows);
  const k = checkEigenCount(options.k ?? PLATEAU_DEFAULTS.k, PLATEAU_K_BOUND.max, 'plateau study: k');
  const maxSteps = checkNumber(options.maxSteps, 'plateau study: maxSteps', { min: 2, integer: true }, 200);
  checkCallback(options.onProgress, 'plateau study: onProgress');
  const curvatureOf = options.curvatureOf === undefined ? PLATEAU_DEFAULTS.curvatureOf : checkChoice(options.curvatureOf, CURVATURE_OF, 'plateau study: curvatureOf');
  // Checked here, before the digits load: createNetwork would refuse it after, in its own name.
  const seed = checkSeed(options.seed ?? STUDY_SEED, 'plateau study: seed');
  // The L2 term in what is measured; the training keeps λ either way.
  const measuredLambda = curvatureOf === 'loss' ? 0 : lambda;
  const started = performance.now();
  // Only the digits used: the first `rows` training digits (all of them, for more), and the test digits.
  const digits = await loadMnist({ take: { train: Math.min(rows, MNIST_TRAIN_DIGITS) } });
  const data = digits.train;
  const net = await createNetwork({ sizes: PLATEAU_SIZES, seed, ...DEPTH_NETWORK_OPTIONS });
  let resident: Dataset | undefined;
  try {
    // Uploaded once, for the training calls between the points and each point's curvature and probes.
    const dataset = (resident = net.dataset(data.x, data.y));
    // Each epoch once: repeated marks measured the same weights again, and the summary counted them as more points.
    const marks = [...new Set(Array.from({ length: points }, (_, i) => (points === 1 ? epochs : Math.round((i * epochs) / (points - 1)))))];
    const measured: PlateauPoint[] = [];
    let epoch = 0;
    let trace: Trace | undefined;
    const meanField = meanFieldPrediction(net, data.x, data.y);
    for (const mark of marks) {
      if (mark > epoch) {
        net.train(dataset, {
          epochs: mark - epoch,
          ...nielsenTraining(data.x.rows, lambda),
          // One step per epoch (a full batch): the call's last step is recorded whatever the grid, the end the diagnosis reads.
          trace: { every: Math.max(1, Math.floor((mark - epoch) / 50)), extraSteps: [net.step + mark - epoch] },
        });
        trace = net.trace;
        epoch = mark;
      }
      measured.push(measurePoint(net, dataset, { epoch, lambda: measuredLambda, k, maxSteps, seed, massProbes: MASS_PROBES }));
      options.onProgress?.(measured.length, marks.length);
    }
    return {
      sizes: PLATEAU_SIZES,
      rows: data.x.rows,
      epochs,
      learningRate: NIELSEN_TRAINING.learningRate,
      lambda,
      curvatureOf,
      points: measured,
      meanField,
      diagnosis: trace && diagnose(trace, { curvature: curvatureEvidence(measured[measured.length - 1], curvatureOf) }),
      trace,
      testAccuracy: net.evaluate(digits.test.x, digits.test.y).accuracy,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    resident?.dispose();
    net.dispose();
  }
}

interface PointSettings {
  epoch: number;
  lambda: number;
  k: number;
  maxSteps: number;
  seed: number;
  /** LanczosOptions.massProbes of the Hessian's run: runPlateauStudy's MASS_PROBES, as measureCurvature's; 0: the run's own one-probe quadrature. */
  massProbes: number;
}

/**
 * Everything at one point of training; the weights are left as they were. A dense network only
 * (INVALID_OPTION before anything is measured): the gradient noise is read per dense layer, and
 * the probes evaluate the objective as `evaluate` does, which a batch-norm network runs on its
 * running statistics rather than the batch statistics its Hessian is taken through.
 */
export function measurePoint(net: Network, dataset: Dataset, settings: PointSettings): PlateauPoint {
  const { lambda, k } = settings;
  const model = denseModelOf(net, 'study plateau');
  // The operators and the probes' objective (on both sides of every step) read the caller's rows: one copy in the backend.
  const ops = new CurvatureOperators(net, dataset);
  try {
    const decay = lambda / ops.rows;
    // 1 on the weights' entries of the flat vector, 0 on the biases': where the L2 term acts.
    const onWeights = new Float64Array(ops.size);
    let offset = 0;
    for (const p of net[MODEL].parameters()) {
      if (p.weightMatrix) onWeights.fill(1, offset, offset + p.length);
      offset += p.length;
    }
    const weights = flatWeights(net);
    let l2 = 0;
    for (let i = 0; i < ops.size; i++) l2 += onWeights[i] * weights[i] ** 2;
    const objective = ops.loss + 0.5 * decay * l2;
    const gradient = ops.gradient.map((g, i) => g + decay * onWeights[i] * weights[i]);
    const hessian = (out: Float64Array, v: Float64Array) => {
      ops.hessian(out, v);
      for (let i = 0; i < out.length; i++) out[i] += decay * onWeights[i] * v[i];
    };
    const eigen = lanczos(hessian, ops.size, { k, maxSteps: settings.maxSteps, tolerance: 1e-6, seed: settings.seed, vectors: true, massProbes: settings.massProbes });
    // G's largest value alone: its smallest, near 0, converge last and are not read
    const gaussNewton = lanczos(ops.gaussNewton, ops.size, { k: 1, maxSteps: settings.maxSteps, tolerance: 1e-6, seed: settings.seed, ends: 'largest' });
    const v = eigen.smallestVector!;
    const slopeAlongV = orientDownhill(v, gradient);
    // GSNR from the backprop CurvatureOperators ran (the deltas are still those of all rows)
    const meter = new GradientNoiseMeter(model.kernels, denseChainNoiseLayers(model));
    const gradientSNR = meter.measure(ops.rows).map((layer) => layer.gradientSNR);
    meter.free();
    const gradientNorm = euclideanNorm(gradient);
    const down = gradient.map((g) => -g / gradientNorm);
    let probes: SaddleProbe[];
    let descent: DownhillProbe[];
    try {
      probes = saddleProbes((t) => objectiveAt(net, dataset, weights, v, t, decay, onWeights) - objective);
      descent = gradientNorm === 0 ? [] : descentProbes((t) => objectiveAt(net, dataset, weights, down, t, decay, onWeights) - objective);
    } finally {
      restore(net, weights);
    }
    return {
      epoch: settings.epoch,
      loss: ops.loss,
      objective,
      gradientNorm,
      lossGradientNorm: euclideanNorm(ops.gradient),
      largest: eigen.largest,
      smallest: eigen.smallest,
      converged: eigen.converged,
      negativeMass: eigen.negativeMass,
      negativeMassExact: eigen.negativeMassExact,
      negativeMassProbes: eigen.negativeMassProbes,
      gaussNewtonLargest: gaussNewton.largest[0],
      gradientSNR,
      slopeAlongV,
      probes,
      descent,
      verdict: curvatureVerdict(eigen.smallest[0], gradientNorm, descent, probes),
    };
  } finally {
    ops.dispose();
  }
}

/** The network's parameters, flat in parameters() order. */
function flatWeights(net: Network): Float64Array {
  const model = net[MODEL];
  return Float64Array.from(model.parameters().flatMap((p) => Array.from(model.kernels.view(p.value))));
}

/** Writes `base + t·v` into the network's parameters. */
function setWeights(net: Network, base: Float64Array, v: Float64Array | undefined, t: number): void {
  const model = net[MODEL];
  let offset = 0;
  for (const p of model.parameters()) {
    const values = base.subarray(offset, offset + p.length).map((w, i) => (v ? w + t * v[offset + i] : w));
    model.kernels.write(p.value, values);
    offset += p.length;
  }
}

function restore(net: Network, base: Float64Array): void {
  setWeights(net, base, undefined, 0);
}

/**
 * f at θ + t·v: the loss plus the L2 term at `decay` (0: the loss alone). Infinity where the rows' loss there is beyond
 * float32's range (evaluate refuses it, NON_FINITE_INPUT), as CurvatureOperators.lossAlong gives for `gradscope
 * curvature`'s probes: no loss can be taken there, and a probe says so rather than the study stopping with the weights
 * moved (it threw past float32, measurePoint's weights left at θ + t·v). The caller writes θ back.
 */
function objectiveAt(net: Network, data: Dataset, base: Float64Array, v: Float64Array, t: number, decay: number, onWeights: Float64Array): number {
  setWeights(net, base, v, t);
  let loss: number;
  try {
    loss = net.evaluate(data).loss;
  } catch (error) {
    if (error instanceof GradscopeError && error.code === 'NON_FINITE_INPUT') return Infinity;
    throw error;
  }
  if (!lossWithinFloat32(loss)) return Infinity;
  let l2 = 0;
  for (let i = 0; i < base.length; i++) l2 += onWeights[i] * (base[i] + t * v[i]) ** 2;
  return loss + 0.5 * decay * l2;
}
