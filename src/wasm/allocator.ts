/**
 * Memory for tensors in the core's linear memory, managed from TypeScript so the WASM side never
 * allocates. A bump pointer with a free list whose blocks are indexed by their start and by their
 * end, so a release coalesces with both neighbours in constant time (a disposed network of n
 * tensors is freed in O(n), whatever the order) and a free block reaching the top goes back to the
 * bump pointer. Allocation takes the first free block that fits; a disposed network's blocks are
 * reused by the next one, so create/dispose cycles keep memory flat.
 */
import { mebibytes } from '../byte-text.js';
import { GradscopeError } from '../errors.js';
import { grouped } from '../counted.js';

const ALIGN = 16;
/**
 * The first block starts on a cache line (64 bytes), whatever the core's static data ends at, so
 * the tensors' places within their lines do not move when the core's static data grows: its
 * heap_base went from 7168 (a line's start) to 7248 with b6f87c41, and every tensor with it.
 */
const FIRST_ALIGN = 64;
/** Bytes of a WebAssembly memory page. */
export const PAGE = 65536;
/** wasm32 addresses 4 GiB; V8 lets memory grow to 65536 pages. */
export const MAX_PAGES = 65536;

export class Allocator {
  /** Free blocks below the top: size by start, and start by end (no free block ends at the top). */
  private readonly freeByStart = new Map<number, number>();
  private readonly freeByEnd = new Map<number, number>();
  /** Size of every block handed out, by start. */
  private readonly sizes = new Map<number, number>();
  private inUse = 0;
  private freeBytes = 0;
  private top: number;
  /**
   * The highest the top has been: memory above it has never been handed out, so it still holds the
   * zeros memory.grow gives (the core writes only into blocks it is given). Allocating there skips
   * the zeroing, so a large block costs no pass over its pages until its owner writes them.
   */
  private highWater: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
    /**
     * Zeroes `bytes` (a multiple of 16) at `start`; default a Uint8Array fill. The wasm backend
     * passes the core's memory.fill instead: on a shared memory (two threads) V8 fills a typed
     * array element by element, about 15× slower (17 ms for 28 MB against 0.3–1 ms on the AMD EPYC
     * Zen 5, 2026-11-30), and every
     * train(x, y) zeroes the block its upload is copied into.
     */
    private readonly zero: (start: number, bytes: number) => void = (start, bytes) => void new Uint8Array(memory.buffer, start, bytes).fill(0),
  ) {
    this.top = Math.ceil(heapBase / FIRST_ALIGN) * FIRST_ALIGN;
    this.highWater = this.top;
  }

  /** Bytes handed out and not yet released. */
  get bytesInUse(): number {
    return this.inUse;
  }

  /**
   * Bytes that can surely still be handed out, however they are split into requests: the room above
   * the top, up to 4 GiB. Free blocks below the top are not counted: a request larger than each of
   * them goes above the top, so counting them said yes to requests that then failed (1 MiB asked of
   * 16 holes of 64 KiB and 32 KiB above the top: test/wasm/allocator.test.ts). A request that does
   * fit a free block takes it, and leaves the room above the top to the others.
   */
  get bytesAvailable(): number {
    return MAX_PAGES * PAGE - this.top;
  }

  /** Free blocks below the top (for tests of coalescing). */
  get freeBlockCount(): number {
    return this.freeByStart.size;
  }

  /** A zero-filled block of at least `bytes`; its start. */
  alloc(bytes: number): number {
    return this.take(bytes, true);
  }

  /**
   * A block of at least `bytes` left as it is, for an owner that overwrites it whole before reading
   * it: a 28 MB upload into a block that had been used is then one pass over its pages instead of two.
   */
  allocUninitialized(bytes: number): number {
    return this.take(bytes, false);
  }

  private take(bytes: number, zeroed: boolean): number {
    const size = alignUp(Math.max(bytes, ALIGN));
    let start = -1;
    if (this.freeBytes >= size) {
      for (const [blockStart, blockSize] of this.freeByStart) {
        if (blockSize < size) continue;
        start = blockStart;
        this.freeByStart.delete(blockStart);
        this.freeBytes -= size;
        // The rest keeps its end: its freeByEnd entry is updated in place (see release).
        if (blockSize > size) {
          this.freeByStart.set(blockStart + size, blockSize - size);
          this.freeByEnd.set(blockStart + blockSize, blockStart + size);
        } else this.freeByEnd.delete(blockStart + blockSize);
        break;
      }
    }
    if (start < 0) {
      start = this.top;
      this.ensureCapacity(start + size);
      this.top = start + size;
      const used = Math.min(size, this.highWater - start);
      if (used > 0 && zeroed) this.zero(start, used);
      this.highWater = Math.max(this.highWater, this.top);
    } else if (zeroed) this.zero(start, size);
    this.sizes.set(start, size);
    this.inUse += size;
    return start;
  }

  /**
   * Frees the block at `ptr` (a no-op for anything not handed out). Entries whose key survives a
   * merge are updated in place, never deleted and added again: V8's Map keeps a deleted entry in
   * its hash chain until it rehashes, so re-adding one key over and over makes lookups linear.
   */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    this.inUse -= size;
    this.freeBytes += size;
    let start = ptr;
    let end = ptr + size;
    const after = this.freeByStart.get(end);
    if (after !== undefined) {
      this.freeByStart.delete(end);
      end += after; // its freeByEnd entry becomes this block's
    }
    const before = this.freeByEnd.get(start);
    if (before !== undefined) {
      this.freeByEnd.delete(start);
      start = before; // its freeByStart entry becomes this block's
    }
    if (end === this.top) {
      // Back to the bump pointer.
      if (before !== undefined) this.freeByStart.delete(start);
      if (after !== undefined) this.freeByEnd.delete(end);
      this.freeBytes -= end - start;
      this.top = start;
      return;
    }
    this.freeByStart.set(start, end - start);
    this.freeByEnd.set(end, start);
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new GradscopeError(
        'OUT_OF_MEMORY',
        `cannot allocate ${grouped(end - this.top)} bytes: WebAssembly memory is limited to 4 GiB (${mebibytes(have)} in use)`,
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      // An engine may stop below wasm32's 4 GiB (a 32-bit host, a browser's own cap, the machine's memory).
      throw new GradscopeError(
        'OUT_OF_MEMORY',
        `cannot allocate ${grouped(end - this.top)} bytes: the engine refused to grow WebAssembly memory from ${mebibytes(have)} to ${mebibytes(have + pages * PAGE)}, below the 4 GiB wasm32 addresses (${String(cause)})`,
      );
    }
  }
}

export function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
