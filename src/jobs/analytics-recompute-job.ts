import type { Logger } from 'pino';
import type { JobRunner } from './job-runner';
import { listModules } from '../store/module-repository';
import { recomputeModuleAnalysis } from '../reports/module-analysis-service';

export interface RecomputeAllOutcome {
  modules: number;
  failed: Array<{ moduleId: string; error: string }>;
}

/**
 * The nightly recomputation: every module's analysis as of `now`, one module at a time to keep memory flat.
 * New days open and close alerts even when no data arrived (a gap grows; a running week completes). Safe on
 * several instances at once: alerts are unique per episode and snapshots are overwritten, never appended.
 */
export async function recomputeAllModules(now: Date): Promise<RecomputeAllOutcome> {
  const outcome: RecomputeAllOutcome = { modules: 0, failed: [] };
  for (const module of await listModules()) {
    try {
      await recomputeModuleAnalysis(module.id, now);
      outcome.modules++;
    } catch (err) {
      // One module with broken settings must not stop the others; the dashboard shows the same error.
      outcome.failed.push({ moduleId: module.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcome;
}

export const ANALYTICS_RECOMPUTE_JOB = 'analytics-recompute';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Registers the daily recomputation of every module on the job runner (main.ts starts the runner). */
export function registerAnalyticsRecomputeJob(runner: JobRunner, deps: { logger?: Pick<Logger, 'info' | 'warn'> } = {}): void {
  runner.registerJob({
    name: ANALYTICS_RECOMPUTE_JOB,
    everyMs: DAY_MS,
    async run({ now }) {
      const outcome = await recomputeAllModules(now());
      // Module ids only: the errors concern settings, and the dashboard shows them to the module's staff.
      for (const failure of outcome.failed) deps.logger?.warn({ module: failure.moduleId, error: failure.error }, 'module analysis failed');
      deps.logger?.info({ modules: outcome.modules, failed: outcome.failed.length }, 'nightly analytics recomputed');
    },
  });
}
