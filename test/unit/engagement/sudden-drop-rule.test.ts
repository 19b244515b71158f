import { VLE_DAYS, alertsOf, analyse, learner, learners, weeksOf } from './module-builder';

const TODAY_AFTER_WEEK_5 = '2025-11-03';

describe('sudden-drop rule', () => {
  it('when the last week falls below 40% of the previous four weeks, then an alert gives both figures', () => {
    // 80% for four weeks (baseline 80, bar 32), then 20%.
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [4, 4, 4, 4, 1]), markers: VLE_DAYS, today: TODAY_AFTER_WEEK_5 });
    const [alert] = alertsOf(analysis, 'a', 'suddenDrop');
    expect(alert).toMatchObject({ key: 'sudden-drop/2025-10-27', since: '2025-10-27', audience: 'staff' });
    expect(alert?.evidence.figures).toMatchObject({ weekLevel: 20, baselineLevel: 80, baselineWeeks: 4, ratio: 0.4, baselineReference: 50 });
    expect(alert?.evidence.text).toContain('Engagement in teaching week 5 (from Mon 27 Oct) was 20%, down from an average of 80% over teaching weeks 1–4');
  });

  it('when the last week stays at or above 40% of the baseline, then there is no alert', () => {
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [4, 4, 4, 4, 2]), markers: VLE_DAYS, today: TODAY_AFTER_WEEK_5 });
    expect(alertsOf(analysis, 'a', 'suddenDrop')).toEqual([]);
  });

  it('when the baseline itself was below the module minimum, then a further fall is not a sudden drop', () => {
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [2, 2, 2, 2, 0]), markers: VLE_DAYS, today: TODAY_AFTER_WEEK_5 });
    expect(alertsOf(analysis, 'a', 'suddenDrop')).toEqual([]);
    expect(alertsOf(analysis, 'a', 'persistentLow')).toHaveLength(1);
  });

  it('when fewer than four weeks make the baseline, then there is not enough data', () => {
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [4, 4, 4, 0]), markers: VLE_DAYS, today: '2025-10-27' });
    expect(alertsOf(analysis, 'a', 'suddenDrop')).toEqual([]);
  });

  it('when the learner already had a week as low inside the baseline, then only a new low counts (unless switched off)', () => {
    // Baseline 100, 100, 20, 100 (average 80); week 5 at 20% is no lower than week 3.
    const input = { members: [learner('a')], activity: weeksOf('a', [5, 5, 1, 5, 1]), markers: VLE_DAYS, today: TODAY_AFTER_WEEK_5 };
    expect(alertsOf(analyse(input), 'a', 'suddenDrop')).toEqual([]);
    expect(alertsOf(analyse({ ...input, thresholds: { suddenDropMustBeNewLow: false } }), 'a', 'suddenDrop')).toHaveLength(1);
  });

  it('when the whole cohort dips the same week, then nobody gets a sudden-drop alert (unless switched off)', () => {
    const members = learners(6);
    const activity = members.flatMap((m) => weeksOf(m.memberId, [4, 4, 4, 4, 1]));
    const input = { members, activity, markers: VLE_DAYS, today: TODAY_AFTER_WEEK_5 };
    expect(analyse(input).alerts.filter((a) => a.rule === 'suddenDrop')).toEqual([]);
    expect(analyse({ ...input, thresholds: { suddenDropAllowsForCohort: false } }).alerts.filter((a) => a.rule === 'suddenDrop')).toHaveLength(6);
  });

  it('when one learner drops while the cohort holds steady, then the evidence shows the cohort did not dip', () => {
    const members = learners(6);
    const activity = [...members.slice(1).flatMap((m) => weeksOf(m.memberId, [4, 4, 4, 4, 4])), ...weeksOf('l001', [4, 4, 4, 4, 1])];
    const [alert] = alertsOf(analyse({ members, activity, markers: VLE_DAYS, today: TODAY_AFTER_WEEK_5 }), 'l001', 'suddenDrop');
    expect(alert?.evidence.figures).toMatchObject({ cohortFactor: 1, cohortMedianLevel: 80, cohortBaselineMedianLevel: 80 });
    expect(alert?.evidence.text).toContain("the module's median learner was at 80% that week (80% on average over the same earlier weeks)");
  });

  it('when the drop lasts a second week, then it stays the same episode', () => {
    // b keeps using the VLE, so the VLE marker applies in week 6 even though a had no VLE days.
    const input = { members: [learner('a'), learner('b')], activity: [...weeksOf('a', [4, 4, 4, 4, 1, 0]), ...weeksOf('b', [4, 4, 4, 4, 4, 4])], markers: VLE_DAYS };
    const first = analyse({ ...input, today: TODAY_AFTER_WEEK_5 });
    const second = analyse({ ...input, today: '2025-11-10' });
    expect(alertsOf(second, 'a', 'suddenDrop')[0]?.key).toBe('sudden-drop/2025-10-27');
    expect(alertsOf(first, 'a', 'suddenDrop')[0]?.key).toBe('sudden-drop/2025-10-27');
  });
});
