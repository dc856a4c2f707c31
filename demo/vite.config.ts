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
  build: { outDir: DEMO_OUT, emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});
