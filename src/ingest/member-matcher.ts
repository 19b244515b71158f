import type { PersonRef } from './formats/parsed-records';
import type { Member } from '../store/types';

export type MatchResult = { member: Member; by: 'user id' | 'email' | 'id number' | 'name' } | null;

/**
 * Matches a row's person to a roster member: Moodle user id (= LTI sub) first, then email (file email or
 * Teams UPN), then id number, then full name only when exactly one member has it.
 */
export class MemberMatcher {
  private readonly byUserId = new Map<string, Member>();
  private readonly byEmail = new Map<string, Member>();
  private readonly bySourcedId = new Map<string, Member>();
  private readonly byName = new Map<string, Member | 'ambiguous'>();

  constructor(members: readonly Member[]) {
    for (const m of members) {
      this.byUserId.set(m.userId, m);
      if (m.email) this.byEmail.set(m.email.trim().toLowerCase(), m);
      if (m.sourcedId) this.bySourcedId.set(m.sourcedId.trim(), m);
      const name = normaliseName(m.name);
      if (name) this.byName.set(name, this.byName.has(name) ? 'ambiguous' : m);
    }
  }

  match(p: PersonRef): MatchResult {
    if (p.moodleUserId) {
      const m = this.byUserId.get(p.moodleUserId);
      if (m) return { member: m, by: 'user id' };
    }
    for (const address of [p.email, p.username]) {
      const m = address ? this.byEmail.get(address.trim().toLowerCase()) : undefined;
      if (m) return { member: m, by: 'email' };
    }
    if (p.idNumber) {
      const m = this.bySourcedId.get(p.idNumber.trim());
      if (m) return { member: m, by: 'id number' };
    }
    const name = p.fullName ? normaliseName(p.fullName) : '';
    const byName = name ? this.byName.get(name) : undefined;
    if (byName && byName !== 'ambiguous') return { member: byName, by: 'name' };
    return null;
  }
}

function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** How an unmatched person is listed back to the uploader: enough to recognise them, nothing more. */
export function describePerson(p: PersonRef): string {
  return [p.fullName, p.email ?? p.username, p.moodleUserId ? `Moodle user id ${p.moodleUserId}` : undefined, p.idNumber ? `ID number ${p.idNumber}` : undefined]
    .filter(Boolean)
    .join(', ') || 'no name or id in the row';
}
