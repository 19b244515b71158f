import { parseMoodleGradebook } from '../../../src/ingest/formats/moodle-gradebook-parser';
import { collect, fixtureStream } from './parse-result-helpers';

describe('Moodle gradebook export parser', () => {
  it('when a comma export is read, then each person gets one record per grade item, submitted meaning graded', async () => {
    const { values } = await collect(parseMoodleGradebook(fixtureStream('moodle-gradebook/grades-comma.csv')));
    const amira = values.filter((v) => v.person.fullName === 'Amira Haddad');

    expect(amira.map((v) => [v.activityType, v.assignmentName, v.status])).toEqual([
      ['Assignment', 'Research proposal', 'graded'],
      ['Quiz', 'Week 1 check', 'graded'],
      ['Assignment', 'Religion in public life', 'graded'],
    ]);
    expect(amira[0]).toEqual({
      assignmentName: 'Research proposal',
      activityType: 'Assignment',
      person: { fullName: 'Amira Haddad', email: 'amira.haddad@student.uni.example.ac.uk', idNumber: '2310045' },
      submitted: true,
      submittedAt: null,
      late: null,
      extensionUntil: null,
      status: 'graded',
    });
    expect(values.filter((v) => v.person.fullName === 'Loc Nguyen').every((v) => !v.submitted && v.status === 'not-graded')).toBe(true);
  });

  it('when the export carries a disability profile field, then that column is dropped while a module named for religion is kept', async () => {
    const { values, summary } = await collect(parseMoodleGradebook(fixtureStream('moodle-gradebook/grades-comma.csv')));

    expect(summary.droppedColumns).toEqual(['Disability status']);
    expect(JSON.stringify(values)).not.toMatch(/Dyslexia|None declared/);
    expect(values.some((v) => v.assignmentName === 'Religion in public life')).toBe(true);
  });

  it('when course and category totals are present, then they are not treated as items', async () => {
    const { values, summary } = await collect(parseMoodleGradebook(fixtureStream('moodle-gradebook/grades-comma.csv')));

    expect(values.some((v) => /total/i.test(v.assignmentName))).toBe(false);
    expect(summary.notes).toContain('Totals are not items: 2 total columns (course or category) ignored.');
  });

  it('when a row is ragged, then it fails with its line and the following rows are kept, formula escape undone', async () => {
    const { failures, values } = await collect(parseMoodleGradebook(fixtureStream('moodle-gradebook/grades-comma.csv')));

    expect(failures).toEqual([{ line: 4, reason: expect.stringContaining('cut short') }]);
    expect(values.at(-1)!.person.fullName).toBe("=cmd|' /C calc'!A0 Bui");
  });

  it('when the export is tab separated with the older Surname header, then suspended enrolments are skipped', async () => {
    const { values, summary } = await collect(parseMoodleGradebook(fixtureStream('moodle-gradebook/grades-tab.txt')));

    expect(values.map((v) => [v.person.fullName, v.assignmentName, v.submitted])).toEqual([['Jordan Price', 'Lab report', true]]);
    expect(summary.notes).toEqual(expect.arrayContaining(['Separator: tab.', '1 row skipped: suspended enrolments, who are not taking part in the module.']));
  });

  it.each([
    ['semicolon', 'moodle-gradebook/grades-semicolon.csv', [['Mia Schulz', 'Lab report', true]]],
    [
      'colon',
      'moodle-gradebook/grades-colon.csv',
      [
        ['Robin Kaur', 'Lab report', false],
        ['Robin Kaur', 'Week 1 check', true],
      ],
    ],
  ])('when the export is %s separated, then the separator is sniffed from the header', async (_name, file, expected) => {
    const { values } = await collect(parseMoodleGradebook(fixtureStream(file)));

    expect(values.map((v) => [v.person.fullName, v.assignmentName, v.submitted])).toEqual(expected);
  });

  it('when the export has only a header, then there are no rows and a note says so', async () => {
    const { rows, summary } = await collect(parseMoodleGradebook(fixtureStream('moodle-gradebook/grades-headers-only.csv')));

    expect(rows).toEqual([]);
    expect(summary.notes).toContain('The file has a header but no rows.');
  });
});
