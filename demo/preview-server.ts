/** The visualizer's static server: vite preview of the built page on 127.0.0.1 (or a host asked for), from a port up to the next free one. */
import type { AddressInfo } from 'node:net';
import { preview, type PreviewServer } from 'vite';
import config from './vite.config.js';

/** The port `npm run demo` asks for first (vite's own default for its dev server). */
export const DEMO_PORT = 5173;

/** A running preview and the address it listens on. */
export interface DemoServer {
  server: PreviewServer;
  /** The page's URL, on the port it got: `port` or, when that was taken, the next free one. */
  url: string;
}

/** The host `npm run demo` listens on unless its --host names another: this machine alone. */
export const DEMO_HOST = '127.0.0.1';

/**
 * Serves build/demo/ on `host` from `port`: a taken port is passed over for the next free one
 * (strictPort false), so a second `npm run demo`, or anything else on the port, does not stop it.
 * The URL is read from the socket, not the configuration, which still holds the port asked for.
 * `host` '0.0.0.0' listens on every network interface (a class's phones on the machine's network).
 */
export async function startDemoServer(port = DEMO_PORT, host = DEMO_HOST): Promise<DemoServer> {
  const server = await preview({ ...config, configFile: false, preview: { host, port, strictPort: false, open: false } });
  const { address, port: used } = server.httpServer.address() as AddressInfo;
  return { server, url: `http://${address}:${used}/` };
}
