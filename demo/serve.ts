/**
 * `npm run demo`: builds the visualizer and serves it on 127.0.0.1 (port 5173 or the next free one), printing the URL;
 * `npm run demo -- --host 0.0.0.0` serves it on every network interface and prints the machine's addresses.
 */
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { buildDemo } from './build.js';
import { DEMO_HOST, startDemoServer } from './preview-server.js';

const { values } = parseArgs({ options: { host: { type: 'string', default: DEMO_HOST } } });
const { warnings } = await buildDemo();
warnings.forEach((w) => console.warn(w));
const { url } = await startDemoServer(undefined, values.host);
console.log(`gradscope visualizer: ${url}`);
if (values.host === '0.0.0.0') {
  // Listening on every interface: the addresses another device on the network opens.
  const { port } = new URL(url);
  for (const address of Object.values(networkInterfaces()).flat()) {
    if (address && address.family === 'IPv4' && !address.internal) console.log(`  on this network: http://${address.address}:${port}/`);
  }
}
console.log('Press Ctrl+C to stop.');
