import { VLE_DAYS, activeOn, alertsOf, analyse, learner, weeksOf } from './module-builder';

const visa = learner('v', { sponsoredVisa: true });

describe('sponsored-visa rule', () => {
  it('when a visa sponsored learner has 8 days without activity, then only visa-compliance staff get an alert', () => {
    const analysis = analyse({ members: [visa], activity: activeOn('v', ['2025-10-06']), today: '2025-10-15' });
    expect(analysis.alerts).toEqual([
      expect.objectContaining({ memberId: 'v', rule: 'sponsoredVisa', audience: 'visa-compliance', key: 'sponsored-visa/no-engagement/2025-10-07', since: '2025-10-07' }),
    ]);
    expect(analysis.alerts[0]?.evidence.text).toMatch(/^Sponsored-visa engagement check \(no engagement for more than 7 teaching days\): No activity in/);
    expect(analysis.alerts[0]?.evidence.figures).toMatchObject({ basis: 'no engagement for more than 7 teaching days', teachingDaysWithoutActivity: 8, threshold: 7 });
  });

  it('when exactly 7 days pass, then there is no visa alert yet', () => {
    expect(analyse({ members: [visa], activity: activeOn('v', ['2025-10-06']), today: '2025-10-14' }).alerts).toEqual([]);
  });

  it('when the gap passes 14 days, then staff get the ordinary alert and the visa episode keeps its key', () => {
    const analysis = analyse({ members: [visa], activity: activeOn('v', ['2025-10-06']), today: '2025-10-22' });
    expect(analysis.alerts.map((a) => [a.rule, a.audience, a.key])).toEqual([
      ['noEngagement', 'staff', 'no-engagement/2025-10-07'],
      ['sponsoredVisa', 'visa-compliance', 'sponsored-visa/no-engagement/2025-10-07'],
    ]);
  });

  it('when a visa sponsored learner has persistently low weeks, then visa-compliance get a copy alongside the staff alert', () => {
    const members = [visa, learner('b')];
    const activity = [...weeksOf('v', [2, 2, 5, 2]), ...weeksOf('b', [5, 5, 5, 5])];
    const analysis = analyse({ members, activity, markers: VLE_DAYS, today: '2025-10-27' });
    expect(alertsOf(analysis, 'v').map((a) => [a.rule, a.audience, a.key])).toEqual([
      ['persistentLow', 'staff', 'persistent-low/2025-09-29'],
      ['sponsoredVisa', 'visa-compliance', 'sponsored-visa/persistent-low/2025-09-29'],
    ]);
    expect(alertsOf(analysis, 'v', 'sponsoredVisa')[0]?.evidence.figures.basis).toBe('persistent low engagement');
  });

  it('when the learner is not visa sponsored, then no alert ever goes to visa-compliance', () => {
    const analysis = analyse({ members: [learner('a')], activity: activeOn('a', ['2025-10-06']), today: '2025-11-20' });
    expect(analysis.alerts.filter((a) => a.audience === 'visa-compliance')).toEqual([]);
  });

  it('when a visa sponsored learner has withdrawn, then there is no visa alert either', () => {
    const analysis = analyse({ members: [learner('v', { sponsoredVisa: true, status: 'withdrawn' })], today: '2025-11-20' });
    expect(analysis.alerts).toEqual([]);
  });

  it('when a known cause covers the gap, then the visa rule does not count those days either', () => {
    const knownCauses = [{ memberId: 'v', from: '2025-10-07', to: '2025-10-12', reason: 'authorised absence' }];
    expect(analyse({ members: [visa], activity: activeOn('v', ['2025-10-06']), knownCauses, today: '2025-10-15' }).alerts).toEqual([]);
  });
});
