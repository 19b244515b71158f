import { trusted } from 'mongoose';
import { LaunchSessionModel } from './models/launch-session-model';
import { insertedUnlessDuplicate } from './duplicate-key';

export interface LaunchSession {
  sessionId: string;
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  userId: string;
  moduleId: string;
  memberId: string;
  roles: string[];
  mentorScope: string[];
  displayName: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/**
 * Stores a new launch's session; false if one is already stored under its id (a launch handled twice keeps the
 * first). An insert, which FerretDB v1 checks against the unique _id without reading the collection.
 */
export async function saveLaunchSession(s: LaunchSession): Promise<boolean> {
  return insertedUnlessDuplicate(() => new LaunchSessionModel({ ...s, _id: s.sessionId }).save());
}

export async function findLaunchSession(sessionId: string): Promise<LaunchSession | null> {
  const d = (await LaunchSessionModel.findById(sessionId).lean()) ?? (await LaunchSessionModel.findOne({ sessionId }).lean());
  if (!d) return null;
  return {
    sessionId: d.sessionId,
    platformId: d.platformId,
    issuer: d.issuer,
    clientId: d.clientId,
    deploymentId: d.deploymentId,
    userId: d.userId,
    moduleId: String(d.moduleId),
    memberId: String(d.memberId),
    roles: d.roles ?? [],
    mentorScope: d.mentorScope ?? [],
    displayName: d.displayName ?? '',
    createdAt: d.createdAt,
    lastSeenAt: d.lastSeenAt,
  };
}

export async function touchLaunchSession(sessionId: string, at: Date): Promise<void> {
  const res = await LaunchSessionModel.updateOne({ _id: sessionId }, { $set: { lastSeenAt: at } });
  if (res.matchedCount === 0) await LaunchSessionModel.updateOne({ sessionId }, { $set: { lastSeenAt: at } });
}

export async function deleteLaunchSessionsIdleSince(cutoff: Date): Promise<number> {
  const res = await LaunchSessionModel.deleteMany({ lastSeenAt: trusted({ $lt: cutoff }) });
  return res.deletedCount;
}
