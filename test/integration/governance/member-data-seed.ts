import { Types, trusted } from 'mongoose';
import { appendAuditEntry } from '../../../src/store/audit-repository';
import { upsertAssignment, upsertSubmission } from '../../../src/store/assignment-repository';
import { insertRollups } from '../../../src/store/daily-activity-repository';
import { createDataReport } from '../../../src/store/data-report-repository';
import { subscribeToDigest } from '../../../src/store/digest-subscription-repository';
import { insertEvents } from '../../../src/store/event-repository';
import { recordIntervention } from '../../../src/store/intervention-repository';
import { addKnownCause } from '../../../src/store/known-cause-repository';
import { saveLaunchSession } from '../../../src/store/launch-session-repository';
import { AlertModel } from '../../../src/store/models/alert-model';
import { AuditEntryModel } from '../../../src/store/models/audit-entry-model';
import { DailyActivityModel } from '../../../src/store/models/daily-activity-model';
import { DataReportModel } from '../../../src/store/models/data-report-model';
import { DigestSubscriptionModel } from '../../../src/store/models/digest-subscription-model';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import { InterventionModel } from '../../../src/store/models/intervention-model';
import { KnownCauseModel } from '../../../src/store/models/known-cause-model';
import { LaunchSessionModel } from '../../../src/store/models/launch-session-model';
import { MemberModel } from '../../../src/store/models/member-model';
import { MemberSnapshotModel } from '../../../src/store/models/module-snapshot-model';
import { SubmissionModel } from '../../../src/store/models/submission-model';
import type { Member, Module } from '../../../src/store/types';

// One of every kind of record Waymark keeps about a member, so purges and erasure can be checked collection by collection.

export interface SeededText {
  interventionNote: string;
  alertEvidence: string;
  knownCauseReason: string;
  reportText: string;
}

export function seededText(member: Member): SeededText {
  return {
    interventionNote: `Supportive email to ${member.name}`,
    alertEvidence: `No activity from ${member.userId} for 15 days`,
    knownCauseReason: `Authorised absence of ${member.userId}`,
    reportText: `${member.name} says Tuesday is missing`,
  };
}

export async function seedMemberRecords(module: Module, member: Member, platformId: string, at: Date): Promise<SeededText> {
  const text = seededText(member);
  const day = at.toISOString().slice(0, 10);
  await insertEvents([{ moduleId: module.id, memberId: member.id, source: 'vle', sourceId: `seed:${member.id}`, occurredAt: at, count: 2, minutes: 0, detail: { eventName: 'Course viewed' } }]);
  await insertRollups(module.id, [{ memberId: member.id, day, source: 'vle', count: 2, minutes: 0 }]);
  const assignment = await upsertAssignment({ moduleId: module.id, key: 'staff:seed', title: 'Seeded essay', dueAt: at, origin: 'staff' });
  await upsertSubmission({ moduleId: module.id, assignmentId: assignment.id, memberId: member.id, submitted: true, submittedAt: at, late: false, status: 'submitted', origin: 'file' });
  await AlertModel.create({ moduleId: module.id, memberId: member.id, rule: 'noEngagement', audience: 'staff', key: `seed:${member.id}`, state: 'open', since: day, evidence: { text: text.alertEvidence, figures: {} }, openedAt: at });
  await recordIntervention({ moduleId: module.id, memberId: member.id, method: 'email', contactedOn: day, note: text.interventionNote, outcome: '', followUpOn: null, recordedByUserId: 'staff-1', recordedByName: 'Sam Staff' });
  await addKnownCause({ moduleId: module.id, memberId: member.id, from: day, to: day, reason: text.knownCauseReason, createdByUserId: 'staff-1', createdByName: 'Sam Staff' });
  await createDataReport({ moduleId: module.id, memberId: member.id, source: 'vle', text: text.reportText });
  await DataReportModel.updateOne({ memberId: new Types.ObjectId(member.id) }, { $set: { staffNote: `Checked ${member.userId}'s log` } });
  const audit = { platformId, moduleId: module.id, learnerMemberId: member.id, detail: {} };
  await appendAuditEntry({ ...audit, at, actorUserId: 'staff-1', actorRole: 'staff', action: 'learner.view' });
  await appendAuditEntry({ ...audit, at, actorUserId: member.userId, actorRole: 'student', action: 'learner.view' });
  await saveLaunchSession({
    sessionId: `seed-session-${member.id}`,
    platformId,
    issuer: 'https://moodle.example',
    clientId: 'client',
    deploymentId: '1',
    userId: member.userId,
    moduleId: module.id,
    memberId: member.id,
    roles: ['Learner'],
    mentorScope: [],
    displayName: member.name,
    createdAt: at,
    lastSeenAt: at,
  });
  // A staff launch may already have stored the member's figures.
  await MemberSnapshotModel.updateOne(
    { moduleId: new Types.ObjectId(module.id), memberId: new Types.ObjectId(member.id) },
    { $setOnInsert: { computedAt: at, hash: 'seed', summary: { memberId: member.id }, weeks: [], assignmentDetails: [] } },
    { upsert: true },
  );
  await subscribeToDigest({ moduleId: module.id, userId: member.userId, email: `${member.userId}@example.ac.uk`, name: member.name });
  return text;
}

export type RecordCounts = Record<string, number>;

/** How many records of each kind name any of these members (audit: entries about them). */
export async function countRecords(members: Member[]): Promise<RecordCounts> {
  const ids = trusted({ $in: members.map((m) => new Types.ObjectId(m.id)) });
  const subscriptions = members.length === 0 ? 0 : await DigestSubscriptionModel.countDocuments({ $or: members.map((m) => ({ moduleId: new Types.ObjectId(m.moduleId), userId: m.userId })) });
  return {
    members: await MemberModel.countDocuments({ _id: ids }),
    events: await EngagementEventModel.countDocuments({ memberId: ids }),
    dailyActivity: await DailyActivityModel.countDocuments({ memberId: ids }),
    submissions: await SubmissionModel.countDocuments({ memberId: ids }),
    alerts: await AlertModel.countDocuments({ memberId: ids }),
    interventions: await InterventionModel.countDocuments({ memberId: ids }),
    knownCauses: await KnownCauseModel.countDocuments({ memberId: ids }),
    dataReports: await DataReportModel.countDocuments({ memberId: ids }),
    launchSessions: await LaunchSessionModel.countDocuments({ memberId: ids }),
    memberSnapshots: await MemberSnapshotModel.countDocuments({ memberId: ids }),
    digestSubscriptions: subscriptions,
    auditEntries: await AuditEntryModel.countDocuments({ learnerMemberId: ids }),
  };
}

/** Every record of the whole database, per collection: "nothing else changed". */
export async function countAll(): Promise<RecordCounts> {
  const models = { MemberModel, EngagementEventModel, DailyActivityModel, SubmissionModel, AlertModel, InterventionModel, KnownCauseModel, DataReportModel, LaunchSessionModel, MemberSnapshotModel, DigestSubscriptionModel, AuditEntryModel };
  const out: RecordCounts = {};
  for (const [name, model] of Object.entries(models)) out[name] = await (model as unknown as { countDocuments(f: object): Promise<number> }).countDocuments({});
  return out;
}
