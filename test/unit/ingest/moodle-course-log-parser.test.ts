import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMoodleCourseLog } from '../../../src/ingest/formats/moodle-course-log-parser';
import { collect, FIXTURES, fixtureStream } from './parse-result-helpers';

describe('Moodle course log parser', () => {
  it('when an English log with a BOM is read, then each participant row becomes a vle record with the user id from Description', async () => {
    const { values, summary } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en.csv')));

    const submitted = values[0]!;
    expect(submitted).toEqual({
      source: 'vle',
      sourceId: expect.stringMatching(/^moodle-log:[0-9a-f]{32}:0$/),
      occurredAt: new Date('2026-09-09T15:35:30Z'), // BST
      person: { moodleUserId: '982', fullName: 'Loc Nguyen' },
      count: 1,
      minutes: 0,
      detail: {
        eventName: 'A submission has been submitted.',
        component: 'Assignment',
        eventContext: 'Assignment: Milestone 4, final report',
        courseModuleId: '660',
        origin: 'web',
      },
    });
    expect(summary.format).toBe('moodle-course-log');
    expect(summary.ok).toBe(values.length);
    expect(values.map((v) => v.person.moodleUserId)).toEqual(['982', '982', '982', '1103', '1120', '1046', '1046']);
  });

  it('when two identical rows share a second, then they get distinct, stable source ids', async () => {
    const first = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en.csv')));
    const again = await collect(parseMoodleCourseLog(readFileSync(join(FIXTURES, 'moodle-course-log/course-log-en.csv'))));

    const [, viewedOnce, viewedTwice] = first.values;
    expect(viewedOnce!.sourceId).toMatch(/:0$/);
    expect(viewedTwice!.sourceId).toMatch(/:1$/);
    expect(viewedTwice!.sourceId.replace(/:1$/, '')).toBe(viewedOnce!.sourceId.replace(/:0$/, ''));
    expect(again.values.map((v) => v.sourceId)).toEqual(first.values.map((v) => v.sourceId));
    expect(new Set(first.values.map((v) => v.sourceId)).size).toBe(first.values.length);
  });

  it('when a row has a bad time or is cut short, then it fails with its line number and the rest are kept', async () => {
    const { failures, summary } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en.csv')));

    expect(failures).toEqual([
      { line: 8, reason: expect.stringContaining("'yesterday' is not a date and time") },
      { line: 9, reason: expect.stringContaining('needs at least 7') },
    ]);
    expect(summary).toMatchObject({ rows: 11, ok: 7, failed: 2, skipped: 2 });
  });

  it('when a row has more cells than the header because of an unquoted comma, then it fails saying so; trailing empty cells are fine', async () => {
    const log = Buffer.from(
      [
        'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"',
        `"7/09/26, 21:40:58",Chau Bui,-,Page: FAQ, part 2,Page,Course module viewed,"The user with id '1046' viewed.",web,172.18.0.1`,
        `"7/09/26, 21:40:57","Chau Bui",-,"Page: FAQ",Page,"Course module viewed","The user with id '1046' viewed.",web,172.18.0.1,,`,
      ].join('\r\n'),
    );
    const { failures, values } = await collect(parseMoodleCourseLog(log));

    expect(failures).toEqual([{ line: 2, reason: expect.stringContaining('a cell probably contains an unquoted separator') }]);
    expect(values).toHaveLength(1);
  });

  it('when a row is by someone logged in as a student or by the system, then it is skipped with a note, not attributed', async () => {
    const { values, summary } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en.csv')));

    expect(values.some((v) => v.person.fullName?.includes(' as '))).toBe(false);
    expect(summary.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^1 row skipped: done by someone logged in as/), expect.stringMatching(/^1 row skipped: the event names no acting user/)]),
    );
  });

  it("when a cell carries Moodle's formula escape, then the leading apostrophe is removed and the value kept as text", async () => {
    const { values } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en.csv')));

    expect(values.find((v) => v.person.moodleUserId === '1103')!.person.fullName).toBe('=HYPERLINK("http://evil.example","Open")');
  });

  it('when the header is pt_BR, then columns are mapped by position and a note says so', async () => {
    const { values, summary } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-pt-br.csv')));

    expect(values.map((v) => [v.person.moodleUserId, v.detail.courseModuleId, v.detail.component])).toEqual([
      ['982', '660', 'Tarefa'],
      ['1046', '643', 'Página'],
    ]);
    expect(summary.notes).toContain('Header is not English ("Hora", "Nome completo", "Usuário afetado", …): columns mapped by position in Moodle order.');
  });

  it('when English and pt_BR downloads hold the same events, then their source ids agree', async () => {
    const english = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en.csv')));
    const translated = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-pt-br.csv')));

    for (const record of translated.values) expect(english.values.map((v) => v.sourceId)).toContain(record.sourceId);
  });

  it('when times are en_US m/dd/yy without seconds, then dayMonthOrder mdy reads them in the given zone', async () => {
    const { values } = await collect(
      parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-en-us-no-seconds.csv'), { dayMonthOrder: 'mdy', timeZone: 'America/Chicago' }),
    );

    expect(values.map((v) => v.occurredAt.toISOString())).toEqual(['2023-01-23T18:09:00.000Z', '2023-01-23T00:45:00.000Z']);
  });

  const usLog = (times: string[]) =>
    Buffer.from(
      [
        'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"',
        ...times.map((time) => `"${time}","Chau Bui",-,"Page: FAQ",Page,"Course module viewed","The user with id '1046' viewed the 'page' activity with course module id '643'.",web,172.18.0.1`),
      ].join('\n'),
    );

  it('when no order is chosen and a later date proves month first, then every row, the ambiguous ones before it too, is read month first', async () => {
    const { values, failures, summary } = await collect(parseMoodleCourseLog(usLog(['9/14/26, 10:00:00', '9/07/26, 10:00:00'])));
    const ambiguousFirst = await collect(parseMoodleCourseLog(usLog(['9/07/26, 10:00:00', '9/06/26, 10:00:00', '8/31/26, 10:00:00'])));

    expect(failures).toEqual([]);
    expect(values.map((v) => v.occurredAt.toISOString())).toEqual(['2026-09-14T09:00:00.000Z', '2026-09-07T09:00:00.000Z']);
    expect(summary.notes).toContain("Dates read month first (US), as line 2 shows ('9/14/26, 10:00:00').");
    expect(ambiguousFirst.values.map((v) => v.occurredAt.toISOString().slice(0, 10))).toEqual(['2026-09-07', '2026-09-06', '2026-08-31']);
  });

  it('when Day first is chosen for a month-first file, then the whole file is refused before any row is handed on, saying to choose Month first', async () => {
    const result = parseMoodleCourseLog(usLog(['9/07/26, 10:00:00', '9/06/26, 10:00:00', '8/31/26, 10:00:00']), { dayMonthOrder: 'dmy' });
    const handedOn: unknown[] = [];

    await expect(
      (async () => {
        for await (const row of result.rows) handedOn.push(row);
      })(),
    ).rejects.toThrow(/writes dates month first: line 4 has '8\/31\/26, 10:00:00'[\s\S]*Nothing from it was stored[\s\S]*"Month first \(US\)"/);
    expect(handedOn).toEqual([]);
  });

  it('when no date shows the order, then the file is read day first and a note says how to read it month first', async () => {
    const { values, summary } = await collect(parseMoodleCourseLog(usLog(['9/07/26, 10:00:00', '8/07/26, 10:00:00'])));

    expect(values.map((v) => v.occurredAt.toISOString().slice(0, 10))).toEqual(['2026-07-09', '2026-07-08']);
    expect(summary.notes.join(' ')).toMatch(/No date in the file shows whether the day or the month comes first[\s\S]*choose "Month first"/);
  });

  it('when Excel saved the log as Unicode text (UTF-16 LE, tabs, CRLF), then it is read the same way', async () => {
    const { values, failures } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/course-log-excel-unicode-text.txt')));

    expect(failures).toEqual([]);
    expect(values.map((v) => [v.person.fullName, v.detail.eventContext])).toEqual([
      ['Ana Lúcia Ferreira', 'Page: Reading week, what to do'],
      ['Ana Lúcia Ferreira', 'Course: Research Methods'],
    ]);
  });

  it('when the file has only a header, then there are no rows and a note says so', async () => {
    const { rows, summary } = await collect(parseMoodleCourseLog(fixtureStream('moodle-course-log/headers-only.csv')));

    expect(rows).toEqual([]);
    expect(summary).toMatchObject({ rows: 0, ok: 0, failed: 0, notes: ['The file has a header but no rows.'] });
  });

  it('when times cross the October clock change, then the UTC instants follow the offset change', async () => {
    const log = Buffer.from(
      [
        'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"',
        '"25/10/26, 03:10:00","Chau Bui",-,"Page: FAQ",Page,"Course module viewed","The user with id \'1046\' viewed the \'page\' activity with course module id \'643\'.",web,',
        '"25/10/26, 00:50:00","Chau Bui",-,"Page: FAQ",Page,"Course module viewed","The user with id \'1046\' viewed the \'page\' activity with course module id \'643\'.",web,',
      ].join('\n'),
    );
    const { values } = await collect(parseMoodleCourseLog(log));

    expect(values.map((v) => v.occurredAt.toISOString())).toEqual(['2026-10-25T03:10:00.000Z', '2026-10-24T23:50:00.000Z']);
  });

  it('when newest-first rows fall in the repeated autumn hour, then file order decides which of the two hours each is', async () => {
    const row = (time: string) =>
      `"${time}","Chau Bui",-,"Page: FAQ",Page,"Course module viewed","The user with id '1046' viewed the 'page' activity with course module id '643'.",web,`;
    const log = Buffer.from(
      ['Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"',
        ...['25/10/26, 02:05:00', '25/10/26, 01:20:00', '25/10/26, 01:05:00', '25/10/26, 01:50:00', '25/10/26, 01:10:00', '25/10/26, 00:55:00'].map(row)].join('\n'),
    );
    const { values, summary } = await collect(parseMoodleCourseLog(log));

    expect(values.map((v) => v.occurredAt.toISOString().slice(11, 16))).toEqual(['02:05', '01:20', '01:05', '00:50', '00:10', '23:55']);
    expect(summary.notes.join(' ')).not.toMatch(/not in time order/);
  });

  it('when a time falls in the hour skipped in spring, then the row fails naming the time zone', async () => {
    const log = Buffer.from(
      'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"\n' +
        `"29/03/26, 01:30:00","Chau Bui",-,"Page: FAQ",Page,"Course module viewed","The user with id '1046' viewed.",web,\n`,
    );
    const { failures } = await collect(parseMoodleCourseLog(log));

    expect(failures).toEqual([{ line: 2, reason: expect.stringContaining('does not exist in Europe/London') }]);
  });

  it('when the time zone is not a real zone, then parsing refuses to start', () => {
    expect(() => parseMoodleCourseLog(Buffer.from(''), { timeZone: 'Mars/Olympus' })).toThrow(/not a known IANA zone/);
  });
});
