import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { countMemberData, deleteMemberData, EMPTY_COUNTS, type MemberDataCounts } from '../store/member-data-deletion';
import { findMembersUnseenSince, findMembersWhoLeftBefore, type MemberRef } from '../store/member-records-repository';
import { getModuleSettings } from '../store/module-settings-repository';
import { listModules } from '../store/module-repository';
import type { Module } from '../store/types';
import { findPlatformProfile } from '../store/platform-repository';
import { recordOperatorAudit } from './audit-log';

// Retention (policy: kept during study and for N years after leaving, 6 by default, per platform): members who left
// more than N years ago are removed with everything about them. Logs and audits counts only, never content.
// Leaving is usually seen in the roster (status gone). A module can also fall silent with everyone still "active"
// (Moodle deleted the course, or nobody opened Waymark again to sync it): once its teaching period ended before the
// cutoff, its members with no sign of being in it since (roster, launch) have left too, at the latest by then.

export const DEFAULT_RETENTION_YEARS = 6;

export interface PlatformPurge {
  platformId: string;
  retentionYears: number;
  /** Members who left before this instant are past retention. */
  cutoff: Date;
  members: number;
  counts: MemberDataCounts;
}

export interface RetentionPurgeResult {
  dryRun: boolean;
  at: Date;
  platforms: PlatformPurge[];
  totals: MemberDataCounts;
}

export interface RetentionPurgeOptions {
  now: Date;
  /** Report what would be removed and change nothing. */
  dryRun: boolean;
  logger?: Logger;
  /** Only this platform; every platform with modules otherwise. */
  platformId?: string;
  /** Who asked, for the audit entry of an applied purge. */
  actor?: 'command-line' | 'scheduled-job';
  /** Stops between platforms when aborted (the jobs runner lost its lease or is shutting down). */
  signal?: AbortSignal;
}

export function retentionCutoff(now: Date, years: number): Date {
  return DateTime.fromJSDate(now, { zone: 'UTC' }).minus({ years }).toJSDate();
}

function addCounts(a: MemberDataCounts, b: MemberDataCounts): MemberDataCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as Array<keyof MemberDataCounts>) sum[key] += b[key];
  return sum;
}

/** The modules of each platform to purge (or of `only`), platforms in id order: one read of the modules for the run. */
async function modulesByPlatform(only?: string): Promise<Map<string, Module[]>> {
  const byPlatform = new Map<string, Module[]>(only ? [[only, []]] : []);
  for (const module of await listModules()) {
    if (only && module.platformId !== only) continue;
    byPlatform.set(module.platformId, [...(byPlatform.get(module.platformId) ?? []), module]);
  }
  return new Map([...byPlatform].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function purgePlatform(platformId: string, modules: readonly Module[], opts: RetentionPurgeOptions): Promise<PlatformPurge> {
  const profile = await findPlatformProfile(platformId);
  const retentionYears = profile?.retentionYearsAfterLeaving ?? DEFAULT_RETENTION_YEARS;
  const cutoff = retentionCutoff(opts.now, retentionYears);
  const expired = [...(await findMembersWhoLeftBefore(modules.map((m) => m.id), cutoff)), ...(await findSilentLeavers(modules, cutoff))];
  const counts = opts.dryRun ? await countMemberData(expired, 'about-member') : await deleteMemberData(expired, 'about-member');
  return { platformId, retentionYears, cutoff, members: expired.length, counts };
}

/** Members of modules whose teaching ended before the cutoff who have shown no sign of being in them since. */
async function findSilentLeavers(modules: readonly Module[], cutoff: Date): Promise<MemberRef[]> {
  const cutoffDay = cutoff.toISOString().slice(0, 10);
  const found: MemberRef[] = [];
  for (const module of modules) {
    const { calendar } = await getModuleSettings(module.id, module.createdAt, module.timeZone);
    if (calendar.end < cutoffDay) found.push(...(await findMembersUnseenSince(module.id, cutoff)));
  }
  return found;
}

/** The purge, for the command line and the jobs runner; safe to run again (a half-done run is finished by the next). */
export async function purgeExpiredMembers(opts: RetentionPurgeOptions): Promise<RetentionPurgeResult> {
  const platforms: PlatformPurge[] = [];
  for (const [platformId, modules] of await modulesByPlatform(opts.platformId)) {
    if (opts.signal?.aborted) break;
    const result = await purgePlatform(platformId, modules, opts);
    platforms.push(result);
    opts.logger?.info({ platformId, retentionYears: result.retentionYears, cutoff: result.cutoff.toISOString(), members: result.members, counts: result.counts, dryRun: opts.dryRun }, 'retention purge');
    if (!opts.dryRun && result.members > 0) {
      await recordOperatorAudit({
        platformId,
        moduleId: null,
        actor: opts.actor ?? 'scheduled-job',
        learnerMemberId: null,
        action: 'retention.purge',
        detail: { retentionYears: result.retentionYears, cutoff: result.cutoff.toISOString(), ...result.counts },
        at: opts.now,
      });
    }
  }
  return { dryRun: opts.dryRun, at: opts.now, platforms, totals: platforms.reduce((sum, p) => addCounts(sum, p.counts), { ...EMPTY_COUNTS }) };
}

export const RETENTION_PURGE_EVERY_MS = 24 * 60 * 60 * 1000;

/** For the jobs runner (src/jobs/job-runner.ts JobDefinition): applies the purge once a day as of the run's time. */
export function retentionPurgeJob(logger: Logger): { name: string; everyMs: number; run(context: { signal: AbortSignal; now(): Date }): Promise<void> } {
  return {
    name: 'retention-purge',
    everyMs: RETENTION_PURGE_EVERY_MS,
    async run({ signal, now }) {
      await purgeExpiredMembers({ now: now(), dryRun: false, logger, actor: 'scheduled-job', signal });
    },
  };
}
