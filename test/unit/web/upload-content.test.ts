import fs from 'node:fs';
import path from 'node:path';
import { uploadContentProblem } from '../../../src/web/staff/upload-content';
import { FIXTURES } from '../ingest/parse-result-helpers';

// The upload form's check that a file is a text export, on real exports and on binary data shaped like text.

const file = (originalname: string, buffer: Buffer) => ({ originalname, size: buffer.length, buffer });
const TEAMS_REPORT = fs.readFileSync(path.join(FIXTURES, 'teams', 'Week 3 seminar - Attendance report 11-14-22.csv'));

describe('what the upload form accepts as a text export', () => {
  it('when a Teams attendance report in UTF-16 is uploaded with or without its byte order mark, then it is accepted', () => {
    expect(TEAMS_REPORT.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(uploadContentProblem(file('report.csv', TEAMS_REPORT))).toBeNull();
    expect(uploadContentProblem(file('report.csv', TEAMS_REPORT.subarray(2)))).toBeNull();
  });

  it('when a UTF-8 export holds accented names, or a Windows-1252 one whose accents are not UTF-8, then it is accepted', () => {
    expect(uploadContentProblem(file('log.csv', Buffer.from('Time,User full name\n12/01/26 10:00,Zoë Łukasiewicz\n', 'utf8')))).toBeNull();
    expect(uploadContentProblem(file('log.csv', Buffer.from('Time,User full name\n12/01/26 10:00,Zo\u00eb Ren\u00e9e\n', 'latin1')))).toBeNull();
  });

  it('when binary data has a NUL every other byte, as UTF-16 has, then it is refused as binary', () => {
    const shapedLikeUtf16 = Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 2 === 1 ? 0 : [1, 2, 3, 4, 0x10, 0x1b, 0x41, 0x7f][i % 8]!)));
    expect(uploadContentProblem(file('attendance.csv', shapedLikeUtf16))).toEqual({ status: 415, message: expect.stringContaining('it looks like binary data') });
  });
});
