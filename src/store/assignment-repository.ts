import { Types } from 'mongoose';
import { AssignmentModel } from './models/assignment-model';
import { SubmissionModel } from './models/submission-model';

export type AssignmentOrigin = 'ags' | 'file' | 'staff';

export interface StoredAssignment {
  id: string;
  moduleId: string;
  key: string;
  title: string;
  dueAt: Date | null;
  dueAtSource: AssignmentOrigin | null;
  scoreMaximum: number | null;
  origin: AssignmentOrigin;
}

export interface StoredSubmission {
  assignmentId: string;
  memberId: string;
  submitted: boolean;
  submittedAt: Date | null;
  late: boolean | null;
  status: string;
  origin: 'ags' | 'file' | 'xapi';
}

function toAssignment(d: Record<string, unknown>): StoredAssignment {
  return {
    id: String(d._id),
    moduleId: String(d.moduleId),
    key: String(d.key),
    title: String(d.title),
    dueAt: (d.dueAt as Date | null) ?? null,
    dueAtSource: (d.dueAtSource as AssignmentOrigin | null) ?? null,
    scoreMaximum: (d.scoreMaximum as number | null) ?? null,
    origin: d.origin as AssignmentOrigin,
  };
}

/**
 * Creates or updates an assignment by its key. A due date entered by staff is never overwritten by an
 * import or a sync that lacks one or disagrees: staff know best.
 */
export async function upsertAssignment(a: { moduleId: string; key: string; title: string; dueAt: Date | null; origin: AssignmentOrigin; scoreMaximum?: number | null }): Promise<StoredAssignment> {
  const filter = { moduleId: new Types.ObjectId(a.moduleId), key: a.key };
  const existing = await AssignmentModel.findOne(filter).lean();
  const set: Record<string, unknown> = { title: a.title };
  if (a.scoreMaximum !== undefined) set.scoreMaximum = a.scoreMaximum;
  if (a.dueAt && existing?.dueAtSource !== 'staff') {
    set.dueAt = a.dueAt;
    set.dueAtSource = a.origin;
  }
  const doc = await AssignmentModel.findOneAndUpdate(filter, { $set: set, $setOnInsert: { origin: a.origin } }, { upsert: true, new: true }).lean();
  return toAssignment(doc as Record<string, unknown>);
}

export async function setAssignmentDueDate(moduleId: string, assignmentId: string, dueAt: Date | null): Promise<boolean> {
  if (!Types.ObjectId.isValid(assignmentId)) return false;
  const res = await AssignmentModel.updateOne(
    { _id: new Types.ObjectId(assignmentId), moduleId: new Types.ObjectId(moduleId) },
    { $set: { dueAt, dueAtSource: dueAt ? 'staff' : null } },
  );
  return res.matchedCount > 0;
}

export async function listAssignments(moduleId: string): Promise<StoredAssignment[]> {
  const docs = await AssignmentModel.find({ moduleId: new Types.ObjectId(moduleId) }).sort({ dueAt: 1, title: 1 }).lean();
  return docs.map((d) => toAssignment(d as Record<string, unknown>));
}

/** Records a submission state; a later "submitted" is never undone by a source that knows less. */
export async function upsertSubmission(s: { moduleId: string } & StoredSubmission): Promise<void> {
  const filter = { moduleId: new Types.ObjectId(s.moduleId), assignmentId: new Types.ObjectId(s.assignmentId), memberId: new Types.ObjectId(s.memberId) };
  const existing = await SubmissionModel.findOne(filter).lean();
  if (existing?.submitted && !s.submitted) return;
  await SubmissionModel.updateOne(
    filter,
    { $set: { submitted: s.submitted, submittedAt: s.submittedAt ?? existing?.submittedAt ?? null, late: s.late, status: s.status, origin: s.origin } },
    { upsert: true },
  );
}

export async function listSubmissions(moduleId: string, memberId?: string): Promise<StoredSubmission[]> {
  const filter: Record<string, unknown> = { moduleId: new Types.ObjectId(moduleId) };
  if (memberId) filter.memberId = new Types.ObjectId(memberId);
  const docs = await SubmissionModel.find(filter).lean();
  return docs.map((d) => ({
    assignmentId: String(d.assignmentId),
    memberId: String(d.memberId),
    submitted: d.submitted,
    submittedAt: d.submittedAt ?? null,
    late: d.late ?? null,
    status: d.status ?? '',
    origin: d.origin as StoredSubmission['origin'],
  }));
}
