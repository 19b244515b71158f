import { parseArgs } from 'node:util';
import { runCli, withCliDatabase } from './cli-runner';
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
  return withCliDatabase(async () => {
    const module = await resolveModuleArgument(values.module);
    const rows = await rebuildModuleRollups(module.id, module.timeZone);
    console.log(`Rebuilt ${rows} daily rollup rows for ${module.title || module.contextId}.`);
    console.log(JSON.stringify({ module: module.id, rollupRows: rows }));
    return 0;
  });
}

runCli(main, 'Rebuild failed');
