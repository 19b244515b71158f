import { countMemberData, deleteMemberData, type MemberDataCounts } from '../store/member-data-deletion';
import { findPlatformProfile } from '../store/platform-repository';
import { countLaunchTokensOfUser, deleteLaunchTokensOfUser } from '../lti/ltijs-launch-tokens';
import { findPerson } from './subject-access-export';

// Erasure on request (administrators): removes one person's member records and everything about them from every
// module of one platform, and what the LTI library keeps of their launches. The record of staff looking at their
// data stays, naming no one once the member is gone.

export interface ErasureOutcome {
  modules: number;
  counts: MemberDataCounts;
  /** ltijs's id and context tokens of the person's launches (kept a day, with their name and email). */
  launchTokens: number;
}

async function platformKeys(platformId: string): Promise<{ issuer: string; clientId: string } | null> {
  const profile = await findPlatformProfile(platformId);
  return profile ? { issuer: profile.issuer, clientId: profile.clientId } : null;
}

/** What erasure would remove, for the confirmation page. */
export async function previewErasure(platformId: string, userId: string): Promise<ErasureOutcome> {
  const [person, platform] = await Promise.all([findPerson(platformId, userId), platformKeys(platformId)]);
  return {
    modules: person.refs.length,
    counts: await countMemberData(person.refs, 'own-views'),
    launchTokens: platform ? await countLaunchTokensOfUser(platform, userId) : 0,
  };
}

export async function erasePerson(platformId: string, userId: string): Promise<ErasureOutcome> {
  const [person, platform] = await Promise.all([findPerson(platformId, userId), platformKeys(platformId)]);
  return {
    modules: person.refs.length,
    counts: await deleteMemberData(person.refs, 'own-views'),
    launchTokens: platform ? await deleteLaunchTokensOfUser(platform, userId) : 0,
  };
}

/** The audit detail of an erasure: counts only, so the entry itself holds no personal data. */
export function erasureAuditDetail(outcome: ErasureOutcome): Record<string, number> {
  return { modules: outcome.modules, ...outcome.counts, launchTokens: outcome.launchTokens };
}
