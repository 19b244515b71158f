import { loadConfig, type AppConfig } from '../config';
import { openDatabase, ensureIndexes } from '../store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../store/all-models';

/** Opens the configured database for one command and always closes it. */
export async function withCliDatabase<T>(work: (config: AppConfig, databaseUri: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ uri: config.mongodbUri, embeddedPath: config.embeddedDbPath });
  try {
    await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
    return await work(config, db.uri);
  } finally {
    await db.close();
  }
}

/** Runs a command's main and exits with its code; an unexpected failure prints one line and exits 1. */
export function runCli(main: () => Promise<number>, failurePrefix: string): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${failurePrefix}: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
