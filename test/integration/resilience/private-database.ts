import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MongoMemoryServer } from 'mongodb-memory-server';
import { freePort, waitUntil } from './free-port';

// A database server this test alone starts and stops: FerretDB (as CI runs it) when its binary is built on this
// machine, otherwise an embedded MongoDB. Stopping it is the outage; starting it again on the same port and data
// is the recovery.

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '../../..');
const FERRETDB_BIN = path.join(process.env.FERRETDB_CACHE_DIR ?? path.join(os.homedir(), '.cache/waymark/ferretdb-v1.24.2'), 'ferretdb');

export interface PrivateDatabase {
  /** Connection string with a database name, for Waymark's MONGODB_URI. */
  uri: string;
  kind: 'ferretdb' | 'mongodb';
  /** A directory of its own that is removed with it, for files a test writes. */
  dataDir: string;
  start(): Promise<void>;
  /** Stops the server abruptly, as a crash or a network cut would. */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

async function portAnswers(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function ferretDb(port: number, dataDir: string): Pick<PrivateDatabase, 'start' | 'stop'> {
  const pidFile = path.join(dataDir, 'ferretdb.pid');
  return {
    async start() {
      await run('bash', [path.join(REPO_ROOT, 'scripts/ci/start-ferretdb.sh'), FERRETDB_BIN, dataDir, String(port)]);
    },
    async stop() {
      if (!fs.existsSync(pidFile)) return;
      process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
      fs.rmSync(pidFile);
      await waitUntil('FerretDB stopped listening', async () => !(await portAnswers(port)), 10_000);
    },
  };
}

async function embeddedMongo(port: number, dataDir: string): Promise<Pick<PrivateDatabase, 'start' | 'stop'>> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  let server: MongoMemoryServer | null = null;
  return {
    async start() {
      server = await MongoMemoryServer.create({ binary: { version: '7.0.14' }, instance: { port, dbPath: dataDir, storageEngine: 'wiredTiger', ip: '127.0.0.1' } });
    },
    async stop() {
      await server?.stop({ doCleanup: false, force: true });
      server = null;
    },
  };
}

/** Reserves a port and a data directory; nothing listens until start(). */
export async function privateDatabase(): Promise<PrivateDatabase> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-private-db-'));
  const kind = fs.existsSync(FERRETDB_BIN) ? 'ferretdb' : 'mongodb';
  const server = kind === 'ferretdb' ? ferretDb(port, dataDir) : await embeddedMongo(port, dataDir);
  return {
    uri: `mongodb://127.0.0.1:${port}/waymark_private`,
    kind,
    dataDir,
    start: () => server.start(),
    stop: () => server.stop(),
    async dispose() {
      await server.stop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
