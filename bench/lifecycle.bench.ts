/**
 * The allocator's lifecycle work against the number of tensors: the blocks of an n-layer network
 * (per layer W, b, ∂W, ∂b, then z, a, δ of the batch buffers) allocated as the engine does and
 * released in dispose()'s order, whose releases coalesce with neighbours freed earlier. CPU time
 * (user and system, bench/ab-rounds.ts cpuMs, as the dense bench), so a loaded shared machine does not inflate it; linear work keeps ms per 1,000 layers flat.
 * Run alone: `npx tsx bench/lifecycle.bench.ts`.
 */
import { Allocator } from '../src/wasm/allocator.js';
import { cpuMs } from './ab-rounds.js';

export const LIFECYCLE_LAYERS = [4096, 16384, 65536];

export interface LifecycleRow {
  layers: number;
  allocateMs: number;
  releaseMs: number;
}

/** `clock` (ms) times each phase: the process's CPU time unless given. */
export function runLifecycleBench(clock: () => number = cpuMs): LifecycleRow[] {
  return LIFECYCLE_LAYERS.map((layers) => {
    const allocator = new Allocator(new WebAssembly.Memory({ initial: 1, maximum: 65536 }), 1024);
    const parameters: number[][] = [[], [], [], []];
    const buffers: number[][] = [[], [], []];
    const t0 = clock();
    for (let l = 0; l < layers; l++) parameters.forEach((list) => list.push(allocator.alloc(16)));
    for (let l = 0; l < layers; l++) buffers.forEach((list) => list.push(allocator.alloc(64)));
    const t1 = clock();
    for (const list of [...buffers, ...parameters]) for (const block of list) allocator.release(block);
    return { layers, allocateMs: t1 - t0, releaseMs: clock() - t1 };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of runLifecycleBench()) {
    console.log(`${r.layers} layers (${7 * r.layers} blocks): allocate ${r.allocateMs.toFixed(1)} ms, release ${r.releaseMs.toFixed(1)} ms CPU`);
  }
}
