import { DEFAULT_MARKERS, markerScore, weightedLevel } from '../../../src/engagement';
import type { Assignment, DailyActivity, Submission } from '../../../src/engagement';
import { analyse, learner } from './module-builder';

const assignments: Assignment[] = [
  { id: 'a1', title: 'Essay plan', dueAt: '2025-10-10T12:00:00Z' },
  { id: 'a2', title: 'Lab report', dueAt: '2025-10-24T12:00:00+01:00' },
  { id: 'a3', title: 'Essay', dueAt: '2025-11-07T12:00:00Z' },
  { id: 'a4', title: 'Reflection', dueAt: null },
];

const submissions: Submission[] = [
  { assignmentId: 'a1', memberId: 'a', submittedAt: '2025-10-10T11:00:00Z' },
  { assignmentId: 'a2', memberId: 'a', submittedAt: '2025-10-25T09:00:00+01:00' },
  { assignmentId: 'a2', memberId: 'a', submittedAt: '2025-10-26T09:00:00Z' }, // a resubmission: the first one decides lateness
  { assignmentId: 'a3', memberId: 'a', submittedAt: '2025-10-20T10:00:00Z' },
  { assignmentId: 'a3', memberId: 'b', submittedAt: '2025-10-28T10:00:00Z' }, // after today: not yet known
];

const activity: DailyActivity[] = [
  { memberId: 'a', day: '2025-10-01', source: 'vle', count: 10, minutes: 0 },
  { memberId: 'a', day: '2025-10-02', source: 'vle', count: 5, minutes: 0 },
  { memberId: 'a', day: '2025-10-07', source: 'meeting', count: 1, minutes: 55 },
  { memberId: 'a', day: '2025-10-14', source: 'meeting', count: 1, minutes: 50 },
  { memberId: 'a', day: '2025-10-15', source: 'recording', count: 2, minutes: 30 },
  { memberId: 'a', day: '2025-10-20', source: 'launch', count: 1, minutes: 0 },
  { memberId: 'a', day: '2025-10-10', source: 'assignment', count: 1, minutes: 0 },
  { memberId: 'a', day: '2025-10-25', source: 'assignment', count: 1, minutes: 0 },
  { memberId: 'a', day: '2025-10-29', source: 'vle', count: 3, minutes: 0 }, // after today: ignored
  { memberId: 'nobody', day: '2025-10-01', source: 'vle', count: 3, minutes: 0 }, // not a member: ignored
];

const members = [learner('a'), learner('b'), learner('c', { enrolledFrom: '2025-10-13' })];
const analysis = analyse({ members, activity, assignments, submissions, today: '2025-10-27' });
const [a, b, c] = analysis.members;

describe('member indicators', () => {
  it('when a member used every source, then last access is given per source and overall', () => {
    expect(a?.lastAccess).toEqual({ vle: '2025-10-02', launch: '2025-10-20', assignment: '2025-10-25', meeting: '2025-10-14', recording: '2025-10-15' });
    expect(a?.lastAccessAny).toBe('2025-10-25');
    expect(b?.lastAccessAny).toBeNull();
  });

  it('when activity is counted, then VLE, meetings and recordings add up since the period start', () => {
    expect(a).toMatchObject({ vle: { clicks: 15, activeDays: 2 }, launches: 1, meetings: { attended: 2, minutes: 105 }, recordings: { viewed: 2, minutes: 30 }, activeDays: 8 });
  });

  it('when assignments fall due, then expected, submitted, late and missing follow the due instant and the first submission', () => {
    expect(a?.assignments).toMatchObject({ expected: 2, submitted: 2, late: 1, missing: 0 });
    expect(a?.assignments.details.map((d) => [d.assignmentId, d.expected, d.state])).toEqual([
      ['a1', true, 'submitted'],
      ['a2', true, 'late'],
      ['a3', false, 'submitted'],
      ['a4', false, 'pending'],
    ]);
    expect(a?.assignments.details[1]).toMatchObject({ dueDay: '2025-10-24', submittedAt: '2025-10-25T09:00:00+01:00', submittedDay: '2025-10-25' });
    expect(b?.assignments).toMatchObject({ expected: 2, submitted: 0, late: 0, missing: 2 });
    expect(b?.assignments.details[2]?.state).toBe('pending');
  });

  it('when a source says work was handed in but gives no time (a gradebook export), then it counts as handed in, never late or missing', () => {
    const withGrades = analyse({
      members,
      assignments,
      submissions: [
        { assignmentId: 'a1', memberId: 'b', submittedAt: null },
        { assignmentId: 'a2', memberId: 'b', submittedAt: null },
        { assignmentId: 'a2', memberId: 'b', submittedAt: '2025-10-25T09:00:00+01:00' }, // a known time tells lateness
      ],
      today: '2025-10-27',
    });
    const graded = withGrades.members[1];
    expect(graded?.assignments).toMatchObject({ expected: 2, submitted: 2, late: 1, missing: 0 });
    expect(graded?.assignments.details[0]).toMatchObject({ state: 'submitted', submittedAt: null, submittedDay: null });
    expect(graded?.assignments.details[1]).toMatchObject({ state: 'late', submittedDay: '2025-10-25' });
  });

  it('when a member joined after an assignment was due, then it is not expected of them', () => {
    expect(c?.assignments).toMatchObject({ expected: 1, missing: 1 });
    expect(c?.assignments.details.map((d) => d.state)).toEqual(['pending', 'missing', 'pending', 'pending']);
  });

  it('when the module set no markers, then the defaults apply and markers nobody used that week drop out', () => {
    expect(analysis.markers).toEqual(DEFAULT_MARKERS);
    // Week 1: only the VLE was used by anyone (a: 2 of 3 days). Week 2: no VLE use, a meeting and a1 due.
    expect(a?.weeks.slice(0, 2).map((w) => w.level)).toEqual([(100 * 2) / 3, 100]);
    expect(b?.weeks.slice(0, 2).map((w) => w.level)).toEqual([0, 0]);
    expect(c?.weeks.slice(0, 3).map((w) => w.level)).toEqual([null, null, 0]);
    expect(a?.weeks[1]?.values).toMatchObject({ meetingsAttended: 1, meetingMinutes: 55, assignmentsSubmitted: 1, vleActiveDays: 0 });
  });

  it('when the level is computed, then it is the weighted mean of each marker capped at its target', () => {
    expect(markerScore(6, 3)).toBe(1);
    expect(markerScore(1, 4)).toBe(0.25);
    expect(markerScore(1, 0)).toBeNull();
    expect(weightedLevel([{ weight: 3, score: 1 }, { weight: 1, score: 0 }, { weight: 2, score: null }])).toBe(75);
    expect(weightedLevel([{ weight: 1, score: null }])).toBeNull();
  });

  it('when the period has not started, then there are no weeks, levels or alerts', () => {
    const early = analyse({ members, activity, assignments, submissions, today: '2025-09-20' });
    expect(early.weeks.every((w) => !w.started)).toBe(true);
    expect(early.members[0]?.weeks).toEqual([]);
    expect(early.alerts).toEqual([]);
  });
});
