import type { Logger } from 'pino';
import type { JobRunner } from '../jobs/job-runner';
import { sendWeeklyDigests } from './weekly-digest';

export const WEEKLY_DIGEST_JOB = 'weekly-digest';
const HOUR_MS = 60 * 60 * 1000;

/**
 * Checks every few hours for digests that are due; each subscription gets one a week, counted from its last.
 * Does nothing without SMTP_URL.
 */
export function registerWeeklyDigestJob(runner: JobRunner, deps: { smtpUrl: string | undefined; mailFrom: string; logger?: Pick<Logger, 'info'> }): void {
  runner.registerJob({
    name: WEEKLY_DIGEST_JOB,
    everyMs: 6 * HOUR_MS,
    async run({ now }) {
      if (!deps.smtpUrl) return;
      const outcome = await sendWeeklyDigests({ smtpUrl: deps.smtpUrl, mailFrom: deps.mailFrom, now: now() });
      deps.logger?.info(outcome, 'weekly digests checked');
    },
  });
}
