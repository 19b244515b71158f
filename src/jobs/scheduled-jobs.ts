import type { Logger } from 'pino';
import type { JobRunner } from './job-runner';
import { registerPlatformSyncJob } from './platform-sync-job';
import { registerAnalyticsRecomputeJob } from './analytics-recompute-job';
import { registerWeeklyDigestJob } from '../mail/weekly-digest-job';
import { retentionPurgeJob } from '../governance/retention-purge';
import { registerLaunchTokenCleanupJob } from './launch-token-cleanup-job';
import type { RosterSyncDeps } from '../ingest/roster-sync';

export interface ScheduledJobDeps {
  accessToken: RosterSyncDeps['accessToken'];
  rosterSyncScheduleHours: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  logger: Logger;
}

/** Every job Waymark runs on a schedule, in one place so that none is forgotten at start-up. */
export function registerScheduledJobs(runner: JobRunner, deps: ScheduledJobDeps): void {
  registerPlatformSyncJob(runner, { accessToken: deps.accessToken, now: () => new Date(), everyHours: deps.rosterSyncScheduleHours, logger: deps.logger });
  registerAnalyticsRecomputeJob(runner, { logger: deps.logger });
  registerWeeklyDigestJob(runner, { smtpUrl: deps.smtpUrl, mailFrom: deps.mailFrom, logger: deps.logger });
  runner.registerJob(retentionPurgeJob(deps.logger));
  registerLaunchTokenCleanupJob(runner, { logger: deps.logger });
}
