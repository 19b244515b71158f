import { Types } from 'mongoose';
import { KnownCauseModel } from './models/known-cause-model';
import type { DayKey } from '../engagement';

export interface KnownCauseRecord {
  id: string;
  memberId: string;
  from: DayKey;
  to: DayKey;
  reason: string;
  createdByUserId: string;
  createdByName: string;
  createdAt: Date;
}

function toKnownCause(d: Record<string, unknown>): KnownCauseRecord {
  return {
    id: String(d._id),
    memberId: String(d.memberId),
    from: String(d.from),
    to: String(d.to),
    reason: String(d.reason),
    createdByUserId: String(d.createdByUserId),
    createdByName: String(d.createdByName ?? ''),
    createdAt: d.createdAt as Date,
  };
}

export async function addKnownCause(c: { moduleId: string; memberId: string; from: DayKey; to: DayKey; reason: string; createdByUserId: string; createdByName: string }): Promise<KnownCauseRecord> {
  const d = await KnownCauseModel.create({ ...c, moduleId: new Types.ObjectId(c.moduleId), memberId: new Types.ObjectId(c.memberId) });
  return toKnownCause(d.toObject() as Record<string, unknown>);
}

/** Removes a cause of this member in this module; false when there is none with that id. */
export async function removeKnownCause(moduleId: string, memberId: string, causeId: string): Promise<KnownCauseRecord | null> {
  if (!Types.ObjectId.isValid(causeId)) return null;
  const d = await KnownCauseModel.findOneAndDelete({ _id: new Types.ObjectId(causeId), moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId) }).lean();
  return d ? toKnownCause(d as Record<string, unknown>) : null;
}

export async function listKnownCauses(moduleId: string, memberId?: string): Promise<KnownCauseRecord[]> {
  const q: Record<string, unknown> = { moduleId: new Types.ObjectId(moduleId) };
  if (memberId) q.memberId = new Types.ObjectId(memberId);
  const docs = await KnownCauseModel.find(q).sort({ from: 1, _id: 1 }).lean();
  return docs.map((d) => toKnownCause(d as Record<string, unknown>));
}
