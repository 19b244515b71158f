import crypto from 'node:crypto';
import { SOURCES, type DailyActivity, type DayKey, type MemberIndicators, type ModuleAnalysis, type ModuleCalendar, type Source } from '../engagement';
import type { MemberSnapshotWrite, MemberSummary, ModuleSnapshotData } from '../store/module-snapshot-repository';

/** Latest day with activity per source, so the dashboard can say how fresh each source is. */
export function lastActivityBySource(activity: readonly DailyActivity[]): Record<Source, DayKey | null> {
  const latest = Object.fromEntries(SOURCES.map((s) => [s, null])) as Record<Source, DayKey | null>;
  for (const row of activity) {
    const current = latest[row.source];
    if (current === null || row.day > current) latest[row.source] = row.day;
  }
  return latest;
}

export function moduleSnapshotData(analysis: ModuleAnalysis, calendar: ModuleCalendar, activity: readonly DailyActivity[]): ModuleSnapshotData {
  return {
    calendar,
    weeks: analysis.weeks,
    bands: analysis.bands,
    markers: analysis.markers,
    thresholds: analysis.thresholds,
    lastActivityBySource: lastActivityBySource(activity),
    learnerCount: analysis.members.filter((m) => m.isLearner && m.status === 'active').length,
  };
}

function summaryOf(member: MemberIndicators): MemberSummary {
  const levels: Array<number | null> = [];
  for (const week of member.weeks) levels[week.weekNumber - 1] = week.level;
  return {
    memberId: member.memberId,
    status: member.status,
    isLearner: member.isLearner,
    lastAccess: member.lastAccess,
    lastAccessAny: member.lastAccessAny,
    vle: member.vle,
    launches: member.launches,
    activeDays: member.activeDays,
    assignments: { expected: member.assignments.expected, submitted: member.assignments.submitted, late: member.assignments.late, missing: member.assignments.missing },
    meetings: member.meetings,
    recordings: member.recordings,
    levels: Array.from(levels, (level) => level ?? null),
  };
}

/** One stored row per member; the hash lets a recomputation skip members whose figures did not change. */
export function memberSnapshotWrite(member: MemberIndicators): MemberSnapshotWrite {
  const summary = summaryOf(member);
  const body = { summary, weeks: member.weeks, assignmentDetails: member.assignments.details };
  const hash = crypto.createHash('sha1').update(JSON.stringify(body)).digest('base64url');
  return { ...body, hash };
}
