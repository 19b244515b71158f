import { parseEcho360 } from '../../../src/ingest/formats/echo360-parser';
import { FileFormatError } from '../../../src/ingest/formats/parsed-records';
import { collect, fixtureStream } from './parse-result-helpers';

describe('Echo360 parser', () => {
  it('when the class analytics export is read, then each student with views gets a recording record counted in views', async () => {
    const { values, summary } = await collect(parseEcho360(fixtureStream('echo360/class-analytics.csv'), { fallbackDate: new Date('2026-10-16T12:00:00Z') }));

    expect(values[0]).toEqual({
      source: 'recording',
      sourceId: expect.stringMatching(/^echo360:[0-9a-f]{32}$/),
      occurredAt: new Date('2026-10-12T23:00:00Z'), // midnight BST
      person: { fullName: 'Amira Haddad', email: 'amira.haddad@student.uni.example.ac.uk', username: 'ah2310045' },
      count: 3,
      minutes: 0,
      detail: { title: 'Lecture 4: Memory, part 2', section: 'PSY1001 Lecture 2026', lessonDate: '2026-10-13', videoViewPercent: 87.5 },
    });
    expect(summary.format).toBe('echo360-class');
    expect(summary.notes).toEqual(
      expect.arrayContaining([
        'Minutes watched are not in the class analytics export: records carry view counts only.',
        '1 row skipped: no video views, so nothing was watched.',
      ]),
    );
  });

  it('when a Lesson Date is N/A and a fallback date is given, then the row counts on that date', async () => {
    const fallbackDate = new Date('2026-10-16T12:00:00Z');
    const { values } = await collect(parseEcho360(fixtureStream('echo360/class-analytics.csv'), { fallbackDate }));

    expect(values.find((v) => v.person.fullName === 'Chau Bui')).toMatchObject({ occurredAt: fallbackDate, detail: { lessonDate: 'N/A' } });
  });

  it('when a Lesson Date is N/A and no fallback is given, then that row fails saying what to do; bad counts fail too', async () => {
    const { failures, values } = await collect(parseEcho360(fixtureStream('echo360/class-analytics.csv')));

    expect(failures).toEqual([
      { line: 4, reason: expect.stringContaining("The date is 'N/A', so these views cannot be placed on a day. Write the class's date in that cell") },
      { line: 5, reason: "Views 'several' is not a whole number." },
    ]);
    expect(values.map((v) => v.person.fullName)).toEqual(['Amira Haddad', 'Sam Osei']);
    expect(values[1]!.occurredAt).toEqual(new Date('2026-10-19T23:00:00Z'));
  });

  it('when the media per-user export is read, then Total View Time gives minutes', async () => {
    const { values, summary } = await collect(
      parseEcho360(fixtureStream('echo360/media-per-user.csv'), { fallbackDate: new Date('2026-10-20T00:00:00Z'), mediaTitle: 'Lecture 4 recording' }),
    );

    expect(values.map((v) => [v.person.email, v.count, v.minutes, v.detail.title])).toEqual([
      ['amira.haddad@student.uni.example.ac.uk', 4, 72.5, 'Lecture 4 recording'],
      ['robin.kaur@student.uni.example.ac.uk', 1, 9.08, 'Lecture 4 recording'],
    ]);
    expect(summary.format).toBe('echo360-media');
    expect(summary.notes).toContain('Columns not understood and not used: Average View Time.');
  });

  it('when the media export has no dates and no fallback date, then the file is refused saying to add a Date column', async () => {
    await expect(collect(parseEcho360(fixtureStream('echo360/media-per-user.csv'), { mediaTitle: 'Lecture 4' }))).rejects.toThrow(/no date column[\s\S]*Add a column headed "Date"/);
  });

  it('when staff add the Date and Media title columns the refusals ask for, then the media export is read', async () => {
    const amended = Buffer.from(
      ['"User Name","User Email","Total Views","Total View Time","Date","Media title"', '"Amira Haddad","amira.haddad@student.uni.example.ac.uk","4","1:12:30","20/10/2026","Lecture 4 recording"'].join('\n'),
    );
    const { values, failures } = await collect(parseEcho360(amended));

    expect(failures).toEqual([]);
    expect(values).toMatchObject([{ count: 4, minutes: 72.5, detail: { title: 'Lecture 4 recording' }, occurredAt: new Date('2026-10-19T23:00:00Z') }]);
  });

  it('when the media export names no recording and no title is given, then the file is refused', async () => {
    const fallbackDate = new Date('2026-10-20T00:00:00Z');
    await expect(collect(parseEcho360(fixtureStream('echo360/media-per-user.csv'), { fallbackDate }))).rejects.toThrow(/Which recording[\s\S]*Add a column headed "Media title"/);
  });

  it('when the header is unknown and no mapping is given, then the file is refused listing the columns it needs', async () => {
    const attempt = collect(parseEcho360(fixtureStream('echo360/unknown-header.csv')));

    await expect(attempt).rejects.toBeInstanceOf(FileFormatError);
    await expect(collect(parseEcho360(fixtureStream('echo360/unknown-header.csv')))).rejects.toThrow(
      /Columns found: "Learner", "Mail", "Plays", "Watched \(mins\)", "Day", "Ethnicity"\. We need either the class analytics columns/,
    );
    await expect(collect(parseEcho360(fixtureStream('echo360/unknown-header.csv')))).rejects.toThrow(/rename the file's columns to the media per-user names/);
  });

  it('when staff map unknown columns, then rows are read through the mapping and the special-category column is dropped', async () => {
    const { values, summary } = await collect(
      parseEcho360(fixtureStream('echo360/unknown-header.csv'), {
        columnMapping: { name: 'Learner', email: 'mail', views: 'Plays', viewTime: 'Watched (mins)', date: 'Day' },
        mediaTitle: 'Lecture 4 recording',
      }),
    );

    expect(values.map((v) => [v.person.email, v.count, v.minutes, v.occurredAt.toISOString()])).toEqual([
      ['mia.schulz@student.uni.example.ac.uk', 2, 35.5, '2026-10-13T23:00:00.000Z'],
    ]);
    expect(summary.droppedColumns).toEqual(['Ethnicity']);
    expect(JSON.stringify(values)).not.toContain('German');
  });

  it('when a mapping points at a special-category column, then it is refused', () => {
    return expect(collect(parseEcho360(fixtureStream('echo360/unknown-header.csv'), { columnMapping: { name: 'Ethnicity', views: 'Plays', date: 'Day' } }))).rejects.toThrow(
      /special-category data/,
    );
  });

  it('when the class export has only a header, then there are no rows and a note says so', async () => {
    const { rows, summary } = await collect(parseEcho360(fixtureStream('echo360/class-analytics-headers-only.csv')));

    expect(rows).toEqual([]);
    expect(summary.notes).toContain('The file has a header but no rows.');
  });
});
