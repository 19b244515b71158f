import type { Server } from 'node:http';

// Connections left idle between keep-alive requests are closed as soon as they are idle, not after a timeout.
const IDLE_SWEEP_MS = 200;

/**
 * Stops taking new connections and resolves once every request in flight has had its response, or when the
 * grace period is over (then the remaining connections are cut).
 */
export function drainServer(server: Server, graceMs: number): Promise<{ cutShort: boolean }> {
  return new Promise((resolve) => {
    let cutShort = false;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      cutShort = true;
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve({ cutShort });
    });
    server.closeIdleConnections();
  });
}
