import path from 'node:path';
import fs from 'node:fs';
import mongoose from 'mongoose';
import type { MongoMemoryServer } from 'mongodb-memory-server';

// The one place that opens the MongoDB connection. ltijs and our models share mongoose's default connection.

mongoose.set('strictQuery', true);
// Query filters from user input can never smuggle operators like {"$gt": ""}.
mongoose.set('sanitizeFilter', true);

export interface DatabaseHandle {
  uri: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Told about each failed connection attempt while the server is waited for. */
export type ConnectRetryListener = (attempt: number, error: Error, nextDelayMs: number) => void;

export interface OpenDatabaseOptions {
  uri?: string;
  embeddedPath: string;
  dbName?: string;
  /** Keep trying (with backoff) until the server answers instead of failing on the first attempt. */
  waitForServer?: ConnectRetryListener;
}

const MONGODB_VERSION_FOR_EMBEDDED = '7.0.14';
const SERVER_SELECTION_TIMEOUT_MS = 5000;
// How soon a lost or returning server is noticed: readiness and the 503 gate follow it.
const HEARTBEAT_FREQUENCY_MS = 2000;
const FIRST_RETRY_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 15_000;

async function startEmbeddedMongo(dataPath: string): Promise<MongoMemoryServer> {
  // Loaded lazily: production never needs it.
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const dbPath = path.resolve(dataPath);
  fs.mkdirSync(dbPath, { recursive: true });
  return MongoMemoryServer.create({
    binary: { version: MONGODB_VERSION_FOR_EMBEDDED },
    instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' },
  });
}

async function connect(uri: string, dbName: string | undefined): Promise<void> {
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    heartbeatFrequencyMS: HEARTBEAT_FREQUENCY_MS,
    // FerretDB v1 has no retryable writes; MongoDB gains nothing here for our idempotent writes.
    retryWrites: false,
  });
}

async function connectWithRetry(uri: string, dbName: string | undefined, onRetry: ConnectRetryListener): Promise<void> {
  let delay = FIRST_RETRY_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await connect(uri, dbName);
      return;
    } catch (err) {
      onRetry(attempt, err as Error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    }
  }
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  let embedded: MongoMemoryServer | undefined;
  let uri = opts.uri;
  if (!uri) {
    embedded = await startEmbeddedMongo(opts.embeddedPath);
    uri = embedded.getUri();
  }
  if (opts.waitForServer) await connectWithRetry(uri, opts.dbName, opts.waitForServer);
  else await connect(uri, opts.dbName);
  return {
    uri,
    embedded: Boolean(embedded),
    async close() {
      // ltijs reconnects whenever the connection drops; a deliberate close must not be undone.
      mongoose.connection.removeAllListeners('disconnected');
      mongoose.connection.removeAllListeners('error');
      await mongoose.disconnect();
      if (embedded) await embedded.stop({ doCleanup: false });
    },
  };
}

/**
 * ltijs answers a dropped connection by opening a second client with its own options (losing the database
 * name, timeouts and retryWrites). The driver already reconnects by itself, so only our logging listener stays.
 */
export function leaveReconnectingToTheDriver(onConnectionError: (err: Error) => void): void {
  mongoose.connection.removeAllListeners('disconnected');
  mongoose.connection.removeAllListeners('error');
  // An 'error' event with no listener would crash the process.
  mongoose.connection.on('error', onConnectionError);
}

export function isDatabaseConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
]);

/** True for errors that mean "the database cannot be reached just now", not "this request was wrong". */
export function isDatabaseUnavailableError(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return false;
  return UNAVAILABLE_ERROR_NAMES.has(e.name ?? '') || /buffering timed out/.test(e.message ?? '');
}

/** The server's address for logs: never the credentials a connection string may carry. */
export function describeDatabaseUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1[credentials]@').replace(/\?.*$/, '');
}

/** What the connected server is, for benchmark reports: "FerretDB v1.24.2" or "MongoDB 7.0.14". */
export async function describeDatabaseServer(): Promise<string> {
  const info = (await mongoose.connection.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string; ferretdb?: { version?: string } };
  const ferret = info.ferretdbVersion ?? info.ferretdb?.version;
  return ferret ? `FerretDB ${ferret} (SQLite, speaks MongoDB ${info.version ?? '?'})` : `MongoDB ${info.version ?? '?'}`;
}

/** An index a model declared once and no longer does, which would otherwise go on constraining its collection. */
export interface RetiredIndex {
  model: mongoose.Model<never>;
  name: string;
}

/** Drops retired indexes where they exist, then creates the indexes our own models declare (ltijs manages its own collections). */
export async function ensureIndexes(models: ReadonlyArray<mongoose.Model<never>>, retired: readonly RetiredIndex[] = []): Promise<void> {
  for (const { model, name } of retired) {
    const existing = await model.collection.indexes().catch(() => []);
    if (existing.some((i) => i.name === name)) await model.collection.dropIndex(name);
  }
  for (const model of models) await model.createIndexes();
}
