import { Types, trusted } from 'mongoose';
import { AlertModel } from './models/alert-model';
import { AuditEntryModel } from './models/audit-entry-model';
import { DailyActivityModel } from './models/daily-activity-model';
import { DigestSubscriptionModel } from './models/digest-subscription-model';
import { EngagementEventModel } from './models/engagement-event-model';
import { InterventionModel } from './models/intervention-model';
import { KnownCauseModel } from './models/known-cause-model';
import { MemberModel } from './models/member-model';
import { ModuleModel } from './models/module-model';
import { mergeRollupParts, type DailyActivityRow } from './daily-activity-repository';
import type { EngagementEvent, Source } from './types';

// Everything held about one member, read in full for data-rights exports (pages use the paged, summarised reads).

/** A stored event without the ids that place it (the export names its module and member once). */
export type MemberEventRecord = Omit<EngagementEvent, 'id' | 'moduleId' | 'memberId'>;

export interface MemberAlertRecord {
  rule: string;
  audience: string;
  state: string;
  since: string;
  evidenceText: string;
  openedAt: Date;
  closedAt: Date | null;
  closeExplanation: string;
  dismissReason: string;
  history: Array<{ at: Date; kind: string; state: string; note: string }>;
}

export interface MemberInterventionRecord {
  method: string;
  contactedOn: string;
  note: string;
  outcome: string;
  followUpOn: string | null;
  recordedByName: string;
  createdAt: Date | null;
}

export interface MemberKnownCauseRecord {
  from: string;
  to: string;
  reason: string;
  createdByName: string;
}

export interface AccessRecord {
  at: Date;
  action: string;
  actorRole: string;
}

const oid = (id: string) => new Types.ObjectId(id);

/** All of a member's events, oldest first. */
export async function listAllMemberEvents(moduleId: string, memberId: string): Promise<MemberEventRecord[]> {
  const docs = await EngagementEventModel.find({ moduleId: oid(moduleId), memberId: oid(memberId) }, { _id: 0, source: 1, sourceId: 1, occurredAt: 1, count: 1, minutes: 1, detail: 1 })
    .sort({ occurredAt: 1 })
    .lean();
  return docs.map((d) => ({
    source: d.source as Source,
    sourceId: d.sourceId,
    occurredAt: d.occurredAt,
    count: d.count ?? 0,
    minutes: d.minutes ?? 0,
    detail: (d.detail as Record<string, unknown>) ?? {},
  }));
}

/** A member's daily rollups, by day then source. */
export async function listMemberRollups(moduleId: string, memberId: string): Promise<DailyActivityRow[]> {
  const docs = await DailyActivityModel.find({ moduleId: oid(moduleId), memberId: oid(memberId) }, { _id: 0, part: 0 }).sort({ day: 1, source: 1 }).lean();
  return mergeRollupParts(docs.map((d) => ({ memberId, day: d.day, source: d.source as Source, count: d.count, minutes: d.minutes })));
}

export async function listMemberAlerts(moduleId: string, memberId: string): Promise<MemberAlertRecord[]> {
  const docs = await AlertModel.find({ moduleId: oid(moduleId), memberId: oid(memberId) }).sort({ openedAt: 1 }).lean();
  return docs.map((d) => ({
    rule: d.rule,
    audience: d.audience,
    state: d.state,
    since: d.since,
    evidenceText: d.evidence?.text ?? '',
    openedAt: d.openedAt,
    closedAt: d.closedAt ?? null,
    closeExplanation: d.closeExplanation ?? '',
    dismissReason: d.dismissReason ?? '',
    history: (d.history ?? []).map((h) => ({ at: h.at, kind: h.kind, state: h.state, note: h.note ?? '' })),
  }));
}

export async function listMemberInterventions(moduleId: string, memberId: string): Promise<MemberInterventionRecord[]> {
  const docs = await InterventionModel.find({ moduleId: oid(moduleId), memberId: oid(memberId) }).sort({ contactedOn: 1 }).lean();
  return docs.map((d) => ({
    method: d.method,
    contactedOn: d.contactedOn,
    note: d.note ?? '',
    outcome: d.outcome ?? '',
    followUpOn: d.followUpOn ?? null,
    recordedByName: d.recordedByName ?? '',
    createdAt: (d as { createdAt?: Date }).createdAt ?? null,
  }));
}

export async function listMemberKnownCauses(moduleId: string, memberId: string): Promise<MemberKnownCauseRecord[]> {
  const docs = await KnownCauseModel.find({ moduleId: oid(moduleId), memberId: oid(memberId) }).sort({ from: 1 }).lean();
  return docs.map((d) => ({ from: d.from, to: d.to, reason: d.reason, createdByName: d.createdByName ?? '' }));
}

