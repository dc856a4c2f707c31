/** The example resolves 'gradscope' to this repository's sources, as an installed package would. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const EXAMPLE_OUT = here('../../build/example-vite/');

/**
 * Vite's advisory chunk-size limit in kB, raised from its 500: gradscope's code for this page bundles to about
 * 500 kB minified (docs/browser.md says the measured size), one module graph a page cannot split further.
 */
export const CHUNK_SIZE_WARNING_LIMIT = 600;

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  resolve: { alias: { gradscope: here('../../src/index.ts') } },
  build: { outDir: EXAMPLE_OUT, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: CHUNK_SIZE_WARNING_LIMIT },
});
