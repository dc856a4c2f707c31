// Loading the core over HTTP (what a browser does) from a server that does not have it: a 404, or
// a dev server's index.html fallback (status 200, text/html). Both must say so, with the URL,
// instead of the compiler's "expected magic word 00 61 73 6d, found 3c 21 44 4f".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradscopeError } from '../../src/errors.js';
import { instantiateProbe, loadFailure, setWasmLocation } from '../../src/wasm/loader.js';
import { createWasmKernels } from '../../src/wasm/wasm-kernels.js';

const PAGE = '<!DOCTYPE html>\n<html><body>Not here</body></html>';
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const status = request.url?.startsWith('/missing/') ? 404 : 200;
    response.writeHead(status, { 'content-type': 'text/html' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  setWasmLocation(new URL('../../build/', import.meta.url)); // where the core is, for anything after
  await new Promise((resolve) => server.close(resolve));
});

async function refusal(folder: string): Promise<GradscopeError> {
  setWasmLocation(`${origin}${folder}`);
  const caught = await createWasmKernels({ binary: 'scalar' }).then(() => undefined, (error: unknown) => error);
  expect(caught).toBeInstanceOf(GradscopeError);
  expect((caught as GradscopeError).code).toBe('WASM_UNAVAILABLE');
  return caught as GradscopeError;
}

describe('the core over HTTP', () => {
  it('a 404 says HTTP 404 and the URL', async () => {
    const error = await refusal('/missing/');
    expect(error.message).toBe(
      `could not load the gradscope core: HTTP 404 for ${origin}/missing/gradscope.scalar.wasm; is setWasmLocation right, and are the .wasm files served from there?`,
    );
  });

  it('an HTML page served in its place says what was sent', async () => {
    const error = await refusal('/fallback/');
    expect(error.message).toBe(
      `could not load the gradscope core: ${origin}/fallback/gradscope.scalar.wasm is not a WebAssembly module ` +
        `(the server sent text/html, ${PAGE.length} bytes starting "<!DOCTYPE html>")` +
        '; is setWasmLocation right, and are the .wasm files served from there?',
    );
  });

  it("binary 'fastest''s timing probe is named as the probe, not as the core", async () => {
    setWasmLocation(`${origin}/missing/`);
    const caught = await instantiateProbe('simd-relaxed').then(() => undefined, (error: unknown) => error);
    expect(caught).toBeInstanceOf(GradscopeError);
    expect((caught as GradscopeError).message).toBe(
      `could not load the simd-relaxed timing probe of binary: 'fastest' (gradscope.probe-relaxed.wasm): HTTP 404 for ${origin}/missing/gradscope.probe-relaxed.wasm; is setWasmLocation right, and are the .wasm files served from there?`,
    );
  });

  it('a fetch that fails (nothing listens there) names the URL and the location, not the build', async () => {
    setWasmLocation('http://127.0.0.1:1/gradscope/');
    const error = await createWasmKernels({ binary: 'scalar' }).then(() => undefined, (caught: unknown) => caught as GradscopeError);
    expect(error).toBeInstanceOf(GradscopeError);
    expect(error!.message).toMatch(/^could not load the gradscope core from http:\/\/127\.0\.0\.1:1\/gradscope\/gradscope\.scalar\.wasm: TypeError: fetch failed; is setWasmLocation right, and are the \.wasm files served from there\?$/);
  });

  it("a data: URL a bundler inlined is named by its length, and a failed fetch of it by a Content-Security-Policy's connect-src", () => {
    // What Chromium says of a fetch a page's CSP blocks (/tmp/mendR39/csp: Vite 8.3.8 inlined the probes, Chromium 150).
    const inlined = new URL(`data:application/wasm;base64,${'A'.repeat(740)}`);
    expect(loadFailure("the simd timing probe of binary: 'fastest' (gradscope.probe.wasm)", inlined, new TypeError('Failed to fetch')).message).toBe(
      "could not load the simd timing probe of binary: 'fastest' (gradscope.probe.wasm) from a data: URL (application/wasm;base64, 769 characters): TypeError: Failed to fetch; " +
        "likely a Content-Security-Policy that leaves data: out of connect-src (or default-src), which blocks the fetch of a data: URL: allow connect-src 'self' data:, or have the bundler emit the .wasm files as files (Vite: build: { assetsInlineLimit: 0 })",
    );
    // A file (Node): the build, or the location.
    const file = new URL('file:///nowhere/gradscope.simd.wasm');
    expect(loadFailure('the gradscope core', file, new Error('ENOENT: no such file or directory')).message).toBe(
      'could not load the gradscope core from file:///nowhere/gradscope.simd.wasm: Error: ENOENT: no such file or directory; did `npm run build` run? is setWasmLocation right?',
    );
  });

  it('loads once the location is right, the failures not cached', async () => {
    setWasmLocation(new URL('../../build/', import.meta.url));
    const kernels = await createWasmKernels({ binary: 'scalar' });
    expect(kernels.binary).toBe('scalar');
  });
});
