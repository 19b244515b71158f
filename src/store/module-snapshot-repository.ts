import { Types, trusted } from 'mongoose';
import { MemberSnapshotModel, ModuleSnapshotModel } from './models/module-snapshot-model';
import type {
  AlertThresholds,
  AnalysedWeek,
  AssignmentDetail,
  CohortBands,
  DayKey,
  MemberStatus,
  MemberWeek,
  ModuleCalendar,
  ModuleMarkers,
  Source,
} from '../engagement';

/** The module-wide part of the latest analysis: what charts and summaries read. */
export interface ModuleSnapshotData {
  calendar: ModuleCalendar;
  weeks: AnalysedWeek[];
  bands: CohortBands | null;
  markers: ModuleMarkers;
  thresholds: AlertThresholds;
  /** Latest day with any activity per source, from the rollups. */
  lastActivityBySource: Record<Source, DayKey | null>;
  learnerCount: number;
}

export interface ModuleSnapshot extends ModuleSnapshotData {
  moduleId: string;
  computedAt: Date;
  today: DayKey;
}

/** A member's light figures: enough for a dashboard row, sorting and filtering. */
export interface MemberSummary {
  memberId: string;
  status: MemberStatus;
  isLearner: boolean;
  lastAccess: Record<Source, DayKey | null>;
  lastAccessAny: DayKey | null;
  vle: { clicks: number; activeDays: number };
  launches: number;
  activeDays: number;
  assignments: { expected: number; submitted: number; late: number; missing: number };
  meetings: { attended: number; minutes: number };
  recordings: { viewed: number; minutes: number };
  /** Engagement level per started week, indexed by week number - 1 (null: not judged). */
  levels: Array<number | null>;
}

export interface MemberSnapshot {
  summary: MemberSummary;
  weeks: MemberWeek[];
  assignmentDetails: AssignmentDetail[];
  computedAt: Date;
}

export interface MemberSnapshotWrite extends Omit<MemberSnapshot, 'computedAt'> {
  hash: string;
}

export async function saveModuleSnapshot(moduleId: string, computedAt: Date, today: DayKey, data: ModuleSnapshotData): Promise<void> {
  await ModuleSnapshotModel.updateOne(
    { moduleId: new Types.ObjectId(moduleId) },
    { $set: { computedAt, today, analysis: data } },
    { upsert: true },
  );
}

export async function getModuleSnapshot(moduleId: string): Promise<ModuleSnapshot | null> {
  const d = await ModuleSnapshotModel.findOne({ moduleId: new Types.ObjectId(moduleId) }).lean();
  if (!d) return null;
  return { ...(d.analysis as ModuleSnapshotData), moduleId, computedAt: d.computedAt, today: d.today };
}

/** memberId -> hash of the stored snapshot, so a recomputation writes only what changed. */
export async function memberSnapshotHashes(moduleId: string): Promise<Map<string, string>> {
  const docs = await MemberSnapshotModel.find({ moduleId: new Types.ObjectId(moduleId) }, { memberId: 1, hash: 1, _id: 0 }).lean();
  return new Map(docs.map((d) => [String(d.memberId), d.hash]));
}

export async function writeMemberSnapshots(moduleId: string, rows: readonly MemberSnapshotWrite[], computedAt: Date): Promise<void> {
  if (rows.length === 0) return;
  const moduleObjectId = new Types.ObjectId(moduleId);
  await MemberSnapshotModel.bulkWrite(
    rows.map((r) => ({
      updateOne: {
        filter: { moduleId: moduleObjectId, memberId: new Types.ObjectId(r.summary.memberId) },
        update: { $set: { computedAt, hash: r.hash, summary: r.summary, weeks: r.weeks, assignmentDetails: r.assignmentDetails } },
        upsert: true,
      },
    })) as never,
    { ordered: false },
  );
}

/** Drops snapshots of members the analysis no longer has. */
export async function deleteMemberSnapshotsExcept(moduleId: string, keepMemberIds: readonly string[]): Promise<void> {
  await MemberSnapshotModel.deleteMany({
    moduleId: new Types.ObjectId(moduleId),
    memberId: trusted({ $nin: keepMemberIds.map((id) => new Types.ObjectId(id)) }),
  });
}

/** Light rows for the dashboard; the weekly values and assignment details stay in the database. */
export async function listMemberSummaries(moduleId: string, memberIds?: readonly string[]): Promise<MemberSummary[]> {
  const q: Record<string, unknown> = { moduleId: new Types.ObjectId(moduleId) };
  if (memberIds) q.memberId = trusted({ $in: memberIds.map((id) => new Types.ObjectId(id)) });
  const docs = await MemberSnapshotModel.find(q, { summary: 1, _id: 0 }).lean();
  return docs.map((d) => d.summary as MemberSummary);
}

export async function getMemberSnapshot(moduleId: string, memberId: string): Promise<MemberSnapshot | null> {
  if (!Types.ObjectId.isValid(memberId)) return null;
  const d = await MemberSnapshotModel.findOne({ moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId) }).lean();
  if (!d) return null;
  return { summary: d.summary as MemberSummary, weeks: d.weeks as MemberWeek[], assignmentDetails: d.assignmentDetails as AssignmentDetail[], computedAt: d.computedAt };
}
