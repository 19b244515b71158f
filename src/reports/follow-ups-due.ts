import type { DayKey } from '../engagement';

// A contact recorded with a follow-up day asks someone to get back in touch: once that day has come and no later
// contact is recorded, the follow-up is due (Nottingham's policy expects further steps when there is no response).

export interface FollowUpDue {
  memberId: string;
  /** The earliest follow-up day still waiting. */
  due: DayKey;
}

/** Members with a follow-up on or before today and no contact recorded on or after it, most overdue first. */
export function followUpsDue(contacts: ReadonlyArray<{ memberId: string; contactedOn: DayKey; followUpOn: DayKey | null }>, today: DayKey): FollowUpDue[] {
  const lastContact = new Map<string, DayKey>();
  for (const c of contacts) if (c.contactedOn > (lastContact.get(c.memberId) ?? '')) lastContact.set(c.memberId, c.contactedOn);
  const due = new Map<string, DayKey>();
  for (const c of contacts) {
    if (!c.followUpOn || c.followUpOn > today || (lastContact.get(c.memberId) ?? '') >= c.followUpOn) continue;
    if (c.followUpOn < (due.get(c.memberId) ?? '9999-12-31')) due.set(c.memberId, c.followUpOn);
  }
  return [...due].map(([memberId, day]) => ({ memberId, due: day })).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.memberId < b.memberId ? -1 : 1));
}
