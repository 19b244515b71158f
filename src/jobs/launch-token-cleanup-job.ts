import type { Logger } from 'pino';
import type { JobRunner } from './job-runner';
import { deleteExpiredLaunchTokens } from '../lti/ltijs-launch-tokens';

export const LAUNCH_TOKEN_CLEANUP_JOB = 'launch-token-cleanup';

/** Every hour, removes ltijs's launch tokens older than a day (what its TTL index does on MongoDB, never on FerretDB). */
export function registerLaunchTokenCleanupJob(runner: JobRunner, deps: { logger?: Pick<Logger, 'info'> } = {}): void {
  runner.registerJob({
    name: LAUNCH_TOKEN_CLEANUP_JOB,
    everyMs: 3_600_000,
    async run({ now }) {
      const removed = await deleteExpiredLaunchTokens(now());
      deps.logger?.info({ removed }, 'expired launch tokens removed');
    },
  });
}
