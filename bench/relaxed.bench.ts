/**
 * Relaxed SIMD, evaluated: is a relaxed-simd build (f32x4.relaxed_madd in the dense microkernel)
 * worth shipping? Builds assembly/eval/relaxed-tile.ts (the 4×8 tile loop twice, mul+add and
 * relaxed_madd) with asc, then times both side by side in a child Node started with
 * --experimental-wasm-relaxed-simd (Node 20 validates relaxed SIMD only behind that flag).
 * Also reports whether this Node accepts the module without the flag, which is what users get, and
 * what `binary: 'fastest'` costs and picks in fresh processes (bench/relaxed/calibration.ts), and
 * how the two binaries compare on a dense product in alternated rounds in each of those processes
 * after its pick, beside two instances of the default and the two probes (bench/relaxed/binaries.ts),
 * which says whether the picks were right in the host state they were made in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';
import type { PickedProcess } from './verdict.js';

export interface RelaxedResult {
  /** WebAssembly.validate of the relaxed module in this process (no flag). */
  validatesWithoutFlag: boolean;
  mulAddMs: number;
  relaxedMs: number;
  /** relaxed_madd time over mul+add time (median of rounds): below 1, relaxed is faster. */
  ratio: number;
  mulAddGflops: number;
  relaxedGflops: number;
  /** Largest relative difference of the tile between the two (fused rounding). */
  maxRelDiff: number;
  /** `binary: 'fastest'` in CALIBRATION_PROCESSES fresh processes. */
  calibration: {
    /** Median ms createWasmKernels({ binary: 'fastest' }) takes, once per process, after the default binary was loaded. */
    medianMs: number;
    /** The smallest and the largest of those (the smallest: a process the host did not interrupt). */
    minMs: number;
    maxMs: number;
    /** How many processes picked each binary. */
    choices: Record<string, number>;
    /** How many of them kept the default because the budget ran out before the rounds decided. */
    outOfBudget: number;
    /** The 1-minute load average as the processes started. */
    load: number;
    /**
     * Each process's pick and the probes' ratio it was made on, and a dense product
     * (bench/relaxed/binaries.ts) timed in it right after in alternated rounds, per round: the
     * relaxed binary's time over the default's, a second instance of the default's over the first
     * (the noise), and the relaxed probe's over the default's (the host's state in that round).
     */
    processes: PickedProcess[];
  };
}

/** Fresh processes the calibration is measured in (it runs once per process): 7 gave pick counts of 7/7 and 4/7 in two runs minutes apart. */
export const CALIBRATION_PROCESSES = 11;

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export async function runRelaxedBench(): Promise<RelaxedResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gradscope-relaxed-'));
  try {
    const wasm = path.join(dir, 'tile.wasm');
    const build = spawnSync(
      path.join(ROOT, 'node_modules/.bin/asc'),
      // --textFile: asc reads asconfig.json's release target, whose text file (build/gradscope.simd.wat) it would overwrite.
      ['assembly/eval/relaxed-tile.ts', '--enable', 'simd,relaxed-simd', '--optimizeLevel', '3', '--runtime', 'stub', '--noAssert', '-o', wasm, '--textFile', path.join(dir, 'tile.wat')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`asc failed on assembly/eval/relaxed-tile.ts: ${build.stderr}`);
    const validatesWithoutFlag = WebAssembly.validate(readFileSync(wasm));
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', 'bench/relaxed/measure.ts', wasm], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.status !== 0) throw new Error(`relaxed measurement failed: ${run.stderr}`);
    const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as Omit<RelaxedResult, 'validatesWithoutFlag' | 'mulAddGflops' | 'relaxedGflops'> & {
      flopsPerCall: number;
    };
    return {
      calibration: measureCalibration(),
      validatesWithoutFlag,
      mulAddMs: m.mulAddMs,
      relaxedMs: m.relaxedMs,
      ratio: m.ratio,
      mulAddGflops: m.flopsPerCall / m.mulAddMs / 1e6,
      relaxedGflops: m.flopsPerCall / m.relaxedMs / 1e6,
      maxRelDiff: m.maxRelDiff,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureCalibration(): RelaxedResult['calibration'] {
  const load = os.loadavg()[0];
  const costs: number[] = [];
  const choices: Record<string, number> = {};
  let outOfBudget = 0;
  const processes: PickedProcess[] = [];
  for (let i = 0; i < CALIBRATION_PROCESSES; i++) {
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', 'bench/relaxed/calibration.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`calibration measurement failed: ${run.stderr}`);
    const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      calibrationMs: number;
      chosen: string;
      by: string;
      pickRatio?: number;
      relaxedOverDefault: number[];
      defaultAgain: number[];
      probeRelaxedOverDefault: number[];
    };
    costs.push(m.calibrationMs);
    processes.push({ chosen: m.chosen, pickRatio: m.pickRatio, otherOverDefault: m.relaxedOverDefault, defaultAgain: m.defaultAgain, probeOtherOverDefault: m.probeRelaxedOverDefault });
    if (m.by === 'budget') outOfBudget++;
    choices[m.chosen] = (choices[m.chosen] ?? 0) + 1;
  }
  return { medianMs: median(costs), minMs: Math.min(...costs), maxMs: Math.max(...costs), choices, outOfBudget, load, processes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runRelaxedBench());
}
