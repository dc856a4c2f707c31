/**
 * Serves this example on 127.0.0.1 with what its import map points at (the compiled dist/, the .wasm
 * in build/, @assemblyscript/loader), printing the URL (`npm run example:importmap`).
 */
import { resolve } from 'node:path';
import { serveStatic } from '../../test/browser/static-server.js';

const server = await serveStatic({
  '/examples/': resolve('examples'),
  '/dist/': resolve('dist'),
  '/build/': resolve('build'),
  '/node_modules/@assemblyscript/loader/': resolve('node_modules/@assemblyscript/loader'),
});
console.log(`gradscope through an import map: ${server.url}/examples/browser-importmap/`);
console.log('Press Ctrl+C to stop.');
