import { DateTime } from 'luxon';
import type { DayKey, MemberInfo, MemberStatus } from '../engagement';
import type { Member } from '../store/types';
import { isLearnerMember } from '../store/member-classification';

const STATUS: Record<Member['status'], MemberStatus> = { active: 'active', inactive: 'inactive', gone: 'withdrawn' };

function dayIn(instant: Date | null, timeZone: string): DayKey | null {
  return instant ? DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() : null;
}

/** The first day Waymark knew the member: their first roster appearance or first launch, whichever came first. */
function firstKnownDay(member: Member, timeZone: string): DayKey | null {
  const days = [dayIn(member.inRosterSince, timeZone), dayIn(member.firstLaunchAt, timeZone)].filter((d): d is DayKey => d !== null);
  return days.length === 0 ? null : days.sort()[0]!;
}

/**
 * Members as the engagement engine counts them. Only people who joined after Waymark first saw the module get
 * an enrolment day: those already there on its first day were enrolled before Waymark was installed, and
 * treating the install day as their start would hide weeks of real absence.
 */
export function toMemberInfos(members: readonly Member[], timeZone: string): MemberInfo[] {
  const known = members.map((m) => firstKnownDay(m, timeZone));
  const firstDay = known.filter((d): d is DayKey => d !== null).sort()[0] ?? null;
  return members.map((member, i) => {
    const joined = known[i] ?? null;
    return {
      memberId: member.id,
      status: STATUS[member.status],
      isLearner: isLearnerMember(member),
      sponsoredVisa: member.sponsoredVisa,
      enrolledFrom: joined !== null && firstDay !== null && joined > firstDay ? joined : null,
      leftOn: member.status === 'gone' ? dayIn(member.leftAt, timeZone) : null,
    };
  });
}

/** Today's date in the module's zone: the day the analysis is "as of". */
export function todayIn(now: Date, timeZone: string): DayKey {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
}
