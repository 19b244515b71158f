import { countMemberData, deleteMemberData, type MemberDataCounts } from '../store/member-data-deletion';
import { findPerson } from './subject-access-export';

// Erasure on request (administrators): removes one person's member records and everything about them from every
// module of one platform. The record of staff looking at their data stays, naming no one once the member is gone.

export interface ErasureOutcome {
  modules: number;
  counts: MemberDataCounts;
}

/** What erasure would remove, for the confirmation page. */
export async function previewErasure(platformId: string, userId: string): Promise<ErasureOutcome> {
  const person = await findPerson(platformId, userId);
  return { modules: person.refs.length, counts: await countMemberData(person.refs, 'own-views') };
}

export async function erasePerson(platformId: string, userId: string): Promise<ErasureOutcome> {
  const person = await findPerson(platformId, userId);
  return { modules: person.refs.length, counts: await deleteMemberData(person.refs, 'own-views') };
}

/** The audit detail of an erasure: counts only, so the entry itself holds no personal data. */
export function erasureAuditDetail(outcome: ErasureOutcome): Record<string, number> {
  return { modules: outcome.modules, ...outcome.counts };
}
