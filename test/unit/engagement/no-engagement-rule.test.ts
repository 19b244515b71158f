import { AUTUMN, READING_WEEK, activeOn, alertsOf, analyse, daysFrom, learner, learners, weeklyPattern } from './module-builder';

const LAST_ACTIVE = '2025-10-06'; // Mon, week 2

describe('no-engagement rule', () => {
  it('when exactly 14 completed teaching days pass without activity, then there is no alert', () => {
    const analysis = analyse({ members: [learner('a')], activity: activeOn('a', [LAST_ACTIVE]), today: '2025-10-21' });
    expect(alertsOf(analysis, 'a', 'noEngagement')).toEqual([]);
  });

  it('when 15 completed teaching days pass without activity, then an alert names the day the gap began and counts the days', () => {
    const analysis = analyse({ members: [learner('a')], activity: activeOn('a', [LAST_ACTIVE]), today: '2025-10-22' });
    const [alert] = alertsOf(analysis, 'a', 'noEngagement');
    expect(alert).toMatchObject({ audience: 'staff', key: 'no-engagement/2025-10-07', since: '2025-10-07' });
    expect(alert?.evidence.figures).toMatchObject({ teachingDaysWithoutActivity: 15, threshold: 14, lastActivity: LAST_ACTIVE, lastActivitySources: 'vle' });
    expect(alert?.evidence.text).toContain('since Tue 7 Oct (last activity Mon 6 Oct, Moodle): 15 teaching days');
  });

  it('when activity happens today, then today (still running) resets the gap', () => {
    const analysis = analyse({ members: [learner('a')], activity: activeOn('a', [LAST_ACTIVE, '2025-10-22']), today: '2025-10-22' });
    expect(alertsOf(analysis, 'a')).toEqual([]);
  });

  it('when the only activity is in another source, then it still counts as engagement', () => {
    const activity = [...activeOn('a', [LAST_ACTIVE]), ...activeOn('a', ['2025-10-15'], 'recording', 1, 12)];
    expect(alertsOf(analyse({ members: [learner('a')], activity, today: '2025-10-22' }), 'a', 'noEngagement')).toEqual([]);
  });

  it('when the only activity is opening Waymark, then it is not engagement: the alert still opens, and the learner’s last activity stays the last learning', () => {
    const activity = [...activeOn('a', [LAST_ACTIVE]), ...activeOn('a', ['2025-10-13', '2025-10-20'], 'launch')];
    const analysis = analyse({ members: [learner('a')], activity, today: '2025-10-22' });
    expect(alertsOf(analysis, 'a', 'noEngagement')[0]?.evidence.figures).toMatchObject({ teachingDaysWithoutActivity: 15, lastActivity: LAST_ACTIVE });
    expect(analysis.members[0]).toMatchObject({ lastAccessAny: LAST_ACTIVE, lastAccess: { launch: '2025-10-20' } });
  });

  it('when the evidence names the systems, then it names only those the module has data from, in its own words', () => {
    const members = [learner('a'), learner('b')];
    const activity = [...activeOn('a', [LAST_ACTIVE]), ...activeOn('b', ['2025-10-20'], 'meeting', 1, 50)];
    const [alert] = alertsOf(analyse({ members, activity, today: '2025-10-22' }), 'a', 'noEngagement');
    expect(alert?.evidence.text).toBe(
      'No activity in Moodle or Teams since Tue 7 Oct (last activity Mon 6 Oct, Moodle): 15 teaching days (more than 14); the cohort is too small to compare with.',
    );
    const renamed = analyse({ members, activity, sourceLabels: { vle: 'QMplus' }, today: '2025-10-22' });
    expect(alertsOf(renamed, 'a', 'noEngagement')[0]?.evidence.text).toMatch(/^No activity in QMplus or Teams since/);
  });

  it('when a reading week sits in the middle of a gap, then its days are not counted', () => {
    const calendar = { ...AUTUMN, nonTeachingWeeks: [READING_WEEK] };
    const activity = activeOn('a', ['2025-10-31']); // Fri before the reading week
    // Sat 1 – Sun 2 Nov (2 days) + reading week (not counted) + Mon 10 – Sat 22 Nov (13 days) = 15.
    expect(alertsOf(analyse({ calendar, members: [learner('a')], activity, today: '2025-11-22' }), 'a', 'noEngagement')).toEqual([]);
    const [alert] = alertsOf(analyse({ calendar, members: [learner('a')], activity, today: '2025-11-23' }), 'a', 'noEngagement');
    expect(alert?.evidence.figures).toMatchObject({ teachingDaysWithoutActivity: 15, nonTeachingDaysNotCounted: 7 });
    expect(alert?.evidence.text).toContain('Not counted: 7 non-teaching days');
    // Without the reading week the same gap is 21 days by then.
    expect(alertsOf(analyse({ members: [learner('a')], activity, today: '2025-11-22' }), 'a', 'noEngagement')).toHaveLength(1);
  });

  it('when a known cause covers half of a 29-day gap, then only the uncovered days count', () => {
    const activity = activeOn('a', [LAST_ACTIVE]);
    const half = [{ memberId: 'a', from: '2025-10-07', to: '2025-10-21', reason: 'hospital' }]; // 15 days
    expect(alertsOf(analyse({ members: [learner('a')], activity, knownCauses: half, today: '2025-11-05' }), 'a')).toEqual([]);
    const shorter = [{ memberId: 'a', from: '2025-10-07', to: '2025-10-20', reason: 'hospital' }]; // 14 days
    const [alert] = alertsOf(analyse({ members: [learner('a')], activity, knownCauses: shorter, today: '2025-11-05' }), 'a', 'noEngagement');
    expect(alert?.evidence.figures).toMatchObject({ teachingDaysWithoutActivity: 15, knownCauseDaysNotCounted: 14 });
  });

  it("when a known cause belongs to someone else, then it does not shorten this member's gap", () => {
    const knownCauses = [{ memberId: 'b', from: '2025-10-07', to: '2025-10-30', reason: 'illness' }];
    const analysis = analyse({ members: [learner('a'), learner('b')], activity: activeOn('a', [LAST_ACTIVE]), knownCauses, today: '2025-10-22' });
    expect(alertsOf(analysis, 'a', 'noEngagement')).toHaveLength(1);
  });

  it('when a member enrols mid-term, then the days before they joined are not counted', () => {
    const late = learner('a', { enrolledFrom: '2025-10-20' });
    expect(alertsOf(analyse({ members: [late], today: '2025-11-03' }), 'a')).toEqual([]);
    const [alert] = alertsOf(analyse({ members: [late], today: '2025-11-04' }), 'a', 'noEngagement');
    expect(alert).toMatchObject({ since: '2025-10-20', key: 'no-engagement/2025-10-20' });
    expect(alert?.evidence.text).toContain('(none recorded in this module)');
  });

  it('when members are withdrawn, inactive or staff, then they get no alerts however long the gap', () => {
    const members = [learner('w', { status: 'withdrawn' }), learner('i', { status: 'inactive' }), learner('t', { isLearner: false }), learner('left', { leftOn: '2025-10-10' })];
    expect(analyse({ members, today: '2025-12-01' }).alerts).toEqual([]);
  });

  it('when the gap crosses the October clock change, then the count is still in whole days', () => {
    const analysis = analyse({ members: [learner('a')], activity: activeOn('a', ['2025-10-18']), today: '2025-11-03' });
    expect(alertsOf(analysis, 'a', 'noEngagement')[0]?.evidence.figures.teachingDaysWithoutActivity).toBe(15);
  });

  it('when the cohort is large enough, then the evidence compares with the median learner over the same days', () => {
    const members = learners(6);
    const activity = [...members.slice(1).flatMap((m) => weeklyPattern(m.memberId, '2025-09-29', '2025-10-26', 4)), ...activeOn('l001', [LAST_ACTIVE])];
    const [alert] = alertsOf(analyse({ members, activity, today: '2025-10-22' }), 'l001', 'noEngagement');
    // Over Tue 7 – Tue 21 Oct the others were active Mon–Thu: 3 + 4 + 2 = 9 of those 15 days; with l001's 0 the median of six is 9.
    expect(alert?.evidence.figures.cohortMedianActiveDays).toBe(9);
    expect(alert?.evidence.text).toContain("the module's median learner was active on 9 of those days");
  });

  it('when the period has ended, then days after its end are not counted', () => {
    const activity = activeOn('a', daysFrom('2025-09-29', '2025-12-10'));
    expect(alertsOf(analyse({ members: [learner('a')], activity, today: '2026-02-01' }), 'a', 'noEngagement')).toEqual([]);
  });
});
