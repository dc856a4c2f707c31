/**
 * Memory for tensors in the core's linear memory, managed from TypeScript so the WASM side never
 * allocates. First fit over an address-ordered free list with coalescing: a disposed network's
 * blocks are reused by the next one, so create/dispose cycles keep memory flat.
 */
import { GradscopeError } from '../errors.js';

const ALIGN = 16;
const PAGE = 65536;
/** wasm32 addresses 4 GiB; V8 lets memory grow to 65536 pages. */
const MAX_PAGES = 65536;

interface Block {
  start: number;
  size: number;
}

export class Allocator {
  private readonly freeBlocks: Block[] = [];
  private readonly sizes = new Map<number, number>();
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.top = alignUp(heapBase);
  }

  /** Bytes handed out and not yet released. */
  get bytesInUse(): number {
    let used = 0;
    for (const size of this.sizes.values()) used += size;
    return used;
  }

  /** Bytes that can still be handed out: the free blocks and everything above the top, up to 4 GiB. */
  get bytesAvailable(): number {
    let free = MAX_PAGES * PAGE - this.top;
    for (const block of this.freeBlocks) free += block.size;
    return free;
  }

  alloc(bytes: number): number {
    const size = alignUp(Math.max(bytes, ALIGN));
    const index = this.freeBlocks.findIndex((block) => block.size >= size);
    let start: number;
    if (index >= 0) {
      const block = this.freeBlocks[index];
      start = block.start;
      if (block.size === size) this.freeBlocks.splice(index, 1);
      else {
        block.start += size;
        block.size -= size;
      }
    } else {
      start = this.top;
      this.ensureCapacity(start + size);
      this.top = start + size;
    }
    this.sizes.set(start, size);
    new Uint8Array(this.memory.buffer, start, size).fill(0);
    return start;
  }

  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    let index = this.freeBlocks.findIndex((block) => block.start > ptr);
    if (index < 0) index = this.freeBlocks.length;
    this.freeBlocks.splice(index, 0, { start: ptr, size });
    this.coalesce(index);
  }

  private coalesce(index: number): void {
    const blocks = this.freeBlocks;
    if (index + 1 < blocks.length && blocks[index].start + blocks[index].size === blocks[index + 1].start) {
      blocks[index].size += blocks[index + 1].size;
      blocks.splice(index + 1, 1);
    }
    if (index > 0 && blocks[index - 1].start + blocks[index - 1].size === blocks[index].start) {
      blocks[index - 1].size += blocks[index].size;
      blocks.splice(index, 1);
      index--;
    }
    // A free block at the top goes back to the bump pointer.
    const last = blocks[blocks.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      blocks.pop();
    }
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new GradscopeError(
        'OUT_OF_MEMORY',
        `cannot allocate ${end - this.top} bytes: WebAssembly memory is limited to 4 GiB (${(have / 2 ** 20).toFixed(0)} MiB in use)`,
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new GradscopeError('OUT_OF_MEMORY', `the engine refused to grow WebAssembly memory by ${pages} pages: ${String(cause)}`);
    }
  }
}

export function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
