import { Types, trusted } from 'mongoose';
import { AuditEntryModel } from './models/audit-entry-model';
import type { AuditEntry } from './audit-repository';

// Reading the audit log for administrators: filtered, newest first, paged by a cursor so new entries never shift pages.

export interface AuditQuery {
  platformId: string;
  moduleId?: string;
  /** Entries about any of these member records (one person has one per module). */
  learnerMemberIds?: string[];
  action?: string;
}

export interface AuditRow extends AuditEntry {
  id: string;
}

/** Position after the last row shown: its time and id (ties on time are broken by id). */
export interface AuditCursor {
  at: Date;
  id: string;
}

function filterFor(q: AuditQuery, after?: AuditCursor): Record<string, unknown> {
  const filter: Record<string, unknown> = { platformId: q.platformId };
  if (q.moduleId) filter.moduleId = new Types.ObjectId(q.moduleId);
  if (q.learnerMemberIds) filter.learnerMemberId = trusted({ $in: q.learnerMemberIds.map((id) => new Types.ObjectId(id)) });
  if (q.action) filter.action = q.action;
  if (after) {
    filter.$or = [{ at: trusted({ $lt: after.at }) }, { at: after.at, _id: trusted({ $lt: new Types.ObjectId(after.id) }) }];
  }
  return filter;
}

function toRow(d: Record<string, unknown>): AuditRow {
  return {
    id: String(d._id),
    at: d.at as Date,
    platformId: String(d.platformId),
    moduleId: d.moduleId ? String(d.moduleId) : null,
    actorUserId: String(d.actorUserId),
    actorRole: String(d.actorRole),
    learnerMemberId: d.learnerMemberId ? String(d.learnerMemberId) : null,
    action: String(d.action),
    detail: (d.detail as AuditEntry['detail']) ?? {},
  };
}

export async function queryAuditEntries(q: AuditQuery, limit: number, after?: AuditCursor): Promise<AuditRow[]> {
  const docs = await AuditEntryModel.find(filterFor(q, after)).sort({ at: -1, _id: -1 }).limit(limit).lean();
  return docs.map((d) => toRow(d as Record<string, unknown>));
}

/** Every matching entry, newest first, without holding them all in memory (for CSV export). */
export async function* streamAuditEntries(q: AuditQuery): AsyncGenerator<AuditRow> {
  const cursor = AuditEntryModel.find(filterFor(q)).sort({ at: -1, _id: -1 }).lean().cursor({ batchSize: 1000 });
  for await (const d of cursor) yield toRow(d as unknown as Record<string, unknown>);
}

/** The actions recorded on a platform, for the filter list. */
export async function listAuditActions(platformId: string): Promise<string[]> {
  const actions = (await AuditEntryModel.distinct('action', { platformId })) as string[];
  return actions.sort();
}
