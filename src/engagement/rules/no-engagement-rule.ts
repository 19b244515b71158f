import { lastLearningActivity, NO_DAY, SOURCE_COUNT, SOURCE_INDEX } from '../activity-index';
import { isCovered } from '../member-presence';
import { noEngagementEvidence } from '../alert-evidence';
import { SOURCES, type AlertCandidate, type DayKey, type Source } from '../types';
import { cohortMedianActiveDays, type DaySegment } from './cohort-active-days';
import type { RuleContext } from './rule-context';

/** The run of completed days since a member's last activity, as the no-engagement rules count it. */
export interface InactivityGap {
  /** First day of the gap: the day after the last activity, or the start of the period or of enrolment. */
  since: DayKey;
  lastActivity: DayKey | null;
  lastSources: Source[];
  /** Teaching days without activity and without a known cause: the days that count. */
  countedDays: number;
  nonTeachingDays: number;
  knownCauseDays: number;
  /** The counted days as runs of frame indices. */
  segments: DaySegment[];
}

export interface NoEngagementFinding {
  gap: InactivityGap;
  threshold: number;
  cohortMedianActiveDays: number | null;
  cohortSize: number;
}

/**
 * Counts completed days (today is still running) from the day after the last activity, skipping
 * non-teaching days, days before enrolment and days covered by a known cause; null when there are none.
 */
export function inactivityGap(context: RuleContext, m: number): InactivityGap | null {
  const { model } = context;
  const { frame, presence } = model;
  const last = lastLearningActivity(model.activity, m);
  const from = Math.max(last === NO_DAY ? frame.startIndex : last - frame.origin + 1, frame.startIndex, presence.enrolIndex[m] as number);
  const to = Math.min(model.todayIndex - 1, frame.endIndex, (presence.leftIndex[m] as number) - 1);
  if (from > to) return null;
  const segments: Array<[number, number]> = [];
  let nonTeachingDays = 0;
  let knownCauseDays = 0;
  let countedDays = 0;
  for (let d = from; d <= to; d++) {
    if (!frame.teaching[d]) nonTeachingDays++;
    else if (isCovered(presence, m, d)) knownCauseDays++;
    else {
      countedDays++;
      const open = segments[segments.length - 1];
      if (open && open[1] === d - 1) open[1] = d;
      else segments.push([d, d]);
    }
  }
  return {
    since: model.dayKey(frame.origin + from),
    lastActivity: last === NO_DAY ? null : model.dayKey(last),
    lastSources: last === NO_DAY ? [] : SOURCES.filter((s) => model.activity.lastAccess[m * SOURCE_COUNT + SOURCE_INDEX[s]] === last),
    countedDays,
    nonTeachingDays,
    knownCauseDays,
    segments,
  };
}

/** No activity in any source for MORE than `threshold` counted teaching days (Nottingham: "more than 14 consecutive days"). */
export function noEngagementFinding(context: RuleContext, gap: InactivityGap | null, threshold: number): NoEngagementFinding | null {
  if (!gap || gap.countedDays <= threshold) return null;
  const cohort = cohortMedianActiveDays(context, gap.segments);
  return { gap, threshold, cohortMedianActiveDays: cohort.median, cohortSize: cohort.cohortSize };
}

export function noEngagementAlert(context: RuleContext, m: number, finding: NoEngagementFinding): AlertCandidate {
  return {
    memberId: context.model.members[m]!.memberId,
    rule: 'noEngagement',
    audience: 'staff',
    key: `no-engagement/${finding.gap.since}`,
    since: finding.gap.since,
    evidence: noEngagementEvidence(context.model, finding),
  };
}
