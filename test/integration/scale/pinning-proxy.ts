import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A load balancer in front of several Waymark instances. Each request goes to the backend `route` picks
// (round robin unless pinned), and the proxy remembers which backend served what.

export interface ProxiedRequest {
  method: string;
  path: string;
  backend: number;
  status: number;
}

export interface PinningProxy {
  url: string;
  log: ProxiedRequest[];
  /** Requests whose path starts with a key go to that backend; others take turns. */
  pin(rules: Record<string, number>): void;
  close(): Promise<void>;
}

export async function startPinningProxy(backendPorts: readonly number[]): Promise<PinningProxy> {
  let pins: Record<string, number> = {};
  let turn = 0;
  const log: ProxiedRequest[] = [];
  const route = (path: string): number => {
    const pinned = Object.entries(pins).find(([prefix]) => path.startsWith(prefix));
    if (pinned) return pinned[1];
    turn = (turn + 1) % backendPorts.length;
    return turn;
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const backend = route(path);
    const upstream = http.request(
      { host: '127.0.0.1', port: backendPorts[backend], method: req.method, path, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' } },
      (answer) => {
        log.push({ method: req.method ?? 'GET', path: path.split('?')[0] ?? path, backend, status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502).end('backend unavailable');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    log,
    pin: (rules) => {
      pins = rules;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
