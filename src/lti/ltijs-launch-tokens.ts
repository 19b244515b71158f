import mongoose from 'mongoose';
import { forgetHeldLaunchTokens } from './launch-token-store';

// ltijs keeps each launch's id token (the user's name and email among it) and context token in its own collections,
// for a day by a TTL index. FerretDB ignores TTL indexes, and erasure must not wait a day, so Waymark removes them
// itself: a person's on erasure, and every expired one on a schedule.

const ID_TOKENS = 'idtokens';
const CONTEXT_TOKENS = 'contexttokens';
/** How long ltijs's own TTL index keeps them. */
export const LAUNCH_TOKEN_LIFETIME_MS = 24 * 3_600_000;

// The driver's collections directly: ltijs owns these, and mongoose's sanitizeFilter applies to our models only.
const tokens = (name: string) => mongoose.connection.collection(name);

/** ltijs's context ids start with the URL-encoded issuer and client id of the launch. */
function contextPrefix(issuer: string, clientId: string): RegExp {
  const prefix = encodeURIComponent(issuer + clientId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${prefix}`);
}

/** Removes what ltijs holds about one user of one platform registration; returns how many tokens went. */
export async function deleteLaunchTokensOfUser(platform: { issuer: string; clientId: string }, userId: string): Promise<number> {
  const ids = await tokens(ID_TOKENS).deleteMany({ iss: platform.issuer, clientId: platform.clientId, user: userId });
  const contexts = await tokens(CONTEXT_TOKENS).deleteMany({ user: userId, contextId: { $regex: contextPrefix(platform.issuer, platform.clientId) } });
  forgetHeldLaunchTokens();
  return ids.deletedCount + contexts.deletedCount;
}

/** How many tokens ltijs holds about the user (for the erasure preview). */
export async function countLaunchTokensOfUser(platform: { issuer: string; clientId: string }, userId: string): Promise<number> {
  const ids = await tokens(ID_TOKENS).countDocuments({ iss: platform.issuer, clientId: platform.clientId, user: userId });
  const contexts = await tokens(CONTEXT_TOKENS).countDocuments({ user: userId, contextId: { $regex: contextPrefix(platform.issuer, platform.clientId) } });
  return ids + contexts;
}

/** Removes tokens past ltijs's lifetime, as its TTL index would on MongoDB. */
export async function deleteExpiredLaunchTokens(now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - LAUNCH_TOKEN_LIFETIME_MS);
  let removed = 0;
  for (const name of [ID_TOKENS, CONTEXT_TOKENS]) removed += (await tokens(name).deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  forgetHeldLaunchTokens();
  return removed;
}
