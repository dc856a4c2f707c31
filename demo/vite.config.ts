/** Vite build of the visualizer: demo/ → build/demo/, the MNIST subset served from build/demo-public/. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const DEMO_OUT = here('../build/demo/');
export const DEMO_PUBLIC = here('../build/demo-public/');

/**
 * No warning for slow plugins: how long a build takes says nothing of the bundle, and on a loaded
 * machine (CI) builds were slow enough to warn, which the bundle tests count as a bundler warning.
 */
export const NO_TIMING_WARNINGS = { checks: { bundlerTimings: false } };

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the built page works from any folder it is served from.
  base: './',
  publicDir: DEMO_PUBLIC,
  logLevel: 'warn',
  build: { outDir: DEMO_OUT, emptyOutDir: true, target: 'es2022', rolldownOptions: NO_TIMING_WARNINGS },
  worker: { format: 'es', rolldownOptions: NO_TIMING_WARNINGS },
});
