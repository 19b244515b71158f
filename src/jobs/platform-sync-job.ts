import type { Logger } from 'pino';
import { listModules } from '../store/module-repository';
import { syncModuleFromPlatform } from '../ingest/platform-sync';
import type { RosterSyncDeps } from '../ingest/roster-sync';
import type { JobRunner } from './job-runner';
import { recomputeModuleAnalysis } from '../reports/module-analysis-service';

export const PLATFORM_SYNC_JOB = 'platform-sync';

/** Roster and assignment sync for every module, every `everyHours` (ROSTER_SYNC_SCHEDULE_HOURS). */
export function registerPlatformSyncJob(runner: JobRunner, deps: RosterSyncDeps & { everyHours: number; logger?: Pick<Logger, 'info' | 'warn'> }): void {
  runner.registerJob({
    name: PLATFORM_SYNC_JOB,
    everyMs: deps.everyHours * 3_600_000,
    async run({ signal }) {
      let synced = 0;
      let failed = 0;
      for (const module of await listModules()) {
        if (signal.aborted) break;
        const outcome = await syncModuleFromPlatform(module, deps);
        // New members, leavers and results change the analysis: store it now, not at night.
        await recomputeModuleAnalysis(module.id, deps.now()).catch((err: unknown) => deps.logger?.warn({ err, module: module.id }, 'analysis after the sync failed'));
        if (outcome.roster.ok && outcome.assignments.ok) synced++;
        else {
          failed++;
          // The module id only: errors are recorded on the module itself for its staff to see.
          deps.logger?.warn({ module: module.id }, 'scheduled platform sync had a problem');
        }
      }
      deps.logger?.info({ synced, failed }, 'scheduled platform sync finished');
    },
  });
}
