// `npm run demo` serves on DEMO_PORT, or on the next free port when that one is taken, and prints the
// address it got: a second demo, or any other server on the port, does not stop it.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/preview-server.js';

const opened: (Server | DemoServer)[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await ('server' in o ? o.server.close() : new Promise((done) => o.close(done)));
});

/** A server holding a free port on 127.0.0.1, chosen by the system. */
async function heldPort(): Promise<number> {
  const blocker = createServer();
  opened.push(blocker);
  await new Promise<void>((listening) => blocker.listen(0, '127.0.0.1', listening));
  return (blocker.address() as { port: number }).port;
}

describe('the demo server', () => {
  it('takes the next free port when its port is taken, and its URL names the port it got', async () => {
    const taken = await heldPort();
    const demo = await startDemoServer(taken);
    opened.push(demo);
    const port = Number(new URL(demo.url).port);
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(port).toBeGreaterThan(taken);
    const response = await fetch(demo.url);
    expect(response.status).toBeLessThan(500);
  });

  it('serves on the port asked for when it is free', async () => {
    const free = await heldPort();
    await new Promise((done) => (opened.pop() as Server).close(done));
    const demo = await startDemoServer(free);
    opened.push(demo);
    expect(demo.url).toBe(`http://127.0.0.1:${free}/`);
  });

  // It listened on 127.0.0.1 alone, so a class's phones could not reach it (newuser42 #2).
  it('listens on every network interface when asked for host 0.0.0.0', async () => {
    const free = await heldPort();
    await new Promise((done) => (opened.pop() as Server).close(done));
    const demo = await startDemoServer(free, '0.0.0.0');
    opened.push(demo);
    expect(demo.url).toBe(`http://0.0.0.0:${free}/`);
    expect((await fetch(`http://127.0.0.1:${free}/`)).status).toBe(200);
  });
});
