import { MAX_LEVEL } from './markers';
import { INDICATOR_COUNT, INDICATOR_INDEX } from './member-indicators';
import { firstPeriodDayOfWeek, lastPeriodDayOfWeek, type ModuleModel } from './module-model';
import { DAYS_PER_WEEK } from './teaching-weeks';

/** How far one marker's value goes towards its target: 0..1, or null when there is no target to meet. */
export function markerScore(value: number, target: number): number | null {
  if (!(target > 0)) return null;
  return Math.min(1, Math.max(0, value) / target);
}

/** Weighted mean of marker scores as a 0..100 level; null when no marker applies. */
export function weightedLevel(parts: ReadonlyArray<{ weight: number; score: number | null }>): number | null {
  let weights = 0;
  let sum = 0;
  for (const part of parts) {
    if (part.score === null) continue;
    weights += part.weight;
    sum += part.weight * part.score;
  }
  return weights > 0 ? (MAX_LEVEL * sum) / weights : null;
}

/**
 * A marker applies in a week only when some learner used its source that week (or work fell due):
 * if nobody attended a meeting, no meeting took place, and that says nothing about any one learner.
 */
export function markerApplicability(model: ModuleModel, values: Float64Array): Uint8Array {
  const stride = INDICATOR_COUNT;
  const { startedWeeks } = model;
  const applies = new Uint8Array(startedWeeks * stride);
  for (let m = 0; m < model.members.length; m++) {
    if (!model.members[m]?.isLearner) continue;
    for (let w = 0; w < startedWeeks; w++) {
      const offset = (m * startedWeeks + w) * stride;
      for (let i = 0; i < stride; i++) if ((values[offset + i] as number) > 0) applies[w * stride + i] = 1;
    }
  }
  const assignments = INDICATOR_INDEX.assignmentsSubmitted;
  for (let w = 0; w < startedWeeks; w++) {
    applies[w * stride + assignments] = (model.assignments.dueInWeek[w] as number) > 0 ? 1 : 0;
  }
  return applies;
}

/** Target of a marker in week w: weekly targets shrink with the week's teaching days; assignments scale with the work due. */
function targetInWeek(model: ModuleModel, indicatorIndex: number, weeklyTarget: number, w: number): number {
  if (indicatorIndex === INDICATOR_INDEX.assignmentsSubmitted) return weeklyTarget * (model.assignments.dueInWeek[w] as number);
  const teachingDays = model.frame.weeks[w]?.teachingDays ?? 0;
  return (weeklyTarget * teachingDays) / DAYS_PER_WEEK;
}

interface WeekMarker {
  index: number;
  weight: number;
  target: number;
}

/** The markers that apply in week w, with that week's targets. */
function markersInWeek(model: ModuleModel, applies: Uint8Array, w: number): WeekMarker[] {
  const stride = INDICATOR_COUNT;
  return model.markers.markers
    .map((marker) => {
      const index = INDICATOR_INDEX[marker.indicator];
      return { index, weight: marker.weight, target: targetInWeek(model, index, marker.weeklyTarget, w) };
    })
    .filter((marker) => applies[w * stride + marker.index] === 1 && marker.target > 0);
}

/**
 * Levels for every member and started week (NaN where none): only complete teaching weeks the member
 * belonged to from their first to their last day, because a part-week would read as low engagement.
 */
export function computeLevels(model: ModuleModel, values: Float64Array): Float64Array {
  const stride = INDICATOR_COUNT;
  const { startedWeeks, presence } = model;
  const levels = new Float64Array(model.members.length * startedWeeks).fill(Number.NaN);
  const applies = markerApplicability(model, values);
  for (let w = 0; w < model.completeWeeks; w++) {
    if (!model.frame.weeks[w]?.teaching) continue;
    const markers = markersInWeek(model, applies, w);
    const totalWeight = markers.reduce((sum, marker) => sum + marker.weight, 0);
    if (totalWeight === 0) continue;
    const first = firstPeriodDayOfWeek(model, w);
    const last = lastPeriodDayOfWeek(model, w);
    for (let m = 0; m < model.members.length; m++) {
      if ((presence.enrolIndex[m] as number) > first || (presence.leftIndex[m] as number) <= last) continue;
      const offset = (m * startedWeeks + w) * stride;
      // weightedLevel(markerScore(...)) without allocating per member and week.
      let sum = 0;
      for (const marker of markers) sum += marker.weight * Math.min(1, Math.max(0, values[offset + marker.index] as number) / marker.target);
      levels[m * startedWeeks + w] = (MAX_LEVEL * sum) / totalWeight;
    }
  }
  return levels;
}
