/**
 * A minimal static file server on 127.0.0.1 for the end-to-end suites: serves `.wasm` as
 * application/wasm (so compileStreaming is exercised) and maps URL prefixes to folders. With
 * `crossOriginIsolated`, every response carries the two headers that make a page cross-origin
 * isolated, which browsers require before they hand out SharedArrayBuffer (threads).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface ServeOptions {
  /** Send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp. */
  crossOriginIsolated?: boolean;
}

/** The headers of a cross-origin isolated page (same-origin subresources need nothing more). */
export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } as const;

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves each `prefix → folder` of `mounts` (longest prefix first); folders are absolute paths. */
export async function serveStatic(mounts: Record<string, string>, options: ServeOptions = {}): Promise<StaticServer> {
  const extra = options.crossOriginIsolated ? ISOLATION_HEADERS : {};
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : mounts[prefix];
    let file = root === undefined ? undefined : normalize(join(root, path.slice(prefix!.length)));
    if (!root || !file || (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep))) {
      response.writeHead(404).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      await stat(file);
    } catch {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...extra });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
