import { parseArgs } from 'node:util';
import { runCli, withCliDatabase } from './cli-runner';
import { resolveModuleArgument } from './module-argument';
import { recomputeModuleAnalysis } from '../reports/module-analysis-service';
import { recomputeAllModules } from '../jobs/analytics-recompute-job';

const HELP = `Recompute a module's indicators, cohort bands and alerts now (what the nightly job does), and print what changed.

  npm run alerts:recompute -- --module MODULE
  npm run alerts:recompute -- --all

  --module MODULE   the module id shown on the module page, or the Moodle course (context) id
  --all             every module, one at a time; a module with broken settings is reported and the rest go on

Exit codes: 0 done, 1 a module failed, 2 wrong arguments.`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { module: { type: 'string' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (Boolean(values.module) === Boolean(values.all)) {
    console.error(`Give either --module MODULE or --all.\n\n${HELP}`);
    return 2;
  }
  return withCliDatabase(async () => {
    const now = new Date();
    if (values.all) {
      const outcome = await recomputeAllModules(now);
      console.log(`Recomputed ${outcome.modules} modules; ${outcome.failed.length} failed.`);
      for (const f of outcome.failed) console.error(`  ${f.moduleId}: ${f.error}`);
      console.log(JSON.stringify({ modules: outcome.modules, failed: outcome.failed.length }));
      return outcome.failed.length > 0 ? 1 : 0;
    }
    const module = await resolveModuleArgument(values.module);
    const outcome = await recomputeModuleAnalysis(module.id, now);
    if (!outcome) throw new Error(`Module ${module.id} disappeared while it was being recomputed.`);
    console.log(
      `${module.title || module.contextId}: ${outcome.members} members analysed as of ${outcome.today}; alerts opened ${outcome.opened}, still holding ${outcome.refreshed}, closed ${outcome.closed}.`,
    );
    console.log(JSON.stringify({ module: module.id, today: outcome.today, members: outcome.members, opened: outcome.opened, refreshed: outcome.refreshed, closed: outcome.closed }));
    return 0;
  });
}

runCli(main, 'Recompute failed');
