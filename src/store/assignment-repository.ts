import { Types, trusted } from 'mongoose';
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
export async function upsertAssignment(a: {
  moduleId: string;
  key: string;
  title: string;
  dueAt: Date | null;
  origin: AssignmentOrigin;
  scoreMaximum?: number | null;
}): Promise<StoredAssignment & { changed: boolean }> {
  const filter = { moduleId: new Types.ObjectId(a.moduleId), key: a.key };
  const existing = await AssignmentModel.findOne(filter).lean();
  const set: Record<string, unknown> = { title: a.title };
  if (a.scoreMaximum !== undefined) set.scoreMaximum = a.scoreMaximum;
  if (a.dueAt && existing?.dueAtSource !== 'staff') {
    set.dueAt = a.dueAt;
    set.dueAtSource = a.origin;
  }
  const doc = await AssignmentModel.findOneAndUpdate(filter, { $set: set, $setOnInsert: { origin: a.origin } }, { upsert: true, new: true }).lean();
  const before = existing as Record<string, unknown> | null;
  // What the analysis reads: a new assignment, or another title, maximum or due date.
  const changed = before === null || Object.entries(set).some(([k, v]) => (v instanceof Date ? v.getTime() !== (before[k] as Date | null)?.getTime() : (before[k] ?? null) !== v));
  return { ...toAssignment(doc as Record<string, unknown>), changed };
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
  await upsertSubmissions(s.moduleId, [s]);
}

// Statuses of the gradebook export, which knows only whether work was graded, not how it was submitted.
const GRADE_ONLY_STATUSES: ReadonlySet<string> = new Set(['graded', 'not-graded']);

type SubmissionState = { submitted: boolean; submittedAt?: Date | null; late?: boolean | null; status?: string | null };

/** Whether two states of a submission say the same (handed in or not, when, late or not, the source's status). */
export function sameSubmissionState(a: SubmissionState, b: SubmissionState): boolean {
  return a.submitted === b.submitted && (a.submittedAt?.getTime() ?? null) === (b.submittedAt?.getTime() ?? null) && (a.late ?? null) === (b.late ?? null) && (a.status ?? '') === (b.status ?? '');
}

/**
 * The state a submission takes when `incoming` arrives over what is stored: what the new source does not know
 * (no time, no lateness, only "graded") leaves the stored, more specific value in place.
 */
export function mergeSubmission(
  before: SubmissionState | null | undefined,
  incoming: StoredSubmission,
): Omit<StoredSubmission, 'assignmentId' | 'memberId'> {
  const storedStatus = before?.status ?? '';
  const keepStatus = storedStatus !== '' && GRADE_ONLY_STATUSES.has(incoming.status) && before?.submitted === incoming.submitted;
  return {
    submitted: incoming.submitted,
    submittedAt: incoming.submittedAt ?? before?.submittedAt ?? null,
    late: incoming.late ?? before?.late ?? null,
    status: keepStatus ? storedStatus : incoming.status,
    origin: incoming.origin,
  };
}

/** A submission's identity within its module: its assignment and member. */
export const submissionKey = (assignmentId: string, memberId: string) => `${assignmentId}|${memberId}`;

/**
 * Records many submission states of one module in a handful of commands: the stored ones are read once, new ones
 * inserted together and changed ones updated by _id (one upsert each made FerretDB scan the collection per row).
 * A later "submitted" is never undone by a source that knows less (see mergeSubmission); the last state given for a pair wins.
 */
export async function upsertSubmissions(moduleId: string, rows: readonly StoredSubmission[], beforeWriting?: (changed: ReadonlySet<string>) => Promise<void>): Promise<number> {
  if (rows.length === 0) return 0;
  const moduleObjectId = new Types.ObjectId(moduleId);
  const wanted = new Map(rows.map((r) => [submissionKey(r.assignmentId, r.memberId), r]));
  const assignmentIds = [...new Set(rows.map((r) => r.assignmentId))].map((id) => new Types.ObjectId(id));
  const stored = await SubmissionModel.find({ moduleId: moduleObjectId, assignmentId: trusted({ $in: assignmentIds }) }).lean();
  const byKey = new Map(stored.map((d) => [submissionKey(String(d.assignmentId), String(d.memberId)), d]));

  const inserts: Array<Record<string, unknown>> = [];
  const updates: Array<{ _id: Types.ObjectId; set: ReturnType<typeof mergeSubmission> }> = [];
  const changed = new Set<string>();
  for (const [key, r] of wanted) {
    const before = byKey.get(key);
    if (!before) {
      inserts.push({ moduleId: moduleObjectId, assignmentId: new Types.ObjectId(r.assignmentId), memberId: new Types.ObjectId(r.memberId), ...mergeSubmission(undefined, r) });
      changed.add(key);
      continue;
    }
    if (before.submitted && !r.submitted) continue;
    const set = mergeSubmission(before, r);
    if (sameSubmissionState(before, set) && before.origin === set.origin) continue;
    updates.push({ _id: before._id, set });
    changed.add(key);
  }
  await beforeWriting?.(changed);
  if (inserts.length > 0) {
    try {
      await SubmissionModel.insertMany(inserts, { ordered: false });
    } catch (err) {
      // Another sync or import stored some of these meanwhile: record those one by one, as the rule above says.
      if ((err as { code?: number }).code !== 11000 && !(err as { writeErrors?: unknown }).writeErrors) throw err;
      for (const doc of inserts) {
        const r = wanted.get(submissionKey(String(doc.assignmentId), String(doc.memberId)))!;
        const filter = { moduleId: moduleObjectId, assignmentId: doc.assignmentId, memberId: doc.memberId };
        const existing = await SubmissionModel.findOne(filter).lean();
        if (existing?.submitted && !r.submitted) continue;
        await SubmissionModel.updateOne(filter, { $set: mergeSubmission(existing, r) }, { upsert: true });
      }
    }
  }
  // Cast: mongoose's inferred schema types do not model nullable defaults.
  if (updates.length > 0) await SubmissionModel.bulkWrite(updates.map((u) => ({ updateOne: { filter: { _id: u._id }, update: { $set: u.set } } })) as never, { ordered: false });
  return inserts.length + updates.length;
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
