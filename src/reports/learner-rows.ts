import { SOURCES, type AlertRule, type AnalysedWeek, type DayKey, type Source } from '../engagement';
import type { MemberSummary } from '../store/module-snapshot-repository';
import type { Member } from '../store/types';
import type { LearnerRow } from './learner-table';
import { isLearnerMember } from '../store/member-classification';
import { RULE_ORDER } from './staff-wording';

/** Weeks in the small trend line: half a term is enough to see a direction without a chart. */
const TREND_WEEKS = 6;

export interface JudgedWeeks {
  /** The last complete teaching week: the one "this week's level" refers to. */
  last: AnalysedWeek | null;
  previous: AnalysedWeek | null;
  recent: AnalysedWeek[];
}

/** Levels exist only for complete teaching weeks, so the dashboard compares the last two of those. */
export function judgedWeeks(weeks: readonly AnalysedWeek[]): JudgedWeeks {
  const complete = weeks.filter((w) => w.complete && w.teaching);
  return {
    last: complete[complete.length - 1] ?? null,
    previous: complete[complete.length - 2] ?? null,
    recent: complete.slice(-TREND_WEEKS),
  };
}

export function memberDisplayName(member: Pick<Member, 'name' | 'givenName' | 'familyName' | 'userId'>): string {
  return member.name || [member.givenName, member.familyName].filter(Boolean).join(' ') || `User ${member.userId}`;
}

function sortName(member: Member): string {
  return member.familyName ? `${member.familyName} ${member.givenName || member.name}` : memberDisplayName(member);
}

const NO_ACCESS = Object.fromEntries(SOURCES.map((s) => [s, null])) as Record<Source, DayKey | null>;

function levelIn(summary: MemberSummary | undefined, week: AnalysedWeek | null): number | null {
  if (!summary || !week) return null;
  return summary.levels[week.number - 1] ?? null;
}

/** Current learners (not staff, not "not a learner", not left) with their figures from the stored analysis. */
export function buildLearnerRows(
  members: readonly Member[],
  summaries: readonly MemberSummary[],
  liveAlerts: ReadonlyArray<{ memberId: string; rule: AlertRule }>,
  weeks: readonly AnalysedWeek[],
): LearnerRow[] {
  const byMember = new Map(summaries.map((s) => [s.memberId, s]));
  const rules = new Map<string, Set<AlertRule>>();
  for (const alert of liveAlerts) {
    const set = rules.get(alert.memberId) ?? new Set<AlertRule>();
    set.add(alert.rule);
    rules.set(alert.memberId, set);
  }
  const judged = judgedWeeks(weeks);
  return members
    .filter((m) => m.status !== 'gone' && isLearnerMember(m))
    .map((member) => {
      const summary = byMember.get(member.id);
      const own = rules.get(member.id);
      return {
        memberId: member.id,
        name: memberDisplayName(member),
        sortName: sortName(member),
        email: member.email,
        inactive: member.status === 'inactive',
        level: levelIn(summary, judged.last),
        previousLevel: levelIn(summary, judged.previous),
        recentLevels: judged.recent.map((week) => levelIn(summary, week)),
        lastAccess: summary?.lastAccess ?? NO_ACCESS,
        lastAccessAny: summary?.lastAccessAny ?? null,
        submitted: summary?.assignments.submitted ?? 0,
        expected: summary?.assignments.expected ?? 0,
        alertRules: RULE_ORDER.filter((rule) => own?.has(rule)),
        analysed: summary !== undefined,
      };
    });
}
