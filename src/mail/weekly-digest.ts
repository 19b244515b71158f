import nodemailer from 'nodemailer';
import type { AlertAudience, AlertRule } from '../engagement';
import { listAlertsOpenedSince } from '../store/alert-repository';
import { claimDigest, listDigestSubscriptions, releaseDigest } from '../store/digest-subscription-repository';
import { getModuleById } from '../store/module-repository';
import { listNewDataReports } from '../store/data-report-repository';
import { isVisaComplianceStaff } from '../store/platform-repository';
import { formatInstant } from '../reports/display-format';
import { digestMessage } from './digest-message';

export interface DigestRunDeps {
  smtpUrl: string | undefined;
  mailFrom: string;
  now: Date;
}

export interface DigestRunOutcome {
  sent: number;
  /** Subscriptions with no new alerts, or not due yet, or claimed by another instance. */
  skipped: number;
  failed: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** A run a little early (the job started a few minutes sooner than last week) still sends. */
const EARLY_ALLOWANCE_MS = 6 * 60 * 60 * 1000;

/**
 * Sends each opted-in staff member the count of new alerts in their module since their last digest, at most
 * once a week. Safe to call daily and from several instances: each digest is claimed before it is sent.
 * Sponsored-visa alerts are counted only for the platform's visa-compliance staff.
 */
export async function sendWeeklyDigests(deps: DigestRunDeps): Promise<DigestRunOutcome> {
  const outcome: DigestRunOutcome = { sent: 0, skipped: 0, failed: 0 };
  if (!deps.smtpUrl) return outcome;
  const transport = nodemailer.createTransport(deps.smtpUrl);
  try {
    const dueBefore = new Date(deps.now.getTime() - WEEK_MS + EARLY_ALLOWANCE_MS);
    for (const subscription of await listDigestSubscriptions()) {
      const module = await getModuleById(subscription.moduleId);
      if (!module) {
        outcome.skipped++;
        continue;
      }
      const previous = await claimDigest(module.id, subscription.userId, deps.now, dueBefore);
      if (previous === undefined) {
        outcome.skipped++;
        continue;
      }
      const since = previous ?? new Date(deps.now.getTime() - WEEK_MS);
      const audiences: AlertAudience[] = (await isVisaComplianceStaff(module.platformId, subscription.userId)) ? ['staff', 'visa-compliance'] : ['staff'];
      const counts: Partial<Record<AlertRule, number>> = {};
      for (const alert of await listAlertsOpenedSince(module.id, since, audiences)) counts[alert.rule] = (counts[alert.rule] ?? 0) + 1;
      const waitingReports = (await listNewDataReports(module.id)).length;
      if (Object.keys(counts).length === 0 && waitingReports === 0) {
        outcome.skipped++;
        continue;
      }
      const message = digestMessage({ recipientName: subscription.name, moduleTitle: module.title || module.label, sinceText: formatInstant(since, module.timeZone), counts, waitingReports });
      try {
        await transport.sendMail({ from: deps.mailFrom, to: subscription.email, subject: message.subject, text: message.text });
        outcome.sent++;
      } catch {
        await releaseDigest(module.id, subscription.userId, deps.now, previous);
        outcome.failed++;
      }
    }
  } finally {
    transport.close();
  }
  return outcome;
}
