import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { openDatabase, ensureIndexes, type DatabaseHandle } from '../../src/store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../../src/store/all-models';

/**
 * A fresh database per test file: on MONGODB_URI (CI's FerretDB, or any MongoDB) under a unique name,
 * otherwise on an embedded MongoDB started by mongodb-memory-server.
 */
export interface TestDatabase extends DatabaseHandle {
  dbName: string;
  /** The connection string with the database name in it, for child processes (CLI tests). */
  uriWithDb: string;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const dbName = `waymark_test_${crypto.randomBytes(5).toString('hex')}`;
  const handle = await openDatabase({ uri: process.env.MONGODB_URI, embeddedPath: `./data/test-${dbName}`, dbName });
  await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
  const withDb = new URL(handle.uri);
  withDb.pathname = `/${dbName}`;
  return {
    ...handle,
    dbName,
    uriWithDb: withDb.toString(),
    async close() {
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await handle.close();
    },
  };
}
