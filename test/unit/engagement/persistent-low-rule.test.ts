import type { ModuleMarkers } from '../../../src/engagement';
import { VLE_DAYS, alertsOf, analyse, learner, learners, weeklyPattern, weeksOf } from './module-builder';

describe('persistent-low rule', () => {
  it('when the level is below the module minimum in 3 of the last 4 completed weeks, then an alert lists each week', () => {
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [2, 2, 5, 2]), markers: VLE_DAYS, today: '2025-10-27' });
    const [alert] = alertsOf(analysis, 'a', 'persistentLow');
    expect(alert).toMatchObject({ key: 'persistent-low/2025-09-29', since: '2025-09-29', audience: 'staff' });
    expect(alert?.evidence.figures).toMatchObject({ lowWeeks: 3, window: 4, week1Level: 40, week3Level: 100, reference: 'module-minimum' });
    expect(alert?.evidence.text).toBe(
      'Weekly engagement below the module minimum of 50% in 3 of the last 4 teaching weeks (week 1: 40%; week 2: 40%; week 3: 100%; week 4: 40%).',
    );
  });

  it('when the level is low in only 2 of the last 4 weeks, then there is no alert', () => {
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [2, 5, 5, 2]), markers: VLE_DAYS, today: '2025-10-27' });
    expect(alertsOf(analysis, 'a', 'persistentLow')).toEqual([]);
  });

  it('when the pattern continues into the next week, then the episode keeps the same key', () => {
    const before = analyse({ members: [learner('a')], activity: weeksOf('a', [2, 2, 5, 2, 2]), markers: VLE_DAYS, today: '2025-10-27' });
    const after = analyse({ members: [learner('a')], activity: weeksOf('a', [2, 2, 5, 2, 2]), markers: VLE_DAYS, today: '2025-11-03' });
    expect(alertsOf(after, 'a', 'persistentLow')[0]?.key).toBe(alertsOf(before, 'a', 'persistentLow')[0]?.key);
  });

  it('when the week is still running, then it is not judged', () => {
    // Week 4 has had only Monday so far; judging it would make it look low.
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [5, 2, 2, 1]), markers: VLE_DAYS, today: '2025-10-21' });
    expect(alertsOf(analysis, 'a', 'persistentLow')).toEqual([]);
    expect(analysis.members[0]?.weeks[3]?.level).toBeNull();
  });

  it('when a known cause touches a low week, then that week is not counted as low', () => {
    const knownCauses = [{ memberId: 'a', from: '2025-10-08', to: '2025-10-09', reason: 'funeral' }];
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [2, 2, 5, 2]), knownCauses, markers: VLE_DAYS, today: '2025-10-27' });
    expect(alertsOf(analysis, 'a', 'persistentLow')).toEqual([]);
  });

  it('when a member joined mid-term, then weeks before they joined are never low', () => {
    const late = learner('a', { enrolledFrom: '2025-10-13' });
    const analysis = analyse({ members: [late], activity: weeksOf('a', [0, 0, 2, 5]), markers: VLE_DAYS, today: '2025-10-27' });
    expect(alertsOf(analysis, 'a', 'persistentLow')).toEqual([]);
    expect(analysis.members[0]?.weeks.map((w) => w.level)).toEqual([null, null, 40, 100, null]);
  });

  it("when the module sets no minimum, then the reference is the cohort's lower quartile that week", () => {
    const members = learners(8);
    const activity = [
      ...members.slice(1).flatMap((m, i) => weeklyPattern(m.memberId, '2025-09-29', '2025-10-26', 3 + (i % 3))),
      ...weeksOf('l001', [1, 1, 4, 1]),
    ];
    const markers: ModuleMarkers = { ...VLE_DAYS, minimumLevel: null };
    const analysis = analyse({ members, activity, markers, today: '2025-10-27' });
    const [alert] = alertsOf(analysis, 'l001', 'persistentLow');
    expect(alert?.evidence.figures).toMatchObject({ reference: 'cohort-lower-quartile', lowWeeks: 3, minimumLevel: null });
    expect(alert?.evidence.text).toContain("below the cohort's lower quartile in 3 of the last 4 teaching weeks (week 1: 20% vs 60%;");
    expect(members.slice(1).flatMap((m) => alertsOf(analysis, m.memberId, 'persistentLow'))).toEqual([]);
  });

  it('when the module sets no minimum and the cohort is too small to show, then the rule has nothing to compare with', () => {
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [1, 1, 1, 1]), markers: { ...VLE_DAYS, minimumLevel: null }, today: '2025-10-27' });
    expect(alertsOf(analysis, 'a', 'persistentLow')).toEqual([]);
  });

  it('when the thresholds ask for 2 of 3 weeks, then the rule follows them', () => {
    const thresholds = { persistentLowWeeks: 2, persistentLowWindow: 3 };
    const analysis = analyse({ members: [learner('a')], activity: weeksOf('a', [5, 5, 2, 2]), markers: VLE_DAYS, thresholds, today: '2025-10-27' });
    expect(alertsOf(analysis, 'a', 'persistentLow')[0]?.evidence.figures).toMatchObject({ lowWeeks: 2, window: 3, required: 2 });
  });
});
