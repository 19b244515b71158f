import { bandOf, quantile } from '../../../src/engagement';
import { VLE_DAYS, analyse, learner, learners, weeksOf } from './module-builder';

/** Learner i is active on i days of every week. */
function cohort(size: number) {
  const members = learners(size);
  return { members, activity: members.flatMap((m, i) => weeksOf(m.memberId, [i + 1, i + 1], 'vle')) };
}

describe('cohort bands', () => {
  it('when quartiles are computed, then they interpolate between order statistics at (n − 1)·p', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([7], 0.75)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(bandOf([5, 1, 4, 2, 3], 5)).toEqual({ n: 5, lowerQuartile: 2, median: 3, upperQuartile: 4 });
    expect(bandOf([1, 2, 3, 4], 5)).toBeNull();
  });

  it('when a module has 4 active learners, then its bands are hidden', () => {
    const { members, activity } = cohort(4);
    expect(analyse({ members, activity, today: '2025-10-13' }).bands).toBeNull();
  });

  it('when a module has 5 active learners, then each teaching week shows median and quartiles', () => {
    const { members, activity } = cohort(5);
    const bands = analyse({ members, activity, markers: VLE_DAYS, today: '2025-10-13' }).bands;
    expect(bands).toMatchObject({ minCohortSize: 5, cohortSize: 5 });
    expect(bands?.weeks[0]).toMatchObject({
      weekNumber: 1,
      cohortSize: 5,
      indicators: { vleActiveDays: { n: 5, lowerQuartile: 2, median: 3, upperQuartile: 4 }, activeDays: { median: 3 } },
      level: { n: 5, lowerQuartile: 40, median: 60, upperQuartile: 80 },
    });
  });

  it('when one of 5 learners has withdrawn or is staff, then the cohort is 4 and the bands are hidden', () => {
    const { members, activity } = cohort(5);
    const withdrawn = [...members.slice(0, 4), learner('l005', { status: 'withdrawn' })];
    const staff = [...members.slice(0, 4), learner('l005', { isLearner: false })];
    expect(analyse({ members: withdrawn, activity, today: '2025-10-13' }).bands).toBeNull();
    expect(analyse({ members: staff, activity, today: '2025-10-13' }).bands).toBeNull();
  });

  it('when a learner joins in week 2, then week 1 bands leave them out', () => {
    const { members, activity } = cohort(6);
    const late = [...members.slice(0, 5), learner('l006', { enrolledFrom: '2025-10-06' })];
    const bands = analyse({ members: late, activity, today: '2025-10-13' }).bands;
    expect(bands?.weeks.map((w) => w.cohortSize)).toEqual([5, 6, 6]); // week 3 has started on today, Mon 13 Oct
  });

  it('when the module lowers minCohortSize to 3, then 4 learners get bands; below 3 is refused with a reason', () => {
    const { members, activity } = cohort(4);
    expect(analyse({ members, activity, thresholds: { minCohortSize: 3 }, today: '2025-10-13' }).bands?.weeks[0]?.indicators.vleActiveDays).toEqual({
      n: 4,
      lowerQuartile: 1.75,
      median: 2.5,
      upperQuartile: 3.25,
    });
    expect(() => analyse({ members, activity, thresholds: { minCohortSize: 2 }, today: '2025-10-13' })).toThrow(/minCohortSize 2: use a whole number of 3 or more/);
  });
});
