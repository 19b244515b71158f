import type { ActivityIndex } from './activity-index';
import type { AssignmentBook } from './assignment-status';
import type { MemberPresence } from './member-presence';
import type { CalendarFrame } from './teaching-weeks';
import type { AlertThresholds, DayKey, MemberInfo, ModuleMarkers, Source, SourceLabels } from './types';

/** Everything the analysis derives once from its input, shared by indicators, bands and rules. */
export interface ModuleModel {
  today: DayKey;
  /** Frame index of today (may be negative before the period or past its end). */
  todayIndex: number;
  frame: CalendarFrame;
  /** Sorted by memberId so every output has a stable order. */
  members: MemberInfo[];
  memberIndex: Map<string, number>;
  presence: MemberPresence;
  activity: ActivityIndex;
  assignments: AssignmentBook;
  markers: ModuleMarkers;
  thresholds: AlertThresholds;
  labels: SourceLabels;
  /** Sources this module actually has data from, so evidence never names a system the module does not use. */
  sources: Source[];
  /** Day number to day key, memoised for this analysis. */
  dayKey: (n: number) => DayKey;
  /** Weeks [0, startedWeeks) have begun; weeks [0, completeWeeks) have ended before today. */
  startedWeeks: number;
  completeWeeks: number;
}

/** Weekly figures per member: values[(m * startedWeeks + w) * INDICATOR_COUNT + i], levels[m * startedWeeks + w] (NaN = none). */
export interface WeeklyFigures {
  values: Float64Array;
  levels: Float64Array;
}

/** First day of week w that lies inside the period. */
export function firstPeriodDayOfWeek(model: ModuleModel, w: number): number {
  return Math.max(w * 7, model.frame.startIndex);
}

/** Last day of week w that lies inside the period. */
export function lastPeriodDayOfWeek(model: ModuleModel, w: number): number {
  return Math.min(w * 7 + 6, model.frame.endIndex);
}
