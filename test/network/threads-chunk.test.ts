/**
 * createNetwork loads the threads' code (src/wasm/threads/threads-entry.ts) only for `threads: n`,
 * n ≥ 2, by a dynamic import (src/backend.ts: in a bundled page a chunk of its own, which a page on one
 * thread never fetches); where it cannot be loaded, IO_ERROR with the import's reason, as
 * renderReport's code (src/chunk-import.ts).
 */
import { describe, expect, it, vi } from 'vitest';

const ENTRY = '../../src/wasm/threads/threads-entry.js';

describe("the threads' chunk", () => {
  it('is not loaded by a network on one thread; where it cannot be loaded, threads: 2 rejects with IO_ERROR and its reason', async () => {
    // A module graph of its own, in which the threads' entry cannot be loaded (and so its own GradscopeError class).
    vi.resetModules();
    vi.doMock(ENTRY, () => {
      throw new TypeError('Failed to fetch dynamically imported module: https://example.test/assets/threads-entry-B2x.js');
    });
    try {
      const [{ createNetwork }, errors] = [await import('../../src/api/network.js'), await import('../../src/errors.js')];
      for (const options of [{}, { threads: 1 }]) (await createNetwork({ sizes: [2, 2], ...options })).dispose();
      const error = await createNetwork({ sizes: [2, 2], threads: 2 }).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(errors.GradscopeError);
      expect((error as InstanceType<typeof errors.GradscopeError>).code).toBe('IO_ERROR');
      // What the import was refused with, as this runner says it (vitest wraps the factory's error), is the reason given.
      const cause: unknown = await import(ENTRY).then(() => 'loaded', (refused: unknown) => refused);
      expect(String(cause)).not.toBe('loaded');
      expect((error as Error).message).toBe(
        `threads: could not load the threads' code (gradscope's wasm/threads/threads-entry.js, in a bundled page a chunk of its own; serve every file the build wrote): ${String(cause)}`,
      );
    } finally {
      vi.doUnmock(ENTRY);
      vi.resetModules();
    }
  });
});
