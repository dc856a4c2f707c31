/** `npm run demo`: builds the visualizer and serves it on 127.0.0.1 (port 5173 or the next free one), printing the URL. */
import { buildDemo } from './build.js';
import { startDemoServer } from './preview-server.js';

const { warnings } = await buildDemo();
warnings.forEach((w) => console.warn(w));
const { url } = await startDemoServer();
console.log(`gradscope visualizer: ${url}`);
console.log('Press Ctrl+C to stop.');
