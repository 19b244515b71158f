import net from 'node:net';
import { privateDatabase, type PrivateDatabase } from './private-database';
import { spawnWaymark, readiness, type SpawnedWaymark } from './spawned-waymark';
import { waitUntil } from './free-port';

/** Sends the head and part of a form body now; `finish()` sends the rest and resolves with the raw response. */
function slowFormPost(port: number, path: string, body: string): Promise<{ finish(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    const ended = new Promise<string>((done) => socket.on('end', () => done(response)).on('close', () => done(response)));
    socket.on('data', (chunk) => (response += chunk.toString('utf8')));
    socket.once('error', reject);
    socket.once('connect', () => {
      const half = Math.floor(body.length / 2);
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nAccept: text/html\r\nConnection: keep-alive\r\n\r\n${body.slice(0, half)}`,
      );
      resolve({
        finish() {
          socket.write(body.slice(half));
          return ended;
        },
      });
    });
  });
}

describe('shutting down', () => {
  let db: PrivateDatabase;
  let waymark: SpawnedWaymark;

  beforeAll(async () => {
    db = await privateDatabase();
    await db.start();
    waymark = await spawnWaymark({ MONGODB_URI: db.uri });
    await waitUntil('Waymark is ready', async () => (await readiness(waymark.directUrl)) === 200, 60_000);
  }, 120_000);

  afterAll(async () => {
    await waymark.kill();
    await db.dispose();
  });

  it('when SIGTERM arrives during a slow upload, then that request still gets its full response, new connections are refused and the process exits 0', async () => {
    const inFlight = await slowFormPost(waymark.port, '/admin/login', `secret=${'x'.repeat(4000)}`);
    // The server has the request head: it is in flight from here on.
    await new Promise((resolve) => setTimeout(resolve, 500));

    waymark.signal('SIGTERM');
    await waitUntil('the process says it is shutting down', async () => waymark.output().includes('shutting down'), 10_000);
    await expect(fetch(`${waymark.directUrl}/health/live`)).rejects.toThrow();

    const response = await inFlight.finish();
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
    expect(response).toContain('</html>');

    expect(await waymark.exited).toBe(0);
    expect(waymark.output()).toContain('"msg":"shut down"');
  }, 60_000);
});
