import { parseAttendanceReportFilename, parseTeamsAttendance } from '../../../src/ingest/formats/teams-attendance-parser';
import { collect, fixtureStream } from './parse-result-helpers';

const EN_2022 = 'Week 3 seminar - Attendance report 11-14-22.csv';

describe('Teams attendance report parser', () => {
  it('when a 2022+ report in UTF-16 LE is read, then each attendee gets one meeting record with In-Meeting Duration minutes', async () => {
    const { rows, summary } = await collect(parseTeamsAttendance(fixtureStream(`teams/${EN_2022}`)));

    expect(rows.find((row) => row.ok)).toEqual({
      ok: true,
      line: 12,
      value: {
        source: 'meeting',
        sourceId: expect.stringMatching(/^teams:[0-9a-f]{32}$/),
        occurredAt: new Date('2022-11-14T09:31:40Z'),
        person: { fullName: 'Amira Haddad', email: 'amira.haddad@student.uni.example.ac.uk', username: 'ah2310045@uni.example.ac.uk' },
        count: 1,
        minutes: 55,
        detail: { meetingTitle: 'Week 3 seminar: research methods, part 1', meetingStart: '2022-11-14T09:29:07.000Z' },
      },
    });
    expect(rows.flatMap((r) => (r.ok ? [[r.value.person.fullName, r.value.minutes]] : []))).toEqual([
      ['Amira Haddad', 55],
      ['Loc Nguyen', 29.37],
      ['Jordan Price', 60.8],
    ]);
    expect(summary.format).toBe('teams-attendance-2022');
  });

  it('when organisers and presenters attend, then they are skipped as staff with a note', async () => {
    const { values, summary } = await collect(parseTeamsAttendance(fixtureStream(`teams/${EN_2022}`)));

    expect(values.map((v) => v.person.fullName)).not.toEqual(expect.arrayContaining(['Helen Okafor']));
    expect(values.map((v) => v.person.fullName)).not.toContain('Dr Tom Reyes (Guest)');
    expect(summary.notes).toContain('2 people skipped: organisers and presenters are staff, not attendance.');
  });

  it('when a participant row has a bad join time, then it fails with its line and the others are kept', async () => {
    const { failures, summary } = await collect(parseTeamsAttendance(fixtureStream(`teams/${EN_2022}`)));

    expect(failures).toEqual([{ line: 14, reason: expect.stringContaining("Join time: 'soon' is not a date") }]);
    expect(summary).toMatchObject({ rows: 6, ok: 3, failed: 1, skipped: 2 });
  });

  it('when the same report is UTF-16 BE with LF endings, then the records are identical', async () => {
    const little = await collect(parseTeamsAttendance(fixtureStream(`teams/${EN_2022}`)));
    const big = await collect(parseTeamsAttendance(fixtureStream('teams/Week 3 seminar - Attendance report 11-14-22 (big-endian).csv')));

    expect(big.rows).toEqual(little.rows);
  });

  it('when an en-US report has lower-case headers and 12-hour times, then it is read month first', async () => {
    const { values } = await collect(parseTeamsAttendance(fixtureStream('teams/Statistics I office hour - Attendance report 11-26-25.csv')));

    expect(values.map((v) => [v.occurredAt.toISOString(), v.minutes, v.detail.meetingStart])).toEqual([
      ['2025-11-26T16:16:54.000Z', 28.1, '2025-11-26T16:01:10.000Z'],
    ]);
  });

  it('when Day first is chosen for an en-US report whose dates prove month first, then the report is refused saying to choose Month first', async () => {
    const result = parseTeamsAttendance(fixtureStream('teams/Statistics I office hour - Attendance report 11-26-25.csv'), { dayMonthOrder: 'dmy' });

    await expect(collect(result)).rejects.toThrow(/line 4 has '11\/26\/25, 4:01:10 PM'[\s\S]*"Month first \(US\)"/);
  });

  it('when 12-hour times come with day-first dates (en-AU), then the telling date wins over the AM/PM guess', async () => {
    const report = [
      '1. Summary',
      'Meeting title\tTutorial',
      'Start time\t3/11/22, 9:00:00 am',
      '',
      '2. Participants',
      'Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole',
      'Amira Haddad\t3/11/22, 9:02:00 am\t3/11/22, 9:40:00 am\t38m\tamira@uni.example.edu.au\tamira@uni.example.edu.au\tAttendee',
      'Loc Nguyen\t3/11/22, 9:05:00 am\t14/11/22, 9:10:00 am\t5m\tloc@uni.example.edu.au\tloc@uni.example.edu.au\tAttendee',
    ].join('\n');
    const { values, failures } = await collect(parseTeamsAttendance(Buffer.from(report), { timeZone: 'Australia/Sydney' }));

    expect(failures).toEqual([]);
    expect(values[0]!.occurredAt).toEqual(new Date('2022-11-02T22:02:00Z')); // 3 November, 9:02 AEDT
  });

  it('when the report is Polish, then columns are mapped by position and Polish durations are read', async () => {
    const { values, summary } = await collect(parseTeamsAttendance(fixtureStream('teams/Seminarium - Attendance report 11-14-22.csv')));

    expect(values.map((v) => [v.person.fullName, v.minutes, v.detail.meetingTitle])).toEqual([
      ['Piotr Nowak', 139.32, 'Seminarium: metody badawcze'],
      ['Zofia Wiśniewska', 40.75, 'Seminarium: metody badawcze'],
    ]);
    expect(summary.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Header is not English \("Imię i nazwisko"/), '1 person skipped: organisers and presenters are staff, not attendance.']),
    );
  });

  it('when a 2021 report lists a person once per session, then their durations are summed from the first join', async () => {
    const { values, summary } = await collect(parseTeamsAttendance(fixtureStream('teams/Tutorial group B - Attendance report 9-14-21.csv')));

    expect(summary.format).toBe('teams-attendance-2021');
    expect(values.map((v) => [v.person.fullName, v.occurredAt.toISOString(), v.minutes, v.detail.meetingTitle])).toEqual([
      ['Sam Osei', '2021-09-14T09:00:31.000Z', 57.23, 'Tutorial group B'],
      ['Mia Schulz', '2021-09-14T09:02:10.000Z', 58.83, 'Tutorial group B'],
    ]);
  });

  it('when a 2020 report lists Joined and Left actions, then they pair into sessions and the title comes from the filename', async () => {
    const filename = 'Lecture 1 - Attendance report 9-3-20.csv';
    const { values, summary } = await collect(parseTeamsAttendance(fixtureStream(`teams/${filename}`), { filename }));

    expect(values.map((v) => [v.person.fullName, v.minutes])).toEqual([
      ['Helen Okafor', 54.92],
      ['Robin Kaur', 41.83],
      ['Sam Osei', 42],
    ]);
    expect(values[0]!.detail).toEqual({ meetingTitle: 'Lecture 1', meetingStart: '2020-09-03T13:00:05.000Z' });
    expect(summary.notes[0]).toMatch(/lists no roles/);
  });

  it('when the report is re-imported, then source ids are the same', async () => {
    const first = await collect(parseTeamsAttendance(fixtureStream(`teams/${EN_2022}`)));
    const second = await collect(parseTeamsAttendance(fixtureStream(`teams/${EN_2022}`)));

    expect(second.values.map((v) => v.sourceId)).toEqual(first.values.map((v) => v.sourceId));
  });

  it('when the 2020 report has only its header, then there are no records and a note says so', async () => {
    const { rows, summary } = await collect(parseTeamsAttendance(fixtureStream('teams/headers-only-2020.csv')));

    expect(rows).toEqual([]);
    expect(summary.notes).toContain('The report has no attendance rows.');
  });

  it('when the filename follows the Teams pattern, then title and report date are read from it', () => {
    expect(parseAttendanceReportFilename('C:\\Users\\me\\Week 3 seminar - Attendance report 11-14-22.csv')).toEqual({
      meetingTitle: 'Week 3 seminar',
      reportDate: '2022-11-14',
    });
    expect(parseAttendanceReportFilename('attendance.csv')).toBeNull();
  });
});
