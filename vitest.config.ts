import { defineConfig } from 'vitest/config';

// Suites train real networks and drive a browser on a shared 2-core machine: generous timeouts,
// since speed is measured by `npm run bench`, never by tests.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts'],
    // First, no run on a build/ older than its sources (test/util/current-build.ts); then one
    // temporary folder per run, removed at its end (test/util/temp-root.ts).
    globalSetup: ['test/util/current-build.ts', 'test/util/temp-root.ts'],
    // Node 20 validates relaxed SIMD only behind this flag: with it the suites over every backend
    // also run the relaxed binary (test/util/backends.ts).
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
