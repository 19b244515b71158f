import { Types } from 'mongoose';
import { EngagementEventModel } from './models/engagement-event-model';

// The events one import run stored in one module, found by the importId each event records.

const importFilter = (moduleId: string, importId: string) => ({ moduleId: new Types.ObjectId(moduleId), importId });

/** Streams who each of the run's events belongs to and when it happened, without holding them all in memory. */
export async function* memberInstantsOfImport(moduleId: string, importId: string): AsyncGenerator<{ memberId: string; occurredAt: Date }> {
  const cursor = EngagementEventModel.find(importFilter(moduleId, importId), { memberId: 1, occurredAt: 1, _id: 0 }).lean().cursor({ batchSize: 5000 });
  for await (const d of cursor) yield { memberId: String(d.memberId), occurredAt: d.occurredAt };
}

/** Deletes the run's events in the module; returns how many went. */
export async function deleteEventsOfImport(moduleId: string, importId: string): Promise<number> {
  const res = await EngagementEventModel.deleteMany(importFilter(moduleId, importId));
  return res.deletedCount;
}
