import { FileFormatError } from '../../../src/ingest/formats/parsed-records';
import { parseMoodleLogstore } from '../../../src/ingest/formats/moodle-logstore-parser';
import { collect, fixtureStream } from './parse-result-helpers';

describe('Moodle logstore_standard_log parser', () => {
  it('when a DBA export is read, then participating events become vle records keyed by the log id', async () => {
    const { values } = await collect(parseMoodleLogstore(fixtureStream('moodle-logstore/logstore-standard-log.csv')));

    expect(values[0]).toEqual({
      source: 'vle',
      sourceId: 'moodle-logstore:884201',
      occurredAt: new Date(1788730858 * 1000),
      person: { moodleUserId: '1046' },
      count: 1,
      minutes: 0,
      detail: {
        eventName: '\\mod_page\\event\\course_module_viewed',
        component: 'mod_page',
        action: 'viewed',
        target: 'course_module',
        crud: 'r',
        courseId: '12',
        courseModuleId: '643',
        objectTable: 'page',
        objectId: '57',
        origin: 'web',
      },
    });
    expect(values.map((v) => v.sourceId)).toEqual(['moodle-logstore:884201', 'moodle-logstore:884203', 'moodle-logstore:884208']);
  });

  it('when rows are teaching, system, logged-in-as or anonymous events, then they are skipped with counted notes', async () => {
    const { summary } = await collect(parseMoodleLogstore(fixtureStream('moodle-logstore/logstore-standard-log.csv')));

    expect(summary).toMatchObject({ rows: 8, ok: 3, failed: 1, skipped: 4 });
    expect(summary.notes).toEqual([
      '2 rows skipped: not a participating event (edulevel is not 2: teaching or system events).',
      '1 row skipped: done by someone logged in as another user (realuserid set).',
      '1 row skipped: anonymous events (the person chose not to be identified).',
    ]);
  });

  it('when timecreated is not an epoch, then that row fails with its line and advice', async () => {
    const { failures } = await collect(parseMoodleLogstore(fixtureStream('moodle-logstore/logstore-standard-log.csv')));

    expect(failures).toEqual([{ line: 6, reason: expect.stringContaining("timecreated 'not-a-time' is not a Unix time") }]);
  });

  it('when a course id is given, then other courses in a site-wide export are skipped', async () => {
    const { values, summary } = await collect(parseMoodleLogstore(fixtureStream('moodle-logstore/logstore-standard-log.csv'), { courseId: '12' }));

    expect(values.map((v) => v.detail.courseId)).toEqual(['12', '12']);
    expect(summary.notes).toContain('2 rows skipped: they belong to other courses than 12.'); // course 19, and the login (course 0)
  });

  it('when psql wrote tab-separated text with \\N for NULL, then it is read the same way', async () => {
    const { values } = await collect(parseMoodleLogstore(fixtureStream('moodle-logstore/logstore-standard-log-psql.tsv')));

    expect(values).toHaveLength(1);
    expect(values[0]!.detail).toMatchObject({ courseModuleId: '655', eventName: '\\mod_quiz\\event\\attempt_submitted' });
  });

  it('when the header lacks the logstore columns, then the file is refused with the columns it needs', async () => {
    const result = parseMoodleLogstore(Buffer.from('Time,User,Description\n1,2,3\n'));

    await expect(collect(result)).rejects.toThrow(FileFormatError);
    await expect(collect(parseMoodleLogstore(Buffer.from('Time,User\n')))).rejects.toThrow(/needs the columns id, eventname, edulevel, userid, timecreated/);
  });
});
