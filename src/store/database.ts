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

const MONGODB_VERSION_FOR_EMBEDDED = '7.0.14';

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

export async function openDatabase(opts: { uri?: string; embeddedPath: string; dbName?: string }): Promise<DatabaseHandle> {
  let embedded: MongoMemoryServer | undefined;
  let uri = opts.uri;
  if (!uri) {
    embedded = await startEmbeddedMongo(opts.embeddedPath);
    uri = embedded.getUri();
  }
  await mongoose.connect(uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: 5000,
    // FerretDB v1 has no retryable writes; MongoDB gains nothing here for our idempotent writes.
    retryWrites: false,
  });
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

export function isDatabaseConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

/** Creates the indexes our own models declare (ltijs manages its own collections). */
export async function ensureIndexes(models: ReadonlyArray<mongoose.Model<never>>): Promise<void> {
  for (const model of models) await model.createIndexes();
}
