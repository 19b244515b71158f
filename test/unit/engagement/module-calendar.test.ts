import {
  addDays,
  checkModuleCalendar,
  dayKeyOf,
  daysBetween,
  formatDay,
  isTeachingDay,
  mondayOf,
  teachingWeeks,
  weekdayOf,
} from '../../../src/engagement';
import { AUTUMN, READING_WEEK, analyse, learner } from './module-builder';

describe('module calendar', () => {
  it('when an instant falls around the October clock change in London, then its day is the local day', () => {
    expect(dayKeyOf('2025-10-25T23:30:00Z', 'Europe/London')).toBe('2025-10-26'); // 00:30 BST
    expect(dayKeyOf('2025-10-26T00:30:00Z', 'Europe/London')).toBe('2025-10-26'); // 01:30 BST, just before the change
    expect(dayKeyOf('2025-10-26T23:30:00Z', 'Europe/London')).toBe('2025-10-26'); // 23:30 GMT
    expect(dayKeyOf('2025-10-27T00:00:00Z', 'Europe/London')).toBe('2025-10-27');
  });

  it('when an instant falls around the March clock change in London, then its day is the local day', () => {
    expect(dayKeyOf('2026-03-28T23:30:00Z', 'Europe/London')).toBe('2026-03-28'); // 23:30 GMT
    expect(dayKeyOf('2026-03-29T23:30:00Z', 'Europe/London')).toBe('2026-03-30'); // 00:30 BST on Monday
  });

  it('when an instant has no offset, then it is read as wall-clock time in the module zone', () => {
    expect(dayKeyOf('2025-10-26T23:30:00', 'Europe/London')).toBe('2025-10-26');
    expect(dayKeyOf('2025-10-26T23:30:00', 'Asia/Tokyo')).toBe('2025-10-26');
  });

  it('when days are added across either clock change, then each day is one calendar day', () => {
    expect(addDays('2025-10-25', 1)).toBe('2025-10-26');
    expect(addDays('2025-10-26', 1)).toBe('2025-10-27');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(daysBetween('2025-10-20', '2025-10-27')).toBe(7);
    expect(daysBetween('2026-03-23', '2026-03-30')).toBe(7);
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('when the week holding the October clock change is numbered, then it runs Monday to Sunday like any other', () => {
    const weeks = teachingWeeks(AUTUMN);
    expect(weeks).toHaveLength(12);
    expect(weeks[3]).toMatchObject({ number: 4, start: '2025-10-20', end: '2025-10-26', teaching: true, teachingDays: 7 });
    expect(weeks[4]).toMatchObject({ number: 5, start: '2025-10-27', end: '2025-11-02' });
    expect(weekdayOf('2025-10-26')).toBe(6);
    expect(mondayOf('2025-10-26')).toBe('2025-10-20');
  });

  it('when a reading week is set, then it is flagged non-teaching and teaching weeks keep counting after it', () => {
    const weeks = teachingWeeks({ ...AUTUMN, nonTeachingWeeks: [READING_WEEK] });
    expect(weeks[5]).toMatchObject({ number: 6, teaching: false, teachingNumber: null, label: 'Reading week', teachingDays: 0 });
    expect(weeks[6]).toMatchObject({ number: 7, teaching: true, teachingNumber: 6 });
    expect(isTeachingDay('2025-11-05', { ...AUTUMN, nonTeachingWeeks: [READING_WEEK] })).toBe(false);
    expect(isTeachingDay('2025-11-10', { ...AUTUMN, nonTeachingWeeks: [READING_WEEK] })).toBe(true);
  });

  it('when the period starts mid-week, then week 1 is that Mon–Sun week with only its period days teaching', () => {
    const weeks = teachingWeeks({ ...AUTUMN, start: '2025-10-01', end: '2025-10-14' });
    expect(weeks[0]).toMatchObject({ number: 1, start: '2025-09-29', teachingDays: 5 });
    expect(weeks[2]).toMatchObject({ number: 3, start: '2025-10-13', teachingDays: 2 });
    expect(isTeachingDay('2025-09-30', { ...AUTUMN, start: '2025-10-01' })).toBe(false);
  });

  it('when a day is shown to staff, then it reads like "Mon 3 Nov"', () => {
    expect(formatDay('2025-11-03')).toBe('Mon 3 Nov');
    expect(formatDay('2025-10-26')).toBe('Sun 26 Oct');
  });

  it('when a calendar is nonsense, then the problems say what to fix', () => {
    const problems = checkModuleCalendar({ timeZone: 'Europe/Londres', start: '2025-12-21', end: '2025-09-29', nonTeachingWeeks: [{ start: 'x', end: 'y', label: 'Break' }] });
    expect(problems.join(' ')).toMatch(/IANA time zone/);
    expect(problems.join(' ')).toMatch(/swap them/);
    expect(problems.join(' ')).toMatch(/"Break"/);
    expect(checkModuleCalendar(AUTUMN)).toEqual([]);
  });

  it('when a year is mistyped or the period runs for years, then it is refused before any analysis holds its days', () => {
    const typo = checkModuleCalendar({ ...AUTUMN, start: '0202-09-28' });
    expect(typo.join(' ')).toContain('start 0202-09-28 is in the year 202: check the year (2000–2099).');
    expect(typo.join(' ')).toMatch(/longer than 104 weeks: check the years/);
    expect(checkModuleCalendar({ ...AUTUMN, start: '2024-09-30', end: '2026-09-27', nonTeachingWeeks: [] })).toEqual([]);
    expect(checkModuleCalendar({ ...AUTUMN, start: '2024-09-30', end: '2026-09-28', nonTeachingWeeks: [] }).join(' ')).toMatch(/longer than 104 weeks/);
    expect(() => analyse({ members: [learner('a')], calendar: { ...AUTUMN, start: '0202-09-28' }, today: '2025-10-20' })).toThrow(/check the year/);
  });

  it('when work is due late on the Sunday the clocks go back, then it counts in that week and lateness uses the exact instant', () => {
    const analysis = analyse({
      members: [learner('early'), learner('late')],
      assignments: [{ id: 'a', title: 'Report', dueAt: '2025-10-26T23:30:00Z' }], // 23:30 GMT, Sun 26 Oct
      submissions: [
        { assignmentId: 'a', memberId: 'early', submittedAt: '2025-10-26T23:29:00Z' },
        { assignmentId: 'a', memberId: 'late', submittedAt: '2025-10-26T23:31:00Z' },
      ],
      today: '2025-10-27',
    });
    const [early, late] = analysis.members;
    expect(early?.assignments.details[0]).toMatchObject({ dueDay: '2025-10-26', submittedDay: '2025-10-26', state: 'submitted' });
    expect(late?.assignments.details[0]).toMatchObject({ submittedDay: '2025-10-26', state: 'late' });
    expect(early?.weeks[3]?.values.assignmentsSubmitted).toBe(1);
    expect(analysis.weeks[3]).toMatchObject({ start: '2025-10-20', end: '2025-10-26', complete: true });
  });
});