/** Who looked at or exported this member's data (roles only: the access log is about the member, not the staff). */
export async function listAccessRecords(memberId: string): Promise<AccessRecord[]> {
  const docs = await AuditEntryModel.find({ learnerMemberId: oid(memberId) }, { _id: 0, at: 1, action: 1, actorRole: 1 }).sort({ at: 1 }).lean();
  return docs.map((d) => ({ at: d.at, action: d.action, actorRole: d.actorRole }));
}

export interface PlatformModuleRef {
  id: string;
  contextId: string;
  title: string;
  label: string;
}

export async function listModulesOfPlatform(platformId: string): Promise<PlatformModuleRef[]> {
  const docs = await ModuleModel.find({ platformId }, { contextId: 1, title: 1, label: 1 }).sort({ title: 1, contextId: 1 }).lean();
  return docs.map((d) => ({ id: String(d._id), contextId: d.contextId, title: d.title ?? '', label: d.label ?? '' }));
}

export interface MemberRef {
  memberId: string;
  moduleId: string;
  userId: string;
}

/** The member records one person (LTI user id) has in the given modules. */
export async function findMemberRefsByUserId(moduleIds: string[], userId: string): Promise<MemberRef[]> {
  if (moduleIds.length === 0) return [];
  const docs = await MemberModel.find({ moduleId: trusted({ $in: moduleIds.map(oid) }), userId }, { _id: 1, moduleId: 1, userId: 1 }).lean();
  return docs.map((d) => ({ memberId: String(d._id), moduleId: String(d.moduleId), userId: d.userId }));
}

/** Members of the given modules who left (status gone) before the cutoff. */
export async function findMembersWhoLeftBefore(moduleIds: string[], cutoff: Date): Promise<MemberRef[]> {
  if (moduleIds.length === 0) return [];
  const docs = await MemberModel.find(
    { moduleId: trusted({ $in: moduleIds.map(oid) }), status: 'gone', leftAt: trusted({ $ne: null, $lt: cutoff }) },
    { _id: 1, moduleId: 1, userId: 1 },
  ).lean();
  return docs.map((d) => ({ memberId: String(d._id), moduleId: String(d.moduleId), userId: d.userId }));
}

/** member id -> Moodle user id, for naming learners in the audit log by the id their university knows. */
export async function findMemberUserIds(memberIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(memberIds)].filter((id) => Types.ObjectId.isValid(id));
  if (ids.length === 0) return new Map();
  const docs = await MemberModel.find({ _id: trusted({ $in: ids.map(oid) }) }, { userId: 1 }).lean();
  return new Map(docs.map((d) => [String(d._id), d.userId]));
}

export interface DigestSubscriptionRecord {
  moduleId: string;
  email: string;
  lastSentAt: Date | null;
}

/** A staff member's opt-ins to the weekly alert digest (their email address is personal data too). */
export async function listDigestSubscriptionsOfUser(moduleIds: string[], userId: string): Promise<DigestSubscriptionRecord[]> {
  if (moduleIds.length === 0) return [];
  const docs = await DigestSubscriptionModel.find({ moduleId: trusted({ $in: moduleIds.map(oid) }), userId }).lean();
  return docs.map((d) => ({ moduleId: String(d.moduleId), email: d.email, lastSentAt: d.lastSentAt ?? null }));
}

/** The names these people (LTI user ids) have in the given modules' records: one name each, where any is known. */
export async function findNamesOfUsers(moduleIds: string[], userIds: string[]): Promise<Map<string, string>> {
  if (moduleIds.length === 0 || userIds.length === 0) return new Map();
  const docs = await MemberModel.find({ moduleId: trusted({ $in: moduleIds.map(oid) }), userId: trusted({ $in: userIds }) }, { userId: 1, name: 1 }).lean();
  return new Map(docs.filter((d) => d.name).map((d) => [d.userId, String(d.name)]));
}

/**
 * Members of one module never marked gone (the module dropped out of roster syncs, or Moodle deleted the course)
 * with no sign of being in it since the cutoff: not in a roster, not launching, not added.
 */
export async function findMembersUnseenSince(moduleId: string, cutoff: Date): Promise<MemberRef[]> {
  const before = (field: string) => ({ $or: [{ [field]: null }, { [field]: trusted({ $lt: cutoff }) }] });
  const docs = await MemberModel.find(
    { moduleId: oid(moduleId), status: trusted({ $ne: 'gone' }), createdAt: trusted({ $lt: cutoff }), $and: [before('lastInRosterAt'), before('lastLaunchAt')] },
    { _id: 1, moduleId: 1, userId: 1 },
  ).lean();
  return docs.map((d) => ({ memberId: String(d._id), moduleId: String(d.moduleId), userId: d.userId }));
}
