import { Types, trusted } from 'mongoose';
import { LaunchSessionModel } from './models/launch-session-model';

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

export async function saveLaunchSession(s: LaunchSession): Promise<void> {
  const { sessionId, ...rest } = s;
  await LaunchSessionModel.updateOne(
    { _id: sessionId },
    {
      $setOnInsert: {
        sessionId,
        ...rest,
        moduleId: new Types.ObjectId(s.moduleId),
        memberId: new Types.ObjectId(s.memberId),
      },
    },
    { upsert: true },
  );
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
