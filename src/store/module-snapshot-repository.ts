import { Types, trusted } from 'mongoose';
import { WHOLE_RESULT_BATCH } from './whole-result';
import { markModuleViewChanged } from './module-repository';
import { MemberSnapshotModel, ModuleSnapshotModel, ModuleSummariesModel } from './models/module-snapshot-model';
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
  /** Latest day with any learner activity per source, from the rollups. */
  lastActivityBySource: Record<Source, DayKey | null>;
  learnerCount: number;
}

export interface ModuleSnapshot extends ModuleSnapshotData {
  moduleId: string;
  computedAt: Date;
  today: DayKey;
  /** The module's data version the analysis read (see Module.dataVersion). */
  dataVersion: number;
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

export interface StoredSnapshotState {
  hashes: Map<string, string>;
}

/** The member hashes of the stored analysis, so a recomputation that changed nothing writes no member documents. */
export async function storedSnapshotState(moduleId: string): Promise<StoredSnapshotState | null> {
  const d = await ModuleSummariesModel.findById(new Types.ObjectId(moduleId), { hashes: 1 }).lean();
  return d ? { hashes: new Map(Object.entries((d.hashes as Record<string, string> | undefined) ?? {})) } : null;
}

const memberDocId = (generation: string, memberId: string) => `${generation}:${memberId}`;

/** Writes a new generation of member documents in one insert; readers keep seeing the previous one until it is replaced. */
export async function insertMemberSnapshotGeneration(moduleId: string, rows: readonly MemberSnapshotWrite[], computedAt: Date): Promise<string> {
  // ObjectId hex sorts by time, so generations compare by age.
  const generation = new Types.ObjectId().toHexString();
  const moduleObjectId = new Types.ObjectId(moduleId);
  if (rows.length > 0) {
    await MemberSnapshotModel.insertMany(
      rows.map((r) => ({
        _id: memberDocId(generation, r.summary.memberId),
        moduleId: moduleObjectId,
        memberId: new Types.ObjectId(r.summary.memberId),
        generation,
        computedAt,
        hash: r.hash,
        summary: r.summary,
        weeks: r.weeks,
        assignmentDetails: r.assignmentDetails,
      })),
      { ordered: false },
    );
  }
  return generation;
}

/** Removes member documents of generations older than `generation` (a newer one written meanwhile is kept). */
export async function deleteOlderMemberSnapshots(moduleId: string, generation: string): Promise<void> {
  await MemberSnapshotModel.deleteMany({ moduleId: new Types.ObjectId(moduleId), generation: trusted({ $lt: generation }) });
  await MemberSnapshotModel.deleteMany({ moduleId: new Types.ObjectId(moduleId), generation: null });
}

export async function saveModuleSnapshot(
  moduleId: string,
  s: { computedAt: Date; today: DayKey; dataVersion: number; data: ModuleSnapshotData; summaries: readonly MemberSummary[]; hashes: ReadonlyMap<string, string>; generation: string | null },
): Promise<void> {
  const id = new Types.ObjectId(moduleId);
  await ModuleSummariesModel.updateOne({ _id: id }, { $set: { moduleId: id, summaries: s.summaries, hashes: Object.fromEntries(s.hashes) } }, { upsert: true });
  const set: Record<string, unknown> = { moduleId: id, computedAt: s.computedAt, today: s.today, dataVersion: s.dataVersion, analysis: s.data };
  if (s.generation) set.generation = s.generation;
  await ModuleSnapshotModel.updateOne({ _id: id }, { $set: set }, { upsert: true });
  await markModuleViewChanged(moduleId, 'analysis');
}

function toModuleSnapshot(moduleId: string, d: { analysis: unknown; computedAt: Date; today: string; dataVersion?: number | null }): ModuleSnapshot {
  return { ...(d.analysis as ModuleSnapshotData), moduleId, computedAt: d.computedAt, today: d.today, dataVersion: d.dataVersion ?? 0 };
}

export async function getModuleSnapshot(moduleId: string): Promise<ModuleSnapshot | null> {
  if (!Types.ObjectId.isValid(moduleId)) return null;
  const d = await ModuleSnapshotModel.findById(new Types.ObjectId(moduleId)).lean();
  return d ? toModuleSnapshot(moduleId, d) : null;
}

/**
 * The module snapshot with every member's light summary (a mentor's view filters them to their mentees), and the
 * generation of its member documents, from which the page cache reads every member's figures at once.
 */
export async function getModuleSnapshotWithSummaries(
  moduleId: string,
  memberIds?: readonly string[],
): Promise<{ snapshot: ModuleSnapshot; summaries: MemberSummary[]; generation: string | null } | null> {
  const id = new Types.ObjectId(moduleId);
  const [d, s] = await Promise.all([ModuleSnapshotModel.findById(id).lean(), ModuleSummariesModel.findById(id, { summaries: 1 }).lean()]);
  if (!d) return null;
  const all = (s?.summaries as MemberSummary[] | undefined) ?? [];
  const wanted = memberIds ? new Set(memberIds) : null;
  return { snapshot: toModuleSnapshot(moduleId, d), summaries: wanted ? all.filter((m) => wanted.has(m.memberId)) : all, generation: d.generation ?? null };
}

/**
 * The stored analyses of several modules, each with its members' light summaries, in two reads whatever the
 * number of modules (a page across the platform's modules). Modules never analysed are absent.
 */
export async function listModuleSnapshotsWithSummaries(moduleIds: readonly string[]): Promise<Map<string, { snapshot: ModuleSnapshot; summaries: MemberSummary[] }>> {
  if (moduleIds.length === 0) return new Map();
  const ids = trusted({ $in: moduleIds.map((id) => new Types.ObjectId(id)) });
  const [snapshots, summaries] = await Promise.all([ModuleSnapshotModel.find({ _id: ids }).lean(), ModuleSummariesModel.find({ _id: ids }, { summaries: 1 }).lean()]);
  const summariesOf = new Map(summaries.map((s) => [String(s._id), (s.summaries as MemberSummary[] | undefined) ?? []]));
  return new Map(snapshots.map((d) => [String(d._id), { snapshot: toModuleSnapshot(String(d._id), d), summaries: summariesOf.get(String(d._id)) ?? [] }]));
}

export async function listMemberSummaries(moduleId: string, memberIds?: readonly string[]): Promise<MemberSummary[]> {
  return (await getModuleSnapshotWithSummaries(moduleId, memberIds))?.summaries ?? [];
}

function toMemberSnapshot(d: { summary: unknown; weeks: unknown; assignmentDetails: unknown; computedAt: Date }): MemberSnapshot {
  return { summary: d.summary as MemberSummary, weeks: d.weeks as MemberWeek[], assignmentDetails: d.assignmentDetails as AssignmentDetail[], computedAt: d.computedAt };
}

/** One member's latest stored figures: looked up by id through the module's current generation. */
export async function getMemberSnapshot(moduleId: string, memberId: string): Promise<MemberSnapshot | null> {
  if (!Types.ObjectId.isValid(memberId) || !Types.ObjectId.isValid(moduleId)) return null;
  const module = await ModuleSnapshotModel.findById(new Types.ObjectId(moduleId), { generation: 1 }).lean();
  if (module?.generation) {
    const d = await MemberSnapshotModel.findById(memberDocId(module.generation, memberId)).lean();
    if (d) return toMemberSnapshot(d);
  }
  // A generation replaced between the two reads, or figures stored before generations existed.
  const d = await MemberSnapshotModel.findOne({ moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId) }).sort({ computedAt: -1 }).lean();
  return d ? toMemberSnapshot(d) : null;
}

/** Every member's figures of one generation, by member id: what a page cache holds for a module's learner pages. */
export async function listMemberSnapshotsOfGeneration(moduleId: string, generation: string): Promise<Map<string, MemberSnapshot>> {
  const docs = await MemberSnapshotModel.find({ moduleId: new Types.ObjectId(moduleId), generation }).batchSize(WHOLE_RESULT_BATCH).lean();
  return new Map(docs.map((d) => [String(d.memberId), toMemberSnapshot(d)]));
}

/**
 * Takes an erased member out of the module document at once (their own documents are deleted with their other
 * records); the next recomputation would drop them anyway.
 */
export async function forgetMemberInModuleSnapshot(moduleId: string, memberId: string): Promise<void> {
  await ModuleSummariesModel.updateOne({ _id: new Types.ObjectId(moduleId) }, { $pull: { summaries: { memberId } }, $unset: { [`hashes.${memberId}`]: '' } });
  await markModuleViewChanged(moduleId, 'analysis');
}
