// The allocator of WASM linear memory against a model of what it must hold: blocks handed out never
// overlap and stay inside memory, the counters are exact, freed neighbours coalesce whatever the
// order of release, and freeing everything returns the memory to where it started.
import { describe, expect, it } from 'vitest';
import { Allocator } from '../../src/wasm/allocator.js';
import { Rng } from '../../src/init/rng.js';

const BASE = 1000; // not a multiple of 16: the allocator aligns it
const PAGE = 65536;

function fresh(): { allocator: Allocator; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  return { allocator: new Allocator(memory, BASE), memory };
}

describe('Allocator', () => {
  it('starts the first block on a cache line, whatever the heap base', () => {
    for (const base of [1000, 7168, 7216, 7248]) {
      const allocator = new Allocator(new WebAssembly.Memory({ initial: 1, maximum: 65536 }), base);
      const first = allocator.alloc(4);
      expect(first % 64, `heap base ${base}`).toBe(0);
      expect(first).toBeGreaterThanOrEqual(base);
      expect(first - base).toBeLessThan(64);
    }
  });

  it('hands out aligned, disjoint, zeroed blocks; counters exact; everything freed in random order coalesces back', () => {
    const rng = new Rng(12);
    const { allocator, memory } = fresh();
    const available = allocator.bytesAvailable;
    const live = new Map<number, number>(); // start → requested bytes
    const wrong: string[] = [];
    for (let round = 0; round < 4000; round++) {
      if (live.size === 0 || rng.uniform() < 0.55) {
        const bytes = 1 + Math.floor(rng.uniform() ** 3 * 5000);
        const start = allocator.alloc(bytes);
        const block = new Uint8Array(memory.buffer, start, bytes);
        if (start % 16 !== 0 || start < BASE || start + bytes > memory.buffer.byteLength) wrong.push(`${start}+${bytes} misplaced`);
        if (!block.every((b) => b === 0)) wrong.push(`${start} not zeroed`);
        block.fill(0xab); // dirty, so reuse must zero it again
        for (const [other, size] of live) if (start + bytes > other && other + size > start) wrong.push(`${start}+${bytes} overlaps ${other}+${size}`);
        live.set(start, bytes);
      } else {
        const starts = [...live.keys()];
        const start = starts[Math.floor(rng.uniform() * starts.length)];
        allocator.release(start);
        live.delete(start);
      }
      const inUse = [...live.values()].reduce((sum, bytes) => sum + Math.ceil(Math.max(bytes, 16) / 16) * 16, 0);
      if (allocator.bytesInUse !== inUse) wrong.push(`round ${round}: bytesInUse ${allocator.bytesInUse}, expected ${inUse}`);
    }
    expect(wrong).toEqual([]);
    for (const start of [...live.keys()].sort(() => rng.uniform() - 0.5)) allocator.release(start);
    expect(allocator.bytesInUse).toBe(0);
    expect(allocator.freeBlockCount).toBe(0);
    expect(allocator.bytesAvailable).toBe(available);
  });

  it('coalesces interleaved blocks freed in any order into one, and gives the top back to the bump pointer', () => {
    const { allocator } = fresh();
    const available = allocator.bytesAvailable;
    const keep = allocator.alloc(16); // below everything: the rest can never reach the base
    const blocks = Array.from({ length: 3000 }, (_, i) => allocator.alloc(16 * (1 + (i % 7))));
    const guard = allocator.alloc(16); // above everything: freed blocks stay below the top
    // Every other block first (3000 separate holes would be the worst case for a list), then the rest.
    blocks.filter((_, i) => i % 2 === 0).forEach((b) => allocator.release(b));
    expect(allocator.freeBlockCount).toBe(1500);
    blocks.filter((_, i) => i % 2 === 1).reverse().forEach((b) => allocator.release(b));
    expect(allocator.freeBlockCount).toBe(1);
    // The one hole is reused by the next allocation that fits.
    expect(allocator.alloc(16)).toBe(blocks[0]);
    allocator.release(blocks[0]);
    allocator.release(guard);
    expect(allocator.freeBlockCount).toBe(0);
    allocator.release(keep);
    expect(allocator.bytesAvailable).toBe(available);
  });

  it('grows memory by whole pages, and refuses beyond 4 GiB with OUT_OF_MEMORY', () => {
    const { allocator, memory } = fresh();
    allocator.alloc(3 * PAGE);
    expect(memory.buffer.byteLength).toBe(4 * PAGE);
    expect(() => allocator.alloc(2 ** 32)).toThrow(expect.objectContaining({ code: 'OUT_OF_MEMORY' }));
  });

  // bytesAvailable counted the free blocks below the top as if they were one: 16 holes of 64 KiB and
  // 32 KiB above the top made 1.03 MiB "available", and a request of that much then failed
  // (OUT_OF_MEMORY halfway through whatever was being built, after the up-front check said yes).
  it('bytesAvailable is what requests surely get, one block or many, however fragmented the free blocks are', () => {
    const { allocator } = fresh();
    const holes = Array.from({ length: 16 }, () => [allocator.alloc(PAGE), allocator.alloc(16)][0]);
    // Up to 32 KiB below 4 GiB: fresh pages, never written, so the process commits little of them.
    allocator.alloc(allocator.bytesAvailable - 32 * 1024);
    for (const hole of holes) allocator.release(hole);
    expect(allocator.freeBlockCount).toBe(16);
    const promised = allocator.bytesAvailable;
    expect(promised).toBe(32 * 1024);
    const one = allocator.alloc(promised);
    allocator.release(one);
    // Many requests, each larger than every hole: all above the top, and they fit.
    const many = Array.from({ length: 4 }, () => allocator.alloc(promised / 4));
    expect(() => allocator.alloc(16 * PAGE)).toThrow(expect.objectContaining({ code: 'OUT_OF_MEMORY' }));
    many.forEach((block) => allocator.release(block));
  });

  it('zeroes only memory handed out before: memory above the highest top is still the zeros memory.grow gave', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    const zeroed: [number, number][] = [];
    const allocator = new Allocator(memory, BASE, (start, bytes) => void zeroed.push([start, bytes]));
    const first = allocator.alloc(4 * PAGE);
    expect(zeroed).toEqual([]);
    allocator.release(first); // back to the bump pointer: the next block starts where the first did
    const second = allocator.alloc(6 * PAGE);
    expect(second).toBe(first);
    expect(zeroed).toEqual([[first, 4 * PAGE]]); // the part the first block used, not the 2 fresh pages
  });

  it('allocUninitialized zeroes nothing, and what it handed out is zeroed for the next alloc, from a free block or below the highest top', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    const zeroed: [number, number][] = [];
    const allocator = new Allocator(memory, BASE, (start, bytes) => {
      zeroed.push([start, bytes]);
      new Uint8Array(memory.buffer, start, bytes).fill(0);
    });
    const used = allocator.alloc(2 * PAGE);
    allocator.release(used);
    zeroed.length = 0;
    // Over memory used before, and past the highest top into fresh pages: no zeroing either way.
    const upload = allocator.allocUninitialized(3 * PAGE);
    expect(upload).toBe(used);
    expect(zeroed).toEqual([]);
    new Uint8Array(memory.buffer, upload, 3 * PAGE).fill(0xab); // its owner overwrites it whole
    const above = allocator.alloc(64); // above it: keeps the upload's block from returning to the bump pointer
    allocator.release(upload);
    const reused = allocator.alloc(PAGE); // from the free block the upload left
    expect(reused).toBe(upload);
    expect(new Uint8Array(memory.buffer, reused, PAGE).every((b) => b === 0)).toBe(true);
    allocator.release(reused);
    allocator.release(above);
    const again = allocator.alloc(4 * PAGE); // back at the bump pointer: zeroed up to the highest top
    expect(again).toBe(used);
    expect(new Uint8Array(memory.buffer, again, 4 * PAGE).every((b) => b === 0)).toBe(true);
  });

  it('ignores a release of what it never handed out (or handed back already)', () => {
    const { allocator } = fresh();
    const start = allocator.alloc(64);
    allocator.release(start + 16);
    allocator.release(start);
    allocator.release(start);
    expect(allocator.bytesInUse).toBe(0);
    expect(allocator.freeBlockCount).toBe(0);
  });
});
