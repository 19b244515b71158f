import fs from 'node:fs';
import path from 'node:path';
import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { moodleLogCsv } from '../../support/moodle-log-builder';
import { listAssignments } from '../../../src/store/assignment-repository';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { listRecentImportRuns } from '../../../src/store/import-run-repository';
import { findModule } from '../../../src/store/module-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import type { Module } from '../../../src/store/types';
import { decodeEntities } from '../../platform/html-form-parser';

const COURSE = 'STAT2';
const FIXTURES = path.resolve(__dirname, '../../fixtures/ingest');


function formAction(page: BrowserPage, pathPrefix: string): string {
  const actions = [...page.html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) => decodeEntities(m[1]!));
  const action = actions.find((a) => a.startsWith(pathPrefix));
  if (!action) throw new Error(`No form posting to ${pathPrefix} on ${page.url} (status ${page.status}): ${actions.join(', ')}`);
  return new URL(action, page.url).toString();
}

function hiddenCsrf(page: BrowserPage): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
  if (!token) throw new Error(`No CSRF field on ${page.url}`);
  return decodeEntities(token);
}

function upload(fields: Record<string, string>, file: { name: string; content: Buffer | string }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)]), file.name);
  return form;
}

describe('staff upload page /app/module/import', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let teacher: TestBrowser;
  let ltik: string;

  const open = (browser: TestBrowser, pathname: string, token = ltik) => browser.get(`${tool.baseUrl}${pathname}${pathname.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(token)}`);

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: COURSE, title: 'Statistics II' });
    reg.platform.addMember(COURSE, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    reg.platform.addMember(COURSE, { userId: '1001', name: 'Ada Lovelace', email: 'ada@example.ac.uk', roles: ['Learner'] });
    reg.platform.addMember(COURSE, { userId: '1002', name: 'Alan Turing', email: 'alan@example.ac.uk', roles: ['Learner'] });
    reg.platform.addMember(COURSE, { userId: '1120', name: 'Amira Haddad', email: 'amira.haddad@student.uni.example.ac.uk', roles: ['Learner'] });
    teacher = new TestBrowser();
    const landing = await teacher.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE, userId: 't1', roles: [ROLE.instructor] });
    ltik = new URL(landing.url).searchParams.get('ltik')!;
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    module = (await findModule(await platform!.platformId(), COURSE))!;
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  const log = moodleLogCsv(
    [
      { at: new Date('2026-10-05T09:00:00Z'), userId: '1001', fullName: 'Ada Lovelace' },
      { at: new Date('2026-10-06T10:00:00Z'), userId: '1002', fullName: 'Alan Turing' },
      { at: new Date('2026-10-07T11:00:00Z'), userId: '4040', fullName: 'Nobody Here' },
    ],
    ['"not a time","Ada Lovelace",-,"Page: x",Page,"Course module viewed","The user with id \'1001\' viewed the page.",web,10.0.0.1'],
  );

  it('when staff upload a Moodle log, then the result page lists the counts, the person not found and the bad row with its line', async () => {
    const page = await open(teacher, '/app/module/import');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Import data');
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-course-log', dayMonthOrder: 'dmy' }, { name: 'logs_STAT2.csv', content: log }));
    expect(result.status).toBe(200);
    expect(new URL(result.url).pathname).toMatch(/^\/app\/module\/import\/runs\/[0-9a-f]{24}$/);
    expect(result.html).toMatch(/data-testid="count-imported">2</);
    expect(result.html).toMatch(/data-testid="count-unmatched">1</);
    expect(result.html).toMatch(/data-testid="count-failed">1</);
    const problems = /data-testid="import-problems">([\s\S]*?)<\/table>/.exec(result.html)?.[1] ?? '';
    expect(problems).toContain('Nobody Here');
    expect(problems).toMatch(/<td>5<\/td><td>Row not read<\/td>/);
    expect(await EngagementEventModel.countDocuments({ source: 'vle' })).toBe(2);
    const [run] = await listRecentImportRuns(module.id);
    expect(run).toMatchObject({ format: 'moodle-course-log', filename: 'logs_STAT2.csv', byUserId: 't1', status: 'done', via: 'upload' });
    expect((await listAuditEntries({ moduleId: module.id, action: 'import.create' })).length).toBe(1);

    // The import page now shows the run and when Moodle activity last arrived.
    const again = await open(teacher, '/app/module/import');
    expect(/data-testid="recent-imports">[\s\S]*logs_STAT2\.csv/.test(again.html)).toBe(true);
    expect(again.html).toMatch(/Latest activity Tue 6 Oct/);
  });

  it('when the same file is uploaded again, then nothing new is stored and the page says it was already there', async () => {
    const page = await open(teacher, '/app/module/import');
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-course-log' }, { name: 'logs_STAT2.csv', content: log }));
    expect(result.html).toMatch(/data-testid="count-imported">0</);
    expect(result.html).toMatch(/data-testid="count-already-stored">2</);
    expect(await EngagementEventModel.countDocuments({ source: 'vle' })).toBe(2);
  });

  // A US-English Moodle's download: the first rows read either way, the last only month first.
  const usLog = [
    'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"',
    ...['11/02/26, 09:00:00', '11/01/26, 09:00:00', '10/31/26, 09:00:00'].map(
      (time) => `"${time}","Ada Lovelace",-,"Page: Week notes",Page,"Course module viewed","The user with id '1001' viewed the 'page' activity with course module id '650'.",web,10.0.0.1`,
    ),
  ].join('\n');

  it('when Day first is chosen for a US log, then the whole file is refused saying to choose Month first, and nothing of it is stored', async () => {
    const page = await open(teacher, '/app/module/import');
    const before = await EngagementEventModel.countDocuments({ source: 'vle' });
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-course-log', dayMonthOrder: 'dmy' }, { name: 'logs_STAT2_us.csv', content: usLog }));
    expect(result.status).toBe(200);
    expect(decodeEntities(result.html)).toContain('Import it again with the dates set to "Month first (US)"');
    expect(await EngagementEventModel.countDocuments({ source: 'vle' })).toBe(before);
    expect((await listRecentImportRuns(module.id))[0]).toMatchObject({ filename: 'logs_STAT2_us.csv', status: 'failed' });
  });

  it('when the date order is left for the file to tell, then a US log is read month first, the ambiguous rows too', async () => {
    const page = await open(teacher, '/app/module/import');
    expect(page.html).toMatch(/<option value="auto" selected>Work it out from the file/);
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-course-log' }, { name: 'logs_STAT2_us.csv', content: usLog }));
    expect(result.html).toMatch(/data-testid="count-imported">3</);
    const days = (await EngagementEventModel.find({ source: 'vle', 'detail.courseModuleId': '650' }).lean()).map((e) => e.occurredAt.toISOString().slice(0, 10)).sort();
    expect(days).toEqual(['2026-10-31', '2026-11-01', '2026-11-02']);
  });

  it('when a Teams report with 12-hour times is uploaded without choosing the date order, then Teams’ US order is recognised', async () => {
    const report = [
      '1. Summary',
      'Meeting title\tStatistics drop-in',
      'Start time\t11/03/26, 2:00:00 PM',
      '',
      '2. Participants',
      'Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole',
      'Ada Lovelace\t11/03/26, 2:01:00 PM\t11/03/26, 2:31:00 PM\t30m\tada@example.ac.uk\tada@example.ac.uk\tAttendee',
    ].join('\n');
    const page = await open(teacher, '/app/module/import');
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'teams-attendance' }, { name: 'Statistics drop-in - Attendance report 11-3-26.csv', content: report }));
    expect(result.html).toMatch(/data-testid="count-imported">1</);
    const [meeting] = await EngagementEventModel.find({ source: 'meeting' }).lean();
    expect(meeting!.occurredAt.toISOString()).toBe('2026-11-03T14:01:00.000Z');
  });

  it('when a worksheet without a due date is uploaded, then the result page asks for it and saving it sets the due date', async () => {
    const page = await open(teacher, '/app/module/import');
    const worksheet = fs.readFileSync(path.join(FIXTURES, 'moodle-grading-worksheet', 'Grades-PSY1001-Research proposal-660.csv'));
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-grading-worksheet' }, { name: 'Grades-STAT2-Research proposal-660.csv', content: worksheet }));
    expect(result.status).toBe(200);
    expect(result.html).toContain('Due date of “Research proposal”');
    const assignment = (await listAssignments(module.id)).find((a) => a.title === 'Research proposal')!;
    expect(assignment.dueAt).toBeNull();
    const saved = await teacher.post(formAction(result, `/app/module/assignments/${assignment.id}/due-date`), { _csrf: hiddenCsrf(result), due: '2026-03-15T17:00', returnTo: new URL(result.url).pathname.split('/').pop()! });
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('Due date saved');
    const after = (await listAssignments(module.id)).find((a) => a.id === assignment.id)!;
    expect(after).toMatchObject({ dueAtSource: 'staff' });
    expect(after.dueAt?.toISOString()).toBe('2026-03-15T17:00:00.000Z'); // GMT in March
  });

  it('when a due date is typed day first, as the error message suggests, then it is read in the module time zone on upload and on the due-date form', async () => {
    const page = await open(teacher, '/app/module/import');
    const worksheet = fs.readFileSync(path.join(FIXTURES, 'moodle-grading-worksheet', 'Grades-PSY1001-Research proposal-660.csv'));
    const result = await teacher.post(
      formAction(page, '/app/module/import?'),
      upload({ format: 'moodle-grading-worksheet', due: '15/07/2026 17:00' }, { name: 'Grades-STAT2-Lab report-661.csv', content: worksheet }),
    );
    expect(result.status).toBe(200);
    const lab = (await listAssignments(module.id)).find((a) => a.title === 'Lab report')!;
    expect(lab.dueAt?.toISOString()).toBe('2026-07-15T16:00:00.000Z'); // 17:00 BST

    // The assignment now has a due date, so the page offers no due-date form: borrow the upload form's token.
    const token = new URL(formAction(await open(teacher, '/app/module/import'), '/app/module/import?')).searchParams.get('_csrf')!;
    const saved = await teacher.post(`${tool.baseUrl}/app/module/assignments/${lab.id}/due-date?ltik=${encodeURIComponent(ltik)}`, { _csrf: token, due: '20/07/2026 09:30' });
    expect(saved.html).toContain('Due date saved');
    expect((await listAssignments(module.id)).find((a) => a.id === lab.id)!.dueAt?.toISOString()).toBe('2026-07-20T08:30:00.000Z');
  });

  it('when a due date cannot be read, then the form comes back saying which forms work and nothing is imported', async () => {
    const page = await open(teacher, '/app/module/import');
    const runsBefore = (await listRecentImportRuns(module.id)).length;
    const worksheet = fs.readFileSync(path.join(FIXTURES, 'moodle-grading-worksheet', 'Grades-PSY1001-Research proposal-660.csv'));
    const result = await teacher.post(
      formAction(page, '/app/module/import?'),
      upload({ format: 'moodle-grading-worksheet', due: '31/02/2026 17:00' }, { name: 'Grades-STAT2-Lab report-661.csv', content: worksheet }),
    );
    expect(result.status).toBe(400);
    expect(decodeEntities(result.html)).toContain('write it like 15/03/2026 17:00 (day first) or 2026-03-15T17:00');
    expect((await listRecentImportRuns(module.id)).length).toBe(runsBefore);
  });

  it('when the file is larger than the limit, then the upload is refused with 413 and a page saying how to split it', async () => {
    const page = await open(teacher, '/app/module/import');
    const runsBefore = (await listRecentImportRuns(module.id)).length;
    const big = Buffer.alloc(51 * 1_048_576, 'a');
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-course-log' }, { name: 'huge.csv', content: big }));
    expect(result.status).toBe(413);
    expect(result.html).toContain('larger than 50 MB');
    expect((await listRecentImportRuns(module.id)).length).toBe(runsBefore);
  });

  it('when the file is not a text export, then the upload is refused with 415 and nothing is imported', async () => {
    const page = await open(teacher, '/app/module/import');
    const result = await teacher.post(formAction(page, '/app/module/import?'), upload({ format: 'moodle-course-log' }, { name: 'grades.xlsx', content: 'PK\u0003\u0004' }));
    expect(result.status).toBe(415);
    expect(result.html).toContain('is not a text export');
  });

  it('when no file is chosen or the format is unknown, then the form comes back with what to fix', async () => {
    const page = await open(teacher, '/app/module/import');
    const form = new FormData();
    form.append('format', 'spreadsheet');
    const result = await teacher.post(formAction(page, '/app/module/import?'), form);
    expect(result.status).toBe(400);
    expect(result.html).toContain('Choose the file to import.');
    expect(result.html).toContain('choose one of the listed formats');
  });

  it('when the form is posted without its CSRF token, then it is refused', async () => {
    const action = new URL(formAction(await open(teacher, '/app/module/import'), '/app/module/import?'));
    action.searchParams.delete('_csrf');
    const result = await teacher.post(action.toString(), upload({ format: 'moodle-course-log' }, { name: 'log.csv', content: log }));
    expect(result.status).toBe(403);
  });

  it('when a student opens or posts to the import page, then it is refused', async () => {
    const student = new TestBrowser();
    const landing = await student.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE, userId: '1001', roles: [ROLE.learner] });
    const studentLtik = new URL(landing.url).searchParams.get('ltik')!;
    expect((await open(student, '/app/module/import', studentLtik)).status).toBe(403);
    const posted = await student.post(`${tool.baseUrl}/app/module/import?ltik=${encodeURIComponent(studentLtik)}`, upload({ format: 'moodle-course-log' }, { name: 'log.csv', content: log }));
    expect(posted.status).toBe(403);
  });
});
