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

/**
 * What else ltijs keeps per launch, with how long it is kept here: the nonces and states of the OIDC login and
 * the platforms' service access tokens. ltijs's TTL indexes keep them minutes to an hour; an hour here is never
 * shorter, and keeps the collections FerretDB scans on every launch small.
 */
const LAUNCH_STEP_LIFETIME_MS = 3_600_000;
const EXPIRING: ReadonlyArray<[collection: string, lifetimeMs: number]> = [
  [ID_TOKENS, LAUNCH_TOKEN_LIFETIME_MS],
  [CONTEXT_TOKENS, LAUNCH_TOKEN_LIFETIME_MS],
  ['nonces', LAUNCH_STEP_LIFETIME_MS],
  ['states', LAUNCH_STEP_LIFETIME_MS],
  ['accesstokens', LAUNCH_STEP_LIFETIME_MS],
];

/** Removes what ltijs keeps past its lifetime, as its TTL indexes would on MongoDB. */
export async function deleteExpiredLaunchTokens(now: Date): Promise<number> {
  let removed = 0;
  for (const [name, lifetimeMs] of EXPIRING) {
    removed += (await tokens(name).deleteMany({ createdAt: { $lt: new Date(now.getTime() - lifetimeMs) } })).deletedCount;
  }
  forgetHeldLaunchTokens();
  return removed;
}
