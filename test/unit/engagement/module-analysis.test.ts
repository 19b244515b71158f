import { DEFAULT_ALERT_THRESHOLDS, EngagementInputError, SOURCES, addDays, analyseModule, checkAlertThresholds, checkModuleMarkers } from '../../../src/engagement';
import type { DailyActivity, KnownCause, MemberInfo, ModuleAnalysisInput, Submission } from '../../../src/engagement';
import { AUTUMN, READING_WEEK, analyse, learner, seededRandom } from './module-builder';

const PERIOD_DAYS = 84;

/** A random but repeatable module: mixed statuses, late joiners, visa learners, gaps, known causes and submissions. */
function randomModule(seed: number, size: number): ModuleAnalysisInput {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const members: MemberInfo[] = Array.from({ length: size }, (_, i) => ({
    memberId: `m${seed}-${i}`,
    status: random() < 0.85 ? 'active' : pick(['inactive', 'withdrawn'] as const),
    isLearner: random() < 0.95,
    sponsoredVisa: random() < 0.15,
    enrolledFrom: random() < 0.15 ? addDays(AUTUMN.start, Math.floor(random() * 40)) : null,
    leftOn: null,
  }));
  const activity: DailyActivity[] = [];
  const submissions: Submission[] = [];
  const knownCauses: KnownCause[] = [];
  const assignments = [2, 5, 8, 11].map((week, i) => ({ id: `a${i}`, title: `Assignment ${i}`, dueAt: `${addDays(AUTUMN.start, week * 7 - 3)}T16:00:00Z` }));
  for (const member of members) {
    const propensity = random();
    const stopsAt = random() < 0.2 ? Math.floor(random() * PERIOD_DAYS) : PERIOD_DAYS;
    for (let d = 0; d < stopsAt; d++) {
      for (const source of SOURCES) {
        if (random() < propensity * (source === 'vle' ? 0.7 : 0.15)) {
          activity.push({ memberId: member.memberId, day: addDays(AUTUMN.start, d), source, count: 1 + Math.floor(random() * 20), minutes: source === 'meeting' || source === 'recording' ? Math.round(random() * 600) / 10 : 0 });
        }
      }
    }
    for (const assignment of assignments) {
      if (random() < propensity) submissions.push({ assignmentId: assignment.id, memberId: member.memberId, submittedAt: `${addDays(assignment.dueAt.slice(0, 10), Math.floor(random() * 5) - 3)}T10:00:00Z` });
    }
    if (random() < 0.1) {
      const from = Math.floor(random() * 70);
      knownCauses.push({ memberId: member.memberId, from: addDays(AUTUMN.start, from), to: addDays(AUTUMN.start, from + Math.floor(random() * 14)), reason: 'illness' });
    }
  }
  const today = addDays(AUTUMN.start, 20 + Math.floor(random() * 70));
  return { calendar: { ...AUTUMN, nonTeachingWeeks: [READING_WEEK] }, members, activity, assignments, submissions, knownCauses, today };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function noEngagementMembers(input: ModuleAnalysisInput): Set<string> {
  return new Set(analyseModule(input).alerts.filter((a) => a.key.includes('no-engagement/')).map((a) => `${a.memberId}/${a.audience}`));
}

describe('analyseModule', () => {
  it('when the module is empty, then it returns its weeks and nothing else', () => {
    const analysis = analyse({ today: '2025-11-01' });
    expect(analysis.weeks).toHaveLength(12);
    expect(analysis.weeks.filter((w) => w.complete)).toHaveLength(4);
    expect(analysis).toMatchObject({ members: [], bands: null, alerts: [], thresholds: DEFAULT_ALERT_THRESHOLDS });
  });

  it('when the input order is shuffled, then the output is identical', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const input = randomModule(seed, 25);
      const random = seededRandom(seed * 7);
      const reordered = {
        ...input,
        members: shuffled(input.members, random),
        activity: shuffled(input.activity, random),
        submissions: shuffled(input.submissions, random),
        knownCauses: shuffled(input.knownCauses, random),
        assignments: shuffled(input.assignments, random),
      };
      expect(analyseModule(reordered)).toEqual(analyseModule(input));
    }
  });

  it('when activity is added, then no new member gets a no-engagement alert', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const input = randomModule(seed, 15);
      const random = seededRandom(seed * 13);
      const extra: DailyActivity[] = Array.from({ length: 30 }, () => ({
        memberId: (input.members[Math.floor(random() * input.members.length)] as MemberInfo).memberId,
        day: addDays(AUTUMN.start, Math.floor(random() * PERIOD_DAYS)),
        source: SOURCES[Math.floor(random() * SOURCES.length)] as DailyActivity['source'],
        count: 1,
        minutes: 0,
      }));
      const before = noEngagementMembers(input);
      const after = noEngagementMembers({ ...input, activity: [...input.activity, ...extra] });
      for (const flagged of after) expect(before).toContain(flagged);
    }
  });

  it('when 2,000 learners are analysed, then it runs quickly and the output is sane', () => {
    const input = randomModule(42, 2000);
    const started = Date.now();
    const analysis = analyseModule(input);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(analysis.members).toHaveLength(2000);
    expect(analysis.bands?.weeks.length).toBeGreaterThan(0);
    const levels = analysis.members.flatMap((member) => member.weeks.map((week) => week.level).filter((level): level is number => level !== null));
    expect(Math.min(...levels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...levels)).toBeLessThanOrEqual(100);
    for (const week of analysis.bands?.weeks ?? []) {
      if (week.level) expect(week.level.lowerQuartile <= week.level.median && week.level.median <= week.level.upperQuartile).toBe(true);
    }
    const byId = new Map(input.members.map((m) => [m.memberId, m]));
    for (const alert of analysis.alerts) {
      expect(byId.get(alert.memberId)).toMatchObject({ status: 'active', isLearner: true });
      if (alert.audience === 'visa-compliance') expect(byId.get(alert.memberId)?.sponsoredVisa).toBe(true);
      expect(alert.evidence.text).toMatch(/\d/);
    }
    const identities = analysis.alerts.map((a) => `${a.memberId}/${a.audience}/${a.key}`);
    expect(new Set(identities).size).toBe(identities.length);
    expect(analysis.alerts.length).toBeGreaterThan(0);
  });

  it('when the input is nonsense, then it is refused with every problem and what to fix', () => {
    const attempt = () =>
      analyse({
        members: [learner('a'), learner('a')],
        today: '2025-13-01',
        markers: { markers: [{ indicator: 'vleActiveDays', weight: 0, weeklyTarget: 3 }], minimumLevel: 120 },
        thresholds: { visaNoEngagementDays: 21 },
      });
    expect(attempt).toThrow(EngagementInputError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as EngagementInputError).problems.join('\n');
      expect(problems).toMatch(/today "2025-13-01" must be a day/);
      expect(problems).toMatch(/weight 0: use a number above 0/);
      expect(problems).toMatch(/minimumLevel 120 must be between 0 and 100/);
      expect(problems).toMatch(/visaNoEngagementDays 21 is more lenient than noEngagementDays 14/);
      expect(problems).toMatch(/member a is listed twice/);
    }
  });

  it('when thresholds and markers are checked on their own, then sensible ones pass and odd ones say what to fix', () => {
    expect(checkAlertThresholds(DEFAULT_ALERT_THRESHOLDS)).toEqual([]);
    expect(checkAlertThresholds({ ...DEFAULT_ALERT_THRESHOLDS, persistentLowWeeks: 5, suddenDropRatio: 1.5 })).toEqual([
      'persistentLowWeeks 5: use a whole number from 1 to persistentLowWindow (4).',
      'suddenDropRatio 1.5: use a share between 0 and 1 (0.4 = below 40% of the usual level).',
    ]);
    expect(checkModuleMarkers({ markers: [{ indicator: 'assignmentsSubmitted', weight: 1, weeklyTarget: 2 }, { indicator: 'assignmentsSubmitted', weight: 1, weeklyTarget: 1 }], minimumLevel: null })).toEqual([
      "marker assignmentsSubmitted has weeklyTarget 2: it is the share of that week's due work, so use a number up to 1.",
      'marker assignmentsSubmitted is listed twice: list each indicator once.',
    ]);
  });
});
