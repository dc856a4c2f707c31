/**
 * Instructions per call of the SIMD dense products and of the peak loop with the same flops
 * (f32_peak_madd, what bench/dense.bench.ts quotes them against), counted by valgrind's callgrind
 * in one process per binary (bench/instructions-child.mjs, TurboFan code only: --no-liftoff).
 * Timings on a shared machine spread by tens of percent; these counts are the same at any load, so
 * they show what a kernel change removes or adds where an A/B of times (bench/ab.ts) cannot tell.
 * Where a CPU is bound by how many instructions it issues, peak ÷ product bounds the fraction of
 * the peak a product can reach. The Zen 3 of 2026-12-01 looked so bound: the 64×784→100 products
 * ran 85–87 % of the peak loop's instructions before commit f118116 and 87–92 % of its speed in
 * bench/RESULTS.md's run of 12:01, and the relaxed_madd tile (8 instructions a step fewer than
 * mul+add) ran in 0.63× the time. Needs valgrind (Debian: apt-get install valgrind).
 *
 *   npx tsx bench/instructions.ts build/gradscope.simd.wasm [other.wasm …] [--shape 64,784,100 …] [--calls 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flagValues = (flag: string): string[] => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
const shapes = flagValues('--shape').length > 0 ? flagValues('--shape') : ['64,784,100'];
const calls = Number(flagValues('--calls')[0] ?? '10');
const binaries = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (binaries.length === 0 || !Number.isInteger(calls) || calls < 1) {
  throw new Error('usage: npx tsx bench/instructions.ts <binary.wasm>… [--shape batch,nIn,nOut]… [--calls n]');
}
const child = fileURLToPath(new URL('./instructions-child.mjs', import.meta.url));

/** Instructions per call of each phase the child ran in `binary`, in its order. */
async function count(binary: string): Promise<{ name: string; perCall: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-instructions-'));
  try {
    const out = join(dir, 'cg');
    const names = await new Promise<string>((resolve, reject) => {
      const p = spawn('valgrind', ['--tool=callgrind', '--dump-before=uv_loadavg', `--callgrind-out-file=${out}.%p`, process.execPath, '--no-liftoff', child, binary, String(calls), ...shapes], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '', stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`valgrind exited with ${code}: ${stderr.slice(-2000)}`))));
    });
    const phases = JSON.parse(names) as string[];
    // Dump n (files cg.<pid>.<n>) holds the instructions since dump n − 1: dump 1 is the start-up
    // and the warm-up calls, dump k + 1 the k-th phase.
    const dumps = readdirSync(dir)
      .map((f) => /^cg\.\d+\.(\d+)$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ n: Number(m[1]), file: join(dir, m[0]) }))
      .sort((x, y) => x.n - y.n);
    if (dumps.length !== phases.length + 1) throw new Error(`${binary}: ${dumps.length} dumps for ${phases.length} phases`);
    return phases.map((name, i) => {
      const totals = /^(?:summary|totals): (\d+)/m.exec(readFileSync(dumps[i + 1].file, 'utf8'));
      if (!totals) throw new Error(`${binary}: no total in ${dumps[i + 1].file}`);
      return { name, perCall: Number(totals[1]) / calls };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const counted = await Promise.all(binaries.map(count));
console.log(`instructions per call (valgrind callgrind, ${calls} calls each); "of peak": the peak loop's count for the same flops ÷ the product's`);
console.log(`${'shape task'.padEnd(26)} ${binaries.map((b) => b.padStart(Math.max(24, b.length))).join(' ')}`);
for (const [i, { name }] of counted[0].entries()) {
  const peakAt = i - (i % 4);
  const cells = counted.map((phases) => {
    const { perCall } = phases[i];
    const ofPeak = name.endsWith(' peak') ? '' : ` (${((100 * phases[peakAt].perCall) / perCall).toFixed(1)} %)`;
    return `${(perCall / 1e6).toFixed(3)} M${ofPeak}`.padStart(24);
  });
  console.log(`${name.padEnd(26)} ${cells.join(' ')}`);
}
