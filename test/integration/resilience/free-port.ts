import net from 'node:net';

// Ports the OS hands out on its own (to outgoing connections and to servers listening on port 0) come from its
// ephemeral range, 32768-60999 on Linux. A port picked there and given to a server that starts seconds later was
// sometimes taken meanwhile by another test's connection; one below that range is not handed out by the OS.
const LOW = 20_000;
const HIGH = 32_000;

function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, outside the OS's ephemeral range, for servers a test starts later. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await listensOn(port)) return port;
  }
  throw new Error(`No free port found between ${LOW} and ${HIGH}`);
}

/** Polls until `check` holds, or fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
