import { reconcileAlerts } from '../../../src/engagement';
import type { StoredAlert } from '../../../src/engagement';
import { VLE_DAYS, activeOn, alertsOf, analyse, learner, weeksOf } from './module-builder';

const GAP_KEY = 'no-engagement/2025-10-07';
const members = ['a', 'b', 'c', 'd'].map((id) => learner(id)).concat(learner('e', { status: 'withdrawn' }));
const activity = [...['a', 'b', 'c', 'd', 'e'].flatMap((id) => activeOn(id, ['2025-10-06'])), ...activeOn('a', ['2025-11-18'])];
const analysis = analyse({ members, activity, today: '2025-11-19' });

function stored(id: string, memberId: string, state: StoredAlert['state'], overrides: Partial<StoredAlert> = {}): StoredAlert {
  return { id, memberId, rule: 'noEngagement', audience: 'staff', key: GAP_KEY, since: '2025-10-07', state, ...overrides };
}

describe('alert reconciliation', () => {
  it('when activity resumed, then the live alert closes saying so', () => {
    const result = reconcileAlerts([stored('1', 'a', 'acknowledged')], analysis.alerts, analysis);
    expect(result.toClose).toEqual([{ id: '1', explanation: 'Activity resumed (latest on Tue 18 Nov).' }]);
  });

  it('when staff dismissed an episode, then the same episode is never reopened', () => {
    const result = reconcileAlerts([stored('2', 'b', 'dismissed')], alertsOf(analysis, 'b'), analysis);
    expect(result).toEqual({ toOpen: [], toRefresh: [], toClose: [] });
  });

  it('when staff resolved an episode that still holds, then it stays resolved', () => {
    expect(reconcileAlerts([stored('2', 'b', 'resolved')], alertsOf(analysis, 'b'), analysis).toOpen).toEqual([]);
  });

  it('when a live alert still holds with new figures, then its evidence is refreshed; with the same figures, nothing happens', () => {
    const candidate = alertsOf(analysis, 'c')[0];
    const old = stored('3', 'c', 'contacted', { evidence: { text: 'older words', figures: { teachingDaysWithoutActivity: 20 } } });
    expect(reconcileAlerts([old], alertsOf(analysis, 'c'), analysis).toRefresh).toEqual([{ id: '3', candidate }]);
    const same = stored('3', 'c', 'open', { evidence: candidate?.evidence });
    expect(reconcileAlerts([same], alertsOf(analysis, 'c'), analysis)).toEqual({ toOpen: [], toRefresh: [], toClose: [] });
  });

  it('when a new episode appears, then it is opened, and a new gap after resumed activity is a new key', () => {
    const result = reconcileAlerts([stored('4', 'd', 'resolved', { key: 'no-engagement/2025-09-29' })], alertsOf(analysis, 'd'), analysis);
    expect(result.toOpen.map((a) => [a.memberId, a.key])).toEqual([['d', GAP_KEY]]);
  });

  it('when the member has withdrawn, then their live alert closes with that reason', () => {
    const result = reconcileAlerts([stored('5', 'e', 'open')], analysis.alerts, analysis);
    expect(result.toClose).toEqual([{ id: '5', explanation: 'The member is now withdrawn in this module, so alerts no longer apply.' }]);
  });

  it('when a persistent-low pattern ends, then the alert closes quoting the latest week', () => {
    const recovered = analyse({ members: [learner('p'), learner('q')], activity: [...weeksOf('p', [2, 2, 5, 2, 5, 5]), ...weeksOf('q', [5, 5, 5, 5, 5, 5])], markers: VLE_DAYS, today: '2025-11-10' });
    const alert: StoredAlert = { id: '6', memberId: 'p', rule: 'persistentLow', audience: 'staff', key: 'persistent-low/2025-09-29', state: 'open' };
    expect(reconcileAlerts([alert], recovered.alerts, recovered).toClose).toEqual([
      { id: '6', explanation: 'No longer persistent low engagement: teaching week 6 (from Mon 3 Nov) came in at 100%.' },
    ]);
  });

  it('when a visa-compliance alert stops holding, then it closes like the rule it came from', () => {
    const alert = stored('7', 'a', 'open', { rule: 'sponsoredVisa', audience: 'visa-compliance', key: `sponsored-visa/${GAP_KEY}` });
    expect(reconcileAlerts([alert], analysis.alerts, analysis).toClose[0]?.explanation).toBe('Activity resumed (latest on Tue 18 Nov).');
  });

  it('when reconciling, then every outcome is for staff or visa-compliance to review: nothing is addressed to a student', () => {
    const result = reconcileAlerts([stored('1', 'a', 'open')], analysis.alerts, analysis);
    const audiences = [...result.toOpen, ...result.toRefresh.map((r) => r.candidate)].map((a) => a.audience);
    expect(new Set(audiences)).toEqual(new Set(['staff']));
    expect(Object.keys(result).sort()).toEqual(['toClose', 'toOpen', 'toRefresh']);
  });
});
