import { parseGradesFilename, parseMoodleGradingWorksheet } from '../../../src/ingest/formats/moodle-grading-worksheet-parser';
import { collect, fixtureStream } from './parse-result-helpers';

const WORKSHEET = 'moodle-grading-worksheet/Grades-PSY1001-Research proposal-660.csv';

describe('Moodle grading worksheet parser', () => {
  it('when a worksheet is read, then each participant gets a status record named after the assignment in the filename', async () => {
    const { values } = await collect(parseMoodleGradingWorksheet(fixtureStream(WORKSHEET), { filename: 'Grades-PSY1001-Research proposal-660.csv' }));

    expect(values[0]).toEqual({
      assignmentName: 'Research proposal',
      person: { fullName: 'Amira Haddad', email: 'amira.haddad@student.uni.example.ac.uk' },
      submitted: true,
      submittedAt: new Date('2024-03-15T14:05:00Z'),
      late: false,
      extensionUntil: null,
      status: 'submitted',
      participantId: '4410021',
    });
  });

  it('when Status combines parts, then submission, lateness, overdue and extensions are read from them', async () => {
    const { values } = await collect(parseMoodleGradingWorksheet(fixtureStream(WORKSHEET), { assignmentName: 'Research proposal' }));
    const byName = new Map(values.map((v) => [v.person.fullName, v]));

    expect(byName.get('Loc Nguyen')).toMatchObject({ status: 'no-submission', submitted: false, late: true, submittedAt: null });
    expect(byName.get("O'Neill, Siobhán")).toMatchObject({ status: 'draft', submitted: false, late: null, submittedAt: null });
    expect(byName.get('Chau Bui')).toMatchObject({ status: 'submitted', submitted: true, late: true, submittedAt: new Date('2024-03-18T16:30:00Z') });
    expect(byName.get('Jordan Price')).toMatchObject({ status: 'no-submission', late: null, extensionUntil: new Date('2024-03-22T17:00:00Z') });
    expect(byName.get('Robin Kaur')).toMatchObject({ status: 'reopened', submitted: false, submittedAt: null });
  });

  it('when a Status cell holds a line break inside quotes, then both parts are read and later line numbers stay right', async () => {
    const { rows } = await collect(parseMoodleGradingWorksheet(fixtureStream(WORKSHEET), { assignmentName: 'Research proposal' }));

    const ana = rows.find((row) => row.ok && row.value.person.fullName === 'Ana Lúcia Ferreira');
    expect(ana).toMatchObject({ line: 8, value: { status: 'submitted', extensionUntil: new Date('2024-03-22T17:00:00Z') } });
    expect(rows.find((row) => row.ok && row.value.person.fullName === 'Robin Kaur')?.line).toBe(10);
  });

  it('when rows are cut short or their Status is not English, then they fail with line numbers and the rest are kept', async () => {
    const { failures, summary } = await collect(parseMoodleGradingWorksheet(fixtureStream(WORKSHEET), { assignmentName: 'Research proposal' }));

    expect(failures).toEqual([
      { line: 11, reason: expect.stringContaining('cut short') },
      { line: 12, reason: expect.stringContaining("Status 'Eingereicht - Bewertet' does not start with a Moodle submission status") },
    ]);
    expect(summary).toMatchObject({ rows: 10, ok: 8, failed: 2 });
  });

  it('when the worksheet carries a Gender column, then it is dropped and listed, never read', async () => {
    const { values, summary } = await collect(parseMoodleGradingWorksheet(fixtureStream(WORKSHEET), { assignmentName: 'Research proposal' }));

    expect(summary.droppedColumns).toEqual(['Gender']);
    expect(JSON.stringify(values)).not.toMatch(/Female|Male/);
  });

  it("when a name carries Moodle's formula escape, then the apostrophe is removed", async () => {
    const { values } = await collect(parseMoodleGradingWorksheet(fixtureStream(WORKSHEET), { assignmentName: 'Research proposal' }));

    expect(values.at(-1)!.person.fullName).toBe('=Kai Doe');
  });

  it('when the worksheet has only a header, then there are no rows and a note says so', async () => {
    const { rows, summary } = await collect(parseMoodleGradingWorksheet(fixtureStream('moodle-grading-worksheet/Grades-PSY1001-Empty-661.csv'), { assignmentName: 'Empty' }));

    expect(rows).toEqual([]);
    expect(summary.notes).toEqual(['The file has a header but no rows.']);
  });

  it('when neither an assignment name nor a worksheet filename is given, then parsing refuses to start', () => {
    expect(() => parseMoodleGradingWorksheet(Buffer.from(''), { filename: 'export.csv' })).toThrow(/Which assignment/);
  });

  it('when the filename is split, then the course module id is the last part and a known course short name may hold hyphens', () => {
    expect(parseGradesFilename('Grades-PSY1001-Research proposal-660.csv')).toEqual({
      courseShortName: 'PSY1001',
      assignmentName: 'Research proposal',
      courseModuleId: '660',
    });
    expect(parseGradesFilename('/downloads/Grades-PSY-1001-Essay 2 - draft-661 (1).csv', 'PSY-1001')).toEqual({
      courseShortName: 'PSY-1001',
      assignmentName: 'Essay 2 - draft',
      courseModuleId: '661',
    });
    expect(parseGradesFilename('grades.csv')).toBeNull();
  });
});
