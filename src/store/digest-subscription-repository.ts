import { Types, trusted } from 'mongoose';
import { DigestSubscriptionModel } from './models/digest-subscription-model';

export interface DigestSubscription {
  moduleId: string;
  userId: string;
  email: string;
  name: string;
  lastSentAt: Date | null;
}

function toSubscription(d: Record<string, unknown>): DigestSubscription {
  return {
    moduleId: String(d.moduleId),
    userId: String(d.userId),
    email: String(d.email),
    name: String(d.name ?? ''),
    lastSentAt: (d.lastSentAt as Date | null) ?? null,
  };
}

export async function subscribeToDigest(s: { moduleId: string; userId: string; email: string; name: string }): Promise<void> {
  await DigestSubscriptionModel.updateOne(
    { moduleId: new Types.ObjectId(s.moduleId), userId: s.userId },
    { $set: { email: s.email, name: s.name } },
    { upsert: true },
  );
}

export async function unsubscribeFromDigest(moduleId: string, userId: string): Promise<void> {
  await DigestSubscriptionModel.deleteOne({ moduleId: new Types.ObjectId(moduleId), userId });
}

export async function findDigestSubscription(moduleId: string, userId: string): Promise<DigestSubscription | null> {
  const d = await DigestSubscriptionModel.findOne({ moduleId: new Types.ObjectId(moduleId), userId }).lean();
  return d ? toSubscription(d as Record<string, unknown>) : null;
}

export async function listDigestSubscriptions(): Promise<DigestSubscription[]> {
  const docs = await DigestSubscriptionModel.find({}).sort({ userId: 1, moduleId: 1 }).lean();
  return docs.map((d) => toSubscription(d as Record<string, unknown>));
}

/**
 * Claims one subscription's digest for this run: succeeds only when its last digest covered up to `dueBefore`
 * or earlier, so two instances running the job at once cannot both send it. Returns the previous cover time
 * (null when never sent) or undefined when another run has it.
 */
export async function claimDigest(moduleId: string, userId: string, at: Date, dueBefore: Date): Promise<Date | null | undefined> {
  const before = await DigestSubscriptionModel.findOneAndUpdate(
    {
      moduleId: new Types.ObjectId(moduleId),
      userId,
      $or: [{ lastSentAt: null }, { lastSentAt: trusted({ $lte: dueBefore }) }],
    },
    { $set: { lastSentAt: at } },
    { new: false },
  ).lean();
  if (!before) return undefined;
  return (before.lastSentAt as Date | null) ?? null;
}

/** Gives a claimed digest back when it could not be sent, so the next run covers the same alerts. */
export async function releaseDigest(moduleId: string, userId: string, claimedAt: Date, previous: Date | null): Promise<void> {
  await DigestSubscriptionModel.updateOne({ moduleId: new Types.ObjectId(moduleId), userId, lastSentAt: claimedAt }, { $set: { lastSentAt: previous } });
}
