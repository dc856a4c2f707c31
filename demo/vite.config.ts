/** Vite build of the visualizer: demo/ → build/demo/, the MNIST subset served from build/demo-public/. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const DEMO_OUT = here('../build/demo/');
export const DEMO_PUBLIC = here('../build/demo-public/');

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the built page works from any folder it is served from.
  base: './',
  publicDir: DEMO_PUBLIC,
  logLevel: 'warn',
  // No warning for slow plugins: how long a build takes says nothing of the bundle, and on a loaded
  // machine (CI) every build was slow enough to warn, which the bundle test counts as a defect.
  build: { outDir: DEMO_OUT, emptyOutDir: true, target: 'es2022', rolldownOptions: { checks: { bundlerTimings: false } } },
  worker: { format: 'es', rolldownOptions: { checks: { bundlerTimings: false } } },
});
