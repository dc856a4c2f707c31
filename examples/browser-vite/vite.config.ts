/** The example resolves 'gradscope' to this repository's sources, as an installed package would. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const EXAMPLE_OUT = here('../../build/example-vite/');

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  resolve: { alias: { gradscope: here('../../src/index.ts') } },
  build: { outDir: EXAMPLE_OUT, emptyOutDir: true, target: 'es2022' },
});
