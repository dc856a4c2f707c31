/** Builds this example with Vite and serves it on 127.0.0.1, printing the URL (`npm run example:vite`). */
import { build, preview } from 'vite';
import config from './vite.config.js';

await build({ ...config, configFile: false });
const server = await preview({ ...config, configFile: false, preview: { host: '127.0.0.1', port: 5174, open: false } });
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.preview.port}/`;
console.log(`gradscope with Vite: ${url}`);
console.log('Press Ctrl+C to stop.');
