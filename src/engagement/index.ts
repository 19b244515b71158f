// Public surface of the engagement domain: everything else in this folder is internal.
export * from './types';
export { analyseModule } from './module-analysis';
export { reconcileAlerts, closureExplanation, type ReconciliationContext } from './alert-reconciliation';
export { DEFAULT_MARKERS, checkModuleMarkers, MAX_LEVEL } from './markers';
export { DEFAULT_ALERT_THRESHOLDS, SMALLEST_COHORT_SIZE, checkAlertThresholds, resolveThresholds } from './alert-thresholds';
export { DEFAULT_SOURCE_LABELS } from './alert-evidence';
export { EngagementInputError } from './engagement-input-error';
export {
  DEFAULT_TIME_ZONE,
  addDays,
  checkModuleCalendar,
  dayKeyOf,
  daysBetween,
  formatDay,
  isDayKey,
  isTeachingDay,
  mondayOf,
  weekdayOf,
} from './module-calendar';
export { teachingWeeks } from './teaching-weeks';
export { quantile, bandOf } from './cohort-bands';
export { markerScore, weightedLevel } from './engagement-level';
