/** `npm run demo`: builds the visualizer and serves it on 127.0.0.1, printing the URL. */
import { preview } from 'vite';
import { buildDemo } from './build.js';
import config from './vite.config.js';

const { warnings } = await buildDemo();
warnings.forEach((w) => console.warn(w));
const server = await preview({ ...config, configFile: false, preview: { host: '127.0.0.1', port: 5173, open: false } });
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.preview.port}/`;
console.log(`gradscope visualizer: ${url}`);
console.log('Press Ctrl+C to stop.');
