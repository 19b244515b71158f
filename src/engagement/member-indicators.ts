import { lastLearningActivity, NO_DAY, SECONDS_PER_MINUTE, SOURCE_COUNT, SOURCE_INDEX } from './activity-index';
import { assignmentIndicators, submittedDueInWeek } from './assignment-status';
import type { ModuleModel, WeeklyFigures } from './module-model';
import { DAYS_PER_WEEK } from './teaching-weeks';
import { INDICATORS, SOURCES, type DayKey, type MemberIndicators, type MemberWeek, type Source, type WeeklyValues } from './types';

export const INDICATOR_COUNT = INDICATORS.length;
export const INDICATOR_INDEX = Object.fromEntries(INDICATORS.map((name, i) => [name, i])) as Record<(typeof INDICATORS)[number], number>;

const VLE = SOURCE_INDEX.vle;
const LAUNCH = SOURCE_INDEX.launch;
const MEETING = SOURCE_INDEX.meeting;
const RECORDING = SOURCE_INDEX.recording;
const VLE_BIT = 1 << VLE;

/** Weekly indicator values of every member for every started week, in one flat array. */
export function computeWeeklyValues(model: ModuleModel): Float64Array {
  // Imported constants are read into locals once: module bindings can cost a call each under some loaders.
  const sources = SOURCE_COUNT;
  const stride = INDICATOR_COUNT;
  const { gridDays, weekCount, weekCounts, weekSeconds, activeMask } = model.activity;
  const { startedWeeks } = model;
  const values = new Float64Array(model.members.length * startedWeeks * stride);
  for (let m = 0; m < model.members.length; m++) {
    for (let w = 0; w < startedWeeks; w++) {
      const out = (m * startedWeeks + w) * stride;
      const cell = (m * weekCount + w) * sources;
      const last = Math.min((w + 1) * DAYS_PER_WEEK, gridDays);
      let vleDays = 0;
      let activeDays = 0;
      for (let d = w * DAYS_PER_WEEK; d < last; d++) {
        const mask = activeMask[m * gridDays + d] as number;
        if (mask !== 0) activeDays++;
        if (mask & VLE_BIT) vleDays++;
      }
      // Same order as INDICATORS.
      values[out] = vleDays;
      values[out + 1] = weekCounts[cell + VLE] as number;
      values[out + 2] = weekCounts[cell + LAUNCH] as number;
      values[out + 3] = submittedDueInWeek(model.assignments, m, w);
      values[out + 4] = weekCounts[cell + MEETING] as number;
      values[out + 5] = (weekSeconds[cell + MEETING] as number) / SECONDS_PER_MINUTE;
      values[out + 6] = weekCounts[cell + RECORDING] as number;
      values[out + 7] = (weekSeconds[cell + RECORDING] as number) / SECONDS_PER_MINUTE;
      values[out + 8] = activeDays;
    }
  }
  return values;
}

export function weeklyValuesOf(values: ArrayLike<number>, offset: number): WeeklyValues {
  return {
    vleActiveDays: values[offset] as number,
    vleClicks: values[offset + 1] as number,
    launches: values[offset + 2] as number,
    assignmentsSubmitted: values[offset + 3] as number,
    meetingsAttended: values[offset + 4] as number,
    meetingMinutes: values[offset + 5] as number,
    recordingsViewed: values[offset + 6] as number,
    recordingMinutes: values[offset + 7] as number,
    activeDays: values[offset + 8] as number,
  };
}


/** The indicators of one member as of today, for pages, exports and the student's own panel. */
export function memberIndicators(model: ModuleModel, figures: WeeklyFigures, m: number): MemberIndicators {
  const member = model.members[m]!;
  const lastAccess = {} as Record<Source, DayKey | null>;
  for (const source of SOURCES) {
    const n = model.activity.lastAccess[m * SOURCE_COUNT + SOURCE_INDEX[source]] as number;
    lastAccess[source] = n === NO_DAY ? null : model.dayKey(n);
  }
  const lastAny = lastLearningActivity(model.activity, m);
  const weeks: MemberWeek[] = [];
  const totals = new Float64Array(INDICATOR_COUNT);
  for (let w = 0; w < model.startedWeeks; w++) {
    const offset = (m * model.startedWeeks + w) * INDICATOR_COUNT;
    for (let i = 0; i < INDICATOR_COUNT; i++) totals[i] = (totals[i] as number) + (figures.values[offset + i] as number);
    const level = figures.levels[m * model.startedWeeks + w] as number;
    weeks.push({ weekNumber: w + 1, values: weeklyValuesOf(figures.values, offset), level: Number.isNaN(level) ? null : level });
  }
  const total = weeklyValuesOf(totals, 0);
  return {
    memberId: member.memberId,
    status: member.status,
    isLearner: member.isLearner,
    sponsoredVisa: member.sponsoredVisa,
    asOf: model.today,
    lastAccess,
    lastAccessAny: lastAny === NO_DAY ? null : model.dayKey(lastAny),
    vle: { clicks: total.vleClicks, activeDays: total.vleActiveDays },
    launches: total.launches,
    activeDays: total.activeDays,
    assignments: assignmentIndicators(model.assignments, model.presence, m, model.todayIndex),
    meetings: { attended: total.meetingsAttended, minutes: total.meetingMinutes },
    recordings: { viewed: total.recordingsViewed, minutes: total.recordingMinutes },
    weeks,
  };
}
