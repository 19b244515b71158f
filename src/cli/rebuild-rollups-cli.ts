import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase, ensureIndexes } from '../store/database';
import { ALL_MODELS } from '../store/all-models';
import { resolveModuleArgument } from './module-argument';
import { rebuildModuleRollups } from '../ingest/daily-rollup';

const HELP = `Rebuild a module's daily rollups from its stored events (same result as the incremental updates).

  npm run rollups:rebuild -- --module MODULE`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { module: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || !values.module) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const db = await openDatabase({ uri: config.mongodbUri, embeddedPath: config.embeddedDbPath });
  try {
    await ensureIndexes(ALL_MODELS);
    const module = await resolveModuleArgument(values.module);
    const rows = await rebuildModuleRollups(module.id, module.timeZone);
    console.log(`Rebuilt ${rows} daily rollup rows for ${module.title || module.contextId}.`);
    console.log(JSON.stringify({ module: module.id, rollupRows: rows }));
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Rebuild failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
