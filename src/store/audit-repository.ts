import { Types } from 'mongoose';
import { AuditEntryModel } from './models/audit-entry-model';

export interface AuditEntry {
  at: Date;
  platformId: string;
  moduleId: string | null;
  actorUserId: string;
  actorRole: string;
  learnerMemberId: string | null;
  action: string;
  detail: Record<string, string | number | boolean | null>;
}

const toDoc = (e: AuditEntry) => ({
  ...e,
  moduleId: e.moduleId ? new Types.ObjectId(e.moduleId) : null,
  learnerMemberId: e.learnerMemberId ? new Types.ObjectId(e.learnerMemberId) : null,
});

export async function appendAuditEntry(e: AuditEntry): Promise<void> {
  await AuditEntryModel.create(toDoc(e));
}

/** Several entries in one write: a page that shows many learners at once records a view of each. */
export async function appendAuditEntries(entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length > 0) await AuditEntryModel.insertMany(entries.map(toDoc));
}

export async function listAuditEntries(filter: { platformId?: string; moduleId?: string; learnerMemberId?: string; action?: string }, limit = 500): Promise<AuditEntry[]> {
  const q: Record<string, unknown> = {};
  if (filter.platformId) q.platformId = filter.platformId;
  if (filter.moduleId) q.moduleId = new Types.ObjectId(filter.moduleId);
  if (filter.learnerMemberId) q.learnerMemberId = new Types.ObjectId(filter.learnerMemberId);
  if (filter.action) q.action = filter.action;
  const docs = await AuditEntryModel.find(q).sort({ at: -1 }).limit(limit).lean();
  return docs.map((d) => ({
    at: d.at,
    platformId: d.platformId,
    moduleId: d.moduleId ? String(d.moduleId) : null,
    actorUserId: d.actorUserId,
    actorRole: d.actorRole,
    learnerMemberId: d.learnerMemberId ? String(d.learnerMemberId) : null,
    action: d.action,
    detail: (d.detail as AuditEntry['detail']) ?? {},
  }));
}
