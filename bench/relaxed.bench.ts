/**
 * Relaxed SIMD, evaluated: is a relaxed-simd build (f32x4.relaxed_madd in the dense microkernel)
 * worth shipping? Builds assembly/eval/relaxed-tile.ts (the 4×8 tile loop twice, mul+add and
 * relaxed_madd) with asc, then times both side by side in a child Node started with
 * --experimental-wasm-relaxed-simd (Node 20 validates relaxed SIMD only behind that flag).
 * Also reports whether this Node accepts the module without the flag, which is what users get.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export async function runRelaxedBench(): Promise<RelaxedResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gradscope-relaxed-'));
  try {
    const wasm = path.join(dir, 'tile.wasm');
    const build = spawnSync(
      path.join(ROOT, 'node_modules/.bin/asc'),
      ['assembly/eval/relaxed-tile.ts', '--enable', 'simd,relaxed-simd', '--optimizeLevel', '3', '--runtime', 'stub', '--noAssert', '-o', wasm],
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

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runRelaxedBench());
}
