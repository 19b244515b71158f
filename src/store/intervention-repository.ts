import { Types } from 'mongoose';
import { InterventionModel } from './models/intervention-model';
import type { DayKey } from '../engagement';

export const CONTACT_METHODS = ['email', 'phone', 'in-person', 'video', 'message', 'other'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export interface NewIntervention {
  moduleId: string;
  memberId: string;
  method: ContactMethod;
  contactedOn: DayKey;
  note: string;
  outcome: string;
  followUpOn: DayKey | null;
  recordedByUserId: string;
  recordedByName: string;
}

export interface InterventionRecord extends NewIntervention {
  id: string;
  createdAt: Date;
}

function toIntervention(d: Record<string, unknown>): InterventionRecord {
  return {
    id: String(d._id),
    moduleId: String(d.moduleId),
    memberId: String(d.memberId),
    method: d.method as ContactMethod,
    contactedOn: String(d.contactedOn),
    note: String(d.note ?? ''),
    outcome: String(d.outcome ?? ''),
    followUpOn: (d.followUpOn as string | null) ?? null,
    recordedByUserId: String(d.recordedByUserId),
    recordedByName: String(d.recordedByName ?? ''),
    createdAt: d.createdAt as Date,
  };
}

export async function recordIntervention(i: NewIntervention): Promise<InterventionRecord> {
  const d = await InterventionModel.create({ ...i, moduleId: new Types.ObjectId(i.moduleId), memberId: new Types.ObjectId(i.memberId) });
  return toIntervention(d.toObject() as Record<string, unknown>);
}

/** Newest contact first. */
export async function listInterventions(moduleId: string, memberId: string): Promise<InterventionRecord[]> {
  const docs = await InterventionModel.find({ moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId) })
    .sort({ contactedOn: -1, createdAt: -1 })
    .lean();
  return docs.map((d) => toIntervention(d as Record<string, unknown>));
}

/** Every contact of a module, reduced to its member and days: what the dashboard needs to find follow-ups due. */
export async function listContactDays(moduleId: string): Promise<Array<{ memberId: string; contactedOn: DayKey; followUpOn: DayKey | null }>> {
  const docs = await InterventionModel.find({ moduleId: new Types.ObjectId(moduleId) }, { memberId: 1, contactedOn: 1, followUpOn: 1 }).lean();
  return docs.map((d) => ({ memberId: String(d.memberId), contactedOn: d.contactedOn, followUpOn: d.followUpOn ?? null }));
}
