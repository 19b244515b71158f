import { Types, trusted } from 'mongoose';
import { markModuleViewChanged } from './module-repository';
import { AlertModel } from './models/alert-model';
import { AuditEntryModel } from './models/audit-entry-model';
import { DailyActivityModel } from './models/daily-activity-model';
import { DataReportModel } from './models/data-report-model';
import { DigestSubscriptionModel } from './models/digest-subscription-model';
import { EngagementEventModel } from './models/engagement-event-model';
import { InterventionModel } from './models/intervention-model';
import { KnownCauseModel } from './models/known-cause-model';
import { LaunchSessionModel } from './models/launch-session-model';
import { MemberModel } from './models/member-model';
import { MemberSnapshotModel } from './models/module-snapshot-model';
import { SubmissionModel } from './models/submission-model';
import type { MemberRef } from './member-records-repository';

// Counts and removes everything stored about given member records. Dependent data goes first and the member
// record last, so a run that stops half-way is finished by the next one (no transactions on FerretDB).

export interface MemberDataCounts {
  events: number;
  dailyActivity: number;
  submissions: number;
  alerts: number;
  interventions: number;
  knownCauses: number;
  dataReports: number;
  launchSessions: number;
  memberSnapshots: number;
  digestSubscriptions: number;
  auditEntries: number;
  members: number;
}

/**
 * Which audit entries go with the member: retention removes every entry about them; erasure keeps the record of
 * staff access (it names no one once the member is gone) and removes only the person's views of their own data.
 */
export type AuditScope = 'about-member' | 'own-views';

export const EMPTY_COUNTS: MemberDataCounts = {
  events: 0,
  dailyActivity: 0,
  submissions: 0,
  alerts: 0,
  interventions: 0,
  knownCauses: 0,
  dataReports: 0,
  launchSessions: 0,
  memberSnapshots: 0,
  digestSubscriptions: 0,
  auditEntries: 0,
  members: 0,
};

/** Large purges are split so no single query carries an unbounded id list. */
const BATCH = 500;

type Filter = Record<string, unknown>;

/** The two calls this file makes, the same on every model. */
interface Collection {
  countDocuments(filter: Filter): PromiseLike<number>;
  deleteMany(filter: Filter): PromiseLike<{ deletedCount: number }>;
}

const collection = (model: unknown) => model as Collection;

function filtersFor(refs: MemberRef[], audit: AuditScope): Array<[keyof MemberDataCounts, Collection, Filter]> {
  const ids = refs.map((r) => new Types.ObjectId(r.memberId));
  const byMember = { memberId: trusted({ $in: ids }) };
  const userIds = [...new Set(refs.map((r) => r.userId))];
  const auditFilter: Filter =
    audit === 'about-member'
      ? { learnerMemberId: trusted({ $in: ids }) }
      : { learnerMemberId: trusted({ $in: ids }), actorUserId: trusted({ $in: userIds }) };
  // $or is not an operator sanitizeFilter rewrites: it checks each branch, and these hold plain values.
  const subscriptions = { $or: refs.map((r) => ({ moduleId: new Types.ObjectId(r.moduleId), userId: r.userId })) };
  const targets: Array<[keyof MemberDataCounts, unknown, Filter]> = [
    ['events', EngagementEventModel, byMember],
    ['dailyActivity', DailyActivityModel, byMember],
    ['submissions', SubmissionModel, byMember],
    ['alerts', AlertModel, byMember],
    ['interventions', InterventionModel, byMember],
    ['knownCauses', KnownCauseModel, byMember],
    ['dataReports', DataReportModel, byMember],
    ['launchSessions', LaunchSessionModel, byMember],
    ['memberSnapshots', MemberSnapshotModel, byMember],
    ['digestSubscriptions', DigestSubscriptionModel, subscriptions],
    ['auditEntries', AuditEntryModel, auditFilter],
    ['members', MemberModel, { _id: trusted({ $in: ids }) }],
  ];
  return targets.map(([kind, model, filter]) => [kind, collection(model), filter]);
}

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** What deleteMemberData would remove, without removing anything. */
export async function countMemberData(refs: MemberRef[], audit: AuditScope): Promise<MemberDataCounts> {
  const counts = { ...EMPTY_COUNTS };
  for (const batch of batches(refs)) {
    for (const [kind, model, filter] of filtersFor(batch, audit)) counts[kind] += await model.countDocuments(filter);
  }
  return counts;
}

export async function deleteMemberData(refs: MemberRef[], audit: AuditScope): Promise<MemberDataCounts> {
  const counts = { ...EMPTY_COUNTS };
  for (const batch of batches(refs)) {
    for (const [kind, model, filter] of filtersFor(batch, audit)) counts[kind] += (await model.deleteMany(filter)).deletedCount;
    // Pages holding these members or their alerts in memory drop them on their next request.
    await markModuleViewChanged(batch.map((r) => r.moduleId), 'members', 'alerts', 'analysis');
  }
  return counts;
}
